"""The directory in the HSDS 3.0 shape at /hsds/services, for token holders."""
import pytest

from oneplan.accounts.services import token_create
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth():
    pro = ProfessionalFactory()
    _, key = token_create(actor_user=pro.user, name="hsds")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_services_page_in_the_hsds_envelope(client, auth):
    ServiceFactory(name="Schuldhulp", areas=["Noord"], languages=["nl", "ar"])
    ServiceFactory(name="Gone", status="defunct")
    body = client.get("/hsds/services?per_page=10", **auth).json()
    assert (body["total_items"], body["page_number"], body["first_page"], body["last_page"]) == (1, 1, True, True)
    [service] = body["contents"]
    assert service["name"] == "Schuldhulp" and service["status"] == "active"
    assert sorted(lang["code"] for lang in service["languages"]) == ["ar", "nl"]
    assert service["service_areas"][0]["name"] == "Noord"
    assert service["attributes"][0]["taxonomy_term"]["taxonomy"] == "oneplan-life-domains"


def test_one_service_with_contacts_and_locations(client, auth):
    item = ServiceFactory(phone="020 555 0190")
    add_contact(item, ProfessionalFactory(organisations=[item.organisation]))
    body = client.get(f"/hsds/services/{item.pk}", **auth).json()
    assert body["id"] == str(item.pk) and body["organization"]["name"] == item.organisation.name
    assert len(body["contacts"]) == 1 and body["phones"][0]["number"] == "020 555 0190"


def test_without_a_token_it_is_a_401_problem(client):
    response = client.get("/hsds/services")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_bad_paging_and_unknown_service_are_problems_not_errors(client, auth):
    assert client.get("/hsds/services?per_page=5000", **auth).status_code == 400
    assert client.get("/hsds/services?page=x", **auth).status_code == 400
    response = client.get("/hsds/services/987654", **auth)
    assert response.status_code == 404 and response.json()["title"] == "Not found"
