"""Writing to inboxes: `notify` for the services of other apps, marking read for the owner."""
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core import email
from oneplan.core.errors import NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.families.models import Family
from oneplan.inbox import messages
from oneplan.inbox.models import Notification

log = logging.getLogger(__name__)


def absolute_url(link: str) -> str:
    if not link or "://" in link:
        return link
    return settings.ONEPLAN.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/") + link


def _email(address: str, language: str, notification: Notification) -> dict:
    """The notice in the recipient's language (their account setting, else the site's), for
    the outbox: stored with the notification, sent by the worker once the change is committed."""
    with translation.override(language or settings.LANGUAGE_CODE):
        title, body = notification.heading, notification.text
        context = {"title": title, "body": body,
                   "link": absolute_url(notification.link) if notification.link else ""}
        return email.message(to=address, subject=f"[oneplan] {title}",
                   text=render_to_string("inbox/email/notification.txt", context),
                   html=render_to_string("inbox/email/notification.html", context))


def notify(*, recipient: Professional, kind: str, message: str, params: dict | None = None,
           link: str = "", family: Family | None = None, email: bool = True) -> Notification:
    """Put a notification in one professional's inbox and, after commit, e-mail it.

    `message` is a key registered in inbox.messages, `params` its values: the text is
    rendered in the reader's language when she reads it. Called from inside other services
    (which audit their own action), so it takes no actor. The e-mail carries the title, the
    body and the link and nothing more: write them for an inbox that may be read on a phone in
    public. The e-mail goes into the outbox with the surrounding transaction (a refused action
    sends nothing) and is sent by the worker after the commit; tests that look at mail.outbox
    use pytest-django's `django_capture_on_commit_callbacks(execute=True)` (tests run tasks at
    once).
    """
    return notify_many([{"recipient": recipient, "kind": kind, "message": message,
                         "params": params or {}, "link": link, "family": family,
                         "email": email}])[0]


def notify_many(items: list[dict]) -> list[Notification]:
    """Several `notify` calls (same keyword arguments per item) in one INSERT."""
    notifications, emails = [], []
    for item in items:
        kind = item["kind"]
        if kind not in Notification.Kind.values:
            raise ValueError(f"unknown notification kind {kind!r}")
        key = item["message"]
        if not messages.registered(key):
            raise ValueError(f"unknown notification message {key!r}")
        recipient = item["recipient"]
        notification = Notification(recipient=recipient, kind=kind, message_key=key,
                                    params=item.get("params") or {},
                                    link=item.get("link", "")[:500], family=item.get("family"))
        notifications.append(notification)
        address = recipient.user.email if item.get("email", True) else ""
        if address:
            emails.append((address, recipient.language, notification))
    Notification.objects.bulk_create(notifications)
    email.send_many([_email(*item) for item in emails])
    return notifications


def _own(actor: Professional, notification_id) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, recipient=actor).first() \
        if valid_id(notification_id) else None
    if notification is None:
        error = NotFound("This notification does not exist or is not yours.")
        refused(error, actor=actor, action="inbox.mark_read", reason="not the recipient",
                object_type="inbox.notification", object_id=str(notification_id)[:64])
        raise error
    return notification


@service
def notification_mark_read(*, actor: Professional, notification_id: int) -> Notification:
    notification = _own(actor, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        record(actor, "inbox.mark_read", notification, family=notification.family_id)
    return notification


@service
def notifications_mark_all_read(*, actor: Professional) -> int:
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now())
    if count:
        record(actor, "inbox.mark_all_read", object_type="inbox.notification", reason=f"{count} marked read")
    return count
