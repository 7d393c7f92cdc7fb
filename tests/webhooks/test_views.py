"""The org admin's pages: list, register (secret shown once), deliveries, deactivate, resend."""
import pytest
from django.urls import reverse

from oneplan.audit.models import AuditEvent, Outcome
from oneplan.core import events
from oneplan.webhooks.models import Delivery, Endpoint
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.webhooks.helpers import endpoint, org_admin

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("allow_private", "polled")]


@pytest.fixture
def admin_client(client):
    organisation = OrganisationFactory(name="Stadsbank Noord")
    admin = org_admin(organisation)
    client.force_login(admin.user)
    client.admin, client.organisation = admin, organisation
    return client


def test_registering_shows_the_secret_once_and_the_endpoint_after(admin_client):
    response = admin_client.post(reverse("webhooks:new"), {
        "organisation": admin_client.organisation.pk, "url": "http://127.0.0.1:9/hook",
        "events": [events.REFERRAL_STATUS_CHANGED, events.PLAN_AGREED]})
    ep = Endpoint.objects.get()
    secret = response.context["secret"]
    assert response.status_code == 200 and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listing = admin_client.get(reverse("webhooks:index")).content.decode()
    detail = admin_client.get(reverse("webhooks:endpoint", args=[ep.pk])).content.decode()
    assert "http://127.0.0.1:9/hook" in listing and "Stadsbank Noord" in listing
    assert secret not in listing and secret not in detail
    assert "plan.agreed" in detail


def test_a_bad_address_is_a_form_error_not_a_crash(admin_client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "WEBHOOKS_ALLOW_PRIVATE": False}
    response = admin_client.post(reverse("webhooks:new"), {
        "organisation": admin_client.organisation.pk, "url": "https://10.0.0.1/hook",
        "events": [events.PLAN_AGREED]})
    assert response.status_code == 400 and "private or local" in response.content.decode()
    assert not Endpoint.objects.exists()


def test_a_bad_address_is_named_together_with_the_other_errors(admin_client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "WEBHOOKS_ALLOW_PRIVATE": False}
    response = admin_client.post(reverse("webhooks:new"), {
        "organisation": admin_client.organisation.pk, "url": "not a url"})  # and no events chosen
    page = response.content.decode()
    assert response.status_code == 400 and "Give an https:// address." in page and "required" in page
    assert not Endpoint.objects.exists()


def test_the_deliveries_show_the_answer_and_can_be_resent(admin_client):
    ep, _ = endpoint(admin_client.organisation, admin=admin_client.admin)
    events.publish(events.PLAN_AGREED, organisations=[admin_client.organisation], data={"carePlan": "CarePlan/1"})
    Delivery.objects.update(attempts=2, last_status_code=503, last_response="Service busy")
    page = admin_client.get(reverse("webhooks:endpoint", args=[ep.pk])).content.decode()
    assert "HTTP 503" in page and "Service busy" in page
    delivery = Delivery.objects.get()
    before = delivery.message_id
    response = admin_client.post(reverse("webhooks:resend", args=[delivery.pk]))
    assert response.status_code == 302 and Delivery.objects.get().message_id != before


def test_deactivating_from_the_page(admin_client):
    ep, _ = endpoint(admin_client.organisation, admin=admin_client.admin)
    admin_client.post(reverse("webhooks:deactivate", args=[ep.pk]))
    ep.refresh_from_db()
    assert not ep.active


def test_a_practitioner_is_refused_the_pages_and_it_is_audited(client):
    practitioner = ProfessionalFactory()
    client.force_login(practitioner.user)
    assert client.get(reverse("webhooks:index")).status_code == 403
    assert AuditEvent.objects.filter(actor_id=practitioner.user_id, action="webhooks.read",
                                     outcome=Outcome.DENIED).exists()


def test_another_organisations_endpoint_is_refused(admin_client):
    ep, _ = endpoint(OrganisationFactory())
    assert admin_client.get(reverse("webhooks:endpoint", args=[ep.pk])).status_code == 403
    assert admin_client.post(reverse("webhooks:deactivate", args=[ep.pk])).status_code == 403
    ep.refresh_from_db()
    assert ep.active


def test_the_menu_shows_webhooks_to_org_admins_only(admin_client, client):
    assert reverse("webhooks:index") in admin_client.get(reverse("inbox:inbox")).content.decode()
    client.force_login(ProfessionalFactory().user)
    assert reverse("webhooks:index") not in client.get(reverse("inbox:inbox")).content.decode()
