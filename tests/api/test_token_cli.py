"""`oneplan token create|revoke|list`."""
import io

import pytest
from django.core.management import CommandError, call_command

from oneplan.accounts.models import ApiToken
from oneplan.audit.models import AuditEvent
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_create_prints_a_key_that_authenticates(client, professional):
    key, note = _run("create", professional.user.username, "--name", "sync")
    assert "cannot be shown again" in note
    assert client.get("/api/v1/me", headers=bearer(key)).status_code == 200


def test_create_stores_only_the_hash_and_audits(professional):
    key, _ = _run("create", professional.user.username, "--name", "sync")
    token = ApiToken.objects.get()
    assert token.key_hash == ApiToken.hash(key)
    assert AuditEvent.objects.filter(action="token.create", object_id=str(token.pk)).exists()


def test_create_for_unknown_user_is_a_readable_error(db):
    with pytest.raises(CommandError, match="no user called 'nobody'"):
        _run("create", "nobody", "--name", "sync")


def test_create_with_empty_name_is_a_readable_error(professional):
    with pytest.raises(CommandError, match="Give the token a name"):
        _run("create", professional.user.username, "--name", "  ")


def test_revoke_by_prefix_stops_the_token(client, professional):
    key, _ = _run("create", professional.user.username, "--name", "sync")
    out, _ = _run("revoke", key[:8])
    assert "Revoked token 'sync'" in out
    assert client.get("/api/v1/me", headers=bearer(key)).status_code == 401
    assert AuditEvent.objects.filter(action="token.revoke", actor_label="system").exists()


def test_revoke_unknown_prefix_is_a_readable_error(db):
    with pytest.raises(CommandError, match="no such token"):
        _run("revoke", "op_zzzzz")


def test_revoke_twice_says_already_revoked(professional):
    key, _ = _run("create", professional.user.username, "--name", "sync")
    _run("revoke", key[:8])
    with pytest.raises(CommandError, match="already been revoked"):
        _run("revoke", key[:8])


def test_list_shows_prefixes_never_keys(professional):
    key, _ = _run("create", professional.user.username, "--name", "sync")
    out, _ = _run("list", professional.user.username)
    assert key[:8] in out and key not in out
