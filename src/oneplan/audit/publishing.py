"""Making checkpoints: sign the tree's root and publish it outside the database.

The worker looks every second (`checkpoint_if_due`) and `oneplan tick` at every run; a
checkpoint is made only when the tree grew, at most every AUDIT_CHECKPOINT_SECONDS. Before
signing, the checkpointer reads the events sealed since the checkpoint before (never the whole
log again), checks their keyed links, rebuilds the tree's right edge from that checkpoint's and
compares it with the one the sealer kept, and builds the consistency proof from the checkpoint
before: a signature vouches for events that checked out. It refuses (`CheckpointRefused`) when
the published checkpoints and the database disagree, so the published history never forks.

The signed file goes to AUDIT_CHECKPOINT_DIR; the same transaction that records it puts the
optional copies for outside witnesses in the outbox: a POST to AUDIT_WITNESS_URL and, at most
every AUDIT_EMAIL_HOURS, an e-mail to the privacy officers (`RECIPIENTS`, set by the access app).
"""
import datetime as dt
import json
import logging
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oneplan.audit import chain, checkpoints, keys, merkle
from oneplan.audit.models import AuditEvent, ChainHead, Checkpoint
from oneplan.core import email, outbox

log = logging.getLogger(__name__)

WITNESS_KIND = "audit.witness"
# fn() -> [(e-mail address, language)] of the privacy officers; set by the access app.
RECIPIENTS: Callable[[], list[tuple[str, str]]] | None = None


class CheckpointRefused(Exception):
    """The database and the published checkpoints disagree: no checkpoint until that is resolved."""


@dataclass
class _Base:
    """The checkpoint a new one extends (or the empty tree)."""

    tree: merkle.Frontier
    root_hash: str
    legacy_size: int

    @classmethod
    def of(cls, row: Checkpoint | None) -> "_Base":
        """From the database's record of a checkpoint whose root the published file confirmed: the
        record's tree edge must give that root (anything else would make a wrong proof)."""
        if row is None:
            return cls(merkle.Frontier(), merkle.EMPTY_ROOT.hex(), 0)
        tree = merkle.Frontier.from_hex(row.tree_size, row.frontier)
        if tree.root().hex() != row.root_hash:
            raise CheckpointRefused(f"The database's record of the checkpoint of {row.tree_size} events does not "
                                    "give its signed root. Run `oneplan audit verify`.")
        return cls(tree, row.root_hash, row.legacy_size)


def _due(head: ChainHead | None, last: Checkpoint | None, force: bool) -> bool:
    if head is None or head.tree_size == 0 or head.tree_size < head.last_seq:
        return False  # nothing sealed, or the tree is still taking in the events of before it
    if last and last.tree_size >= head.tree_size:
        return False
    interval = dt.timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS)
    return force or last is None or timezone.now() - last.signed_at >= interval


def checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign and publish a checkpoint when the tree grew since the last one and that one is at
    least AUDIT_CHECKPOINT_SECONDS old (`force`: as soon as it grew). Returns it, or None."""
    head = ChainHead.objects.filter(pk=1).first()  # a snapshot: sealed events never change
    last = Checkpoint.objects.first()
    if not _due(head, last, force):
        return None
    base = _reconcile(last, head)
    if base.tree.size >= head.tree_size:
        return None
    proof = merkle.ConsistencyBuilder(base.tree, head.tree_size) if base.tree.size else None
    tree, legacy_size = _extend(base, head.tree_size, proof)
    if tree.to_hex() != head.frontier:
        raise CheckpointRefused("The tree the sealer kept does not match the events: not signed. "
                                "Run `oneplan audit verify`.")
    signed_at = timezone.now()
    body = checkpoints.statement(tree_size=tree.size, root_hash=tree.root().hex(), signed_at=signed_at,
                                 key_id=keys.key_id(keys.signing_key().public_key()), legacy_size=legacy_size)
    consistency = proof and {"from_size": base.tree.size, "from_root": base.root_hash,
                             "path": [h.hex() for h in proof.path()]}
    document = checkpoints.sign(body, keys.signing_key(), consistency)
    with transaction.atomic():
        ChainHead.locked()  # one checkpointer at a time
        if Checkpoint.objects.filter(tree_size__gt=base.tree.size).exists():
            return None  # another one was quicker; the next checkpoint extends it
        row = _record(document, tree, signed_at)
        _announce(row)
    return row


_quiet_until = 0.0


def checkpoint_if_due() -> Checkpoint | None:
    """The worker's poll (every second). A refusal is logged as an error once per checkpoint
    interval, and does not stop the worker: sealing and the outbox go on (`oneplan tick` fails
    on it, loudly)."""
    global _quiet_until
    if time.monotonic() < _quiet_until:
        return None
    try:
        return checkpoint()
    except (CheckpointRefused, keys.AuditKeyMissing) as refusal:
        _quiet_until = time.monotonic() + settings.AUDIT_CHECKPOINT_SECONDS
        log.error("audit checkpoint refused: %s", refusal)
        return None


def _record(document: dict, tree: merkle.Frontier, signed_at: dt.datetime) -> Checkpoint:
    """Publish the file, then the database's copy (a crash in between is healed by `_reconcile`)."""
    body = document["checkpoint"]
    name = checkpoints.publish(document, settings.AUDIT_CHECKPOINT_DIR)
    return Checkpoint.objects.create(
        tree_size=body["tree_size"], root_hash=body["root_hash"], signed_at=signed_at, key_id=body["key_id"],
        legacy_size=body["legacy_size"], frontier=tree.to_hex(), file_name=name, document=document,
        mailed=_mail_due(signed_at))


