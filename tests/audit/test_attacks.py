"""Someone who owns the database (but not the audit keys, kept outside it) tries to change the
past. Each attempt is made as thoroughly as the database allows: triggers off, links, chain head
and tree recomputed, the database's own checkpoint records adjusted. Each is caught."""
import hashlib
import hmac

import pytest
from django.db import connection

from oneplan.audit import chain
from oneplan.audit.models import AuditEvent, ChainHead, Checkpoint
from oneplan.audit.services import record, seal, verify
from tests.audit.helpers import (
    forge_from,
    forget_checkpoints,
    guard_off,
    rebuild_head,
    restore,
    sealed_events,
    snapshot,
    sql,
)

pytestmark = pytest.mark.django_db


def _unkeyed(seq, key_id, prev_hash, content):
    """The old, unkeyed link: anyone can compute it (our own function)."""
    return chain.LEGACY, chain.legacy_link(prev_hash, content)


def _guessed_key(seq, key_id, prev_hash, content):
    return key_id, chain.keyed_link(b"a key the forger made up", key_id, seq, prev_hash, content)


def test_a_rewritten_reason_is_caught():
    events = sealed_events(5)
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[2].id])
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "changed", events[2].id)
    assert f"Event #{events[2].id}" in report.message and "changed after it was sealed" in report.message


def test_a_chain_recomputed_with_the_unkeyed_function_is_caught():
    events = sealed_events(5)
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[2].id])
    forge_from(list(AuditEvent.objects.filter(seq__gte=events[2].seq).order_by("seq")), _unkeyed)
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "recomputed", events[2].id)
    assert "unkeyed link where the log is keyed" in report.message


def test_a_chain_recomputed_with_a_guessed_key_is_caught():
    events = sealed_events(5)
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[2].id])
    forge_from(list(AuditEvent.objects.filter(seq__gte=events[2].seq).order_by("seq")), _guessed_key)
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "recomputed", events[2].id)
    assert "recomputed without the audit key" in report.message


def test_deleting_the_newest_events_and_moving_the_head_back_is_caught():
    events = sealed_events(6, published=True)
    sql("DELETE FROM audit_auditevent WHERE seq >= %s", [events[4].seq])
    rebuild_head()  # the chain head and the tree now end where the log ends
    report = verify()
    assert (report.ok, report.kind) == (False, "truncated")
    assert f"covers {events[-1].seq} events: the newest 2 events were deleted" in report.message


def test_deleting_the_newest_events_with_the_databases_checkpoint_records_is_caught():
    events = sealed_events(6, published=True)
    sql("DELETE FROM audit_auditevent WHERE seq >= %s", [events[4].seq])
    rebuild_head()
    forget_checkpoints()
    report = verify()
    assert (report.ok, report.kind) == (False, "restored")
    assert f"holds {events[3].seq} events, but the checkpoint signed" in report.message


def test_a_log_replaced_by_a_self_consistent_forgery_is_caught():
    sealed_events(5, published=True)
    guard_off()
    everything = list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq"))
    with connection.cursor() as cursor:  # the forger's own story, same places, same key id
        cursor.execute("UPDATE audit_auditevent SET reason = 'routine check', actor_label = 'system'")
    forge_from(list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq")), _guessed_key)
    forget_checkpoints()
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "replaced", everything[0].id)
    assert "self-consistent copy made without the keys" in report.message


def test_a_log_replaced_by_an_unkeyed_forgery_is_caught():
    sealed_events(5, published=True)
    first = AuditEvent.objects.get(seq=1)
    forge_from(list(AuditEvent.objects.filter(seq__isnull=False).order_by("seq")), _unkeyed)
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "replaced", first.id)


def test_an_old_backup_restored_over_a_newer_log_is_caught():
    sealed_events(4, published=True)
    backup = snapshot()
    sealed_events(3, published=True)
    newest = Checkpoint.objects.first().tree_size
    restore(backup)
    report = verify()
    assert (report.ok, report.kind) == (False, "restored")
    assert f"covers {newest}, and this database has no record of it" in report.message


def test_an_old_backup_restored_and_written_on_is_caught():
    sealed_events(4, published=True)
    backup = snapshot()
    sealed_events(3, published=True)
    restore(backup)
    written_on = sealed_events(5)  # the restored log carries on with new events
    report = verify()
    assert (report.ok, report.kind, report.broken_at) == (False, "restored", written_on[0].id)
    assert "an older copy of the database was restored over a newer log and written on" in report.message


def test_a_rewrite_by_someone_holding_the_audit_key_is_caught_by_the_signed_checkpoint(settings):
    """The audit key alone does not suffice: the signing key is needed to hide a change."""
    events = sealed_events(5, published=True)
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[2].id])
    key = settings.AUDIT_LINK_KEYS[events[2].key_id].encode()
    forge_from(list(AuditEvent.objects.filter(seq__gte=events[2].seq).order_by("seq")),
               lambda seq, key_id, prev, content: (key_id, chain.keyed_link(key, key_id, seq, prev, content)))
    report = verify()
    assert (report.ok, report.kind) == (False, "rewritten")
    assert "though every link holds" in report.message


def test_a_deleted_event_renumbered_away_is_caught():
    """Deleting an event and moving the later ones up a place changes their keyed links."""
    events = sealed_events(5)
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    for event in events[2:]:
        sql("UPDATE audit_auditevent SET seq = seq - 1 WHERE id = %s", [event.id])
    forge_from(list(AuditEvent.objects.filter(seq__gte=events[1].seq).order_by("seq")),
               lambda seq, key_id, prev, content: (key_id, hashlib.sha256(b"x").hexdigest()))
    report = verify()
    assert (report.ok, report.broken_at) == (False, events[2].id)


def test_events_written_after_the_attack_do_not_hide_it():
    events = sealed_events(3, published=True)
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[1].id])
    for i in range(3):
        record(None, "test.later", reason=f"later {i}")
    seal()
    assert verify().broken_at == events[1].id
    assert ChainHead.objects.get().last_seq == events[-1].seq + 3
    assert hmac.compare_digest(AuditEvent.objects.get(pk=events[0].pk).hash, events[0].hash)
