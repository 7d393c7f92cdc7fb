"""Asking for help on the public form: what is stored, the due time, the limits."""
import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidInput
from oneplan.core.models import OutboxMessage
from oneplan.frontdoor import services
from oneplan.frontdoor.models import HelpRequest, Urgency
from tests.frontdoor.factories import front_door_worker, submit, values

pytestmark = pytest.mark.django_db


def test_request_gets_a_due_time_from_the_agreed_response_time(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_RESPONSE_HOURS": {"urgent": 2, "soon": 30, "routine": 99}}
    item, _code = submit(urgency="soon")
    assert item.due_at - item.created_at == dt.timedelta(hours=30)


def test_someone_unsafe_now_makes_the_request_urgent():
    item, _code = submit(urgency="routine", unsafe_now=True)
    assert (item.urgency, item.priority) == (Urgency.URGENT, 0)


def test_reference_and_code_reveal_nothing_and_the_code_is_kept_only_as_a_hash():
    item, code = submit()
    assert len(item.reference) == 8 and item.reference.isalnum()
    assert code.replace("-", "") not in item.code_hash
    assert not HelpRequest.objects.filter(code_hash__icontains=code.replace("-", "")).exists()


def test_someone_else_must_say_whose_family_and_whether_it_knows():
    with pytest.raises(InvalidInput) as error:
        submit(asker="neighbour", family_name="Jansen", family_knows="")
    assert error.value.field == "family_knows"


def test_a_phone_contact_needs_a_phone_number():
    with pytest.raises(InvalidInput) as error:
        submit(contact_by="sms", phone="call me")
    assert error.value.field == "phone"


def test_the_story_has_a_size_limit():
    with pytest.raises(InvalidInput) as error:
        submit(story="x" * 4001)
    assert error.value.field == "story"


def test_submitting_is_audited_without_an_actor():
    item, _code = submit()
    event = AuditEvent.objects.get(action="helprequest.submit")
    assert (event.object_id, event.actor_id) == (str(item.pk), None)


def test_the_source_address_is_kept_only_as_a_keyed_hash():
    item, _code = submit(source="203.0.113.7")
    assert "203.0.113.7" not in item.source_hash and len(item.source_hash) == 64


def test_limit_per_address_refuses_and_stores_nothing_more(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 3}}
    for _ in range(3):
        submit(source="198.51.100.1")
    with pytest.raises(services.TooManyRequests):
        submit(source="198.51.100.1")
    assert HelpRequest.objects.count() == 3


def test_limit_of_one_address_does_not_touch_another(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 1}}
    submit(source="198.51.100.1")
    submit(source="198.51.100.2")
    assert HelpRequest.objects.count() == 2


def test_an_intake_worker_is_not_limited_per_address(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 1}}
    worker = front_door_worker()
    for _ in range(3):
        services.request_submit(actor=worker, values=values(), language="nl", channel="phone")
    assert HelpRequest.objects.filter(entered_by=worker, channel="phone").count() == 3


def test_a_professional_outside_the_front_door_cannot_enter_requests(professional):
    from oneplan.core.errors import AccessDenied

    with pytest.raises(AccessDenied):
        services.request_submit(actor=professional, values=values(), language="en", channel="phone")
    assert AuditEvent.objects.filter(action="helprequest.enter", outcome="denied",
                                     actor_id=professional.user_id).exists()


def test_receipt_is_mailed_in_the_askers_language_without_the_story(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(language="nl", email="sanne@example.org", contact_by="email")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "hulpvraag" in message.subject.lower()
    assert "rent" not in message.body


def test_a_text_message_goes_through_the_outbox_when_chosen():
    submit(contact_by="sms", phone="+31 6 1234 5678")
    sms = OutboxMessage.objects.get(kind="sms")
    assert sms.payload["to"] == "+31612345678"


def test_asking_again_with_the_same_contact_is_marked():
    submit(phone="06 1234 5678")
    second, _code = submit(phone="0612345678", source="198.51.100.9")
    assert second.asked_before


def test_requests_older_than_a_day_do_not_count_for_the_limit(settings, time_machine):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 1, "PER_DAY": 1}}
    submit(source="198.51.100.1")
    time_machine.move_to(timezone.now() + dt.timedelta(days=1, minutes=1))
    submit(source="198.51.100.1")
    assert HelpRequest.objects.count() == 2
