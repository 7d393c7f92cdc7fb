"""Funding: contributions per member and year, the pooled budget against its spending, who pays
the coordinators, and who may record what."""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, InvalidInput
from oneplan.partnership import funding, selectors, services_funding
from oneplan.partnership.models import Contribution
from tests.partnership.factories import partnership

pytestmark = pytest.mark.django_db
YEAR = 2026


def _contribute(setup, i, purpose="pooled", money="0", hours=0, actor=None, year=YEAR):
    return services_funding.contribution_save(actor=actor or setup.reps[i], member_id=setup.members[i].pk,
                                              year=year, purpose=purpose, money=money, staff_hours=hours)


def _plan(setup, category, amount):
    services_funding.budget_line_save(actor=setup.coordinator, partnership_id=setup.partnership.pk, year=YEAR,
                                      category=category, amount=amount)


def _spend(setup, category, amount, on=dt.date(2026, 3, 1)):
    services_funding.spending_record(actor=setup.coordinator, partnership_id=setup.partnership.pk,
                                     category=category, amount=amount, spent_on=on, description="Invoice")


@pytest.fixture
def funded():
    setup = partnership(size=3)
    _contribute(setup, 0, money="30000", hours=200)
    _contribute(setup, 1, money="12500.50")
    _contribute(setup, 0, purpose="coordination", money="45000")
    _contribute(setup, 2, purpose="coordination", hours=320)
    _plan(setup, "coordination", "20000")
    _plan(setup, "training", "15000")
    _spend(setup, "coordination", "8000")
    _spend(setup, "training", "9000")
    _spend(setup, "training", "7000")
    _spend(setup, "training", "100", on=dt.date(2025, 12, 31))  # another year
    return setup


def test_the_pooled_budget_is_the_money_members_put_into_it(funded):
    summary = funding.summary(funded.partnership, YEAR)
    assert (summary.pooled, summary.money, summary.hours) == (
        Decimal("42500.50"), Decimal("87500.50"), 520)


def test_budget_against_spending_per_category(funded):
    lines = {line.category: line for line in funding.summary(funded.partnership, YEAR).lines}
    assert (lines["coordination"].remaining, lines["training"].spent, lines["training"].over,
            lines["training"].share_spent) == (Decimal("12000"), Decimal("16000"), True, 107)


def test_totals_planned_spent_and_left(funded):
    summary = funding.summary(funded.partnership, YEAR)
    assert (summary.planned, summary.spent, summary.remaining, summary.balance, summary.unplanned) == (
        Decimal("35000"), Decimal("24000"), Decimal("11000"), Decimal("18500.50"), Decimal("7500.50"))


def test_who_pays_the_coordinators(funded):
    payers = funding.summary(funded.partnership, YEAR).coordinator_payers
    assert [(p.name, p.coordination_money, p.coordination_hours) for p in payers] == sorted(
        [(funded.organisations[0].name, Decimal("45000"), 0), (funded.organisations[2].name, Decimal("0"), 320)])


def test_a_year_shows_only_its_own_spending(funded):
    summary = funding.summary(funded.partnership, 2025)
    assert (summary.spent, summary.pooled, summary.years) == (Decimal("100"), Decimal("0"), [2025, 2026])


def test_recording_a_contribution_again_replaces_it():
    setup = partnership()
    _contribute(setup, 0, money="1000")
    _contribute(setup, 0, money="1500")
    assert list(Contribution.objects.values_list("money", flat=True)) == [Decimal("1500.00")]


def test_a_contribution_needs_money_or_hours():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _contribute(setup, 0)


def test_a_representative_cannot_record_another_members_contribution_and_it_is_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        _contribute(setup, 1, money="500", actor=setup.reps[0])
    assert AuditEvent.objects.filter(actor_id=setup.reps[0].user_id, action="partnership.contribution.save",
                                     outcome="denied").exists()


def test_the_coordinator_records_any_members_contribution():
    setup = partnership()
    assert _contribute(setup, 1, money="500", actor=setup.coordinator).recorded_by == setup.coordinator


def test_only_the_managers_plan_the_budget_and_the_refusal_is_audited():
    setup = partnership()
    with pytest.raises(AccessDenied):
        services_funding.budget_line_save(actor=setup.reps[1], partnership_id=setup.partnership.pk, year=YEAR,
                                          category="training", amount="100")
    assert AuditEvent.objects.filter(actor_id=setup.reps[1].user_id, action="partnership.budget.save",
                                     outcome="denied").exists()


def test_spending_in_the_future_is_refused():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _spend(setup, "training", "100", on=timezone.localdate() + dt.timedelta(days=1))


def test_negative_amounts_are_refused():
    setup = partnership()
    with pytest.raises(InvalidInput):
        _plan(setup, "training", "-5")


def test_professionals_of_members_read_the_funding(funded):
    _access, summary = selectors.funding_year(actor=funded.colleague(2), partnership_id=funded.partnership.pk,
                                              year=YEAR)
    assert summary.pooled == Decimal("42500.50")
