import time

import pyotp
import pytest

from oneplan.accounts import two_factor
from oneplan.accounts.models import TwoFactor

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def _code(device, offset=0):
    return pyotp.TOTP(device.secret).at(time.time() + offset)


def _enable(user):
    device = two_factor.start(user)
    two_factor.confirm(user, _code(device))
    return TwoFactor.objects.get(user=user)


def test_setup_page_shows_a_qr_code_and_confirms_with_a_code(client, professional):
    client.force_login(professional.user)
    page = client.get("/account/two-step/").content.decode()
    assert "data:image/svg+xml" in page
    device = TwoFactor.objects.get(user=professional.user)
    assert client.post("/account/two-step/", {"code": _code(device)}).status_code == 302
    assert two_factor.is_enabled(professional.user)


def test_wrong_code_does_not_enable(client, professional):
    client.force_login(professional.user)
    client.get("/account/two-step/")
    response = client.post("/account/two-step/", {"code": "000000"})
    assert response.status_code == 400 and not two_factor.is_enabled(professional.user)


def test_login_asks_for_the_code_when_two_step_is_on(client, professional):
    device = _enable(professional.user)
    response = client.post("/login/", {"username": professional.user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert "_auth_user_id" not in client.session
    assert client.post("/login/code/", {"code": "123456"}).status_code == 400
    response = client.post("/login/code/", {"code": _code(device, 30)})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_code_is_accepted_only_once(professional):
    device = _enable(professional.user)
    code = _code(device, 30)
    assert two_factor.verify(professional.user, code)
    assert not two_factor.verify(professional.user, code)


def test_code_page_without_a_password_step_goes_back_to_login(client):
    assert client.get("/login/code/")["Location"] == "/login/"


def test_a_wrong_code_at_login_is_audited_as_a_failed_login(client, professional):
    from oneplan.audit.models import AuditEvent

    _enable(professional.user)
    client.post("/login/", {"username": professional.user.username, "password": PASSWORD})
    client.post("/login/code/", {"code": "000000"}, REMOTE_ADDR="203.0.113.7")
    event = AuditEvent.objects.get(action="login.fail")
    assert event.outcome == "denied" and event.actor_label == professional.user.username
    assert "two-step code" in event.reason and "203.0.113.7" in event.reason
