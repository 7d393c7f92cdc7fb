"""The directory in the HSDS 3.0 shape under /hsds/: every object validates against the official
schemas (formats asserted), every endpoint of the standard's openapi.json answers."""
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from oneplan.accounts.services import token_create
from oneplan.directory import hsds_out, hsds_schema
from oneplan.directory.models import Location
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db

OFFICIAL = Path(__file__).resolve().parents[2] / "standards" / "hsds-3.0" / "schema"
PAGE = hsds_schema.openapi()["components"]["schemas"]["Page"]


@pytest.fixture
def auth():
    pro = ProfessionalFactory()
    _, key = token_create(actor_user=pro.user, name="hsds")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def directory():
    """A service with everything oneplan keeps, one with the least, and one closed."""
    org = OrganisationFactory(email="info@example.org", website="https://example.org", phone="020 555 0100")
    rich = ServiceFactory(organisation=org, name="Schuldhulp", areas=["Noord", "Oost"], languages=["nl", "ar"],
                          domains=["finances_debts", "housing"], phone="020 555 0190", url="https://example.org/sh",
                          email="sh@example.org", minimum_age=18, schedule_description="Mon-Fri 9-17",
                          alternate_name="SH", fees_description="Free", application_process="Call us",
                          interpretation_services="Arabic", eligibility_description="Adults with debts")
    add_contact(rich, ProfessionalFactory(organisations=[org], phone="06 1234 5678"))
    Location.objects.create(service=rich, name="Wijkcentrum", address_1="Dorpsstraat 1", postal_code="1234 AB",
                            city="Amsterdam")
    bare = ServiceFactory(name="Bare", domains=[], languages=[], wait_weeks=None, description="Only a name.")
    closed = ServiceFactory(name="Gone", status="defunct", domains=["parenting"])
    return {"org": org, "rich": rich, "bare": bare, "closed": closed}


def valid(instance, name: str) -> None:
    messages = hsds_schema.problems(instance, name)
    assert not messages, messages
    _no_nulls(instance)


