"""Running oneplan processes with production settings (debug off, keys given) in tests."""
import os
import subprocess
import sys
from pathlib import Path

import oneplan

# Test keys only: a valid Fernet key (32 bytes of "0123456789abcdef"), long enough secret keys.
KEYS = {
    "ONEPLAN_SECRET_KEY": "test-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ONEPLAN_FIELD_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
    "ONEPLAN_INDEX_KEY": "test-production-index-key",
    "ONEPLAN_AUDIT_KEYS": "t1:test-production-audit-key-0123456789abcdef",
    # An Ed25519 private key: 32 bytes ("0123456789abcdef" twice) in base64.
    "ONEPLAN_AUDIT_SIGNING_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
}
SRC = str(Path(oneplan.__file__).resolve().parent.parent)


def production_env(var_dir: Path, **overrides) -> dict:
    """Environment for a oneplan process with production settings, its own var dir and SQLite db."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ONEPLAN_", "DJANGO_", "DATABASE_URL"))}
    env.update(KEYS)
    env.update({
        "DJANGO_SETTINGS_MODULE": "oneplan.settings",
        "PYTHONPATH": os.pathsep.join([SRC, os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "ONEPLAN_DEBUG": "0",
        "ONEPLAN_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir / 'oneplan.sqlite3'}",
    })
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def oneplan_run(*args: str, env: dict, timeout: int = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "oneplan.cli", *args], check=False, env=env, capture_output=True,
                          text=True, timeout=timeout)
