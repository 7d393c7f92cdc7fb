"""`oneplan backup`: a consistent SQLite copy taken while others write, restorable with the same keys."""
import json
import sqlite3
import threading
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record
from oneplan.core.management.commands.backup import key_fingerprint
from tests.core.production import oneplan_run, production_env
from tests.factories import ProfessionalFactory

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's online backup")


def _writer(stop: threading.Event, written: list) -> None:
    try:
        while not stop.is_set():
            record(None, "test.backup.concurrent")
            written.append(1)
    finally:
        connection.close()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_taken_while_writing_restores_with_a_valid_audit_chain(tmp_path, settings, capsys):
    professional = ProfessionalFactory()
    for n in range(20):
        record(professional.user, "test.backup.before", reason=f"event {n}")
    before = AuditEvent.objects.count()
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(stop, written))
    writer.start()
    try:
        deadline = time.monotonic() + 10
        while len(written) < 5 and time.monotonic() < deadline:  # the writer is under way
            time.sleep(0.01)
        call_command("backup", "--to", str(tmp_path / "backups"))
    finally:
        stop.set()
        writer.join()
    assert len(written) >= 5

    folder = next((tmp_path / "backups").iterdir())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite" and "0001_initial" in manifest["migrations"]["audit"]
    assert manifest["keys_needed"]["ONEPLAN_FIELD_KEY"]["fingerprint"] == key_fingerprint(
        settings.FIELD_ENCRYPTION_KEY)
    copy = (folder / "oneplan.sqlite3").read_bytes()
    for key in (settings.FIELD_ENCRYPTION_KEY, settings.INDEX_HASH_KEY, settings.SECRET_KEY,
                *settings.AUDIT_LINK_KEYS.values(), settings.AUDIT_SIGNING_KEY):
        assert key.encode() not in copy and key not in (folder / "RESTORE.txt").read_text()

    restored = tmp_path / "restored" / "oneplan.sqlite3"
    restored.parent.mkdir()
    restored.write_bytes(copy)  # the restore: the copy becomes the database
    with sqlite3.connect(restored) as db:
        copied = db.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
    assert before + 5 <= copied <= AuditEvent.objects.count()
    env = production_env(tmp_path / "restored", DATABASE_URL=f"sqlite:///{restored}",
                         ONEPLAN_SECRET_KEY=settings.SECRET_KEY, ONEPLAN_FIELD_KEY=settings.FIELD_ENCRYPTION_KEY,
                         ONEPLAN_INDEX_KEY=settings.INDEX_HASH_KEY, ONEPLAN_AUDIT_KEYS=settings.AUDIT_KEYS,
                         ONEPLAN_AUDIT_SIGNING_KEY=settings.AUDIT_SIGNING_KEY)
    verified = oneplan_run("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert f"{copied}" in verified.stdout.replace(",", "")


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_will_not_overwrite_a_backup(tmp_path, monkeypatch):
    from oneplan.core.management.commands import backup

    class Frozen(backup.datetime):
        @classmethod
        def now(cls, tz=None):
            return backup.datetime(2026, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(backup, "datetime", Frozen)
    call_command("backup", "--to", str(tmp_path))
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", "--to", str(tmp_path))


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the PostgreSQL way")
@pytest.mark.django_db
def test_backup_on_postgresql_says_how_to_use_pg_dump_and_fails(tmp_path):
    with pytest.raises(CommandError, match="pg_dump --format=custom"):
        call_command("backup", "--to", str(tmp_path))
    assert not any(tmp_path.iterdir())
