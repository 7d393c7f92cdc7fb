"""Settings fail loud: production never generates keys, bad values are errors, never defaults."""
import pytest
from django.core.exceptions import ImproperlyConfigured

from oneplan.settings import envbool, envint, envsecret
from tests.core.production import KEYS, oneplan_run, production_env


@pytest.mark.parametrize("missing", sorted(KEYS))
def test_production_refuses_to_start_without_each_key(tmp_path, missing):
    result = oneplan_run("check", env=production_env(tmp_path, **{missing: None}))
    assert result.returncode == 1
    assert f"{missing} is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "keys.json").exists()


def test_production_reads_keys_from_files(tmp_path):
    (tmp_path / "field.key").write_text(KEYS["ONEPLAN_FIELD_KEY"] + "\n")
    env = production_env(tmp_path, ONEPLAN_FIELD_KEY=None, ONEPLAN_FIELD_KEY_FILE=str(tmp_path / "field.key"))
    result = oneplan_run("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "keys.json").exists()


def test_a_field_key_that_is_not_a_fernet_key_stops_the_start(tmp_path):
    result = oneplan_run("check", env=production_env(tmp_path, ONEPLAN_FIELD_KEY="not-a-key"))
    assert result.returncode == 1
    assert "ONEPLAN_FIELD_KEY is not a Fernet key" in result.stderr


def test_debug_is_off_unless_asked_for(tmp_path):
    env = production_env(tmp_path, ONEPLAN_DEBUG=None)
    result = oneplan_run("shell", "-c", "from django.conf import settings; print(settings.DEBUG, "
                         "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
                         "settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER)", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "False True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https')")


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = oneplan_run("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_envbool_refuses_values_it_does_not_know(monkeypatch):
    monkeypatch.setenv("ONEPLAN_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="ONEPLAN_X='maybe' is not a yes/no value"):
        envbool("ONEPLAN_X", False)
    for value, expected in [("1", True), ("yes", True), ("0", False), ("off", False), ("", True)]:
        monkeypatch.setenv("ONEPLAN_X", value)
        assert envbool("ONEPLAN_X", True) is expected


def test_envint_refuses_what_is_not_a_number(monkeypatch):
    monkeypatch.setenv("ONEPLAN_N", "five")
    with pytest.raises(ImproperlyConfigured, match="ONEPLAN_N='five' is not a whole number"):
        envint("ONEPLAN_N", 5)
    monkeypatch.setenv("ONEPLAN_N", "7")
    assert envint("ONEPLAN_N", 5) == 7


def test_a_secret_file_that_cannot_be_read_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("ONEPLAN_S_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="ONEPLAN_S_FILE=.* cannot be read"):
        envsecret("ONEPLAN_S")
