"""Only an organisation admin of the endpoint's organisation registers, deactivates and resends;
everyone else is refused and the refusal is in the audit log."""
import pytest

from oneplan.audit.models import AuditEvent, Outcome
from oneplan.core import crypto, events, outbox
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from oneplan.webhooks import services
from oneplan.webhooks.models import Delivery, Endpoint
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.webhooks.helpers import endpoint, org_admin, verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private", "polled")]


def denied(actor, action) -> bool:
    return AuditEvent.objects.filter(actor_id=actor.user_id, action=action, outcome=Outcome.DENIED).exists()


def test_an_org_admin_registers_an_endpoint_and_sees_the_secret_once():
    organisation = OrganisationFactory()
    admin = org_admin(organisation)
    ep, secret = services.endpoint_create(actor=admin, organisation_id=organisation.pk,
                                          url="http://127.0.0.1:9/hook", event_types=[events.PLAN_AGREED])
    assert ep.events == [events.PLAN_AGREED] and ep.created_by == admin and ep.active
    assert secret.startswith("whsec_") and secret not in ep.secret_encrypted
    assert crypto.decrypt(ep.secret_encrypted) == secret
    event = AuditEvent.objects.get(action="webhooks.endpoint_create", object_id=str(ep.pk))
    assert event.organisation_id == organisation.pk and secret not in event.reason


def test_a_practitioner_cannot_register_and_it_is_audited():
    organisation = OrganisationFactory()
    practitioner = ProfessionalFactory(organisations=[organisation])
    with pytest.raises(AccessDenied):
        services.endpoint_create(actor=practitioner, organisation_id=organisation.pk,
                                 url="http://127.0.0.1:9/hook", event_types=[events.PLAN_AGREED])
    assert not Endpoint.objects.exists() and denied(practitioner, "webhooks.endpoint_create")


def test_an_admin_of_another_organisation_cannot_register_and_it_is_audited():
    outsider = org_admin(OrganisationFactory())
    with pytest.raises(AccessDenied):
        services.endpoint_create(actor=outsider, organisation_id=OrganisationFactory().pk,
                                 url="http://127.0.0.1:9/hook", event_types=[events.PLAN_AGREED])
    assert denied(outsider, "webhooks.endpoint_create")


@pytest.mark.parametrize("url, types, field", [
    ("", [events.PLAN_AGREED], "url"), ("http://127.0.0.1:9/x", [], "events"),
    ("http://127.0.0.1:9/x", ["family.renamed"], "events"), ("ftp://127.0.0.1/x", [events.PLAN_AGREED], "url"),
    ("http:///nohost", [events.PLAN_AGREED], "url")])
def test_bad_input_is_refused_with_a_message_on_its_field(url, types, field):
    organisation = OrganisationFactory()
    with pytest.raises(InvalidInput) as error:
        services.endpoint_create(actor=org_admin(organisation), organisation_id=organisation.pk, url=url,
                                 event_types=types)
    assert error.value.field == field and not Endpoint.objects.exists()


def test_the_same_address_twice_is_refused():
    organisation = OrganisationFactory()
    endpoint(organisation)
    with pytest.raises(Conflict):
        endpoint(organisation)


def test_an_admin_deactivates_and_the_change_is_audited():
    organisation = OrganisationFactory()
    admin = org_admin(organisation)
    ep, _ = endpoint(organisation, admin=admin)
    services.endpoint_deactivate(actor=admin, endpoint_id=ep.pk)
    ep.refresh_from_db()
    assert not ep.active and ep.deactivated_by == admin
    assert AuditEvent.objects.filter(action="webhooks.endpoint_deactivate", object_id=str(ep.pk)).exists()
    with pytest.raises(Conflict):
        services.endpoint_deactivate(actor=admin, endpoint_id=ep.pk)


def test_another_organisations_admin_cannot_deactivate_and_it_is_audited():
    ep, _ = endpoint(OrganisationFactory())
    outsider = org_admin(OrganisationFactory())
    with pytest.raises(AccessDenied):
        services.endpoint_deactivate(actor=outsider, endpoint_id=ep.pk)
    ep.refresh_from_db()
    assert ep.active and denied(outsider, "webhooks.endpoint_deactivate")


def test_an_unknown_endpoint_is_not_found_and_audited():
    admin = org_admin(OrganisationFactory())
    with pytest.raises(NotFound):
        services.endpoint_deactivate(actor=admin, endpoint_id=999999)
    assert denied(admin, "webhooks.endpoint_deactivate")


def test_a_resend_is_a_new_outbox_message_with_the_same_webhook_id(receiver):
    organisation = OrganisationFactory()
    admin = org_admin(organisation)
    ep, secret = endpoint(organisation, url=receiver.url, admin=admin)
    events.publish(events.PLAN_AGREED, organisations=[organisation], data={"carePlan": "CarePlan/1"})
    outbox.deliver_round()
    first = Delivery.objects.get()
    item = services.delivery_resend(actor=admin, delivery_id=first.pk)
    assert item.message_id != first.message_id and item.delivered_at is None
    assert outbox.deliver_round() == 1
    ids = [verify(secret, headers, body) and headers["webhook-id"] for headers, body in receiver.requests]
    assert ids == [first.webhook_id, first.webhook_id]
    assert AuditEvent.objects.filter(action="webhooks.delivery_resend", object_id=str(first.pk)).exists()


def test_another_organisations_admin_cannot_resend_and_it_is_audited():
    organisation = OrganisationFactory()
    endpoint(organisation)
    events.publish(events.PLAN_AGREED, organisations=[organisation], data={"carePlan": "CarePlan/1"})
    outsider = org_admin(OrganisationFactory())
    before = Delivery.objects.get().message_id
    with pytest.raises(AccessDenied):
        services.delivery_resend(actor=outsider, delivery_id=Delivery.objects.get().pk)
    assert Delivery.objects.get().message_id == before and denied(outsider, "webhooks.delivery_resend")
