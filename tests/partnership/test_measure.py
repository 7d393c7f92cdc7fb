"""Cooperation agreements measured against the real referrals on their pathway: kept, late,
overdue, pending, declined; the share kept and the median; where it is not kept; small numbers."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.accounts.models import Organisation
from oneplan.partnership import measure, services
from tests.partnership.factories import for_scene, referral
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_is_two(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 2}


def _agreement(setup, **kwargs):
    values = {"actor": setup.coordinator, "partnership_id": setup.partnership.pk,
              "from_organisation_id": setup.organisations[0].pk, "to_organisation_id": setup.organisations[1].pk,
              "need": "finances_debts", "response_days": 7,
              "valid_from": timezone.localdate() - dt.timedelta(days=200)}
    values.update(kwargs)
    return services.agreement_save(**values)


def test_a_referral_accepted_within_the_agreed_days_keeps_the_agreement():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=30, accepted_after=6.5)
    result = measure.measure(item)
    assert (result.sent, result.kept, result.late, result.median_days) == (1, 1, 0, 6.5)


def test_a_referral_accepted_later_is_a_breach():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=30, accepted_after=9)
    result = measure.measure(item)
    assert (result.kept, result.late, result.breaches) == (0, 1, 1)


def test_a_referral_not_accepted_past_the_agreed_days_is_overdue():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=8)
    assert (measure.measure(item).overdue, measure.measure(item).pending) == (1, 0)


def test_a_referral_still_within_the_agreed_days_is_not_judged_yet():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=2)
    result = measure.measure(item)
    assert (result.pending, result.judged, result.share_kept) == (1, 0, None)


def test_a_declined_referral_has_no_acceptance_to_time():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=20, declined=True)
    result = measure.measure(item)
    assert (result.declined, result.judged) == (1, 0)


def test_referrals_for_another_need_are_not_on_the_pathway():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=30, accepted_after=1, needs=("housing",))
    assert measure.measure(item).sent == 0


def test_referrals_sent_before_the_agreement_do_not_count():
    s = scene()
    item = _agreement(for_scene(s), valid_from=timezone.localdate() - dt.timedelta(days=10))
    referral(s, sent_days_ago=30, accepted_after=20)
    assert measure.measure(item).sent == 0


def test_referrals_sent_after_the_agreement_ended_do_not_count():
    s = scene()
    setup = for_scene(s)
    item = _agreement(setup)
    services.agreement_end(actor=setup.coordinator, agreement_id=item.pk,
                           ended_on=timezone.localdate() - dt.timedelta(days=40))
    item.refresh_from_db()
    referral(s, sent_days_ago=30, accepted_after=1)
    assert measure.measure(item).sent == 0


def test_a_sector_side_counts_every_organisation_of_that_sector():
    s = scene()
    setup = for_scene(s)
    Organisation.objects.filter(pk=setup.organisations[0].pk).update(sector="education")
    item = _agreement(setup, from_organisation_id=None, from_sector="education")
    referral(s, sent_days_ago=30, accepted_after=2)
    assert measure.measure(item).kept == 1


def test_the_other_direction_is_another_pathway():
    s = scene()
    setup = for_scene(s)
    item = _agreement(setup, from_organisation_id=setup.organisations[1].pk,
                      to_organisation_id=setup.organisations[0].pk)
    referral(s, sent_days_ago=30, accepted_after=2)
    assert measure.measure(item).sent == 0


def test_the_share_kept_counts_late_and_overdue_against_kept(small_is_two):
    s = scene()
    item = _agreement(for_scene(s))
    for accepted_after in (1, 2, 3, 10):
        referral(s, sent_days_ago=40, accepted_after=accepted_after)
    referral(s, sent_days_ago=9)  # overdue
    result = measure.measure(item)
    assert (result.share_kept, result.state, result.shown_share(), result.shown_median()) == (
        0.6, "not_kept", "60 %", "2.5")


def test_where_it_is_not_kept_names_the_organisations(small_is_two):
    s = scene()
    setup = for_scene(s)
    item = _agreement(setup)
    for _ in range(2):
        referral(s, sent_days_ago=40, accepted_after=12)
    assert measure.measure(item).shown_pairs() == [
        (setup.organisations[0].name, setup.organisations[1].name, "0", "2")]


def test_small_numbers_are_hidden():
    s = scene()
    item = _agreement(for_scene(s))
    referral(s, sent_days_ago=30, accepted_after=1)
    referral(s, sent_days_ago=30, accepted_after=12)
    result = measure.measure(item)
    assert (result.shown_counts()["sent"], result.shown_counts()["kept"], result.shown_share(),
            result.shown_median(), result.state) == ("<10", "<10", "–", "–", "too_few")
