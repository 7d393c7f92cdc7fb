"""`oneplan tick`: periodic housekeeping (run it from cron every few minutes); reports every job."""
import datetime as dt

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from django.utils import timezone

from oneplan.access.models import AccessGrant
from oneplan.access.rules import active_team_q
from oneplan.core import tick
from oneplan.families.models import CareTeamMember, Family


def clear_sessions() -> str:
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return f"removed {deleted} expired sessions"


def break_glass_waiting() -> str:
    ended = AccessGrant.objects.filter(expires_at__lte=timezone.now(), review=AccessGrant.Review.PENDING)
    return f"{ended.count()} ended emergency accesses wait for a privacy officer's review"


def families_without_coordinator() -> str:
    coordinators = CareTeamMember.objects.filter(active_team_q(), family=OuterRef("pk"),
                                                 role=CareTeamMember.Role.COORDINATOR)
    count = (Family.objects.filter(status__in=[Family.Status.ACTIVE, Family.Status.SCALING_DOWN])
             .exclude(Exists(coordinators)).count())
    return f"{count} active families have no care coordinator"


def prune_login_attempts() -> str:
    from oneplan.accounts.models import LoginAttempt

    deleted, _ = LoginAttempt.objects.filter(at__lt=timezone.now() - dt.timedelta(days=30)).delete()
    return f"removed {deleted} login attempts older than 30 days"


def retention() -> str:
    from oneplan.access.erasure import retention_run

    return retention_run()


tick.register("sessions", clear_sessions)
tick.register("retention", retention)


def signals_expiry() -> str:
    from oneplan.signals.services import tick_job

    return tick_job()


tick.register("signals", signals_expiry)
tick.register("login-attempts", prune_login_attempts)
tick.register("break-glass", break_glass_waiting)
tick.register("coordinators", families_without_coordinator)


class Command(BaseCommand):
    help = "Periodic housekeeping: expiries, reminders, reports. Prints what every job did."

    def handle(self, *args, **options):
        failed = 0
        for name, job in tick.jobs().items():
            try:
                self.stdout.write(f"{name}: {job()}")
            except Exception as exc:  # one failing job must not stop the others
                failed += 1
                self.stderr.write(f"{name}: FAILED: {exc}")
        if failed:
            raise SystemExit(1)
