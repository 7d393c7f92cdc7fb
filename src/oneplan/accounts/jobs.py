"""Housekeeping of logins, run by `oneplan tick` (registered in AccountsConfig.ready)."""
import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone

from oneplan.accounts.models import LoginAttempt


def clear_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"removed {deleted} expired sessions"


def prune_login_attempts() -> str:
    deleted, _ = LoginAttempt.objects.filter(at__lt=timezone.now() - dt.timedelta(days=30)).delete()
    return f"removed {deleted} login attempts older than 30 days"
