"""From a published event to signed HTTP calls: the subscriber writes one Delivery and one outbox
message per endpoint that chose the event, inside the publishing transaction; the outbox handler
POSTs it; the failure hook tells the organisation's admins when the retries ran out."""
import logging
import time

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from oneplan.accounts.models import Professional, Role
from oneplan.core import crypto, events, outbox
from oneplan.core.models import OutboxMessage
from oneplan.inbox.models import Notification
from oneplan.inbox.services import notify_many
from oneplan.webhooks import destinations, signing
from oneplan.webhooks.models import Delivery, Endpoint

log = logging.getLogger(__name__)

KIND = "webhook"


class DeliveryFailed(Exception):
    """The receiver answered, but not with a 2xx: the outbox tries again later."""


def envelope(event: events.Event) -> dict:
    """The body every endpoint receives (Standard Webhooks payload: type, timestamp, data)."""
    return {"id": event.id, "type": event.type,
            "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"), "data": event.data}


def on_event(event: events.Event) -> list[Delivery]:
    """Subscriber (core/events.py): queue the event for every active endpoint of the named
    organisations that chose it."""
    if not event.organisations:
        return []
    endpoints = [e for e in Endpoint.objects.filter(organisation__in=event.organisations, active=True)
                 .only("pk", "events") if event.type in e.events]
    if not endpoints:
        return []
    body = envelope(event)
    deliveries = Delivery.objects.bulk_create([
        Delivery(endpoint=e, event_id=event.id, event_type=event.type, payload=body) for e in endpoints])
    queue(deliveries)
    return deliveries


def queue(deliveries: list[Delivery]) -> None:
    """One outbox message per delivery (a new one on a resend), linked back to it."""
    messages = outbox.put_many(KIND, [{"delivery": d.pk} for d in deliveries])
    for delivery, message in zip(deliveries, messages):
        delivery.message = message
    Delivery.objects.bulk_update(deliveries, ["message"])


def deliver(payload: dict, message: OutboxMessage) -> None:
    """Outbox handler: one signed POST. Returns when the receiver answered 2xx; raises otherwise
    (a network error, a refused address, any other status), so the outbox retries."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=payload.get("delivery")).first()
    if delivery is None or delivery.delivered_at:
        return  # removed, or delivered already by an earlier message (a resend raced a retry)
    endpoint = delivery.endpoint
    if not endpoint.active:
        _answer(delivery, None, "endpoint deactivated: not sent")
        return
    data = signing.body(delivery.payload)
    headers = signing.headers(crypto.decrypt(endpoint.secret_encrypted), delivery.webhook_id,
                              int(time.time()), data)
    headers["user-agent"] = "oneplan-webhooks/1"
    try:
        destinations.check_url(endpoint.url)
        status, excerpt = destinations.post(endpoint.url, data, headers)
    except Exception as exc:  # the outside world: noted on the delivery, retried by the outbox
        _answer(delivery, None, f"{type(exc).__name__}: {exc}"[:500])
        raise
    ok = 200 <= status < 300
    _answer(delivery, status, excerpt, delivered=ok)
    if not ok:
        raise DeliveryFailed(f"HTTP {status}")


def _answer(delivery: Delivery, status: int | None, excerpt: str, *, delivered: bool = False) -> None:
    now = timezone.now()
    fields = {"attempts": F("attempts") + 1, "last_attempt_at": now, "last_status_code": status,
              "last_response": excerpt}
    if delivered:
        fields.update(delivered_at=now, failed_at=None)
    Delivery.objects.filter(pk=delivery.pk).update(**fields)


def org_admins(organisation_id: int) -> list[Professional]:
    staff = Professional.objects.filter(organisations=organisation_id, user__is_active=True).select_related("user")
    return [p for p in staff if p.has_role(Role.ORG_ADMIN)]


def on_failed(message: OutboxMessage) -> None:
    """Outbox FAILED hook: a webhook given up on after its retries; the org admins are told."""
    if message.kind != KIND:
        return
    delivery = Delivery.objects.select_related("endpoint").filter(pk=message.payload.get("delivery")).first()
    if delivery is None or delivery.delivered_at:
        return
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(failed_at=message.failed_at or timezone.now())
        endpoint = delivery.endpoint
        link = reverse("webhooks:endpoint", args=[endpoint.pk])
        notify_many([{"recipient": admin, "kind": Notification.Kind.OTHER, "message": "webhooks.failed",
                      "params": {"url": endpoint.url, "event": delivery.event_type,
                                 "id": delivery.webhook_id, "attempts": message.attempts,
                                 "error": (message.last_error or "")[:200]},
                      "link": link} for admin in org_admins(endpoint.organisation_id)])
    log.warning("webhook %s to %s given up after %s attempts", delivery.webhook_id, endpoint.url,
                message.attempts)
