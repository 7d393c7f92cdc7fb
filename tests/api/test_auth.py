import datetime as dt

import pytest
from django.utils import timezone

from oneplan.accounts.models import ApiToken, User
from oneplan.accounts.services import token_create, token_revoke
from oneplan.audit.models import AuditEvent
from tests.api.conftest import assert_problem, bearer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_request_without_token_is_401_problem(client):
    response = client.get("/api/v1/me")
    body = assert_problem(response, 401)
    assert "Authorization: Bearer" in body["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_other_auth_scheme_is_401(client, token_key):
    response = client.get("/api/v1/me", headers={"Authorization": f"Token {token_key}"})
    assert_problem(response, 401)


def test_unknown_token_is_401_problem(client, token_key):
    response = client.get("/api/v1/me", headers=bearer(token_key + "x"))
    body = assert_problem(response, 401)
    assert "not valid" in body["detail"]
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_revoked_token_is_401_and_its_use_is_audited(client, professional, token_key):
    token_revoke(actor_user=professional.user, prefix=token_key[:8])
    response = client.get("/api/v1/me", headers=bearer(token_key))
    body = assert_problem(response, 401)
    assert "revoked" in body["detail"]
    assert AuditEvent.objects.filter(action="token.use", outcome="denied",
                                     actor_id=professional.user.pk).exists()


def test_token_of_inactive_user_is_401(client, professional, token_key):
    User.objects.filter(pk=professional.user.pk).update(is_active=False)
    body = assert_problem(client.get("/api/v1/me", headers=bearer(token_key)), 401)
    assert "switched off" in body["detail"]


def test_token_of_user_without_professional_profile_is_401(client):
    key = ApiToken.generate()
    ApiToken.objects.create(user=UserFactory(kind=User.Kind.FAMILY), name="x",
                            key_hash=ApiToken.hash(key), prefix=key[:8])
    body = assert_problem(client.get("/api/v1/me", headers=bearer(key)), 401)
    assert "professionals" in body["detail"]


def test_valid_token_authenticates_as_its_professional(api, professional):
    response = api("/me")
    assert response.status_code == 200
    assert response.json()["id"] == professional.pk


def test_only_the_hash_of_the_key_is_stored(professional):
    token, key = token_create(actor_user=professional.user, name="sync")
    assert key not in (token.key_hash, token.prefix)
    assert token.key_hash == ApiToken.hash(key)
    assert key.startswith(token.prefix)


def test_first_use_sets_last_used_at(api, professional):
    api("/me")
    assert professional.user.api_tokens.get().last_used_at is not None


def test_last_used_at_is_not_rewritten_within_a_minute(api, professional):
    recent = timezone.now() - dt.timedelta(seconds=20)
    professional.user.api_tokens.update(last_used_at=recent)
    api("/me")
    assert professional.user.api_tokens.get().last_used_at == recent


def test_last_used_at_is_updated_after_a_minute(api, professional):
    old = timezone.now() - dt.timedelta(minutes=5)
    professional.user.api_tokens.update(last_used_at=old)
    api("/me")
    assert professional.user.api_tokens.get().last_used_at > old


def test_api_responses_are_not_cached(api):
    assert api("/me")["Cache-Control"] == "no-store"


def test_unknown_token_is_audited_with_the_source_address(client, token_key):
    client.get("/api/v1/me", headers=bearer("op_guessed-key"), REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action="token.use")
    assert event.outcome == "denied" and event.actor_id is None
    assert "unknown token" in event.reason and "203.0.113.7" in event.reason
    assert "guessed-key" not in event.reason  # only the first characters are kept


def test_token_of_user_without_professional_profile_is_audited(client):
    key = ApiToken.generate()
    user = UserFactory(kind=User.Kind.FAMILY)
    ApiToken.objects.create(user=user, name="x", key_hash=ApiToken.hash(key), prefix=key[:8])
    client.get("/api/v1/me", headers=bearer(key), REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action="token.use")
    assert event.outcome == "denied" and event.actor_id == user.pk and "203.0.113.7" in event.reason
