import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import ProfessionalFactory

# Every test runs on this clock (ticking on from it), so a test never depends on the day it runs:
# a Tuesday morning in Amsterdam, away from month ends and daylight-saving changes. A test that
# needs another moment travels itself (the `time_machine` fixture). Browser tests keep the real
# clock: the browser's own clock cannot travel, and cookie expiry must agree with it.
TEST_NOW = dt.datetime(2026, 6, 16, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture(autouse=True)
def _controlled_clock(request):
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Argon2 is what production uses (tests/accounts checks); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Background tasks run at once (after the commit) unless a test asks for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Each test's database is a new audit log: its published checkpoints go with it.
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "audit-checkpoints"
    settings.AUDIT_VERIFY_STATE = tmp_path / "audit-verified.json"


@pytest.fixture
def professional(db):
    return ProfessionalFactory()


@pytest.fixture
def logged_in(client, professional):
    client.force_login(professional.user)
    return client


@pytest.fixture
def audit_chain_started(db):
    """The first audit event creates the chain head; query counts measure the steady state."""
    from oneplan.audit.services import record

    record(None, "test.warmup")
