"""`oneplan audit verify`: against the published checkpoints only, incremental after a first full
check, and what it says about checkpoint files that were changed or removed."""
import json
import os
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from oneplan.audit.models import Checkpoint
from oneplan.audit.services import append_sealed, checkpoint, record, verify
from tests.audit.helpers import sealed_events, sql

pytestmark = pytest.mark.django_db


def test_an_intact_log_verifies_against_its_checkpoints():
    sealed_events(3, published=True)
    sealed_events(2, published=True)
    report = verify()
    assert report.ok and report.checkpoints == 2
    assert "2 signed checkpoints checked" in report.message


def test_events_sealed_after_the_newest_checkpoint_are_reported_as_such():
    sealed_events(3, published=True)
    sealed_events(2)
    assert "2 events sealed since are covered by their keyed links until the next checkpoint" in verify().message


def test_events_not_sealed_yet_are_reported_as_such():
    sealed_events(1)
    record(None, "test.event")
    assert "Not sealed yet: 1 newer events" in verify().message


def test_a_log_without_checkpoints_says_so():
    sealed_events(2)
    assert "No signed checkpoint has been published yet" in verify().message


def test_a_second_check_reads_only_the_events_after_the_checkpoint_verified_before():
    sealed_events(5, published=True)
    assert verify().ok
    sealed_events(3, published=True)
    report = verify(full=False)
    assert report.ok and report.checked == 3
    assert "Checked from the checkpoint of" in report.message


def test_the_second_check_still_notices_events_deleted_before_that_checkpoint():
    events = sealed_events(5, published=True)
    assert verify().ok
    sql("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    report = verify(full=False)
    assert (report.ok, report.kind) == (False, "deleted")
    assert "--full" in report.message


def test_a_full_check_reads_every_event_again():
    """What the quick check leaves to --full: a rewrite before the last verified checkpoint."""
    events = sealed_events(5, published=True)
    assert verify().ok
    sql("UPDATE audit_auditevent SET reason = 'nothing to see' WHERE id = %s", [events[1].id])
    assert verify(full=False).ok
    assert verify(full=True).broken_at == events[1].id


def test_the_command_checks_only_what_is_new_unless_told_full(capsys):
    sealed_events(3, published=True)
    call_command("audit", "verify")
    sealed_events(2, published=True)
    call_command("audit", "verify")
    assert "Audit log intact: 2 events verified" in capsys.readouterr().out
    call_command("audit", "verify", "--full")
    assert "Checked from" not in capsys.readouterr().out


def test_a_changed_checkpoint_file_is_reported(settings):
    sealed_events(3, published=True)
    made = Checkpoint.objects.first()
    path = settings.AUDIT_CHECKPOINT_DIR / made.file_name
    document = json.loads(path.read_text())
    document["checkpoint"]["tree_size"] += 1
    os.chmod(path, 0o644)
    path.write_text(json.dumps(document))
    report = verify()
    assert (report.ok, report.kind) == (False, "checkpoint")
    assert "its signature does not hold" in report.message


def test_a_removed_checkpoint_file_is_reported(settings):
    sealed_events(2, published=True)
    middle = sealed_events(2, published=True)
    sealed_events(2, published=True)
    (settings.AUDIT_CHECKPOINT_DIR / Checkpoint.objects.get(tree_size=middle[-1].seq).file_name).unlink()
    report = verify()
    assert (report.ok, report.kind) == (False, "checkpoint")
    assert "published checkpoints were removed" in report.message


def test_the_command_says_broken_and_fails(settings):
    events = sealed_events(3, published=True)
    sql("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [events[0].id])
    with pytest.raises(CommandError, match=f"BROKEN .*Event #{events[0].id}"):
        call_command("audit", "verify")


@pytest.mark.slow
def test_a_hundred_thousand_events_verify_in_seconds():
    now = timezone.now()
    append_sealed({"at": now, "action": "family.read", "actor_label": "bench", "family_id": n % 500}
                  for n in range(100_000))
    checkpoint(force=True)
    started = time.perf_counter()
    report = verify()
    elapsed = time.perf_counter() - started
    assert report.ok and report.checked >= 100_000
    assert elapsed < 30, elapsed
