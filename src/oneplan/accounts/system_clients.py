"""Organisation system clients: an organisation's own case system connecting to the API and FHIR.

A client is a Professional with no person behind it (`acting_for` set, no organisations, no
password), holding API tokens. It acts for its organisation: it sees the referrals sent to or
from the organisation and the families its professionals are on the team of, as a team member
(access.rules.family_access); every audit event names the client. Organisation admins register
and revoke them.
"""
import secrets

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from oneplan.accounts.models import ApiToken, Organisation, Professional, Role, User
from oneplan.audit.services import record
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector, service

NAME_MAX = 100


def administered(actor: Professional | None) -> list[Organisation]:
    """The organisations whose system clients the actor manages (organisation admins only)."""
    if actor is None or actor.is_system_client or not actor.has_role(Role.ORG_ADMIN):
        return []
    return list(actor.organisations.order_by("name"))


@selector
def manageable(*, actor: Professional | None) -> list[Organisation]:
    """The organisations whose system clients the actor manages; refused (audited) otherwise."""
    organisations = administered(actor)
    if not organisations:
        error = AccessDenied(_("Only organisation administrators connect their organisation's own systems."))
        refused(error, actor=actor, action="system_client.list", reason="not an organisation admin")
        raise error
    return organisations


def _require_admin(actor: Professional, organisation_id, action: str) -> Organisation:
    organisation = next((o for o in administered(actor) if str(o.pk) == str(organisation_id)), None)
    if organisation is None:
        error = AccessDenied(_("Only an administrator of this organisation manages its system clients."))
        refused(error, actor=actor, action=action, reason="not an admin of this organisation",
                object_type="accounts.organisation", object_id=organisation_id)
        raise error
    return organisation


@service
def client_create(*, actor: Professional, organisation_id, name: str) -> tuple[Professional, str]:
    """Register a system client for the organisation; returns it with its API key (shown once)."""
    organisation = _require_admin(actor, organisation_id, "system_client.create")
    name = " ".join((name or "").split())
    if not name or len(name) > NAME_MAX:
        raise InvalidInput(_("Name the system (at most %(n)s characters), for example the case "
                             "management system it is.") % {"n": NAME_MAX}, field="name")
    if Professional.objects.filter(acting_for=organisation, user__first_name__iexact=name,
                                   user__is_active=True).exists():
        raise Conflict(_("This organisation already has a system client with this name."), field="name")
    # The username is what the audit log shows as the actor: it says which system of which organisation.
    user = User(username=f"client-{organisation.pk}-{slugify(name)[:40]}-{secrets.token_hex(3)}", first_name=name,
                last_name=f"({organisation.name})"[:150], is_active=True)
    user.set_unusable_password()  # no login: only its tokens
    user.save()
    client = Professional.objects.create(user=user, acting_for=organisation, roles=[Role.PRACTITIONER])
    key = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), prefix=key[:8])
    record(actor, "system_client.create", client, organisation=organisation,
           reason=f"{name} for {organisation.name}")
    return client, key


@service
def client_revoke(*, actor: Professional, client_id) -> Professional:
    """Switch a client off: its tokens stop working at once."""
    client = (Professional.objects.select_related("user", "acting_for").filter(pk=client_id,
                                                                            acting_for__isnull=False).first()
              if valid_id(client_id) else None)
    if client is None:
        raise NotFound(_("There is no such system client."))
    _require_admin(actor, client.acting_for_id, "system_client.revoke")
    client.user.is_active = False
    client.user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=client.user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(actor, "system_client.revoke", client, organisation=client.acting_for,
           reason=client.user.first_name)
    return client


def clients_of(organisations: list[Organisation]) -> list[Professional]:
    return list(Professional.objects.filter(acting_for__in=organisations)
                .select_related("user", "acting_for").order_by("acting_for__name", "user__first_name"))
