"""The professional's "API tokens" page at /account/tokens/."""
import re

import pytest

from oneplan.accounts.models import ApiToken
from oneplan.accounts.services import token_create
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def test_page_lists_my_tokens(logged_in, professional):
    token_create(actor_user=professional.user, name="Case sync")
    page = logged_in.get("/account/tokens/").content.decode()
    assert "Case sync" in page


def test_page_requires_login(client):
    assert client.get("/account/tokens/").status_code == 302


def test_creating_a_token_shows_the_key_once(logged_in, professional):
    page = logged_in.post("/account/tokens/", {"name": "Case sync"}).content.decode()
    key = re.search(r'value="(op_[^"]+)"', page).group(1)
    assert ApiToken.objects.get(user=professional.user).key_hash == ApiToken.hash(key)
    assert key not in logged_in.get("/account/tokens/").content.decode()


def test_duplicate_name_is_shown_as_a_field_error(logged_in, professional):
    token_create(actor_user=professional.user, name="Case sync")
    response = logged_in.post("/account/tokens/", {"name": "case sync"})
    assert response.status_code == 400
    assert "already have a token" in response.content.decode()


def test_revoking_my_token(logged_in, professional):
    token, _ = token_create(actor_user=professional.user, name="Case sync")
    response = logged_in.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(logged_in):
    other = ProfessionalFactory()
    token, _ = token_create(actor_user=other.user, name="Theirs")
    logged_in.post(f"/account/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None


def test_nav_links_to_the_tokens_page(logged_in):
    assert 'href="/account/tokens/"' in logged_in.get("/account/tokens/").content.decode()
