"""Audit tests: sealed events, checkpoints, and the tools of someone who owns the database."""
import json

from django.db import connection

from oneplan.audit import chain, merkle
from oneplan.audit.models import AuditEvent, ChainHead, Checkpoint
from oneplan.audit.services import checkpoint, record, seal

TABLES = ("audit_auditevent", "audit_chainhead", "audit_checkpoint", "audit_treenode")


def sealed_events(n: int = 5, *, published: bool = False) -> list[AuditEvent]:
    """n new events, sealed (and covered by a fresh checkpoint when `published`)."""
    events = [record(None, "test.event", reason=f"event {i}", family=i) for i in range(n)]
    seal()
    if published:
        checkpoint(force=True)
    return list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("seq"))


def guard_off() -> None:
    """What a database owner can do: switch the append-only triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        else:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")


def sql(statement: str, params=()) -> None:
    guard_off()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def rows(table: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        return [c[0] for c in cursor.description], cursor.fetchall()


def put_rows(table: str, columns: list[str], values: list[tuple]) -> None:
    if not values:
        return
    values = [tuple(json.dumps(v) if isinstance(v, dict | list) else v for v in row) for row in values]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def snapshot() -> dict:
    """The audit tables as a backup would hold them."""
    return {table: rows(table) for table in TABLES}


def restore(backup: dict) -> None:
    """Put an old backup back over the audit tables."""
    guard_off()
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"DELETE FROM {table}")
    for table, (columns, values) in backup.items():
        put_rows(table, columns, values)


def forge_from(events: list[AuditEvent], link) -> None:
    """Rewrite the chain from events[0] on with `link(seq, key_id, prev_hash, content) -> (key_id,
    hash)`, and make the chain head and the tree agree with it: a forger's complete job."""
    guard_off()
    previous = (AuditEvent.objects.filter(seq=events[0].seq - 1).values_list("hash", flat=True).first()
                or chain.GENESIS)
    for event in events:
        key_id, digest = link(event.seq, event.key_id, previous, event.content())
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=previous, hash=digest, key_id=key_id)
        previous = digest
    rebuild_head()


def rebuild_head() -> None:
    """Recompute the chain head and the tree's right edge from the events as they now are."""
    tree, last_seq, last_hash = merkle.Frontier(), 0, chain.GENESIS
    for event in AuditEvent.objects.filter(seq__isnull=False).order_by("seq"):
        tree.append(chain.leaf(event.seq, event.key_id, event.prev_hash, event.hash, event.content()))
        last_seq, last_hash = event.seq, event.hash
    ChainHead.objects.filter(pk=1).update(last_seq=last_seq, last_hash=last_hash, tree_size=tree.size,
                                          frontier=tree.to_hex())


def forget_checkpoints() -> None:
    """The database's own records of checkpoints, gone (what verify must not rely on)."""
    Checkpoint.objects.all().delete()
