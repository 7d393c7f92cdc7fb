"""The demo's partnership: every part has something to show."""
import pytest
from django.core.management import call_command

from oneplan.audit.services import verify
from oneplan.partnership import measure, results
from oneplan.partnership.models import Partnership

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_partnership_with_something_in_every_part():
    call_command("demo")
    item = Partnership.objects.get()
    measured = measure.measure_all(item.agreements.all())
    latest = results.for_round(item.rounds.get(status="open"))
    assert item.members.count() == 8 and item.vision_versions.count() == 2
    assert {m.state for m in measured} == {"not_kept", "too_few"}  # the debt pathway: the learning session's subject
    assert latest.shown and latest.previous is not None and latest.respondents >= 5
    assert item.sessions.get().actions.filter(done_on__isnull=True).count() == 2
    assert item.contributions.exists() and item.spending.exists()
    assert verify().ok
