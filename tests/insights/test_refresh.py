"""Monthly aggregates refreshed by `oneplan tick`: only the months whose data changed."""
import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from oneplan.core import tick
from oneplan.insights import aggregates
from oneplan.insights.loader import load
from oneplan.insights.models import Indicator, MonthlyFigure, Refresh
from tests.insights.factories import at, definitions, family, month, plan, referral, service

pytestmark = pytest.mark.django_db

D = dt.date


def _stamps(key: str) -> dict:
    return {(f.month, f.breakdown, f.group, f.series): f.computed_at
            for f in MonthlyFigure.objects.filter(indicator=key)}


@pytest.fixture
def history(time_machine):
    """Data entered, then (well after: a refresh looks a few minutes back) the aggregates built."""
    definitions()
    fam = family(opened=D(2026, 1, 5))
    family(opened=D(2026, 3, 5))
    plan(fam, D(2026, 2, 10))
    referral(fam, service(), sent=at(D(2026, 2, 2)))
    time_machine.move_to(timezone.now() + 2 * aggregates.OVERLAP)
    aggregates.rebuild()
    return fam


def test_a_refresh_without_changes_touches_no_flow_month(history, time_machine):
    before = _stamps("referrals")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    result = aggregates.refresh()
    assert result.kind == "incremental" and _stamps("referrals") == before


def test_a_new_referral_recomputes_only_the_month_it_was_sent_in(history, time_machine):
    before = _stamps("referrals")
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    referral(history, service(), sent=at(D(2026, 4, 8)))
    aggregates.refresh()
    after = _stamps("referrals")
    changed = {key[0] for key in after if after[key] != before.get(key)}
    assert changed == {month(2026, 4)}
    assert MonthlyFigure.objects.get(indicator="referrals", month=month(2026, 4), breakdown="all",
                                     series="sent").denominator == 1


def test_a_back_dated_plan_recomputes_snapshots_from_its_month_on(history, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    other = Indicator.objects.get(key="families_registered", is_active=True)
    plan(family(opened=D(2025, 11, 3), coordinator=False), D(2026, 3, 20))
    indicators = {"open_with_agreed_plan": Indicator.objects.get(key="open_with_agreed_plan", is_active=True),
                  "families_registered": other}
    last = Refresh.objects.latest("started_at")
    plan_ = aggregates.plan_refresh(indicators, last.started_at - aggregates.OVERLAP,
                                    aggregates.m.history(), last.started_at)
    assert plan_["families_registered"] == [month(2025, 11)]
    assert plan_["open_with_agreed_plan"] == [aggregates.m.add(month(2025, 11), k) for k in range(8)]


def test_snapshots_of_the_running_month_follow_the_calendar(history, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    indicators = {"reviews_overdue": Indicator.objects.get(key="reviews_overdue", is_active=True)}
    last = Refresh.objects.latest("started_at")
    plan_ = aggregates.plan_refresh(indicators, last.started_at, aggregates.m.history(), last.started_at)
    assert plan_["reviews_overdue"] == [month(2026, 6)]


def test_a_new_month_recomputes_the_last_snapshot_of_the_month_before(history, time_machine):
    time_machine.move_to(timezone.make_aware(dt.datetime(2026, 7, 1, 2, 0)))
    indicators = {"open_with_coordinator": Indicator.objects.get(key="open_with_coordinator", is_active=True)}
    last = Refresh.objects.latest("started_at")
    plan_ = aggregates.plan_refresh(indicators, last.started_at, aggregates.m.history(), last.started_at)
    assert plan_["open_with_coordinator"] == [month(2026, 6), month(2026, 7)]


def test_a_new_definition_version_is_computed_for_all_months_by_the_next_refresh(history, time_machine):
    from tests.insights.test_definitions import _text

    new, _ = load(_text(title={"en": "New families"}))
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    result = aggregates.refresh()
    assert len(result.months) == 24
    assert set(MonthlyFigure.objects.filter(indicator="families_registered").values_list("version", flat=True)) == {
        new.version}


def test_the_first_refresh_is_a_rebuild():
    definitions()
    family(opened=D(2026, 3, 5))
    assert aggregates.refresh().kind == "rebuild"


def test_tick_runs_the_refresh():
    definitions()
    assert "insights" in tick.jobs()
    assert tick.jobs()["insights"]().startswith("rebuild: 24 months")


def test_rebuild_command_reports_every_indicator(capsys):
    definitions()
    family(opened=D(2026, 3, 5))
    call_command("indicators", "rebuild")
    out = capsys.readouterr().out
    assert "families_registered" in out and "rebuild: 24 months" in out


def test_figures_older_than_24_months_are_dropped(history):
    MonthlyFigure.objects.create(indicator="referrals", version=1, month=month(2024, 1), breakdown="all")
    aggregates.refresh()
    assert not MonthlyFigure.objects.filter(month__lt=month(2024, 7)).exists()


def test_the_demo_has_figures_at_once():
    call_command("demo")
    assert MonthlyFigure.objects.filter(indicator="families_registered", breakdown="all").exists()


def test_a_referral_accepted_now_recomputes_only_this_month_not_the_month_it_was_sent(history, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(hours=1))
    sent = history.referrals.get()
    sent.status, sent.accepted_at, sent.status_changed_at = "accepted", timezone.now(), timezone.now()
    sent.save()
    aggregates.refresh()
    assert Refresh.objects.latest("started_at").months == ["2026-06"]


def test_refreshes_older_than_90_days_are_forgotten(history, time_machine):
    time_machine.move_to(timezone.now() + dt.timedelta(days=100))
    aggregates.refresh()
    assert Refresh.objects.count() == 1
