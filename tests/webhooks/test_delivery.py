"""Delivery: signed POSTs to a real local receiver, retried until it answers, never lost; given up
after a day and told to the org admins; private addresses refused."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.core import events, outbox
from oneplan.core.models import OutboxMessage
from oneplan.inbox.models import Notification
from oneplan.webhooks import destinations
from oneplan.webhooks.models import Delivery
from tests.factories import OrganisationFactory, ProfessionalFactory
from tests.webhooks.helpers import Receiver, endpoint, org_admin, verify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("polled")]


def publish(organisation, n=1):
    for i in range(n):
        events.publish(events.PLAN_AGREED, organisations=[organisation],
                       data={"family": f"Group/{i}", "carePlan": f"CarePlan/{i}", "version": 1})


@pytest.mark.usefixtures("allow_private")
def test_a_delivery_reaches_the_receiver_signed_and_is_marked_delivered(receiver):
    organisation = OrganisationFactory()
    ep, secret = endpoint(organisation, url=receiver.url)
    publish(organisation)
    assert outbox.deliver_round() == 1
    [(headers, body)] = receiver.requests
    payload = verify(secret, headers, body)
    assert payload["type"] == "plan.agreed" and payload["data"]["carePlan"] == "CarePlan/0"
    delivery = Delivery.objects.get(endpoint=ep)
    assert headers["webhook-id"] == delivery.webhook_id
    assert abs(int(headers["webhook-timestamp"]) - timezone.now().timestamp()) < 5
    assert delivery.delivered_at and delivery.attempts == 1 and delivery.last_status_code == 200
    assert delivery.last_response == "thanks"


@pytest.mark.usefixtures("allow_private")
def test_a_receiver_down_at_first_gets_every_message_once_it_is_up(time_machine):
    receiver = Receiver()  # not started: the port refuses connections
    organisation = OrganisationFactory()
    ep, secret = endpoint(organisation, url=receiver.url)
    publish(organisation, n=3)
    assert outbox.deliver_round() == 0
    assert all(d.attempts == 1 and "Connection" in d.last_response and not d.delivered_at
               for d in Delivery.objects.filter(endpoint=ep))
    receiver.start()
    try:
        assert outbox.deliver_round() == 0  # not due yet: the back-off holds
        time_machine.move_to(timezone.now() + dt.timedelta(seconds=31), tick=True)
        assert outbox.deliver_round() == 3
    finally:
        receiver.stop()
    ids = sorted(verify(secret, headers, body)["data"]["family"] for headers, body in receiver.requests)
    assert ids == ["Group/0", "Group/1", "Group/2"]
    assert sorted(h["webhook-id"] for h, _ in receiver.requests) == sorted(
        Delivery.objects.values_list("webhook_id", flat=True))
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


@pytest.mark.usefixtures("allow_private")
def test_a_non_2xx_answer_is_a_failure_that_is_retried(receiver):
    organisation = OrganisationFactory()
    ep, _ = endpoint(organisation, url=receiver.url)
    receiver.status = 503
    publish(organisation)
    assert outbox.deliver_round() == 0
    delivery = Delivery.objects.get(endpoint=ep)
    assert delivery.last_status_code == 503 and delivery.last_response == "not now"
    assert delivery.message.sent_at is None and "HTTP 503" in delivery.message.last_error


@pytest.mark.usefixtures("allow_private")
def test_after_a_day_of_failures_the_org_admins_are_told(receiver):
    organisation = OrganisationFactory()
    admin = org_admin(organisation)
    colleague = ProfessionalFactory(organisations=[organisation])
    ep, _ = endpoint(organisation, url=receiver.url, admin=admin)
    receiver.status = 500
    publish(organisation)
    OutboxMessage.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))
    outbox.deliver_round()
    delivery = Delivery.objects.get(endpoint=ep)
    assert delivery.failed_at is not None and delivery.message.failed_at is not None
    notice = Notification.objects.get(recipient=admin, message_key="webhooks.failed")
    assert receiver.url in notice.heading and notice.link == f"/webhooks/{ep.pk}/"
    assert not Notification.objects.filter(recipient=colleague).exists()


@pytest.mark.usefixtures("allow_private")
def test_a_deactivated_endpoint_is_not_called(receiver):
    organisation = OrganisationFactory()
    ep, _ = endpoint(organisation, url=receiver.url)
    publish(organisation)
    ep.active = False
    ep.save()
    outbox.deliver_round()
    assert receiver.requests == [] and "deactivated" in Delivery.objects.get().last_response


@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://localhost/hook",
                                 "https://169.254.169.254/latest/meta-data", "https://[::1]/hook",
                                 "https://192.168.0.10:8443/hook", "https://[::ffff:10.0.0.1]/hook"])
def test_private_loopback_and_link_local_addresses_are_refused_at_registration(url):
    with pytest.raises(destinations.UnsafeDestination, match="private or local"):
        endpoint(OrganisationFactory(), url=url)


def test_plain_http_is_refused_without_the_development_setting():
    with pytest.raises(destinations.UnsafeDestination, match="https"):
        endpoint(OrganisationFactory(), url="http://example.org/hook")


def test_a_public_address_is_accepted(monkeypatch):
    monkeypatch.setattr(destinations.socket, "getaddrinfo",
                        lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    ep, _ = endpoint(OrganisationFactory(), url="https://partner.example/hook")
    assert ep.active


def test_a_name_that_later_leads_to_a_private_address_is_refused_at_delivery(monkeypatch, settings):
    organisation = OrganisationFactory()
    monkeypatch.setattr(destinations.socket, "getaddrinfo",
                        lambda *a, **k: [(2, 1, 6, "", ("93.184.215.14", 443))])
    ep, _ = endpoint(organisation, url="https://partner.example/hook")
    monkeypatch.setattr(destinations.socket, "getaddrinfo",
                        lambda *a, **k: [(2, 1, 6, "", ("127.0.0.1", 443))])
    publish(organisation)
    assert outbox.deliver_round() == 0
    delivery = Delivery.objects.get(endpoint=ep)
    assert "private or local" in delivery.last_response and delivery.last_status_code is None


def test_the_connection_itself_is_checked_so_dns_rebinding_gets_nowhere(receiver):
    # The name check passed (as if the name had resolved to a public address a moment before);
    # the address actually connected to is loopback, and nothing is sent.
    with pytest.raises(destinations.UnsafeDestination):
        destinations.post(receiver.url, b"{}", {"content-type": "application/json"})
    assert receiver.requests == []


@pytest.mark.usefixtures("allow_private")
def test_a_redirect_is_not_followed(receiver):
    receiver.status = 302
    status, _ = destinations.post(receiver.url, b"{}", {})
    assert status == 302 and len(receiver.requests) == 1
