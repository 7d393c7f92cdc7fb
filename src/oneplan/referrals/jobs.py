"""`oneplan tick` reports on the closed loop: referrals nobody confirmed, waiting times gone stale."""
import datetime as dt

from django.db.models import Q
from django.utils import timezone

from oneplan.directory.models import WAIT_STALE_DAYS, Service
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status

UNCONFIRMED_DAYS = 5


def report() -> str:
    now = timezone.now()
    unconfirmed = Referral.objects.filter(status=Status.SENT,
                                          sent_at__lt=now - dt.timedelta(days=UNCONFIRMED_DAYS)).count()
    stale_day = timezone.localdate() - dt.timedelta(days=WAIT_STALE_DAYS)
    stale = Service.objects.filter(Q(wait_updated_on__lt=stale_day) | Q(wait_updated_on__isnull=True),
                                   status=Service.Status.ACTIVE).count()
    return (f"{unconfirmed} referrals sent over {UNCONFIRMED_DAYS} days ago wait for confirmation of "
            f"receipt; {stale} active services have a waiting time older than {WAIT_STALE_DAYS} days")
