"""The front door in a real browser: the public form on a phone (English and Dutch, the draft kept
on the device), the receipt and the status page, then the queue and triage; axe on every page."""
import re

import pytest

from oneplan.frontdoor.models import HelpRequest
from tests.browser.conftest import axe_violations, login
from tests.frontdoor.factories import front_door_worker

pytestmark = pytest.mark.django_db(transaction=True)


def _fill_as_neighbour(page, story="The children next door are often alone in the evening."):
    page.locator("input[name=asker][value=neighbour]").check()
    page.locator("input[name=unsafe_now][value=no]").check()
    page.locator("textarea[name=story]").fill(story)
    page.locator("input[name=family_name]").fill("Jansen")
    page.locator("input[name=family_knows][value=no]").check()
    page.locator("input[name=asker_name]").fill("Piet de Boer")
    page.locator("input[name=contact_by][value=phone]").check()
    page.locator("input[name=phone]").fill("06 1234 5678")


def _receipt(page) -> tuple[str, str]:
    return page.locator("#receipt-reference").inner_text(), page.locator("#receipt-code").inner_text()


def test_asking_for_help_on_a_phone_in_english(phone_page):
    page = phone_page
    page.goto("/")
    page.get_by_role("link", name="Ask for help").first.click()
    assert axe_violations(page) == []
    _fill_as_neighbour(page)
    page.get_by_role("button", name="Send my request").click()
    reference, code = _receipt(page)
    assert axe_violations(page) == []
    assert HelpRequest.objects.get().reference == reference.replace("-", "")
    page.goto("/help/status")
    page.get_by_label("Reference").fill(reference)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Show my request").click()
    page.get_by_label("Add a message").fill("Evenings are best.")
    page.get_by_role("button", name="Send message").click()
    page.get_by_text("Your message was sent to the front-door team.").wait_for()
    assert axe_violations(page) == []


def test_the_draft_stays_on_the_device_until_it_is_sent(phone_page):
    page = phone_page
    page.goto("/help")
    page.locator("textarea[name=story]").fill("Half a story, to finish tonight.")
    page.reload()
    assert page.locator("textarea[name=story]").input_value() == "Half a story, to finish tonight."
    assert page.locator("#draft-note").is_visible()
    assert not HelpRequest.objects.exists()
    _fill_as_neighbour(page, story="Half a story, finished.")
    page.get_by_role("button", name="Send my request").click()
    _receipt(page)
    page.goto("/help")
    assert page.locator("textarea[name=story]").input_value() == ""


def test_asking_for_help_in_dutch(phone_page):
    page = phone_page
    page.context.set_extra_http_headers({"Accept-Language": "nl"})
    page.goto("/help")
    assert page.get_by_role("heading", name="Hulp vragen").is_visible()
    _fill_as_neighbour(page)
    page.get_by_role("button", name="Mijn vraag versturen").click()
    page.get_by_role("heading", name="We hebben je vraag ontvangen").wait_for()
    assert axe_violations(page) == []
    assert HelpRequest.objects.get().language == "nl"


def test_a_missing_answer_is_shown_next_to_the_question(phone_page):
    page = phone_page
    page.goto("/help")
    page.get_by_role("button", name="Send my request").click()
    assert page.locator(".field-error").count() >= 3
    assert axe_violations(page) == []


def test_the_front_door_team_triages_a_request(page):
    worker = front_door_worker()
    page.goto("/help")
    _fill_as_neighbour(page)
    page.get_by_role("button", name="Send my request").click()
    reference, _code = _receipt(page)
    page.context.clear_cookies()
    login(page, worker.user)
    page.goto("/frontdoor/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="I handle this request").click()
    page.get_by_role("button", name="Record contact").click()
    for question in ("danger_now", "violence", "child_care"):
        page.locator(f"input[name={question}][value=no]").check()
    page.get_by_role("button", name="Record safety screen").click()
    page.get_by_text("Note a family member").click()
    page.get_by_label("Given name").fill("Maria")
    page.get_by_label(re.compile("^Family name")).fill("Jansen")
    page.get_by_label("Date of birth").fill("1990-05-01")
    page.get_by_role("button", name="Add", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_text("Close with a reason").click()
    page.get_by_label("Reason").select_option("solved")
    page.get_by_role("button", name="Close the request").click()
    page.get_by_text("Request closed.").wait_for()
    item = HelpRequest.objects.get()
    assert (item.handler, item.first_contact_by, item.outcome) == (worker, worker, "closed")
    assert item.persons.get().given_name == "Maria"
