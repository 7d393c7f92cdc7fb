import pytest

pytestmark = pytest.mark.django_db

PATHS = ["/api/v1/me", "/api/v1/organisations", "/api/v1/organisations/{organisation_id}",
         "/api/v1/families", "/api/v1/families/{family_id}",
         "/api/v1/families/{family_id}/persons", "/api/v1/families/{family_id}/team",
         "/api/v1/persons/{person_id}", "/api/v1/families/{family_id}/members",
         "/api/v1/memberships/{membership_id}/end", "/api/v1/team-members/{team_member_id}/end",
         "/api/v1/referrals", "/api/v1/referrals/incoming", "/api/v1/referrals/{referral_id}",
         "/api/v1/referrals/{referral_id}/send", "/api/v1/referrals/{referral_id}/steps",
         "/api/v1/families/{family_id}/plan", "/api/v1/families/{family_id}/plan/versions/{number}",
         "/api/v1/families/{family_id}/consents"]


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


def _operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_error_response_is_documented_as_problem_json(client):
    document = client.get("/api/v1/openapi.json").json()
    problem = {"schema": {"$ref": "#/components/schemas/ProblemOut"}}
    for name, operation in _operations(document):
        errors = {s: r for s, r in operation["responses"].items() if int(s) >= 400}
        assert errors, name
        for status, response in errors.items():
            assert response["content"] == {"application/problem+json": problem}, (name, status)


def test_success_responses_stay_application_json(client):
    document = client.get("/api/v1/openapi.json").json()
    for name, operation in _operations(document):
        success = [r for s, r in operation["responses"].items() if s.startswith("2")]
        assert success, name
        for response in success:
            assert set(response["content"]) == {"application/json"}, name


def test_every_operation_documents_401_and_500_and_path_ids_404(client):
    document = client.get("/api/v1/openapi.json").json()
    for name, operation in _operations(document):
        statuses = set(operation["responses"])
        assert {"401", "500"} <= statuses, name
        if "{" in name:
            assert {"400", "404"} <= statuses, name


def test_documented_error_type_is_the_type_actually_sent(client, token_key):
    from tests.api.conftest import bearer

    documented = {"application/problem+json"}
    for response in (client.get("/api/v1/families/999999", headers=bearer(token_key)),
                     client.get("/api/v1/families", {"limit": "x"}, headers=bearer(token_key)),
                     client.get("/api/v1/me")):
        assert response.status_code >= 400
        assert {response["Content-Type"]} == documented


def test_every_operation_has_an_example_answer_and_request(client):
    document = client.get("/api/v1/openapi.json").json()
    for name, operation in _operations(document):
        success = next(r for s, r in operation["responses"].items() if s.startswith("2"))
        assert "example" in success["content"]["application/json"], name
        if "requestBody" in operation:
            assert "example" in operation["requestBody"]["content"]["application/json"], name


def test_every_path_parameter_is_described(client):
    document = client.get("/api/v1/openapi.json").json()
    for name, operation in _operations(document):
        for parameter in operation["parameters"]:
            if parameter["in"] == "path":
                assert parameter.get("description"), (name, parameter["name"])


def test_updates_document_if_match_and_its_errors(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, method in (("/api/v1/families/{family_id}", "patch"),
                         ("/api/v1/referrals/{referral_id}/send", "post"),
                         ("/api/v1/referrals/{referral_id}/steps", "post")):
        operation = document["paths"][path][method]
        assert any(p["name"] == "If-Match" and p["in"] == "header" for p in operation["parameters"])
        assert {"412", "428"} <= set(operation["responses"])


def test_every_post_documents_idempotency_key_and_422(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        if "post" in item:
            parameters = item["post"]["parameters"]
            assert any(p["name"] == "Idempotency-Key" for p in parameters), path
            assert "422" in item["post"]["responses"], path
