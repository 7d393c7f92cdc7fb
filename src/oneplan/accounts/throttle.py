"""Slowing down and locking out password guessing, the same for every account kind.

Counts failed attempts for a user name since its last success, within a window. The same
answer is given for unknown user names, so the lock reveals nothing about accounts.
"""
import datetime as dt

from django.conf import settings
from django.utils import timezone

from oneplan.accounts.models import LoginAttempt


def _limits() -> dict:
    return settings.ONEPLAN["LOGIN_LIMITS"]


def refusal(username: str) -> str | None:
    """A message when this user name may not try now, else None."""
    limits, now = _limits(), timezone.now()
    window = LoginAttempt.objects.filter(username=username.casefold(),
                                         at__gte=now - dt.timedelta(minutes=limits["WINDOW_MINUTES"]))
    last_success = window.filter(success=True).order_by("-at").values_list("at", flat=True).first()
    failures = window.filter(success=False)
    if last_success:
        failures = failures.filter(at__gt=last_success)
    count = failures.count()
    if count >= limits["LOCK_AFTER"]:
        return (f"Too many failed attempts: this account is locked for {limits['WINDOW_MINUTES']} "
                "minutes. Ask your administrator if you forgot your password.")
    if count >= limits["SLOW_AFTER"]:
        last = failures.order_by("-at").values_list("at", flat=True).first()
        wait = limits["SLOW_SECONDS"] - (now - last).total_seconds()
        if wait > 0:
            return f"Too many failed attempts. Wait {int(wait) + 1} seconds and try again."
    return None


def note(username: str, ip: str | None, success: bool) -> None:
    LoginAttempt.objects.create(username=username.casefold(), ip=ip, success=success)
