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


class Caller:
    """A client acting with one professional's token: get, post, patch."""

    def __init__(self, client, professional):
        self.client, self.professional = client, professional
        _, self.key = token_create(actor_user=professional.user, name="tests")

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, headers=bearer(self.key))

    def post(self, path, body=None, **extra):
        return self.client.post(f"/api/v1{path}", body or {}, content_type="application/json",
                                headers=bearer(self.key), **extra)

    def patch(self, path, body=None, **extra):
        return self.client.patch(f"/api/v1{path}", body or {}, content_type="application/json",
                                 headers=bearer(self.key), **extra)
