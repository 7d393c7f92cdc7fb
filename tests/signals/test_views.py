"""Reference index pages: the standalone page, the family file action and the match page."""
import datetime as dt

import pytest

from oneplan.signals.models import Match, Signal
from tests.factories import ProfessionalFactory, family_with_team
from tests.signals.helpers import BSN, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def login(professional):
        client.force_login(professional.user)
        return client
    return login


def test_index_page_registers_a_person_and_shows_the_signal_number(client_for, youth_care):
    response = client_for(youth_care).post("/signals/", {"national_id": BSN}, follow=True)
    signal = Signal.objects.get()
    page = response.content.decode()
    assert f"Registered as signal {signal.number}" in page
    assert BSN not in page


def test_index_page_shows_the_bsn_error_next_to_the_field(client_for, youth_care):
    response = client_for(youth_care).post("/signals/", {"national_id": "123456789"})
    assert response.status_code == 400
    assert "11-test" in response.content.decode()
    assert Signal.objects.count() == 0


def test_index_page_refuses_a_future_birth_date(client_for, youth_care):
    future = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    response = client_for(youth_care).post("/signals/", {"given_name": "Ann", "family_name": "Lee",
                                                         "date_of_birth": future})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


def test_index_page_tells_about_a_match(client_for, youth_care, debt_help):
    register(youth_care)
    response = client_for(debt_help).post("/signals/", {"national_id": BSN}, follow=True)
    assert "Their contact details are in your inbox" in response.content.decode()


def test_renew_and_end_buttons_work_for_own_signals(client_for, youth_care):
    signal = register(youth_care)
    client = client_for(youth_care)
    assert client.post(f"/signals/{signal.pk}/renew/").status_code == 302
    assert client.post(f"/signals/{signal.pk}/end/").status_code == 302
    signal.refresh_from_db()
    assert signal.ended_on is not None and signal.renewed_on is not None


def test_ending_another_organisations_signal_is_not_found(client_for, youth_care, debt_help):
    signal = register(youth_care)
    assert client_for(debt_help).post(f"/signals/{signal.pk}/end/").status_code == 404


def test_match_page_shows_the_other_sides_contact(client_for, youth_care, debt_help):
    register(youth_care)
    match = register(debt_help).new_matches[0]
    page = client_for(youth_care).get(f"/signals/matches/{match.pk}/").content.decode()
    assert debt_help.email in page and "Debt help South" in page
    assert "You registered first" in page


def test_match_page_records_the_agreement(client_for, youth_care, debt_help):
    register(youth_care)
    match = register(debt_help).new_matches[0]
    response = client_for(debt_help).post(f"/signals/matches/{match.pk}/", {
        "coordinator": str(youth_care.pk), "note": "Anna coordinates."}, follow=True)
    assert "Agreement recorded" in response.content.decode()
    assert Match.objects.get().coordinator == youth_care


def test_match_page_is_not_found_for_outsiders(client_for, youth_care, debt_help):
    register(youth_care)
    match = register(debt_help).new_matches[0]
    assert client_for(ProfessionalFactory()).get(f"/signals/matches/{match.pk}/").status_code == 404


def test_family_file_offers_registration_per_person_and_it_works(client_for, youth_care):
    family = family_with_team(coordinator=youth_care, members=2)
    client = client_for(youth_care)
    page = client.get(f"/families/{family.pk}/").content.decode()
    person = family.memberships.first().person
    url = f"/signals/family/{family.pk}/person/{person.pk}/register/"
    assert url in page
    response = client.post(url, follow=True)
    assert "Registered as signal" in response.content.decode()
    assert Signal.objects.get().basis == "name_dob"
    again = client.post(url, follow=True).content.decode()
    assert "already registered this person" in again


def test_family_file_registration_is_not_found_outside_the_team(client_for, youth_care):
    family = family_with_team(coordinator=youth_care)
    person = family.memberships.first().person
    response = client_for(ProfessionalFactory()).post(
        f"/signals/family/{family.pk}/person/{person.pk}/register/")
    assert response.status_code == 404
    assert Signal.objects.count() == 0


def test_index_page_lists_only_own_organisation_signals(client_for, youth_care, debt_help):
    mine = register(youth_care)
    theirs = register(debt_help, national_id="123456782")
    page = client_for(youth_care).get("/signals/").content.decode()
    assert mine.number in page and theirs.number not in page


def test_professional_in_two_organisations_chooses_one(client_for, youth_care):
    from tests.factories import OrganisationFactory

    second = OrganisationFactory(name="Second org")
    youth_care.organisations.add(second)
    client = client_for(youth_care)
    assert 'name="organisation"' in client.get("/signals/").content.decode()
    client.post("/signals/", {"national_id": BSN, "organisation": str(second.pk)})
    assert Signal.objects.get().organisation == second


def test_registering_twice_shows_the_conflict_at_the_top_of_the_form(client_for, youth_care):
    register(youth_care)
    response = client_for(youth_care).post("/signals/", {"national_id": BSN})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and "already registered this person" in page


def _possible_match(youth_care, debt_help) -> Match:
    dob = dt.date(1986, 4, 12)
    register(youth_care, given_name="Anna", family_name="Jansen", date_of_birth=dob)
    return register(debt_help, given_name="Anna", family_name="Bakker", date_of_birth=dob).possible_matches[0]


def test_registering_a_possible_match_says_so_and_lists_it_to_check(client_for, youth_care, debt_help):
    register(youth_care, given_name="Anna", family_name="Jansen", date_of_birth=dt.date(1986, 4, 12))
    response = client_for(debt_help).post("/signals/", {
        "given_name": "Anna", "family_name": "Bakker", "date_of_birth": "1986-04-12"}, follow=True)
    page = response.content.decode()
    assert "may be the same person" in page
    assert "Possible matches to check" in page
    assert "Youth care North" not in page


def test_possible_match_page_shows_the_comparison_but_not_the_other_side(client_for, youth_care,
                                                                         debt_help):
    match = _possible_match(youth_care, debt_help)
    page = client_for(debt_help).get(f"/signals/matches/{match.pk}/").content.decode()
    assert "How the two registrations compare" in page
    assert "Youth care North" not in page and youth_care.email not in page
    assert client_for(youth_care).get(f"/signals/matches/{match.pk}/").status_code == 404


def test_confirm_and_reject_buttons_work(client_for, youth_care, debt_help):
    match = _possible_match(youth_care, debt_help)
    client = client_for(debt_help)
    response = client.post(f"/signals/matches/{match.pk}/reject/", follow=True)
    assert "Nobody was told anything" in response.content.decode()
    assert Match.objects.get().state == Match.State.REJECTED
    again = client.post(f"/signals/matches/{match.pk}/confirm/", follow=True)
    assert "already checked" in again.content.decode()
    assert Match.objects.get().state == Match.State.REJECTED


def test_confirming_on_the_page_shows_the_contact(client_for, youth_care, debt_help):
    match = _possible_match(youth_care, debt_help)
    response = client_for(debt_help).post(f"/signals/matches/{match.pk}/confirm/", follow=True)
    page = response.content.decode()
    assert "Confirmed as the same person" in page and youth_care.email in page
