"""Waiting times per service against hand-computed values (nearest-rank 90th percentile)."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.referrals.models import Referral
from oneplan.referrals.stats import nearest_rank, spread, wait_stats
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


def test_nearest_rank_percentile_by_hand():
    days = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]  # sorted: 1 1 2 3 3 4 5 5 6 9
    assert nearest_rank(days, 90) == 6     # ceil(0.9 * 10) = 9th value
    assert nearest_rank(days, 50) == 3     # 5th value
    assert nearest_rank([7], 90) == 7
    assert spread(days).median == 3.5 and spread(days).p90 == 6 and spread(days).n == 10
    assert spread([]) is None


def _referral(s, *, sent_days_ago, to_accept, to_start=None, warm=None):
    now = timezone.now()
    referral = s.create()
    sent = now - dt.timedelta(days=sent_days_ago)
    accepted = sent + dt.timedelta(days=to_accept) if to_accept is not None else None
    started = accepted + dt.timedelta(days=to_start) if to_start is not None else None
    # Closed, so the next one to the same service may be made; statistics do not look at status.
    Referral.objects.filter(pk=referral.pk).update(status="completed", sent_at=sent, accepted_at=accepted,
                                                   in_service_at=started, started_warm=warm)


def test_waiting_times_of_a_service_against_hand_computed_values():
    s = scene()
    # sent -> accepted: 2, 4, 6, 10, 30 days; 30 is a year and a half ago and falls outside.
    for days_ago, to_accept, to_start, warm in [(100, 2, 5, True), (90, 4, 7, False), (80, 6, 14, True),
                                                (70, 10, None, None), (550, 30, 1, True)]:
        _referral(s, sent_days_ago=days_ago, to_accept=to_accept, to_start=to_start, warm=warm)
    stats = wait_stats([s.service.pk])[s.service.pk]
    # accepted in the last 12 months: 2, 4, 6, 10 -> median 5, p90 = 4th of 4 = 10
    assert (stats.to_accept.n, stats.to_accept.median, stats.to_accept.p90) == (4, 5.0, 10.0)
    # in service in the last 12 months: 5, 7, 14 -> median 7, p90 = ceil(2.7) = 3rd = 14
    assert (stats.to_start.n, stats.to_start.median, stats.to_start.p90) == (3, 7.0, 14.0)
    assert (stats.starts, stats.warm, stats.cold) == (3, 2, 1)


def test_a_service_without_referrals_has_no_statistics():
    s = scene()
    stats = wait_stats([s.service.pk])[s.service.pk]
    assert stats.to_accept is None and stats.to_start is None and stats.starts == 0


def test_tick_reports_unconfirmed_referrals_and_stale_waiting_times():
    from oneplan.directory.models import Service
    from oneplan.referrals.jobs import report

    s = scene()
    referral = s.sent()
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - dt.timedelta(days=6))
    Service.objects.filter(pk=s.service.pk).update(wait_updated_on=timezone.localdate() - dt.timedelta(days=40))
    assert report() == ("1 referrals sent over 5 days ago wait for confirmation of receipt; "
                        "1 active services have a waiting time older than 30 days")
