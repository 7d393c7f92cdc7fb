"""An API client with a personal token for the `professional` fixture."""
import pytest

from oneplan.accounts.services import token_create


@pytest.fixture
def token_key(professional):
    _, key = token_create(actor_user=professional.user, name="tests")
    return key


def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def api(client, token_key):
    """api("/families", limit=5) -> response of GET /api/v1/families?limit=5, authenticated."""

    def get(path: str, **params):
        return client.get(f"/api/v1{path}", params, headers=bearer(token_key))

    return get


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    assert body["detail"]
    return body
