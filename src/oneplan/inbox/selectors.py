"""Reading one's own inbox; the unread count is the cheap query behind every page's nav link."""
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.layers import selector
from oneplan.inbox.models import Notification


def unread_count(professional: Professional) -> int:
    """One indexed COUNT over (recipient, read_at)."""
    return Notification.objects.filter(recipient=professional, read_at__isnull=True).count()


def latest_unread(professional: Professional, limit: int = 5) -> list[Notification]:
    return list(Notification.objects.filter(recipient=professional, read_at__isnull=True)
                .order_by("-created_at", "-id")[:limit])


@selector
def inbox(*, actor: Professional, only_unread: bool = False) -> QuerySet[Notification]:
    """The actor's notifications, unread first, newest first; paginate the result."""
    qs = Notification.objects.filter(recipient=actor)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    record(actor, "inbox.read", object_type="inbox.notification")
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return qs.alias(unread=unread).order_by("-unread", "-created_at", "-id")
