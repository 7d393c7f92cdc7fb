"""Every change to webhooks: registering an endpoint, deactivating it, resending a delivery.
Only an organisation admin of the endpoint's organisation may; refusals are audited."""
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.audit.services import record
from oneplan.core import crypto, events
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.webhooks import delivery, destinations, signing
from oneplan.webhooks.models import Delivery, Endpoint

URL_MAX = 500


def admin_organisations(actor: Professional | None):
    """The organisations whose webhooks the actor manages: their own, as an org admin."""
    if actor is not None and actor.has_role(Role.ORG_ADMIN):
        return actor.organisations.all()
    return Organisation.objects.none()


def require_admin(actor: Professional, organisation_id, action: str, *, object_type: str,
                  object_id="") -> Organisation:
    organisation = admin_organisations(actor).filter(pk=organisation_id).first() \
        if valid_id(organisation_id) else None
    if organisation is None:
        raise refused(AccessDenied(_("Only an organisation admin of this organisation manages its "
                                     "webhooks.")),
                      actor=actor, action=action, reason="not an org admin of the organisation",
                      object_type=object_type, object_id=object_id or organisation_id)
    return organisation


def endpoint_for(actor: Professional, endpoint_id, action: str, *, lock: bool = False) -> Endpoint:
    qs = Endpoint.objects.select_related("organisation")
    endpoint = (qs.select_for_update() if lock else qs).filter(pk=endpoint_id).first() \
        if valid_id(endpoint_id) else None
    if endpoint is None:
        raise refused(NotFound(_("This webhook endpoint does not exist.")), actor=actor, action=action,
                      reason="no such endpoint", object_type="webhooks.endpoint", object_id=endpoint_id)
    require_admin(actor, endpoint.organisation_id, action, object_type="webhooks.endpoint",
                  object_id=endpoint.pk)
    return endpoint


@service
def endpoint_create(*, actor: Professional, organisation_id: int, url: str,
                    event_types: list[str]) -> tuple[Endpoint, str]:
    """Register a partner system's URL for the chosen events. Returns the endpoint and its signing
    secret, which is shown this once and kept only encrypted."""
    organisation = require_admin(actor, organisation_id, "webhooks.endpoint_create",
                                 object_type="accounts.organisation")
    url = (url or "").strip()
    if not url or len(url) > URL_MAX:
        raise InvalidInput(_("Give the address of the receiving system (at most %(n)s characters).")
                           % {"n": URL_MAX}, field="url")
    chosen = [t for t in events.TYPES if t in set(event_types or [])]
    if not chosen or len(chosen) != len(set(event_types)):
        raise InvalidInput(_("Choose the events this system should hear about."), field="events")
    destinations.check_url(url)
    if Endpoint.objects.filter(organisation=organisation, url=url, active=True).exists():
        raise Conflict(_("This address is registered already. Deactivate it first to get a new "
                         "secret."), field="url")
    secret = signing.new_secret()
    endpoint = Endpoint.objects.create(organisation=organisation, url=url, events=chosen,
                                       secret_encrypted=crypto.encrypt(secret), created_by=actor)
    record(actor, "webhooks.endpoint_create", endpoint, organisation=organisation,
           reason=f"{url} for {', '.join(chosen)}")
    return endpoint, secret


@service
def endpoint_deactivate(*, actor: Professional, endpoint_id: int) -> Endpoint:
    """Stop sending to an endpoint; deliveries not sent yet are dropped when their turn comes."""
    endpoint = endpoint_for(actor, endpoint_id, "webhooks.endpoint_deactivate", lock=True)
    if not endpoint.active:
        raise Conflict(_("This endpoint was deactivated already."))
    endpoint.active, endpoint.deactivated_at, endpoint.deactivated_by = False, timezone.now(), actor
    endpoint.save(update_fields=["active", "deactivated_at", "deactivated_by"])
    record(actor, "webhooks.endpoint_deactivate", endpoint, organisation=endpoint.organisation,
           reason=endpoint.url)
    return endpoint


@service
def delivery_resend(*, actor: Professional, delivery_id: int) -> Delivery:
    """Send a delivery again as a new outbox message, with the same webhook-id, so the receiver
    can recognise a repeat."""
    item = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first() \
        if valid_id(delivery_id) else None
    if item is None:
        raise refused(NotFound(_("This delivery does not exist.")), actor=actor,
                      action="webhooks.delivery_resend", reason="no such delivery",
                      object_type="webhooks.delivery", object_id=delivery_id)
    endpoint = endpoint_for(actor, item.endpoint_id, "webhooks.delivery_resend")
    if not endpoint.active:
        raise Conflict(_("This endpoint is deactivated; register it again to send to it."))
    Delivery.objects.filter(pk=item.pk).update(delivered_at=None, failed_at=None)
    item.refresh_from_db()
    delivery.queue([item])
    record(actor, "webhooks.delivery_resend", item, organisation=endpoint.organisation,
           reason=f"{item.event_type} {item.webhook_id}")
    return item
