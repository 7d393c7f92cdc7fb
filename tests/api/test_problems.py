"""Every error is problem JSON (RFC 9457), never HTML or a traceback."""
import pytest

from oneplan.core.errors import AccessDenied, Conflict
from oneplan.families import selectors
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db


def test_invalid_query_parameter_is_400_with_field_errors(api):
    body = assert_problem(api("/families", limit=0), 400)
    assert body["type"] == "urn:oneplan:problem:invalid-input"
    assert body["errors"][0]["field"] == "limit"
    assert "limit" in body["detail"]


def test_unknown_status_filter_is_400(api):
    body = assert_problem(api("/families", status="sleeping"), 400)
    assert body["errors"][0]["field"] == "status"


def test_non_numeric_id_is_400(api):
    assert_problem(api("/families/abc"), 400)


def test_unknown_api_path_is_404_problem(api):
    body = assert_problem(api("/nothing-here"), 404)
    assert body["instance"] == "/api/v1/nothing-here"


def test_domain_conflict_is_409_problem(api, monkeypatch):
    def conflict(**kwargs):
        raise Conflict("Changed meanwhile.", field="status")

    monkeypatch.setattr(selectors, "family_file", conflict)
    body = assert_problem(api("/families/1"), 409)
    assert body == {"type": "urn:oneplan:problem:conflict", "title": "Conflict", "status": 409,
                    "detail": "Changed meanwhile.", "instance": "/api/v1/families/1",
                    "field": "status"}


def test_access_denied_is_403_problem(api, monkeypatch):
    def denied(**kwargs):
        raise AccessDenied("Not for your role.")

    monkeypatch.setattr(selectors, "family_file", denied)
    body = assert_problem(api("/families/1"), 403)
    assert body["type"] == "urn:oneplan:problem:access-denied"


def test_unexpected_error_is_500_problem_without_traceback(api, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "family_file", broken)
    response = api("/families/1")
    body = assert_problem(response, 500)
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert body["title"] == "Server error"


def test_id_beyond_64_bits_is_400_not_a_database_error(api):
    body = assert_problem(api("/families/99999999999999999999"), 400)
    assert body["errors"][0]["field"] == "family_id"


def test_wrong_method_is_405_problem(client, token_key):
    response = client.post("/api/v1/me", headers=bearer(token_key))
    body = assert_problem(response, 405)
    assert response["Allow"] == "GET"
    assert body["type"] == "urn:oneplan:problem:method-not-allowed"


def test_api_root_is_404_problem(api):
    assert_problem(api("/"), 404)
