import pytest

from tests.factories import ProfessionalFactory


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Argon2 is what production uses (tests/accounts checks); tests hash fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def professional(db):
    return ProfessionalFactory()


@pytest.fixture
def logged_in(client, professional):
    client.force_login(professional.user)
    return client
