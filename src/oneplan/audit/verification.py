"""`oneplan audit verify`: the log against its keyed links and the signed, published checkpoints.

Only the checkpoint files are trusted (their signatures, under the keys in the settings), never
the database's own records. The check walks the events in chain order, recomputes each link
with the audit key and each leaf of the Merkle tree, and compares the tree's root with every
published checkpoint as it reaches its size; consecutive checkpoints must prove they extend each
other. It stops at the first place the log differs and says what that looks like: a changed
event, a deleted one, a chain recomputed without the key, a replaced log, a cut-off tail or an
older copy of the database restored over a newer log.

A full check reads every event. Afterwards the last checkpoint verified is remembered
(AUDIT_VERIFY_STATE, with the tree's right edge there), and the next check reads only the events
after it, plus two cheap questions about the part before (is it all still there, and is its
last link unchanged); `full=True` (`--full`) reads everything again.
"""
import json
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from oneplan.audit import chain, checkpoints, keys, merkle
from oneplan.audit.models import AuditEvent, ChainHead, Checkpoint

FIELDS = ("seq", "key_id", "prev_hash", "hash", *chain.CONTENT_FIELDS)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    message: str
    broken_at: int | None = None  # the first event where the log differs, when one can be named
    # "" when intact; else deleted, changed, recomputed, replaced, rewritten, truncated, restored,
    # forked, checkpoint (a published file is wrong or missing) or missing-key
    kind: str = ""
    checkpoints: int = 0


class _Broken(Exception):
    def __init__(self, kind: str, message: str, event_id: int | None = None):
        super().__init__(message)
        self.kind, self.message, self.event_id = kind, message, event_id


@dataclass
class _Published:
    size: int
    body: dict
    name: str

    @property
    def when(self) -> str:
        return self.body["signed_at"]


@dataclass
class _Verified:
    """A checkpoint the events matched, and the chain there: where the next check starts."""

    published: _Published
    tree: merkle.Frontier
    last_hash: str
    legacy_size: int


def _known(published: _Published) -> bool:
    """Does this database have its own record of the checkpoint (tells a restore from a cut)?"""
    return Checkpoint.objects.filter(tree_size=published.size, root_hash=published.body["root_hash"]).exists()


def _load_published(min_size: int) -> list[_Published]:
    """The published checkpoints from `min_size` on, each checked: signature, and that it extends
    the one before it (its consistency proof)."""
    trusted, found, bodies = keys.trusted_public_keys(), [], {}
    for size, path in checkpoints.listing(settings.AUDIT_CHECKPOINT_DIR, min_size=min_size):
        try:
            document = checkpoints.read(path)
            body = checkpoints.check(document, trusted)
        except checkpoints.BadCheckpoint as bad:
            raise _Broken("checkpoint", f"The checkpoint file {path.name} is not valid: {bad}.") from None
        if body["tree_size"] != size:
            raise _Broken("checkpoint", f"The checkpoint file {path.name} holds a checkpoint of "
                                        f"{body['tree_size']} events: it was renamed.")
        if found:
            _check_extends(found, bodies, body, document, path.name)
        bodies[size] = body
        found.append(_Published(size, body, path.name))
    return found


def _check_extends(found: list[_Published], bodies: dict, body: dict, document: dict, name: str) -> None:
    proof = document.get("consistency")
    if not isinstance(proof, dict):
        raise _Broken("checkpoint", f"The checkpoint file {name} has no proof that it extends the checkpoint "
                                    "before it.")
    earlier = bodies.get(proof.get("from_size"))
    if earlier is None:
        raise _Broken("checkpoint", f"The checkpoint file {name} extends a checkpoint of {proof.get('from_size')} "
                                    "events that is not in the checkpoint directory: published checkpoints "
                                    "were removed.")
    if body["legacy_size"] != found[0].body["legacy_size"]:
        raise _Broken("checkpoint", f"The checkpoint file {name} counts other unkeyed events than "
                                    f"{found[0].name}: one of them is not this log's.")
    if not checkpoints.extends(earlier, document):
        raise _Broken("forked", f"The checkpoint of {body['tree_size']} events (signed {body['signed_at']}) "
                                f"does not extend the one of {earlier['tree_size']} events (signed "
                                f"{earlier['signed_at']}): the published history forked, the log was rewritten "
                                "or restored between them.")


