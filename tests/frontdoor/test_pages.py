"""The public pages (form, receipt, status) and the front-door team's pages."""
import pytest
from django.urls import reverse

from oneplan.frontdoor import services
from oneplan.frontdoor.models import HelpRequest, RequestMessage
from tests.frontdoor.factories import front_door_worker, submit

pytestmark = pytest.mark.django_db

FORM = {"asker": "neighbour", "unsafe_now": "no", "story": "The children are alone a lot.",
        "urgency": "soon", "family_name": "Jansen", "family_knows": "no", "asker_name": "Piet",
        "contact_by": "phone", "phone": "0612345678"}


def test_the_home_page_leads_to_the_front_door(client):
    page = client.get("/")
    assert page.status_code == 200 and reverse("help").encode() in page.content


def test_the_form_sends_a_request_and_shows_reference_and_code(client):
    page = client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 201
    item = HelpRequest.objects.get()
    assert item.reference[:4].encode() in page.content
    assert "no-store" in page["Cache-Control"]


def test_a_form_error_keeps_what_was_typed_and_saves_nothing(client):
    page = client.post(reverse("help"), {**FORM, "family_knows": ""}, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 400
    assert b"The children are alone a lot." in page.content
    assert not HelpRequest.objects.exists()


def test_the_honeypot_refuses_a_robot(client):
    page = client.post(reverse("help"), {**FORM, "website": "http://spam.example"}, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 400 and not HelpRequest.objects.exists()


def test_a_flood_from_one_address_is_refused_with_a_readable_page(client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 2}}
    for _ in range(2):
        assert client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5").status_code == 201
    page = client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 429 and b"kept on this device" in page.content
    assert HelpRequest.objects.count() == 2


def test_an_oversized_post_is_refused_before_it_is_read(client):
    page = client.post(reverse("help"), {**FORM, "story": "x" * 40000}, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 413 and not HelpRequest.objects.exists()


def test_the_status_page_shows_the_request_with_reference_and_code(client):
    item, code = submit()
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": code})
    assert page.status_code == 200 and b"Received, waiting for first contact" in page.content


def test_a_wrong_code_shows_nothing(client):
    item, _code = submit()
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": "AAAA-AAAA"})
    assert page.status_code == 404 and item.story.encode() not in page.content


def test_guessing_codes_is_stopped_per_address(client, settings):
    item, code = submit()
    for _ in range(10):
        client.post(reverse("help_status"), {"reference": item.reference, "code": "WRONG"}, REMOTE_ADDR="192.0.2.1")
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": code}, REMOTE_ADDR="192.0.2.1")
    assert page.status_code == 429


def test_the_asker_adds_a_message_and_the_handler_is_told(client):
    worker = front_door_worker()
    item, code = submit()
    services.request_take(actor=worker, request_id=item.pk)
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": code,
                                                "text": "Mornings are better after all."})
    assert page.status_code == 200
    assert RequestMessage.objects.get(request=item).text == "Mornings are better after all."
    assert worker.notifications.filter(message_key="frontdoor.asker_message").exists()


def test_someone_worried_about_another_family_does_not_learn_its_outcome(client):
    worker = front_door_worker()
    item, code = submit(asker="neighbour", family_name="Jansen", family_knows="no")
    services.outcome_passed_on(actor=worker, request_id=item.pk,
                               organisation_id=worker.primary_organisation.pk, note="Handed over by phone.")
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": code})
    assert worker.primary_organisation.name.encode() not in page.content
    assert b"we do not share what happens with them" in page.content


def test_the_family_reads_the_advice_and_the_services(client):
    from tests.directory.factories import ServiceFactory

    worker, service = front_door_worker(), ServiceFactory(name="Schuldhulp Utrecht")
    item, code = submit()
    services.outcome_advice(actor=worker, request_id=item.pk, note="Call them this week.",
                            service_ids=[service.pk])
    page = client.post(reverse("help_status"), {"reference": item.reference, "code": code})
    assert b"Schuldhulp Utrecht" in page.content and b"Call them this week." in page.content


def test_the_queue_page_lists_open_requests_for_the_front_door(client):
    worker = front_door_worker()
    item, _code = submit()
    client.force_login(worker.user)
    page = client.get(reverse("frontdoor:queue"))
    assert page.status_code == 200 and item.reference[4:].encode() in page.content


