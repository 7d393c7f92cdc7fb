import importlib

import pytest

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2():
    settings_module = importlib.import_module("oneplan.settings")
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_end_after_30_idle_minutes():
    settings_module = importlib.import_module("oneplan.settings")
    assert settings_module.SESSION_COOKIE_AGE == 30 * 60
    assert settings_module.SESSION_SAVE_EVERY_REQUEST is True


def test_login_with_right_password_lands_on_caseload(client, professional):
    response = client.post("/login/", {"username": professional.user.username,
                                       "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == "/families/"


def test_wrong_password_shows_a_clear_message(client, professional):
    response = client.post("/login/", {"username": professional.user.username, "password": "nope"})
    assert "do not match" in response.content.decode()


def test_pages_answer_in_dutch(logged_in):
    logged_in.post("/i18n/setlang/", {"language": "nl", "next": "/families/"})
    assert "Mijn caseload" in logged_in.get("/families/").content.decode()
