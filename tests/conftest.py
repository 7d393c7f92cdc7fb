import pytest

from tests.factories import ProfessionalFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Argon2 is what production uses (tests/accounts checks); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Background tasks run at once (after the commit) unless a test asks for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


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
