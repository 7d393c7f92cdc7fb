"""The audit keys: links keyed by key id (rotation keeps old ids verifiable), a clear error
without a key, the signing key's rotation, and the unkeyed links of before kept as they are."""
import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from oneplan.audit import chain, keys
from oneplan.audit.models import AuditEvent, ChainHead, Checkpoint
from oneplan.audit.services import checkpoint, record, verify
from tests.audit.helpers import sealed_events
from tests.core.production import oneplan_run, production_env

pytestmark = pytest.mark.django_db

NEW_KEY = "k2:" + "another audit key of at least 32 characters"
NEW_SIGNING_KEY = base64.b64encode(b"fedcba9876543210" * 2).decode()


def _rotate(settings, *, keep_old: bool = True) -> None:
    key_id, secret = NEW_KEY.split(":", 1)
    settings.AUDIT_LINK_KEYS = {**(settings.AUDIT_LINK_KEYS if keep_old else {}), key_id: secret}
    settings.AUDIT_KEY_ID = key_id


def test_new_events_are_sealed_with_the_current_key_id(settings):
    events = sealed_events(2)
    assert {e.key_id for e in events} == {settings.AUDIT_KEY_ID}


def test_events_sealed_with_an_earlier_key_still_verify_after_rotation(settings):
    first = sealed_events(2, published=True)
    _rotate(settings)
    later = sealed_events(2, published=True)
    assert {e.key_id for e in first} == {"dev1"} and {e.key_id for e in later} == {"k2"}
    assert verify().ok


def test_verify_without_the_key_an_event_was_sealed_with_says_which_key_is_missing(settings):
    sealed_events(2)
    _rotate(settings, keep_old=False)
    report = verify()
    assert (report.ok, report.kind) == (False, "missing-key")
    assert "The audit key 'dev1' is not configured" in report.message and "ONEPLAN_AUDIT_KEYS" in report.message


def test_the_verify_command_without_the_key_fails_with_that_message(settings):
    sealed_events(2)
    _rotate(settings, keep_old=False)
    with pytest.raises(CommandError, match="The audit key 'dev1' is not configured"):
        call_command("audit", "verify")


def test_checkpoints_of_an_earlier_signing_key_verify_when_its_public_key_is_listed(settings):
    sealed_events(2, published=True)
    earlier = keys.public_text(keys.signing_key().public_key())
    settings.AUDIT_SIGNING_KEY, settings.AUDIT_VERIFY_KEYS = NEW_SIGNING_KEY, [earlier]
    sealed_events(2, published=True)
    assert len({c.key_id for c in Checkpoint.objects.all()}) == 2
    assert verify().ok


def test_a_checkpoint_signed_with_a_key_not_trusted_is_reported(settings):
    sealed_events(2, published=True)
    settings.AUDIT_SIGNING_KEY = NEW_SIGNING_KEY
    report = verify()
    assert (report.ok, report.kind) == (False, "checkpoint")
    assert "which this installation does not trust" in report.message


def _sealed_the_old_way(n: int) -> int:
    """Events sealed as before the chain was keyed (migration 0005): unkeyed links, no tree."""
    for i in range(n):
        record(None, "test.old", reason=f"old {i}")
    with transaction.atomic():
        head = ChainHead.locked()
        seq, last = head.last_seq, head.last_hash
        for event in AuditEvent.objects.filter(seq__isnull=True).order_by("id"):
            link = chain.legacy_link(last, event.content())
            seq += 1
            AuditEvent.objects.filter(pk=event.pk).update(seq=seq, prev_hash=last, hash=link)
            last = link
        ChainHead.objects.filter(pk=1).update(last_seq=seq, last_hash=last)
    return seq


def test_events_sealed_before_the_key_stay_verifiable_as_unkeyed_links():
    old = _sealed_the_old_way(3)
    sealed_events(2)  # the sealer first puts the old events into the tree, then seals keyed
    made = checkpoint(force=True)
    assert made.legacy_size == old and ChainHead.objects.get().tree_size == old + 2
    assert set(AuditEvent.objects.filter(seq__lte=old).values_list("key_id", flat=True)) == {chain.LEGACY}
    report = verify()
    assert report.ok, report.message


def test_production_refuses_an_audit_key_id_it_has_no_key_for(tmp_path):
    result = oneplan_run("check", env=production_env(tmp_path, ONEPLAN_AUDIT_KEY_ID="k9"))
    assert result.returncode == 1
    assert "ONEPLAN_AUDIT_KEY_ID='k9' is not one of the ids in ONEPLAN_AUDIT_KEYS" in result.stderr


def test_production_refuses_a_signing_key_that_is_not_one(tmp_path):
    result = oneplan_run("check", env=production_env(tmp_path, ONEPLAN_AUDIT_SIGNING_KEY="not-a-key"))
    assert result.returncode == 1
    assert "ONEPLAN_AUDIT_SIGNING_KEY is not an Ed25519 private key" in result.stderr


def test_production_refuses_a_short_audit_key(tmp_path):
    result = oneplan_run("check", env=production_env(tmp_path, ONEPLAN_AUDIT_KEYS="k1:short"))
    assert result.returncode == 1
    assert "ONEPLAN_AUDIT_KEYS holds id:secret pairs" in result.stderr


def test_a_pem_signing_key_is_read_like_a_base64_one(settings):
    private = Ed25519PrivateKey.from_private_bytes(base64.b64decode(NEW_SIGNING_KEY))
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    settings.AUDIT_SIGNING_KEY = pem
    assert keys.public_text(keys.signing_key().public_key()) == keys.public_text(private.public_key())


def test_public_key_command_prints_the_key_that_verifies_checkpoints(capsys):
    sealed_events(1, published=True)
    call_command("audit", "public-key")
    out = capsys.readouterr().out
    document = Checkpoint.objects.first().document
    assert document["public_key"] in out and document["checkpoint"]["key_id"] in out