def _reconcile(last: Checkpoint | None, head: ChainHead) -> _Base:
    """The checkpoint to extend, once the directory and the database agree on the newest one."""
    try:
        return _reconcile_checked(last, head)
    except checkpoints.BadCheckpoint as bad:
        raise CheckpointRefused(f"A published checkpoint is not valid: {bad}. Run `oneplan audit verify`.") from None


def _reconcile_checked(last: Checkpoint | None, head: ChainHead) -> _Base:
    files = checkpoints.listing(settings.AUDIT_CHECKPOINT_DIR, min_size=last.tree_size if last else 0)
    trusted = keys.trusted_public_keys()
    if last and (not files or files[0][0] != last.tree_size):
        # Our own signed statement is missing from the directory (a new or emptied directory):
        # putting it back adds nothing anyone could not check.
        checkpoints.check(last.document, trusted)
        checkpoints.publish(last.document, settings.AUDIT_CHECKPOINT_DIR)
        log.warning("audit checkpoint %s was missing from %s and is published again", last.tree_size,
                    settings.AUDIT_CHECKPOINT_DIR)
        files = checkpoints.listing(settings.AUDIT_CHECKPOINT_DIR, min_size=last.tree_size)
    if last:
        body = checkpoints.check(checkpoints.read(files[0][1]), trusted)
        if body["root_hash"] != last.root_hash:
            raise CheckpointRefused(f"The published checkpoint of {last.tree_size} events does not match "
                                    "the database's record of it. Run `oneplan audit verify`.")
    newer = [f for f in files if f[0] > (last.tree_size if last else 0)]
    if not newer:
        return _Base.of(last)
    return _adopt(last, newer[-1], head, trusted)


def _adopt(last: Checkpoint | None, newest: tuple, head: ChainHead, trusted: dict) -> _Base:
    """A published checkpoint the database has no record of: one whose record was lost in a crash
    right after publishing matches the events and is taken in; any other means this database
    is not the log that was published (an older copy restored over it), and nothing is signed."""
    size, path = newest
    document = checkpoints.read(path)
    body = checkpoints.check(document, trusted)
    refused = CheckpointRefused(
        f"The published checkpoint of {size} events ({path.name}) is not this database's: an older copy "
        "of the database may have been restored over a newer log. No checkpoint is signed until "
        "`oneplan audit verify` has been run and the cause resolved (docs/audit.md).")
    if size > head.tree_size:
        raise refused
    tree, _legacy = _extend(_Base.of(last), size, None)
    if tree.root().hex() != body["root_hash"]:
        raise refused
    signed_at = dt.datetime.fromisoformat(body["signed_at"].replace("Z", "+00:00"))
    Checkpoint.objects.create(
        tree_size=size, root_hash=body["root_hash"], signed_at=signed_at, key_id=body["key_id"],
        legacy_size=body["legacy_size"], frontier=tree.to_hex(), file_name=path.name, document=document)
    return _Base(tree, body["root_hash"], body["legacy_size"])


