"""Helpers for reference index tests."""
import datetime as dt

from django.utils import timezone

from oneplan.signals import services

BSN = "111222333"        # passes the 11-test
OTHER_BSN = "123456782"  # passes the 11-test


def register(actor, *, today=None, **identity):
    identity = identity or {"national_id": BSN}
    return services.signal_register(actor=actor, today=today, **identity)


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)
