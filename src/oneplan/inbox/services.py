"""Writing to inboxes: `notify` for the services of other apps, marking read for the owner."""
import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core import email, outbox
from oneplan.core.errors import NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.web import absolute_url
from oneplan.families.models import Family
from oneplan.inbox import messages
from oneplan.inbox.models import Notification

log = logging.getLogger(__name__)


EMAIL_KIND = "notification_email"


def email_payload(notification: Notification) -> dict:
    """What the worker needs to write the notice's e-mail later (no text: that is rendered at
    delivery, in the recipient's language, so the request does not pay for templates)."""
    return {"notification": notification.pk, "to": notification.recipient.user.email,
            "language": notification.recipient.language}


def deliver_email(payload: dict, message) -> None:
    """Outbox handler: the notice in the recipient's language (their account setting, else the
    site's), from the text and HTML templates."""
    notification = Notification.objects.filter(pk=payload["notification"]).first()
    if notification is None:  # removed since (an erased account): nothing to send
        return
    with translation.override(payload.get("language") or settings.LANGUAGE_CODE):
        title, body = notification.heading, notification.text
        context = {"title": title, "body": body,
                   "link": absolute_url(notification.link) if notification.link else ""}
        email.send_now({"to": payload["to"], "subject": f"[oneplan] {title}",
                        "text": render_to_string("inbox/email/notification.txt", context),
                        "html": render_to_string("inbox/email/notification.html", context)}, message)


outbox.HANDLERS[EMAIL_KIND] = deliver_email


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
        if item.get("email", True) and recipient.user.email:
            emails.append(notification)
    Notification.objects.bulk_create(notifications)
    outbox.put_many(EMAIL_KIND, [email_payload(n) for n in emails])
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
