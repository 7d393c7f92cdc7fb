"""The insights benchmark on a small network: its history is valid data the indicators count,
every page it times answers, and a day of changes is refreshed in the running month."""
import pytest
from django.utils import timezone

from oneplan.bench import insights
from oneplan.families.models import Family
from oneplan.insights import months as m
from oneplan.insights.models import MonthlyFigure
from oneplan.plans.models import PlanVersion, Review
from oneplan.sampledata.synthetic import generate
from oneplan.sampledata.synthetic_history import generate_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    generate(families=40, seed=5)
    return generate_history(seed=5)


def test_history_gives_families_plans_and_reviews_once(network):
    assert network["families"] == 40 and PlanVersion.objects.exists() and Review.objects.exists()
    assert generate_history()["families"] == 0


def test_the_rebuild_counts_the_history(network):
    result = insights.rebuild()
    assert result["figures"] > 0
    assert MonthlyFigure.objects.filter(indicator="families_registered", breakdown="all").exists()


def test_every_page_of_the_benchmark_answers(network):
    insights.rebuild()
    results = insights.pages(requests=1, warmup=0)
    assert len(results) == len(insights.PAGES) + 1 and all(r["p95"] > 0 for r in results)


def test_a_day_of_changes_is_refreshed_in_the_running_month(network):
    insights.rebuild()
    day = insights.day_of_changes(Family.objects.count())
    assert day["families"] == 1 and day["plans"] == 1
    result = insights.refresh()
    assert m.label(m.start_of(timezone.localdate())) in result["months"]
    assert len(result["months"]) < 24
