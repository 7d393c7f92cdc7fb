import datetime as dt
import importlib

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_production_settings_hash_passwords_with_argon2():
    settings_module = importlib.import_module("oneplan.settings")
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sessions_end_after_30_idle_minutes():
    settings_module = importlib.import_module("oneplan.settings")
    assert settings_module.SESSION_COOKIE_AGE == 30 * 60
    assert "oneplan.core.middleware.SessionTouchMiddleware" in settings_module.MIDDLEWARE


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_page_within_a_minute_does_not_write_the_session(logged_in):
    logged_in.get("/families/")
    before = _expiry(logged_in)
    logged_in.get("/families/")
    assert _expiry(logged_in) == before


def test_activity_after_a_minute_moves_the_idle_time_out_on(logged_in, time_machine):
    logged_in.get("/families/")
    before = _expiry(logged_in)
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=5))
    logged_in.get("/families/")
    assert _expiry(logged_in) >= before + dt.timedelta(minutes=4)


def test_a_session_idle_for_30_minutes_is_over(logged_in, time_machine):
    logged_in.get("/families/")
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=31))
    assert logged_in.get("/families/").status_code == 302


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


def _try(client, username, password="wrong", address="127.0.0.1"):
    return client.post("/login/", {"username": username, "password": password},
                       REMOTE_ADDR=address)


def _limits(settings, **limits):
    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        **settings.ONEPLAN["LOGIN_LIMITS"], **limits}}


def test_repeated_failures_slow_down_then_lock_the_account(client, professional, settings):
    _limits(settings, SLOW_AFTER=3, SLOW_SECONDS=30, LOCK_AFTER=5)
    name = professional.user.username
    for _ in range(3):
        assert "do not match" in _try(client, name).content.decode()
    assert "Wait" in _try(client, name).content.decode()
    # even the right password is refused while slowed down
    assert "Wait" in _try(client, name, "correct-horse-battery").content.decode()


def test_locked_account_refuses_the_right_password_and_is_audited(client, professional, settings):
    from oneplan.accounts.models import LoginAttempt
    from oneplan.audit.models import AuditEvent

    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    name = professional.user.username
    for _ in range(3):
        _try(client, name)
    response = _try(client, name, "correct-horse-battery")
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.refused", outcome="denied").exists()
    assert LoginAttempt.objects.filter(username=name, success=False).count() == 4


def test_unknown_user_names_are_locked_the_same_way(client, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=2)
    for _ in range(2):
        _try(client, "nobody")
    assert "locked" in _try(client, "nobody").content.decode()


