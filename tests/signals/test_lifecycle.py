"""Expiry, renewal and ending of signals."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidTransition
from oneplan.signals import services
from oneplan.signals.identity import add_months
from oneplan.signals.models import Signal
from tests.signals.helpers import BSN, OTHER_BSN, days_ago, register

pytestmark = pytest.mark.django_db


def test_signal_expires_after_the_configured_months_by_default_24(youth_care):
    today = timezone.localdate()
    signal = register(youth_care)
    assert signal.registered_on == today
    assert signal.expires_on == add_months(today, 24)


def test_expiry_period_comes_from_settings(youth_care, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SIGNAL_MONTHS": 6}
    signal = register(youth_care, today=dt.date(2025, 8, 31))
    assert signal.expires_on == dt.date(2026, 2, 28)


@pytest.mark.parametrize("day, months, expected", [
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
    (dt.date(2024, 2, 29), 24, dt.date(2026, 2, 28)),
    (dt.date(2025, 11, 15), 2, dt.date(2026, 1, 15)),
    (dt.date(2025, 5, 1), 0, dt.date(2025, 5, 1)),
])
def test_add_months_clamps_to_the_end_of_shorter_months(day, months, expected):
    assert add_months(day, months) == expected


def test_renewal_runs_the_full_period_again_from_today(youth_care):
    signal = register(youth_care, today=days_ago(600))
    renewed = services.signal_renew(actor=youth_care, signal_id=signal.pk)
    today = timezone.localdate()
    assert renewed.renewed_on == today
    assert renewed.expires_on == add_months(today, 24)
    assert AuditEvent.objects.filter(action="signal.renew", object_id=str(signal.pk)).exists()


def test_expired_signal_cannot_be_renewed(youth_care):
    signal = register(youth_care, today=days_ago(800))
    with pytest.raises(InvalidTransition, match="expired"):
        services.signal_renew(actor=youth_care, signal_id=signal.pk)


def test_ended_signal_cannot_be_renewed(youth_care):
    signal = register(youth_care)
    services.signal_end(actor=youth_care, signal_id=signal.pk)
    with pytest.raises(InvalidTransition, match="ended"):
        services.signal_renew(actor=youth_care, signal_id=signal.pk)


def test_ending_twice_is_refused(youth_care):
    signal = register(youth_care)
    services.signal_end(actor=youth_care, signal_id=signal.pk)
    with pytest.raises(InvalidTransition, match="already ended"):
        services.signal_end(actor=youth_care, signal_id=signal.pk)


def test_ending_records_day_and_how(youth_care):
    signal = services.signal_end(actor=youth_care, signal_id=register(youth_care).pk)
    signal.refresh_from_db()
    assert signal.ended_on == timezone.localdate()
    assert signal.ended_how == Signal.EndedHow.ENDED
    assert AuditEvent.objects.filter(action="signal.end", outcome="allowed").exists()


def test_expire_signals_ends_only_signals_past_their_expiry(youth_care):
    expired = register(youth_care, national_id=BSN, today=days_ago(800))
    active = register(youth_care, national_id=OTHER_BSN)
    assert services.expire_signals() == 1
    expired.refresh_from_db()
    active.refresh_from_db()
    assert expired.ended_how == Signal.EndedHow.EXPIRED and expired.ended_on == timezone.localdate()
    assert active.ended_on is None
    assert services.expire_signals() == 0
    assert AuditEvent.objects.filter(action="signal.expire", reason="1 signals expired").count() == 1


def test_a_signal_is_active_through_its_expiry_day(youth_care):
    signal = register(youth_care, today=days_ago(30))
    assert services.expire_signals(today=signal.expires_on) == 0
    assert services.expire_signals(today=signal.expires_on + dt.timedelta(days=1)) == 1


def test_tick_job_reports_what_it_did(youth_care):
    register(youth_care, today=days_ago(800))
    assert services.tick_job() == "ended 1 expired reference index signals"


def test_expired_but_not_yet_ended_signal_does_not_block_registering_again(youth_care):
    old = register(youth_care, today=days_ago(800))
    new = register(youth_care)
    old.refresh_from_db()
    assert old.ended_how == Signal.EndedHow.EXPIRED
    assert new.ended_on is None and new.pk != old.pk