def test_the_queue_page_is_refused_to_other_professionals(client, professional):
    client.force_login(professional.user)
    assert client.get(reverse("frontdoor:queue")).status_code == 403


def test_the_queue_page_costs_the_same_queries_for_more_requests(client, django_assert_max_num_queries):
    worker = front_door_worker()
    client.force_login(worker.user)
    for i in range(3):
        submit(source=f"198.51.100.{i}")
    with django_assert_max_num_queries(12):
        client.get(reverse("frontdoor:queue"))
    for i in range(30):
        submit(source=f"198.51.101.{i}")
    with django_assert_max_num_queries(12):
        client.get(reverse("frontdoor:queue"))


def test_the_detail_page_walks_contact_safety_and_outcome(client):
    worker = front_door_worker()
    item, _code = submit()
    client.force_login(worker.user)
    assert client.get(reverse("frontdoor:detail", args=[item.pk])).status_code == 200
    client.post(reverse("frontdoor:take", args=[item.pk]))
    client.post(reverse("frontdoor:contact", args=[item.pk]), {"at": "2026-06-16T09:31", "how": "phone"})
    client.post(reverse("frontdoor:safety", args=[item.pk]),
                {"danger_now": "no", "violence": "no", "child_care": "no"})
    client.post(reverse("frontdoor:close", args=[item.pk]), {"reason": "solved"})
    item.refresh_from_db()
    assert (item.handler, item.first_contact_how, item.safety["violence"], item.outcome) == (
        worker, "phone", False, "closed")


def test_a_bad_step_shows_the_error_on_the_page(client):
    worker = front_door_worker()
    item, _code = submit()
    client.force_login(worker.user)
    page = client.post(reverse("frontdoor:close", args=[item.pk]), {"reason": "other", "note": ""})
    assert page.status_code == 400 and b"field-error" in page.content and b"Note" in page.content


def test_an_intake_worker_enters_a_request_from_the_phone(client):
    worker = front_door_worker()
    client.force_login(worker.user)
    page = client.post(reverse("frontdoor:enter"), {**FORM, "channel": "phone", "language": "nl"})
    assert page.status_code == 201
    item = HelpRequest.objects.get()
    assert (item.channel, item.entered_by, item.language) == ("phone", worker, "nl")


def test_a_refused_flood_costs_no_query_once_the_address_is_known(client, settings, django_assert_num_queries):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 1}}
    client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")  # refused: the address is remembered
    with django_assert_num_queries(0):
        page = client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 429 and b"The children are alone a lot." in page.content


def test_the_flood_gate_shows_back_what_was_written_escaped(client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "FRONT_DOOR_LIMITS": {
        **settings.ONEPLAN["FRONT_DOOR_LIMITS"], "PER_HOUR": 1}}
    client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    client.post(reverse("help"), FORM, REMOTE_ADDR="203.0.113.5")
    page = client.post(reverse("help"), {**FORM, "story": "<b>help</b>"}, REMOTE_ADDR="203.0.113.5",
                       HTTP_ACCEPT_LANGUAGE="nl")
    assert page.status_code == 429 and b"&lt;b&gt;help&lt;/b&gt;" in page.content
    assert b"Nog niet verstuurd" in page.content and "Content-Security-Policy" in page


def test_the_detail_page_costs_the_same_queries_with_more_history(client, django_assert_max_num_queries):
    import datetime as dt

    worker = front_door_worker()
    item, _code = submit()
    client.force_login(worker.user)
    services.person_note(actor=worker, request_id=item.pk, given_name="Sanne", family_name="de Vries",
                         date_of_birth=dt.date(1988, 3, 2), relation="parent")
    with django_assert_max_num_queries(30):
        client.get(reverse("frontdoor:detail", args=[item.pk]))
    for i in range(10):
        services.team_message(actor=worker, request_id=item.pk, text=f"Message {i}")
        services.person_note(actor=worker, request_id=item.pk, given_name=f"Kind{i}", family_name="de Vries",
                             date_of_birth=dt.date(2015, 1, 1 + i), relation="child")
    with django_assert_max_num_queries(30 + 10 * 3):
        client.get(reverse("frontdoor:detail", args=[item.pk]))