def test_success_resets_the_count(client, professional, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    name = professional.user.username
    _try(client, name)
    _try(client, name)
    assert client.post("/login/", {"username": name, "password": "correct-horse-battery"}).status_code == 302
    client.logout()
    _try(client, name)
    _try(client, name)
    assert "do not match" in _try(client, name).content.decode()


def _message(response) -> str:
    import re

    found = re.search(r"(That user name[^<]*|Too many failed attempts[^<]*)", response.content.decode())
    return found.group(1) if found else ""


def test_ten_failures_from_address_a_do_not_lock_the_coordinator_logging_in_from_address_b(
        client, professional, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=10)
    name = professional.user.username
    for _ in range(10):
        _try(client, name, address="203.0.113.7")
    assert "locked" in _try(client, name, "correct-horse-battery", address="203.0.113.7").content.decode()
    response = _try(client, name, "correct-horse-battery", address="198.51.100.2")
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_locked_pair_stays_locked_after_the_owner_logs_in_elsewhere(client, professional, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    name = professional.user.username
    for _ in range(3):
        _try(client, name, address="203.0.113.7")
    assert _try(client, name, "correct-horse-battery", address="198.51.100.2").status_code == 302
    client.logout()
    assert "locked" in _try(client, name, "correct-horse-battery", address="203.0.113.7").content.decode()


def test_an_address_trying_30_different_accounts_is_slowed(client, professional):
    from oneplan.audit.models import AuditEvent

    # the shipped limits: one or two tries per user name, as password spraying does
    answers = [_message(_try(client, f"user{i}", address="203.0.113.7")) for i in range(30)]
    assert answers[0].startswith("That user name")
    assert any(a.startswith("Too many failed attempts. Wait") for a in answers)
    # the slowed address cannot get at a real account either, even with the right password
    response = _try(client, professional.user.username, "correct-horse-battery", address="203.0.113.7")
    assert response.status_code == 200 and "Wait" in _message(response)
    assert AuditEvent.objects.filter(action="login.refused", outcome="denied",
                                     actor_label=professional.user.username).exists()
    # ... while other addresses log in as usual
    assert _try(client, professional.user.username, "correct-horse-battery",
                address="198.51.100.2").status_code == 302


def test_a_success_does_not_reset_the_count_for_the_address(client, professional, settings):
    _limits(settings, ADDRESS_SLOW_AFTER=100, ADDRESS_SLOW_SECONDS=0, ADDRESS_LOCK_AFTER=4)
    for i in range(3):
        _try(client, f"user{i}")
    assert _try(client, professional.user.username, "correct-horse-battery").status_code == 302
    client.logout()
    _try(client, "user9")
    assert "locked" in _message(_try(client, professional.user.username, "correct-horse-battery"))


def test_lock_and_slow_messages_are_the_same_for_unknown_and_known_user_names(
        client, professional, settings):
    _limits(settings, SLOW_AFTER=2, SLOW_SECONDS=30, LOCK_AFTER=4)
    name = professional.user.username
    for expected_kind in ("That user name", "That user name", "Too many failed attempts. Wait",
                          "Too many failed attempts. Wait"):
        known, unknown = _message(_try(client, name)), _message(_try(client, "nobody-here"))
        assert known.startswith(expected_kind) and known == unknown
    known, unknown = _message(_try(client, name)), _message(_try(client, "nobody-here"))
    assert "locked" in known and known == unknown


def test_a_failed_login_is_audited_with_who_where_what_and_outcome(client, professional):
    from oneplan.audit.models import AuditEvent

    _try(client, professional.user.username, address="203.0.113.7")
    event = AuditEvent.objects.get(action="login.fail")
    assert event.outcome == "denied"
    assert event.actor_label == professional.user.username and event.actor_id is None
    assert event.object_type == "accounts.user" and event.object_id == str(professional.user.pk)
    assert "203.0.113.7" in event.reason and "wrong password" in event.reason
    assert event.at is not None


def test_a_failed_login_with_an_unknown_user_name_is_audited(client):
    from oneplan.audit.models import AuditEvent

    _try(client, "nobody-here", address="203.0.113.7")
    event = AuditEvent.objects.get(action="login.fail")
    assert event.outcome == "denied" and event.actor_label == "nobody-here"
    assert event.object_id == "" and "unknown user name" in event.reason
    assert "203.0.113.7" in event.reason


def test_a_successful_login_writes_no_failure_event(client, professional):
    from oneplan.audit.models import AuditEvent

    assert _try(client, professional.user.username, "correct-horse-battery").status_code == 302
    assert not AuditEvent.objects.filter(outcome="denied").exists()


def test_behind_a_proxy_the_address_the_proxy_saw_is_used(client, professional, settings):
    from oneplan.audit.models import AuditEvent

    settings.ONEPLAN = {**settings.ONEPLAN, "PROXY_HOPS": 1}
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    name = professional.user.username
    for _ in range(3):  # the client's own X-Forwarded-For entry (left) is not believed
        client.post("/login/", {"username": name, "password": "wrong"}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR="198.51.100.2, 203.0.113.7")
    assert "203.0.113.7" in AuditEvent.objects.filter(action="login.fail").first().reason
    locked = client.post("/login/", {"username": name, "password": "correct-horse-battery"},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert "locked" in _message(locked)
    other = client.post("/login/", {"username": name, "password": "correct-horse-battery"},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert other.status_code == 302


def test_addresses_in_one_ipv6_64_count_as_one(client, settings):
    _limits(settings, ADDRESS_SLOW_AFTER=100, ADDRESS_SLOW_SECONDS=0, ADDRESS_LOCK_AFTER=3)
    for i in range(3):
        _try(client, f"user{i}", address=f"2001:db8:1:2::{i + 1:x}")
    assert "locked" in _message(_try(client, "user9", address="2001:db8:1:2:ffff::1"))
    assert "do not match" in _message(_try(client, "user9", address="2001:db8:1:3::1"))
