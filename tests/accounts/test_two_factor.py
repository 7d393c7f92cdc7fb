import threading
from base64 import b32decode

import pytest
from django.db import connection
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from oneplan.accounts import two_factor
from oneplan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _no_device_delay(settings):
    # django-otp makes a device wait 1, 2, 4... seconds after wrong codes; tests that are not
    # about that delay type their codes without waiting.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _code(device, steps=0):
    return str(totp(device.bin_key, drift=steps)).zfill(6)


def _enable(user) -> tuple[TOTPDevice, list[str]]:
    device = two_factor.start(user)
    codes = two_factor.confirm(user, _code(device))
    device.refresh_from_db()
    return device, codes


def _password(client, user, address="127.0.0.1"):
    return client.post("/login/", {"username": user.username, "password": PASSWORD},
                       REMOTE_ADDR=address)


def _limits(settings, **limits):
    settings.ONEPLAN = {**settings.ONEPLAN, "LOGIN_LIMITS": {
        **settings.ONEPLAN["LOGIN_LIMITS"], **limits}}


def test_setup_page_shows_a_qr_code_and_confirms_with_a_code(client, professional):
    client.force_login(professional.user)
    page = client.get("/account/two-step/").content.decode()
    assert "data:image/svg+xml" in page
    device = TOTPDevice.objects.get(user=professional.user)
    response = client.post("/account/two-step/", {"code": _code(device)})
    assert response.status_code == 200 and two_factor.is_enabled(professional.user)
    shown = [t.token for t in StaticToken.objects.filter(device__user=professional.user)]
    assert len(shown) == 10 and all(code in response.content.decode() for code in shown)
    assert "not shown again" in response.content.decode()


def test_wrong_code_does_not_enable(client, professional):
    client.force_login(professional.user)
    client.get("/account/two-step/")
    response = client.post("/account/two-step/", {"code": "000000"})
    assert response.status_code == 400 and not two_factor.is_enabled(professional.user)


def test_login_asks_for_the_code_when_two_step_is_on(client, professional):
    device, _ = _enable(professional.user)
    response = _password(client, professional.user)
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.post("/login/code/", {"code": "123456"}).status_code == 400
    response = client.post("/login/code/", {"code": _code(device, 1)})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_code_is_accepted_only_once(professional):
    device, _ = _enable(professional.user)
    code = _code(device, 1)
    assert two_factor.verify(professional.user, code)
    assert not two_factor.verify(professional.user, code)


def test_an_older_code_is_refused_after_a_newer_one(professional):
    device, _ = _enable(professional.user)
    assert two_factor.verify(professional.user, _code(device, 1))
    assert not two_factor.verify(professional.user, _code(device, 0))


@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_twice_at_once_is_accepted_once(professional, monkeypatch):
    device, _ = _enable(professional.user)
    code = _code(device, 1)
    both_read = threading.Barrier(2)
    real_wait = two_factor._wait

    def wait_for_the_other(device):
        # Both requests have read the device; without the row lock both would now see the
        # same last_t and accept the code. With it, the second is still waiting for the row.
        try:
            both_read.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return real_wait(device)

    monkeypatch.setattr(two_factor, "_wait", wait_for_the_other)
    results = []

    def attempt():
        try:
            results.append(two_factor.verify(professional.user, code))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]


def test_code_page_without_a_password_step_goes_back_to_login(client):
    assert client.get("/login/code/")["Location"] == "/login/"


def test_a_wrong_code_at_login_is_audited_as_a_failed_login(client, professional):
    _enable(professional.user)
    _password(client, professional.user)
    client.post("/login/code/", {"code": "000000"}, REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action="login.fail")
    assert event.outcome == "denied" and event.actor_label == professional.user.username
    assert "two-step code" in event.reason and "203.0.113.7" in event.reason


def test_a_backup_code_logs_in_once_and_is_audited(client, professional):
    _, codes = _enable(professional.user)
    _password(client, professional.user)
    response = client.post("/login/code/", {"code": codes[0].upper()[:4] + " " + codes[0][4:]},
                           follow=True)
    assert "_auth_user_id" in client.session
    assert "9 left" in response.content.decode()
    assert AuditEvent.objects.filter(action="login.backup_code", actor_id=professional.user.pk,
                                     reason__startswith="9 backup codes left").exists()
    client.logout()
    _password(client, professional.user)
    assert client.post("/login/code/", {"code": codes[0]}).status_code == 400
    assert "_auth_user_id" not in client.session


def test_new_backup_codes_replace_the_old_ones(client, professional):
    device, old = _enable(professional.user)
    client.force_login(professional.user)
    response = client.post("/account/two-step/", {"code": _code(device, 1), "action": "backup_codes"})
    new = [t.token for t in StaticToken.objects.filter(device__user=professional.user)]
    assert response.status_code == 200 and len(new) == 10 and not set(new) & set(old)
    assert not two_factor.verify(professional.user, old[1])
    assert two_factor.verify(professional.user, new[1])


def test_turning_off_with_a_backup_code_removes_every_device(client, professional):
    _, codes = _enable(professional.user)
    client.force_login(professional.user)
    assert client.post("/account/two-step/", {"code": codes[2], "action": "off"}).status_code == 302
    assert not two_factor.is_enabled(professional.user)
    assert not StaticToken.objects.filter(device__user=professional.user).exists()


def test_wrong_codes_count_as_failed_logins_and_lock_the_pair(client, professional, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    device, _ = _enable(professional.user)
    _password(client, professional.user)
    for _ in range(3):
        client.post("/login/code/", {"code": "000000"})
    response = client.post("/login/code/", {"code": _code(device, 1)})
    assert "locked" in response.content.decode() and "_auth_user_id" not in client.session
    # the password step from this address is locked as well ...
    assert "locked" in _password(client, professional.user).content.decode()
    # ... but not from another address
    assert _password(client, professional.user, address="198.51.100.2").status_code == 302


def test_a_right_password_does_not_reset_the_wrong_codes(client, professional, settings):
    _limits(settings, SLOW_AFTER=100, SLOW_SECONDS=0, LOCK_AFTER=3)
    device, _ = _enable(professional.user)
    for _ in range(3):
        _password(client, professional.user)
        client.post("/login/code/", {"code": "000000"})
    _password(client, professional.user)
    response = client.post("/login/code/", {"code": _code(device, 1)})
    assert "locked" in response.content.decode() and "_auth_user_id" not in client.session


def test_the_device_makes_you_wait_after_a_wrong_code(client, professional, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _ = _enable(professional.user)
    _password(client, professional.user)
    client.post("/login/code/", {"code": "000000"})
    response = client.post("/login/code/", {"code": _code(device, 1)})
    assert "Wait" in response.content.decode() and "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login.refused", outcome="denied").exists()


@pytest.mark.django_db(transaction=True)
def test_secrets_from_before_django_otp_keep_working():
    from django.db.migrations.executor import MigrationExecutor

    from tests.factories import UserFactory

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0005_loginattempt_ip_index")])
    old_apps = executor.loader.project_state([("accounts", "0005_loginattempt_ip_index")]).apps
    user = UserFactory()
    step = int(__import__("time").time() // 30)
    old_apps.get_model("accounts", "TwoFactor").objects.create(
        user_id=user.pk, secret=secret, confirmed_at="2026-01-01T00:00:00Z", last_used_step=step - 5)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.last_t == step - 5
    assert device.bin_key == b32decode(secret)
    assert two_factor.is_enabled(user)
    assert two_factor.verify(user, str(totp(b32decode(secret))).zfill(6))
