"""Checkpoints: made when the log grew and one is due, signed, published outside the database as
files never overwritten, each proving it extends the one before; copies go to a witness and to
the privacy officers through the outbox."""
import base64
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from oneplan.audit import checkpoints, jobs, keys, publishing
from oneplan.audit.models import AuditEvent, Checkpoint
from oneplan.audit.services import checkpoint, record, verify
from oneplan.core import outbox
from tests.audit.helpers import forget_checkpoints, restore, sealed_events, snapshot
from tests.factories import ProfessionalFactory
from tests.webhooks.helpers import Receiver

pytestmark = pytest.mark.django_db


def _files(settings):
    return checkpoints.listing(settings.AUDIT_CHECKPOINT_DIR)


def test_a_checkpoint_is_published_as_a_file_outside_the_database(settings):
    events = sealed_events(3)
    made = checkpoint(force=True)
    [(size, path)] = _files(settings)
    assert size == made.tree_size == events[-1].seq
    assert path.parent == settings.AUDIT_CHECKPOINT_DIR and path.name == made.file_name
    assert json.loads(path.read_text()) == made.document


def test_the_checkpoint_is_signed_with_the_audit_signing_key(settings):
    sealed_events(2)
    document = checkpoint(force=True).document
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(document["public_key"]))
    signed = json.dumps(document["checkpoint"], sort_keys=True, separators=(",", ":")).encode()
    public.verify(base64.b64decode(document["signature"]), signed)  # raises when it does not hold
    assert document["public_key"] == keys.public_text(keys.signing_key().public_key())
    assert set(document["checkpoint"]) == {"format", "tree_size", "root_hash", "signed_at", "key_id", "legacy_size"}


def test_no_checkpoint_when_the_log_did_not_grow():
    sealed_events(2)
    assert checkpoint(force=True)
    assert checkpoint(force=True) is None


def test_a_new_checkpoint_waits_for_the_interval(settings, time_machine):
    settings.AUDIT_CHECKPOINT_SECONDS = 60
    sealed_events(2)
    assert checkpoint()
    sealed_events(1)
    assert checkpoint() is None
    time_machine.move_to(timezone.now() + dt.timedelta(seconds=61), tick=True)
    assert checkpoint()


def test_each_checkpoint_proves_it_extends_the_one_before():
    sealed_events(3, published=True)
    sealed_events(5, published=True)
    later, earlier = Checkpoint.objects.all()[:2]
    assert later.document["consistency"]["from_size"] == earlier.tree_size
    assert checkpoints.extends(earlier.document["checkpoint"], later.document)


def test_a_checkpoint_reads_only_the_events_since_the_one_before():
    sealed_events(20, published=True)
    before = Checkpoint.objects.first().tree_size
    sealed_events(2)
    with CaptureQueriesContext(connection) as queries:
        checkpoint(force=True)
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "audit_auditevent"' in q["sql"]]
    assert len(reads) == 1 and f'"seq" > {before}' in reads[0]


def test_a_published_checkpoint_is_never_overwritten(settings):
    sealed_events(2)
    made = checkpoint(force=True)
    path = settings.AUDIT_CHECKPOINT_DIR / made.file_name
    with pytest.raises(FileExistsError):
        checkpoints.publish({**made.document, "signature": "forged"}, settings.AUDIT_CHECKPOINT_DIR)
    assert json.loads(path.read_text()) == made.document


def test_the_checkpointer_will_not_fork_from_checkpoints_the_database_does_not_know():
    """An older copy of the database restored: signing would publish a second history."""
    sealed_events(3, published=True)
    backup = snapshot()
    sealed_events(3, published=True)
    restore(backup)
    sealed_events(4)
    with pytest.raises(publishing.CheckpointRefused, match="not this database's"):
        checkpoint(force=True)


def test_a_checkpoint_published_right_before_a_crash_is_taken_in(settings):
    """The file was written, the database's record of it lost: the next one extends it."""
    sealed_events(3)
    first = checkpoint(force=True)
    forget_checkpoints()
    sealed_events(2)
    second = checkpoint(force=True)
    assert second.document["consistency"]["from_size"] == first.tree_size
    assert Checkpoint.objects.filter(tree_size=first.tree_size).exists()
    assert verify().ok


def test_a_checkpoint_missing_from_the_directory_is_put_back(settings):
    sealed_events(3)
    first = checkpoint(force=True)
    (settings.AUDIT_CHECKPOINT_DIR / first.file_name).unlink()
    sealed_events(1)
    checkpoint(force=True)
    assert [size for size, _ in _files(settings)] == [first.tree_size, first.tree_size + 1]


def test_the_witness_receives_each_checkpoint_through_the_outbox(settings):
    receiver = Receiver().start()
    try:
        settings.AUDIT_WITNESS_URL = receiver.url
        sealed_events(2)
        made = checkpoint(force=True)
        assert not receiver.requests  # nothing leaves before the outbox delivers
        assert outbox.deliver_round() == 1
        assert receiver.bodies() == [made.document]
    finally:
        receiver.stop()


def test_privacy_officers_get_a_checkpoint_by_e_mail_at_most_every_so_many_hours(settings, time_machine):
    settings.AUDIT_EMAIL_HOURS = 24
    officer = ProfessionalFactory(roles=["privacy_officer"])
    sealed_events(2, published=True)
    sealed_events(1, published=True)
    outbox.deliver_round()
    assert [m.to for m in mail.outbox] == [[officer.user.email]]
    assert Checkpoint.objects.last().document["signature"] in mail.outbox[0].body  # the first one
    time_machine.move_to(timezone.now() + dt.timedelta(hours=25), tick=True)
    sealed_events(1, published=True)
    outbox.deliver_round()
    assert len(mail.outbox) == 2


def test_tick_seals_and_publishes_a_checkpoint(settings, capsys):
    sealed_events(2)
    call_command("tick")
    assert "published the signed checkpoint of" in capsys.readouterr().out
    assert _files(settings)


def test_after_a_restore_the_old_checkpoints_set_aside_let_the_log_carry_on(settings):
    """docs/audit.md, "After restoring a backup": the lost events stay on record in the old directory."""
    sealed_events(3, published=True)
    backup = snapshot()
    sealed_events(3, published=True)
    restore(backup)
    settings.AUDIT_CHECKPOINT_DIR.rename(settings.AUDIT_CHECKPOINT_DIR.with_name("audit-checkpoints-before-restore"))
    sealed_events(2)
    assert checkpoint(force=True)
    assert verify().ok


def test_a_refused_checkpoint_does_not_stop_the_workers_poll(caplog, settings, monkeypatch):
    settings.AUDIT_CHECKPOINT_SECONDS = 0
    monkeypatch.setattr(publishing, "_quiet_until", 0.0)
    sealed_events(3, published=True)
    backup = snapshot()
    sealed_events(3, published=True)
    restore(backup)
    record(None, "test.after_restore")
    jobs.poll()
    assert AuditEvent.objects.get(action="test.after_restore").seq  # sealed all the same
    assert "audit checkpoint refused" in caplog.text