@dataclass
class _Scan:
    """The walk through the events in chain order, from a verified position."""

    tree: merkle.Frontier
    last_hash: str
    legacy_size: int  # unkeyed links so far (they may only open the log)
    pending: deque[_Published]  # checkpoints still to reach, smallest first
    legacy_limit: int | None = None  # what the checkpoints say
    checked: int = 0
    verified: _Verified | None = None
    first_after_verified: int | None = None  # id of the event after the last checkpoint matched
    bad: tuple | None = None  # (event id, place, key id, why) of the first link that does not hold
    bad_after: int = 0
    good_after: int = 0
    link_keys: dict = field(default_factory=dict)

    def _link_holds(self, seq, key_id, prev_hash, link, content) -> bool:
        if key_id not in self.link_keys:
            self.link_keys[key_id] = None if key_id == chain.LEGACY else keys.link_key(key_id)
        return chain.link(self.link_keys[key_id], key_id, seq, prev_hash, content) == link

    def _unkeyed_out_of_place(self, seq: int, key_id: str) -> bool:
        return key_id == chain.LEGACY and (
            self.legacy_size != seq - 1 or (self.legacy_limit is not None and seq > self.legacy_limit))

    def event(self, row: tuple) -> None:
        seq, key_id, prev_hash, link, event_id, *rest = row
        content = chain.content_of((event_id, *rest))
        if self.bad:  # only telling a single change from a recomputed chain now
            if self._unkeyed_out_of_place(seq, key_id) or not self._link_holds(seq, key_id, prev_hash, link, content):
                self.bad_after += 1
            else:
                self.good_after += 1
            return
        if seq != self.tree.size + 1:
            raise _Broken("deleted", f"Place {self.tree.size + 1} in the chain is missing: the event there was "
                                     f"deleted (the next one is event #{event_id}, at place {seq}).", event_id)
        if prev_hash != self.last_hash:
            raise _Broken("changed", f"Event #{event_id} does not link to the event before it: an earlier "
                                     "event was deleted or changed.", event_id)
        if self._unkeyed_out_of_place(seq, key_id):
            self.bad = (event_id, seq, key_id, "unkeyed")
            return
        if not self._link_holds(seq, key_id, prev_hash, link, content):
            self.bad = (event_id, seq, key_id, "link")
            return
        if self.first_after_verified is None:
            self.first_after_verified = event_id
        self.tree.append(chain.leaf(seq, key_id, prev_hash, link, content))
        self.legacy_size += key_id == chain.LEGACY
        self.last_hash = link
        self.checked += 1
        while self.pending and self.pending[0].size == self.tree.size:
            self._compare(self.pending.popleft(), event_id)

    def _compare(self, published: _Published, event_id: int) -> None:
        if self.tree.root().hex() == published.body["root_hash"]:
            self.verified = _Verified(published, self.tree.copy(), self.last_hash, self.legacy_size)
            self.first_after_verified = None
            return
        since = (f"event #{self.first_after_verified} (place {self.verified.published.size + 1 if self.verified else 1})"
                 if self.first_after_verified else f"event #{event_id}")
        if not _known(published):
            raise _Broken("restored", (
                f"The events up to place {published.size} do not match the checkpoint signed {published.when}, "
                "and this database has no record of that checkpoint: an older copy of the database was "
                f"restored over a newer log and written on. The log differs from what was published from "
                f"{since} on, at the latest at event #{event_id}."), self.first_after_verified or event_id)
        raise _Broken("rewritten", (
            f"The events from {since} to #{event_id} (place {published.size}) do not match the checkpoint "
            f"signed {published.when}, though every link holds: one of them was changed, inserted or "
            "deleted by someone holding the audit key."), self.first_after_verified or event_id)

    def finish(self, head_seq: int) -> None:
        if self.bad:
            self._explain_bad()
        if head_seq > self.tree.size:
            raise _Broken("truncated", f"The chain ends at place {self.tree.size} but the chain head says "
                                       f"{head_seq}: the newest events were deleted.")
        if self.pending:
            beyond = self.pending[0]
            if _known(beyond):
                raise _Broken("truncated", (
                    f"The log ends at place {self.tree.size}, but the checkpoint signed {beyond.when} covers "
                    f"{beyond.size} events: the newest {beyond.size - self.tree.size} events were deleted "
                    "(the tail was cut off)."))
            raise _Broken("restored", (
                f"The log holds {self.tree.size} events, but the checkpoint signed {beyond.when} covers "
                f"{beyond.size}, and this database has no record of it: an older copy of the database was "
                "restored over a newer log (or the newest events were deleted together with the "
                "database's checkpoint records)."))

    def _explain_bad(self) -> None:
        event_id, seq, key_id, why = self.bad
        recomputed = self.bad_after > 0 and self.good_after == 0
        if recomputed and seq == 1:
            raise _Broken("replaced", (
                f"The log was replaced: from its first event (#{event_id}) on no link holds under the audit "
                "key, though the events link to each other: a self-consistent copy made without the keys."),
                event_id)
        if why == "unkeyed":
            allowed = (f"the signed checkpoints allow unkeyed links for the first {self.legacy_limit} events only"
                       if self.legacy_limit is not None else "unkeyed links may only come before the first keyed one")
            raise _Broken("recomputed", (
                f"Event #{event_id} (place {seq}) carries an unkeyed link where the log is keyed ({allowed}): "
                "the chain from there was recomputed without the audit key."), event_id)
        if recomputed:
            raise _Broken("recomputed", (
                f"From event #{event_id} (place {seq}) on no link holds under the audit key, though the events "
                f"link to each other: event #{event_id} was changed and the chain after it recomputed without "
                "the audit key."), event_id)
        raise _Broken("changed", (
            f"Event #{event_id} (place {seq}) was changed after it was sealed: its link does not hold under "
            f"audit key {key_id}."), event_id)


