"""Access housekeeping run by `oneplan tick` (registered in AccessConfig.ready)."""
from django.utils import timezone

from oneplan.access.erasure import retention_run
from oneplan.access.models import AccessGrant


def break_glass_waiting() -> str:
    ended = AccessGrant.objects.filter(expires_at__lte=timezone.now(), review=AccessGrant.Review.PENDING)
    return f"{ended.count()} ended emergency accesses wait for a privacy officer's review"


def retention() -> str:
    return retention_run()
