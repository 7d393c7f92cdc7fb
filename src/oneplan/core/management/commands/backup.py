"""`oneplan backup`: a consistent copy of the SQLite database, taken while oneplan runs.

SQLite's online backup API copies one snapshot even while others write. Next to the copy go a
manifest (when, engine, version, migration state, checksum) and RESTORE.txt. The keys are never
copied: the manifest names the ones the restored database needs and fingerprints them, so an
operator can tell the right keys from wrong ones without the backup holding them. PostgreSQL is
backed up with pg_dump (the command says how and fails, so a cron job never believes it backed up).
"""
import hashlib
import json
import os
import sqlite3
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

PG_DUMP = """PostgreSQL is backed up with its own tools, not with oneplan backup:

    pg_dump --format=custom --file=oneplan-$(date -u +%Y%m%dT%H%M%SZ).dump "$DATABASE_URL"

pg_dump takes one consistent snapshot while oneplan keeps running. Restore into an empty database:

    pg_restore --no-owner --exit-on-error --dbname="$NEW_DATABASE_URL" oneplan-....dump

then start oneplan on it with the same ONEPLAN_FIELD_KEY, ONEPLAN_INDEX_KEY and audit keys and run
`oneplan audit verify` (docs/audit.md, "After restoring a backup"). See README, "Backups"."""

# What each key is needed for once the database is restored.
KEYS = {
    "ONEPLAN_FIELD_KEY": ("FIELD_ENCRYPTION_KEY", "decrypts the national identifiers; without it they are lost"),
    "ONEPLAN_INDEX_KEY": ("INDEX_HASH_KEY", ("matches identifiers in the reference index; without it "
                                             "new registrations no longer match the stored ones")),
    "ONEPLAN_SECRET_KEY": ("SECRET_KEY", ("signs sessions and password-reset links; a new one only "
                                          "logs everyone out")),
    "ONEPLAN_AUDIT_KEYS": ("AUDIT_KEYS", ("verify the audit log's links (every key id ever used); without "
                                          "them `oneplan audit verify` cannot check the log")),
    "ONEPLAN_AUDIT_SIGNING_KEY": ("AUDIT_SIGNING_KEY", ("signs the audit log's checkpoints; a new one also "
                                                        "needs the old public key in ONEPLAN_AUDIT_VERIFY_KEYS")),
}


def key_fingerprint(value: str) -> str:
    """A short, one-way mark of a key: tells the right key from a wrong one, reveals nothing."""
    return hashlib.sha256(b"oneplan key fingerprint\0" + value.encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Command(BaseCommand):
    help = ("Back up the SQLite database while oneplan runs (online backup API), with a manifest and "
            "restore notes; never the keys. On PostgreSQL, prints how to use pg_dump instead.")

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"),
                            help="directory the backup folder is made in (default: var/backups)")

    def handle(self, *args, to, **options):
        if connection.vendor != "sqlite":
            raise CommandError(PG_DUMP)
        source = Path(settings.DATABASES["default"]["NAME"])
        if not source.is_file():
            raise CommandError(f"There is no SQLite database at {source}.")
        now = datetime.now(UTC)
        target = Path(to) / f"oneplan-{now:%Y%m%dT%H%M%SZ}"
        try:
            target.mkdir(parents=True, exist_ok=False)
        except FileExistsError:
            raise CommandError(f"{target} exists already; wait a second or choose another --to.") from None
        except OSError as exc:
            raise CommandError(f"Cannot make {target}: {exc.strerror}.") from None
        os.chmod(target, 0o700)  # family data: readable by the owner only
        copy = target / "oneplan.sqlite3"
        self._copy(source, copy)
        manifest = self._manifest(now, copy)
        (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
        (target / "RESTORE.txt").write_text(self._restore_notes(manifest))
        self.stdout.write(self.style.SUCCESS(f"Backed up to {target}"))
        self.stdout.write("Restoring needs these keys (not in the backup): "
                          + ", ".join(manifest["keys_needed"]))

    @staticmethod
    def _copy(source: Path, copy: Path) -> None:
        """One step (pages=-1): the whole database from one read snapshot, writers carry on (WAL)."""
        src = sqlite3.connect(source, timeout=30)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst, pages=-1)
            # The copy is one self-contained file: no -wal/-shm next to it to lose.
            dst.execute("PRAGMA journal_mode=DELETE")
            result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            dst.close()
            src.close()
        os.chmod(copy, 0o600)
        if result != "ok":
            raise CommandError(f"The copy failed SQLite's integrity check: {result}")

    @staticmethod
    def _manifest(now: datetime, copy: Path) -> dict:
        try:
            app_version = version("oneplan")
        except PackageNotFoundError:
            app_version = "unknown"
        with sqlite3.connect(copy) as db:
            applied = db.execute(f"SELECT app, name FROM {MigrationRecorder.Migration._meta.db_table} "
                                 "ORDER BY app, name").fetchall()
        migrations: dict[str, list[str]] = {}
        for app, name in applied:
            migrations.setdefault(app, []).append(name)
        return {
            "created_at": now.isoformat(),
            "engine": "sqlite",
            "sqlite_version": sqlite3.sqlite_version,
            "oneplan_version": app_version,
            "django_version": django.get_version(),
            "database_file": copy.name,
            "size_bytes": copy.stat().st_size,
            "sha256": _sha256(copy),
            "migrations": migrations,
            "keys_needed": {env: {"why": why, "fingerprint": key_fingerprint(getattr(settings, name))}
                            for env, (name, why) in KEYS.items()},
        }

    @staticmethod
    def _restore_notes(manifest: dict) -> str:
        keys = "\n".join(f"  {env} (fingerprint {info['fingerprint']}): {info['why']}"
                         for env, info in manifest["keys_needed"].items())
        return f"""oneplan backup of {manifest['created_at']} (oneplan {manifest['oneplan_version']})

To restore:
1. Stop oneplan (web and worker).
2. Check the copy: sha256sum {manifest['database_file']}  -> {manifest['sha256']}
3. Copy {manifest['database_file']} to the database path (DATABASE_URL) and remove any old
   -wal and -shm files next to that path.
4. Start oneplan with the SAME keys the backup was made with (they are not in this folder):
{keys}
   A key's fingerprint: printf 'oneplan key fingerprint\\0%s' "$KEY" | sha256sum | cut -c1-16
5. Run `oneplan migrate` (a newer oneplan brings the schema up to date) and `oneplan audit verify`.
   The audit log's published checkpoints still cover the events written after this backup: verify
   reports them as lost, and no new checkpoint is signed until the old checkpoint directory is
   set aside (docs/audit.md, "After restoring a backup").
"""