def _read_state() -> dict | None:
    try:
        state = json.loads(Path(settings.AUDIT_VERIFY_STATE).read_text())
        return state if state.get("format") == 1 else None
    except (OSError, ValueError):
        return None


def _write_state(verified: _Verified) -> None:
    path = Path(settings.AUDIT_VERIFY_STATE)
    state = {"format": 1, "tree_size": verified.tree.size, "root_hash": verified.published.body["root_hash"],
             "frontier": verified.tree.to_hex(), "last_hash": verified.last_hash,
             "legacy_size": verified.legacy_size, "file": verified.published.name,
             "verified_at": timezone.now().isoformat(timespec="seconds")}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(state, indent=2) + "\n")
    os.replace(temporary, path)


def _start_from(state: dict, published: list[_Published]) -> _Scan:
    """The scan after the checkpoint verified last time, once the part before it still stands."""
    size, when = state["tree_size"], state["verified_at"]
    if not published or published[0].size != size or published[0].body["root_hash"] != state["root_hash"]:
        raise _Broken("checkpoint", f"The checkpoint of {size} events verified on {when} is gone from "
                                    f"{settings.AUDIT_CHECKPOINT_DIR} or changed: published checkpoints were "
                                    "removed or replaced.")
    last = AuditEvent.objects.filter(seq=size).values_list("id", "hash").first()
    if last is None or AuditEvent.objects.filter(seq__lte=size).count() != size:
        raise _Broken("deleted", f"The log no longer holds the {size} events verified on {when}: events were "
                                 "deleted, or an older copy of the database was restored. Run `oneplan audit "
                                 "verify --full` to find where.")
    if last[1] != state["last_hash"]:
        raise _Broken("changed", f"Event #{last[0]} at place {size}, verified on {when}, has changed since. Run "
                                 "`oneplan audit verify --full` to find the first difference.", last[0])
    tree = merkle.Frontier.from_hex(size, state["frontier"])
    scan = _Scan(tree, state["last_hash"], state["legacy_size"], deque(published[1:]),
                 legacy_limit=published[0].body["legacy_size"])
    scan.verified = _Verified(published[0], tree.copy(), state["last_hash"], state["legacy_size"])
    return scan


def _summary(scan: _Scan, published: list[_Published], state: dict | None) -> str:
    parts = []
    if state:
        parts.append(f"Checked from the checkpoint of {state['tree_size']:,} events verified on "
                     f"{state['verified_at']} (--full checks every event again).")
    parts.append(f"Audit log intact: {scan.checked} events verified against their keyed links.")
    newest = scan.verified.published if scan.verified else None
    if newest:
        parts.append(f"{len(published)} signed checkpoints checked; the newest covers {newest.size:,} events "
                     f"(signed {newest.when}).")
        if scan.tree.size > newest.size:
            parts.append(f"{scan.tree.size - newest.size} events sealed since are covered by their keyed links "
                         "until the next checkpoint.")
    else:
        parts.append("No signed checkpoint has been published yet: only the keyed links protect the log "
                     "(docs/audit.md).")
    waiting = AuditEvent.objects.filter(seq__isnull=True).count()
    if waiting:
        parts.append(f"Not sealed yet: {waiting} newer events (the worker seals them every second).")
    return " ".join(parts)


def verify(*, full: bool = True, chunk_size: int = 5000) -> ChainReport:
    """Check the log; `full=False` starts from the checkpoint the last check verified."""
    state = None if full else _read_state()
    scan = None
    try:
        published = _load_published(state["tree_size"] if state else 0)
        if state:
            scan = _start_from(state, published)
        else:
            legacy = published[0].body["legacy_size"] if published else None
            scan = _Scan(merkle.Frontier(), chain.GENESIS, 0, deque(published), legacy_limit=legacy)
        head_seq = ChainHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
        top = AuditEvent.objects.aggregate(top=Max("seq"))["top"] or 0
        rows = (AuditEvent.objects.filter(seq__gt=scan.tree.size, seq__lte=max(head_seq, top))
                .order_by("seq").values_list(*FIELDS))
        for row in rows.iterator(chunk_size=chunk_size):
            scan.event(row)
        scan.finish(head_seq)
    except _Broken as broken:
        return ChainReport(False, scan.checked if scan else 0, broken.message, broken.event_id, broken.kind)
    except keys.AuditKeyMissing as missing:
        return ChainReport(False, scan.checked if scan else 0, str(missing), kind="missing-key")
    if scan.verified and (not state or scan.verified.tree.size > state["tree_size"]):
        _write_state(scan.verified)
    return ChainReport(True, scan.checked, _summary(scan, published, state), checkpoints=len(published))
