import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{organisation_id}",
         "/api/v1/families", "/api/v1/families/{family_id}",
         "/api/v1/families/{family_id}/persons", "/api/v1/families/{family_id}/team",
         "/api/v1/persons/{person_id}"]


def test_openapi_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_openapi_lists_every_endpoint(client):
    assert set(PATHS) <= set(client.get("/api/v1/openapi.json").json()["paths"])


def test_openapi_declares_bearer_authentication(client):
    schemes = client.get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()


def test_openapi_never_exposes_a_plain_national_id(client):
    person = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["PersonOut"]
    assert "national_id" not in person["properties"]
    assert "national_id_masked" in person["properties"]
