"""The HSDS list filters of openapi.json: each narrows, they combine, bad values are 400 problems."""
import datetime as dt

import pytest
import time_machine

from oneplan.accounts.services import token_create
from oneplan.directory import hsds_out
from oneplan.directory.models import Location, Service
from tests.directory.factories import ServiceFactory
from tests.factories import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth():
    pro = ProfessionalFactory()
    _, key = token_create(actor_user=pro.user, name="hsds")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def term(code: str) -> str:
    return next(t.id for t in hsds_out.terms() if t.code == code)


def names(client, auth, url) -> list[str]:
    response = client.get(url, **auth)
    assert response.status_code == 200, response.content
    return [item.get("name") or item["service"]["name"] for item in response.json()["contents"]]


@pytest.fixture
def two_orgs():
    a, b = OrganisationFactory(name="Alpha"), OrganisationFactory(name="Beta")
    ServiceFactory(organisation=a, name="Debt help", domains=["finances_debts"])
    ServiceFactory(organisation=a, name="Housing help", domains=["housing"], wait_weeks=None)
    ServiceFactory(organisation=b, name="Debt desk", domains=["finances_debts", "housing"])
    for item in Service.objects.all():
        Location.objects.create(service=item, name=f"{item.name} office", address_1="Straat 1", city="Zwolle")
    return a, b


@pytest.mark.parametrize("base", ["/hsds/services", "/hsds/service_at_locations"])
def test_organization_and_term_filters_combine(client, auth, two_orgs, base):
    a, b = two_orgs
    assert names(client, auth, f"{base}?organization_id={a.uuid}") == ["Debt help", "Housing help"]
    assert names(client, auth, f"{base}?taxonomy_term_id={term('finances_debts')}") == ["Debt desk", "Debt help"]
    assert names(client, auth, f"{base}?organization_id={a.uuid}&taxonomy_term_id={term('finances_debts')}") \
        == ["Debt help"]
    assert names(client, auth, f"{base}?search=debt&organization_id={b.uuid}") == ["Debt desk"]


def test_taxonomy_id_picks_services_with_any_term_of_it(client, auth, two_orgs):
    assert names(client, auth, f"/hsds/services?taxonomy_id={hsds_out.SERVICE_FACTS.id}") == ["Debt desk",
                                                                                               "Debt help"]
    assert len(names(client, auth, f"/hsds/services?taxonomy_id={hsds_out.LIFE_DOMAINS.id}")) == 3
    wrong_pair = f"taxonomy_id={hsds_out.SERVICE_FACTS.id}&taxonomy_term_id={term('housing')}"
    assert names(client, auth, f"/hsds/services?{wrong_pair}") == []


def test_a_well_formed_unknown_id_filter_matches_nothing(client, auth, two_orgs):
    assert names(client, auth, "/hsds/services?organization_id=ac148810-d857-441c-9679-408f346de14b") == []


def test_modified_after_keeps_later_changes(client, auth, two_orgs):
    with time_machine.travel(dt.datetime(2026, 7, 1, 12, tzinfo=dt.timezone.utc), tick=False):
        item = Service.objects.get(name="Housing help")
        item.save()
    assert names(client, auth, "/hsds/services?modified_after=2026-06-30T00:00:00Z") == ["Housing help"]
    assert names(client, auth, "/hsds/services?modified_after=2026-07-01T12:00:00%2B00:00") == ["Housing help"]
    assert len(names(client, auth, "/hsds/services?modified_after=2020-01-01T00:00:00")) == 3


def test_paging_is_stable_and_in_the_page_shape(client, auth):
    for i in range(7):
        ServiceFactory(name=f"Service {i % 3}")
    seen = []
    for page in (1, 2, 3):
        body = client.get(f"/hsds/services?per_page=3&page={page}", **auth).json()
        assert (body["page_number"], body["total_items"], body["total_pages"]) == (page, 7, 3)
        assert body["first_page"] == (page == 1) and body["last_page"] == (page == 3)
        seen += [s["id"] for s in body["contents"]]
    assert len(seen) == len(set(seen)) == 7
    again = [s["id"] for p in (1, 2, 3) for s in client.get(f"/hsds/services?per_page=3&page={p}", **auth)
             .json()["contents"]]
    assert again == seen


def test_an_empty_result_says_so(client, auth):
    body = client.get("/hsds/services", **auth).json()
    assert body["empty"] and body["total_items"] == 0 and body["last_page"]


BAD = [
    "/hsds/services?per_page=5000", "/hsds/services?page=x", "/hsds/services?page=0",
    "/hsds/services?organization_id=12", "/hsds/services?taxonomy_term_id=finances_debts",
    "/hsds/services?taxonomy_id=nope", "/hsds/services?modified_after=yesterday",
    "/hsds/services?modified_after=2026-13-01T00:00:00", "/hsds/services?minimal=yes",
    "/hsds/services?full=1", "/hsds/services?minimal=true&full=true", "/hsds/services?status=all",
    "/hsds/services?format=ndjson", "/hsds/services?search=a%00b", "/hsds/services?page=1&page=2",
    "/hsds/organizations?full_service=maybe", "/hsds/organizations?organization_id=x",
    "/hsds/organizations/abc", "/hsds/organizations/abc?full_service=true",
    "/hsds/service_at_locations?postcode=1234AB", "/hsds/service_at_locations?proximity=100",
    "/hsds/service_at_locations?minimal=true", "/hsds/taxonomies?taxonomy_id=x",
    "/hsds/taxonomy_terms?top_only=1", "/hsds/taxonomy_terms?parent_id=x", "/hsds/services/12",
    "/hsds/taxonomy_terms/12", "/hsds/taxonomies/12", "/hsds/service_at_locations/12",
    "/hsds/services/ac148810-d857-441c-9679-408f346de14b?full=true",
]


@pytest.mark.parametrize("url", BAD)
def test_malformed_or_unknown_parameters_are_a_400_problem(client, auth, url):
    response = client.get(url, **auth)
    assert response.status_code == 400, url
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["type"] == "urn:oneplan:problem:invalid-input" and body["detail"]


def test_terms_filter_by_taxonomy_and_parent(client, auth):
    facts = client.get(f"/hsds/taxonomy_terms?taxonomy_id={hsds_out.SERVICE_FACTS.id}", **auth).json()
    assert [t["code"] for t in facts["contents"]] == ["wait_weeks"]
    orphans = client.get("/hsds/taxonomy_terms?parent_id=ac148810-d857-441c-9679-408f346de14b&top_only=true",
                         **auth).json()
    assert orphans["empty"]
    found = client.get("/hsds/taxonomy_terms?search=debts", **auth).json()
    assert [t["code"] for t in found["contents"]] == ["finances_debts"]