def _no_nulls(value, path="") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None, f"{path}/{key} is null"
            _no_nulls(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_nulls(item, f"{path}/{i}")


def valid_page(body: dict, name: str) -> None:
    Draft202012Validator(PAGE, format_checker=FormatChecker()).validate(body)
    assert body["size"] == len(body["contents"])
    for item in body["contents"]:
        valid(item, name)


def get(client, auth, url):
    response = client.get(url, **auth)
    assert response.status_code == 200, response.content
    return response.json()


def test_the_vendored_schemas_are_the_official_ones():
    official = sorted(OFFICIAL.glob("*.json"))
    assert len(official) > 15  # the copy in standards/ is there
    for path in official:
        assert (hsds_schema.SCHEMA_DIR / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_validator_asserts_formats():
    assert hsds_schema.problems({"id": "1", "name": "x", "status": "active"}, "service")
    assert hsds_schema.problems({"id": "ac148810-d857-441c-9679-408f346de14b", "name": "x", "status": "active",
                                 "url": "no uri"}, "service")


@pytest.mark.parametrize("query", ["", "?full=true", "?minimal=true"])
def test_every_listed_service_validates(client, auth, directory, query):
    body = get(client, auth, f"/hsds/services{query}")
    valid_page(body, "service")
    assert body["total_items"] == 3


def test_a_full_service_validates_and_carries_what_oneplan_keeps(client, auth, directory):
    rich = directory["rich"]
    body = get(client, auth, f"/hsds/services/{rich.uuid}")
    valid(body, "service")
    assert body["id"] == str(rich.uuid) and body["organization"]["id"] == str(rich.organisation.uuid)
    assert sorted(lang["code"] for lang in body["languages"]) == ["ar", "nl"]
    assert [a["name"] for a in body["service_areas"]] == ["Noord", "Oost"]
    assert body["phones"][0]["number"] == "020 555 0190" and body["contacts"][0]["phones"]
    [link] = body["service_at_locations"]
    assert link["location"]["addresses"][0]["postal_code"] == "1234 AB"
    codes = sorted(a["taxonomy_term"]["code"] for a in body["attributes"])
    assert codes == ["finances_debts", "housing", "wait_weeks"]


def test_absent_values_are_left_out(client, auth, directory):
    body = get(client, auth, f"/hsds/services/{directory['bare'].uuid}")
    valid(body, "service")
    for name in ("url", "email", "alternate_name", "minimum_age", "maximum_age"):
        assert name not in body
    assert body["attributes"] == [] and body["phones"] == []


def test_ids_are_stable_between_reads(client, auth, directory):
    url = f"/hsds/services/{directory['rich'].uuid}"
    assert get(client, auth, url) == get(client, auth, url)


def test_organizations_list_and_one_validate(client, auth, directory):
    for query in ("", "?full=true", "?full_service=true", "?full=true&full_service=true"):
        valid_page(get(client, auth, f"/hsds/organizations{query}"), "organization")
    org = get(client, auth, f"/hsds/organizations/{directory['org'].uuid}")
    valid(org, "organization")
    assert [s["name"] for s in org["services"]] == ["Schuldhulp"]
    for item in org["services"]:
        valid(item, "service")
    full = get(client, auth, f"/hsds/organizations/{directory['org'].uuid}?full_service=true")
    valid(full["services"][0], "service")
    assert full["services"][0]["attributes"]


def test_service_at_locations_list_and_one_validate(client, auth, directory):
    for query in ("", "?full=true"):
        body = get(client, auth, f"/hsds/service_at_locations{query}")
        valid_page(body, "service_at_location")
        for item in body["contents"]:
            valid(item["service"], "service")
            valid(item["location"], "location")
    link = Location.objects.get().link_uuid
    one = get(client, auth, f"/hsds/service_at_locations/{link}")
    valid(one, "service_at_location")
    assert one["id"] == str(link) and one["service"]["name"] == "Schuldhulp"


def test_taxonomies_and_terms_validate(client, auth):
    taxonomies = get(client, auth, "/hsds/taxonomies")
    valid_page(taxonomies, "taxonomy")
    terms = get(client, auth, "/hsds/taxonomy_terms?per_page=100")
    valid_page(terms, "taxonomy_term")
    assert terms["total_items"] == len(hsds_out.terms())
    term = terms["contents"][0]
    valid(get(client, auth, f"/hsds/taxonomy_terms/{term['id']}"), "taxonomy_term")
    valid(get(client, auth, f"/hsds/taxonomies/{term['taxonomy_id']}"), "taxonomy")


def test_the_root_points_at_this_servers_openapi(client):
    body = client.get("/hsds/").json()
    root = hsds_schema.openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    Draft202012Validator(root, format_checker=FormatChecker()).validate(body)
    assert body["version"] == "3.0" and body["openapi_url"] == "http://testserver/hsds/openapi.json"
    document = client.get("/hsds/openapi.json").json()
    assert document["servers"] == [{"url": "http://testserver/hsds"}]
    assert set(document["paths"]) == set(hsds_schema.openapi()["paths"])


def test_every_openapi_path_is_served(client, auth, directory):
    ids = {"/services/{id}": directory["rich"].uuid, "/organizations/{id}": directory["org"].uuid,
           "/service_at_locations/{id}": Location.objects.get().link_uuid,
           "/taxonomies/{id}": hsds_out.LIFE_DOMAINS.id, "/taxonomy_terms/{id}": hsds_out.terms()[0].id}
    for path in hsds_schema.openapi()["paths"]:
        url = "/hsds" + path.replace("{id}", str(ids.get(path, "")))
        assert client.get(url, **auth).status_code == 200, url


def test_without_a_token_it_is_a_401_problem(client):
    response = client.get("/hsds/services")
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_an_unknown_id_is_a_404_problem(client, auth):
    response = client.get("/hsds/services/ac148810-d857-441c-9679-408f346de14b", **auth)
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"


def test_minimal_returns_everything_in_one_page(client, auth):
    ServiceFactory.create_batch(120)
    body = get(client, auth, "/hsds/services?minimal=true")
    assert body["size"] == 120 and body["last_page"]
    assert set(body["contents"][0]) == {"id", "name", "status", "last_modified"}


def test_the_openapi_document_is_json(client):
    assert json.loads(client.get("/hsds/openapi.json").content)["openapi"] == "3.1.0"
