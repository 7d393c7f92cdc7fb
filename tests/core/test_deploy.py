"""deploy/: the compose file and systemd units are well-formed and name only settings that exist.

Docker and systemd are not available where the suite runs, so these check structure, not a start."""
import configparser
import re
from pathlib import Path

import yaml

import oneplan

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
PACKAGE = Path(oneplan.__file__).parent
# Where oneplan reads its environment: the settings and the server command.
SETTINGS = "".join((PACKAGE / p).read_text() for p in ("settings.py", "core/management/commands/serve.py"))


def _unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string((DEPLOY / name).read_text())
    return unit


def test_compose_file_runs_web_worker_and_postgresql_with_keys_as_secrets():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "postgres"}
    assert "oneplan serve" in " ".join(services["web"]["command"])
    assert services["worker"]["command"] == ["oneplan", "worker"]
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["ONEPLAN_DEBUG"] == "0"
        for key in ("SECRET", "FIELD", "INDEX"):
            secret = env[f"ONEPLAN_{key}_KEY_FILE"].removeprefix("/run/secrets/")
            assert secret in services[name]["secrets"] and secret in compose["secrets"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # only the proxy on the host reaches it


def test_systemd_units_run_serve_worker_and_tick_every_five_minutes():
    commands = {name: _unit(name)["Service"]["ExecStart"] for name in
                ("oneplan-web.service", "oneplan-worker.service", "oneplan-tick.service")}
    assert commands["oneplan-web.service"].split()[1:3] == ["serve", "--host"]
    assert commands["oneplan-worker.service"].endswith("oneplan worker")
    assert commands["oneplan-tick.service"].endswith("oneplan tick")
    assert _unit("oneplan-tick.service")["Service"]["Type"] == "oneshot"
    assert _unit("oneplan-tick.timer")["Timer"]["OnCalendar"] == "*:0/5"


def test_every_setting_the_deploy_files_name_is_one_oneplan_reads():
    named = set()
    for path in DEPLOY.iterdir():
        if path.suffix in {".service", ".example", ".yaml"}:
            named |= set(re.findall(r"\b(ONEPLAN_[A-Z_]+)", path.read_text()))
    assert {"ONEPLAN_SECRET_KEY", "ONEPLAN_FIELD_KEY", "ONEPLAN_INDEX_KEY"} <= named
    unknown = {name for name in named
               if f'"{name}"' not in SETTINGS and f'"{name.removesuffix("_FILE")}"' not in SETTINGS}
    assert not unknown
