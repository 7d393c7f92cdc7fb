"""The front-door benchmark: its seeded requests are valid queue rows, seeding fills up once,
and the queue scenario pages through them."""
import pytest

from oneplan.bench import frontdoor
from oneplan.frontdoor.models import HelpRequest, Status

pytestmark = pytest.mark.django_db


def test_seeding_fills_up_to_the_total_once():
    assert frontdoor.seed_open_requests(120) == 120
    assert frontdoor.seed_open_requests(120) == 0
    assert HelpRequest.objects.exclude(status=Status.DONE).count() == 120


def test_the_queue_scenario_reads_pages_after_the_first(monkeypatch):
    frontdoor.seed_open_requests(120)
    result = frontdoor.queue_in_process(frontdoor.worker(), requests=10)
    assert result["requests"] == 10 and result["p95"] > 0


def test_percentiles_of_an_empty_list_are_zero():
    assert frontdoor._percentile([], 95) == 0.0
