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


def _try(client, username, password="wrong"):
    return client.post("/login/", {"username": username, "password": password})


def test_repeated_failures_slow_down_then_lock_the_account(client, professional, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        "SLOW_AFTER": 3, "SLOW_SECONDS": 30, "LOCK_AFTER": 5, "WINDOW_MINUTES": 15}}
    name = professional.user.username
    for _ in range(3):
        assert "do not match" in _try(client, name).content.decode()
    assert "Wait" in _try(client, name).content.decode()
    # even the right password is refused while slowed down
    assert "Wait" in _try(client, name, "correct-horse-battery").content.decode()


def test_locked_account_refuses_the_right_password_and_is_audited(client, professional, settings):
    from oneplan.accounts.models import LoginAttempt
    from oneplan.audit.models import AuditEvent

    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        "SLOW_AFTER": 100, "SLOW_SECONDS": 0, "LOCK_AFTER": 3, "WINDOW_MINUTES": 15}}
    name = professional.user.username
    for _ in range(3):
        _try(client, name)
    response = _try(client, name, "correct-horse-battery")
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.refused", outcome="denied").exists()
    assert LoginAttempt.objects.filter(username=name, success=False).count() == 4


def test_unknown_user_names_are_locked_the_same_way(client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        "SLOW_AFTER": 100, "SLOW_SECONDS": 0, "LOCK_AFTER": 2, "WINDOW_MINUTES": 15}}
    for _ in range(2):
        _try(client, "nobody")
    assert "locked" in _try(client, "nobody").content.decode()


def test_success_resets_the_count(client, professional, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        "SLOW_AFTER": 100, "SLOW_SECONDS": 0, "LOCK_AFTER": 3, "WINDOW_MINUTES": 15}}
    name = professional.user.username
    _try(client, name)
    _try(client, name)
    assert client.post("/login/", {"username": name, "password": "correct-horse-battery"}).status_code == 302
    client.logout()
    _try(client, name)
    _try(client, name)
    assert "do not match" in _try(client, name).content.decode()