def _extend(base: _Base, size: int, proof: merkle.ConsistencyBuilder | None) -> tuple[merkle.Frontier, int]:
    """The tree of `size` events: the base's, extended by the events after it, whose links are
    checked on the way (and fed to the consistency proof)."""
    tree, legacy_size, previous = base.tree.copy(), base.legacy_size, None
    link_keys: dict[str, bytes] = {}
    fields = ("id", "seq", "key_id", "prev_hash", "hash", *AuditEvent.HASHED_FIELDS[1:])
    rows = (AuditEvent.objects.filter(seq__gt=tree.size, seq__lte=size).order_by("seq")
            .values_list(*fields))
    for row in rows.iterator(chunk_size=5000):
        event_id, seq, key_id, prev_hash, link, *values = row
        content = chain.content_of((event_id, *values))
        if seq != tree.size + 1 or previous is not None and prev_hash != previous:
            raise CheckpointRefused(f"The chain is broken at place {tree.size + 1}: not signed. "
                                    "Run `oneplan audit verify`.")
        if key_id == chain.LEGACY and legacy_size != tree.size:
            raise CheckpointRefused(f"Event #{event_id} has an unkeyed link after keyed ones: not signed.")
        if key_id not in link_keys:
            link_keys[key_id] = None if key_id == chain.LEGACY else keys.link_key(key_id)
        if chain.link(link_keys[key_id], key_id, seq, prev_hash, content) != link:
            raise CheckpointRefused(f"The link of event #{event_id} does not hold: not signed. "
                                    "Run `oneplan audit verify`.")
        leaf = chain.leaf(seq, key_id, prev_hash, link, content)
        if proof:
            proof.add(tree.size, leaf)
        tree.append(leaf)
        legacy_size += key_id == chain.LEGACY
        previous = link
    if tree.size != size:
        raise CheckpointRefused(f"The log has fewer than {size} sealed events: not signed.")
    return tree, legacy_size


def _mail_due(signed_at: dt.datetime) -> bool:
    if settings.AUDIT_EMAIL_HOURS <= 0 or RECIPIENTS is None:
        return False
    mailed = Checkpoint.objects.filter(mailed=True).first()
    if mailed and signed_at - mailed.signed_at < dt.timedelta(hours=settings.AUDIT_EMAIL_HOURS):
        return False
    return bool(RECIPIENTS())  # with no privacy officer yet, the first one gets the next checkpoint


def _announce(row: Checkpoint) -> None:
    """Copies for outside witnesses, through the outbox (sent after the commit)."""
    if settings.AUDIT_WITNESS_URL:
        outbox.put(WITNESS_KIND, {"url": settings.AUDIT_WITNESS_URL, "document": row.document})
    if row.mailed:
        text = json.dumps(row.document, indent=2)
        messages = []
        for address, language in RECIPIENTS():
            with translation.override(language or settings.LANGUAGE_CODE):
                messages.append(email.message(to=address, subject=_(
                    "Audit log checkpoint: %(size)s events") % {"size": row.tree_size}, text=_(
                    "A signed checkpoint of the oneplan audit log. Keep this e-mail: it is a copy "
                    "outside the server. `oneplan audit verify` checks the log against checkpoints, and "
                    "a copy kept elsewhere still shows a change if the server's copies were changed too "
                    "(docs/audit.md).\n\nEvents: %(size)s\nRoot hash: %(root)s\nSigned: %(at)s\n"
                    "Signing key: %(key)s\n\nThe signed checkpoint:\n\n%(document)s\n") % {
                    "size": row.tree_size, "root": row.root_hash, "at": row.document["checkpoint"]["signed_at"],
                    "key": row.key_id, "document": text}))
        email.send_many(messages)


def deliver_to_witness(payload: dict, message) -> None:
    """Outbox handler: POST the signed checkpoint (JSON) to the witness; a 2xx answer is delivered,
    anything else raises so the outbox tries again. Redirects are not followed."""
    request = urllib.request.Request(
        payload["url"], data=json.dumps(payload["document"]).encode(), method="POST",
        headers={"content-type": "application/json", "user-agent": "oneplan-audit/1"})
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=10) as response:
        if not 200 <= response.status < 300:
            raise RuntimeError(f"witness answered HTTP {response.status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

