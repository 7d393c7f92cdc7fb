"""The partnership's pages: who sees them, the forms behind them, the personal answer link, the
extension point, and the partnership page's queries at two data sizes."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from oneplan.partnership import extensions, services, services_evaluation, services_learning
from oneplan.partnership.models import (
    Agreement,
    Contribution,
    LearningSession,
    Response,
    Round,
    VisionAgreement,
)
from tests.directory.factories import ServiceFactory
from tests.partnership.factories import answers, open_round, partnership, respond
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def _url(name, setup, *args):
    return reverse(f"partnership:{name}", args=[setup.partnership.pk, *args])


@pytest.fixture
def setup():
    return partnership()


@pytest.fixture
def as_rep(client, setup):
    client.force_login(setup.reps[0].user)
    return client


@pytest.fixture
def as_coordinator(client, setup):
    client.force_login(setup.coordinator.user)
    return client


def test_the_navigation_links_to_the_partnership_for_professionals_of_members(as_rep):
    assert 'href="/partnership/"' in as_rep.get(reverse("inbox:inbox")).content.decode()


def test_the_navigation_has_no_partnership_link_for_others(logged_in):
    assert 'href="/partnership/"' not in logged_in.get(reverse("inbox:inbox")).content.decode()


@pytest.mark.parametrize("name", ["page", "members", "vision", "roles", "agreements", "funding", "evaluation",
                                  "learning"])
def test_every_part_opens_for_a_professional_of_a_member(client, setup, name):
    client.force_login(setup.colleague(1).user)
    assert client.get(_url(name, setup)).status_code == 200


@pytest.mark.parametrize("name", ["page", "vision", "funding"])
def test_a_professional_outside_the_members_gets_not_found(logged_in, setup, name):
    assert logged_in.get(_url(name, setup)).status_code == 404


def test_the_list_shows_the_professionals_partnerships(as_rep, setup):
    assert setup.partnership.name in as_rep.get(reverse("partnership:index")).content.decode()


def test_a_network_administrator_creates_a_partnership_through_the_form(client, setup):
    client.force_login(setup.admin.user)
    response = client.post(reverse("partnership:create"), {"name": "Samen Zuid", "area": "Zuid", "purpose": "",
                                                           "coordinator": ""})
    assert response.status_code == 302 and "/members/" in response["Location"]


def test_the_create_form_is_refused_to_others(as_rep):
    assert as_rep.get(reverse("partnership:create")).status_code == 403


def test_a_representative_agrees_the_vision_from_its_page(as_rep, setup):
    version = services.vision_propose(actor=setup.coordinator, partnership_id=setup.partnership.pk,
                                      text="One family, one plan.")
    page = as_rep.get(_url("vision", setup)).content.decode()
    assert f"Agree on behalf of {setup.organisations[0].name}" in page
    as_rep.post(_url("vision_agree", setup, version.pk), {"member": setup.members[0].pk})
    assert VisionAgreement.objects.filter(member=setup.members[0], agreed_by=setup.reps[0]).exists()


def test_the_coordinator_writes_a_new_version_on_the_vision_page(as_coordinator, setup):
    response = as_coordinator.post(_url("vision", setup), {"text": "Every child a good start.", "note": ""})
    assert response.status_code == 302 and setup.partnership.vision_versions.count() == 1


def test_a_representative_describes_the_role_through_the_form(as_rep, setup):
    service = ServiceFactory(organisation=setup.organisations[0], domains=["parenting"])
    response = as_rep.post(_url("role_edit", setup, setup.members[0].pk),
                           {"role": "Parenting support", "lead_domains": ["parenting"], "services": [service.pk]})
    assert response.status_code == 302
    assert "not covered" in as_rep.get(_url("roles", setup)).content.decode()


def test_the_role_form_of_another_member_is_refused(as_rep, setup):
    assert as_rep.get(_url("role_edit", setup, setup.members[1].pk)).status_code == 403


def test_an_agreement_is_recorded_through_the_form(as_coordinator, setup):
    response = as_coordinator.post(_url("agreement_new", setup), {
        "from_organisation": setup.organisations[0].pk, "from_sector": "", "to_organisation": "",
        "to_sector": "debt_counselling", "need": "finances_debts", "response_days": "10", "from_contact": "",
        "to_contact": "", "note": "", "valid_from": "2026-01-01"})
    item = Agreement.objects.get()
    assert response.status_code == 302 and item.to_sector == "debt_counselling"
    assert "Too few referrals to judge" in as_coordinator.get(_url("agreement", setup, item.pk)).content.decode()


def test_a_contribution_is_recorded_through_the_funding_page(as_rep, setup):
    response = as_rep.post(_url("contribution", setup), {"member": setup.members[0].pk, "year": "2026",
                                                         "purpose": "pooled", "money": "2500", "staff_hours": "40",
                                                         "note": ""})
    assert response.status_code == 302 and Contribution.objects.get().staff_hours == 40
    assert "2,500.00" in as_rep.get(_url("funding", setup) + "?year=2026").content.decode()


def test_funding_in_dutch_uses_dutch_number_formatting(as_rep, setup):
    as_rep.post(_url("contribution", setup), {"member": setup.members[0].pk, "year": "2026", "purpose": "pooled",
                                              "money": "2500", "staff_hours": "", "note": ""})
    page = as_rep.get(_url("funding", setup) + "?year=2026", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "2.500,00" in page


def test_the_coordinator_opens_a_round_from_the_page(as_coordinator, setup):
    closes = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = as_coordinator.post(_url("evaluation", setup), {"closes_on": closes})
    assert response.status_code == 302 and Round.objects.get().invitations.count() == 3


def test_a_personal_link_is_shown_once_to_the_coordinator(as_coordinator, setup):
    current = open_round(setup)
    response = as_coordinator.post(_url("invite", setup, current.pk), {"group": "family", "name": "", "email_to": "",
                                                                      "language": "nl"})
    assert response.status_code == 201 and "/partnership/respond/" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_a_professional_answers_from_the_partnership_page(as_rep, setup):
    current = open_round(setup)
    assert "Fill in the self-evaluation" in as_rep.get(_url("page", setup)).content.decode()
    response = as_rep.post(_url("answer", setup, current.pk), answers(current))
    assert response.status_code == 201 and Response.objects.count() == 1
    assert "Fill in the self-evaluation" not in as_rep.get(_url("page", setup)).content.decode()


def test_a_missing_answer_is_shown_next_to_its_question(as_rep, setup):
    current = open_round(setup)
    values = answers(current)
    values.pop("trust")
    response = as_rep.post(_url("answer", setup, current.pk), values)
    assert response.status_code == 400 and "field-error" in response.content.decode()


def test_the_personal_link_works_without_logging_in(client, setup):
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group="family")
    url = reverse("partnership:respond", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    assert client.post(url, answers(current)).status_code == 201
    assert "Your answers to this round are in." in client.get(url).content.decode()


def test_an_unknown_link_is_not_found(client):
    assert client.get(reverse("partnership:respond", args=["nonsense"])).status_code == 404


def test_results_show_from_five_respondents_on_the_round_page(as_rep, setup):
    current = open_round(setup)
    for score in (1, 2, 5, 5, 5):
        respond(current, score=score)
    page = as_rep.get(_url("round", setup, current.pk)).content.decode()
    assert "disagreement" in page and "Family representatives" in page


def test_learning_session_and_action_through_the_pages(as_coordinator, setup):
    response = as_coordinator.post(_url("session_new", setup), {
        "held_on": timezone.localdate().isoformat(), "title": "Waiting lists", "participants": [setup.reps[0].pk],
        "others": "", "learned": "Call before you refer."})
    session = LearningSession.objects.get()
    assert response.status_code == 302
    as_coordinator.post(_url("session", setup, session.pk), {"text": "Map the waiting lists", "owner": setup.reps[1].pk,
                                                             "due_on": "2026-07-01"})
    action = session.actions.get()
    as_coordinator.post(_url("action_done", setup, action.pk), {"note": "Done"})
    action.refresh_from_db()
    assert action.done_by == setup.coordinator


def test_a_registered_panel_appears_on_the_partnership_page(as_rep, setup):
    extensions.register_panel("test", "partnership/_measure_help.html", lambda request, p: {"small": 10})
    try:
        page = as_rep.get(_url("page", setup)).content.decode()
    finally:
        extensions.unregister_panel("test")
    assert "Key figures" in page


def test_a_panel_may_stay_away(as_rep, setup):
    extensions.register_panel("test", "partnership/_measure_help.html", lambda request, p: None)
    try:
        page = as_rep.get(_url("page", setup)).content.decode()
    finally:
        extensions.unregister_panel("test")
    assert "Key figures" not in page


def _grow(setup, n):
    """More agreements, actions and answers on the partnership page."""
    session = services_learning.session_record(
        actor=setup.coordinator, partnership_id=setup.partnership.pk, held_on=timezone.localdate(), title="More",
        participant_ids=[setup.reps[0].pk], others="", learned="Lots.")
    for i in range(n):
        services.agreement_save(actor=setup.coordinator, partnership_id=setup.partnership.pk,
                                from_organisation_id=setup.organisations[0].pk,
                                to_organisation_id=setup.organisations[1].pk,
                                need=["housing", "parenting", "safety", "justice"][i % 4], response_days=5 + i)
        services_learning.action_add(actor=setup.coordinator, session_id=session.pk, text=f"Action {i}",
                                     owner_id=setup.reps[i % 2].pk, due_on=timezone.localdate())


def test_the_partnership_page_costs_a_fixed_number_of_queries_plus_one_per_agreement(
        as_rep, setup, audit_chain_started):
    current = open_round(setup)
    for _ in range(5):
        respond(current)
    _grow(setup, 1)
    as_rep.get(_url("page", setup))
    small = page_queries(as_rep, _url("page", setup))
    _grow(setup, 3)
    large = page_queries(as_rep, _url("page", setup))
    assert large <= small + 3 and small <= 32, (small, large)


@pytest.mark.parametrize("name, dutch", [("page", "Gedeelde visie"), ("roles", "Rollen en verantwoordelijkheden"),
                                         ("agreements", "Samenwerkingsafspraken"), ("funding", "Financiering"),
                                         ("evaluation", "Zelfevaluatie"), ("learning", "Leersessies"),
                                         ("members", "Partnerorganisaties en hun vertegenwoordigers")])
def test_every_part_speaks_dutch(as_rep, setup, name, dutch):
    assert dutch in as_rep.get(_url(name, setup), HTTP_ACCEPT_LANGUAGE="nl").content.decode()


def test_the_questionnaire_is_asked_in_dutch(client, setup):
    current = open_round(setup)
    _invitation, token = services_evaluation.invitation_external(actor=setup.coordinator, round_id=current.pk,
                                                                 group="family", language="nl")
    page = client.get(reverse("partnership:respond", args=[token]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Ik vertrouw erop dat de andere partners doen wat ze beloven." in page and "Weet ik niet" in page
