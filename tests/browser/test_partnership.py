"""The partnership in a real browser: the partnership page, the self-evaluation form (a personal
link, no login, on a phone) and its results, in English and Dutch; axe-core on every page."""
import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oneplan.partnership import services, services_evaluation, services_funding, services_learning
from oneplan.partnership.models import Response
from tests.browser.conftest import axe_violations, login
from tests.directory.factories import ServiceFactory
from tests.partnership.factories import open_round, partnership, respond

pytestmark = pytest.mark.django_db(transaction=True)


def _no_violations(page):
    violations = axe_violations(page)
    assert not violations, page.url + "\n" + "\n".join(violations)


def _filled():
    """A partnership with something in every part: vision in two versions, roles, an agreement,
    funding, a round with answers that disagree, a learning session with an overdue action."""
    setup = partnership(size=3)
    coordinator, pid = setup.coordinator, setup.partnership.pk
    first = services.vision_propose(actor=coordinator, partnership_id=pid, text="Every child gets a good start.")
    services.vision_agree(actor=setup.reps[0], version_id=first.pk, member_id=setup.members[0].pk)
    services.vision_propose(actor=coordinator, partnership_id=pid, text="Every child and parent gets a good start.")
    service = ServiceFactory(organisation=setup.organisations[1], name="Schuldhulpverlening",
                             domains=["finances_debts"])
    services.member_role_save(actor=setup.reps[1], member_id=setup.members[1].pk, role="Debt counselling.",
                              lead_domains=["finances_debts"], service_ids=[service.pk])
    services.agreement_save(actor=coordinator, partnership_id=pid, from_organisation_id=setup.organisations[0].pk,
                            to_organisation_id=setup.organisations[1].pk, need="finances_debts", response_days=10)
    year = timezone.localdate().year
    services_funding.contribution_save(actor=setup.reps[0], member_id=setup.members[0].pk, year=year,
                                       purpose="pooled", money="40000", staff_hours=120)
    services_funding.budget_line_save(actor=coordinator, partnership_id=pid, year=year, category="training",
                                      amount="15000")
    current = open_round(setup)
    for score in (1, 2, 5, 5, 4):
        respond(current, score=score)
    session = services_learning.session_record(
        actor=coordinator, partnership_id=pid, held_on=timezone.localdate() - dt.timedelta(days=7),
        title="Warm handoffs", participant_ids=[setup.reps[0].pk], others="", learned="Meet the family together.")
    services_learning.action_add(actor=coordinator, session_id=session.pk, text="Write the checklist",
                                 owner_id=setup.reps[0].pk, due_on=timezone.localdate() - dt.timedelta(days=1))
    return setup, current


def test_the_partnership_page_and_its_parts_on_a_phone(phone_page):
    page = phone_page
    setup, current = _filled()
    login(page, setup.reps[0].user)
    page.get_by_role("link", name="Partnership").click()
    page.get_by_role("link", name=setup.partnership.name).click()
    expect(page.get_by_role("heading", name="Shared vision")).to_be_visible()
    expect(page.get_by_role("heading", name="Latest self-evaluation")).to_be_visible()
    expect(page.get_by_text("Write the checklist")).to_be_visible()
    _no_violations(page)
    for tab in ("Vision", "Roles", "Agreements", "Funding", "Learning", "Members"):
        page.get_by_role("navigation", name="Parts of the partnership").get_by_role("link", name=tab).click()
        _no_violations(page)
    page.get_by_role("link", name="Vision").click()
    page.get_by_role("button", name=f"Agree on behalf of {setup.organisations[0].name}").click()
    expect(page.get_by_text("Agreed. Thank you.")).to_be_visible()


def test_the_partnership_page_in_dutch(page):
    setup, _current = _filled()
    login(page, setup.reps[0].user)
    page.context.set_extra_http_headers({"Accept-Language": "nl"})
    page.goto(f"/partnership/{setup.partnership.pk}/")
    expect(page.get_by_role("heading", name="Gedeelde visie")).to_be_visible()
    expect(page.get_by_role("heading", name="Laatste zelfevaluatie")).to_be_visible()
    _no_violations(page)
    page.get_by_role("link", name="Financiering").click()
    expect(page.get_by_text("40.000,00").first).to_be_visible()
    _no_violations(page)


def _answer_everything(page, value="4"):
    for group in page.locator("fieldset.choices").all():
        group.locator(f"input[value='{value}']").check()


@pytest.mark.parametrize("language, button, thanks", [
    ("en", "Send my answers", "Thank you: your answers are in"),
    ("nl", "Mijn antwoorden versturen", "Dank je wel: je antwoorden zijn binnen")])
def test_a_family_representative_answers_through_a_personal_link_on_a_phone(phone_page, language, button, thanks):
    page = phone_page
    setup = partnership()
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group="family", language=language)
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"/partnership/respond/{token}/")
    _no_violations(page)
    page.get_by_role("button", name=button).click()  # nothing answered yet
    assert page.locator(".field-error").count() == 15
    _no_violations(page)
    _answer_everything(page)
    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("heading", name=thanks)).to_be_visible()
    _no_violations(page)
    assert Response.objects.get().answers["trust"] == 4


def test_a_professional_answers_from_the_partnership_page_and_reads_the_results(page):
    setup, current = _filled()
    login(page, setup.reps[1].user)
    page.goto(f"/partnership/{setup.partnership.pk}/")
    page.get_by_role("link", name="Fill in the self-evaluation").click()
    _answer_everything(page, "2")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_role("link", name="Back to the partnership").click()
    page.get_by_role("link", name="Results per stakeholder group").click()
    expect(page.get_by_text("disagreement").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Family representatives (5)")).to_be_visible()
    _no_violations(page)
    page.get_by_text("Per question").click()
    _no_violations(page)


def test_the_results_in_dutch_on_a_phone(phone_page):
    page = phone_page
    setup, current = _filled()
    login(page, setup.reps[1].user)
    page.context.set_extra_http_headers({"Accept-Language": "nl"})
    page.goto(f"/partnership/{setup.partnership.pk}/evaluation/{current.pk}/")
    expect(page.get_by_text("onenigheid").first).to_be_visible()
    _no_violations(page)
