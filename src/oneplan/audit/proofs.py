"""Inclusion proofs: one event, shown to be in the log a signed checkpoint covers (RFC 9162 2.1.3).

A proof is a small JSON file: the event's fields as sealed, its leaf index (place - 1), the
newest checkpoint that covers it (statement, signature, public key) and the audit path from the
event's leaf to that checkpoint's root. `check` needs no database: only the public keys this
installation trusts (settings), and the audit key when at hand, to check the event's link too.
`build` reads a few stored subtrees (TreeNode) and at most two blocks of 256 events.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from oneplan.audit import chain, checkpoints, keys, merkle
from oneplan.audit.models import NODE_LEVEL, AuditEvent, Checkpoint, TreeNode

FORMAT = "oneplan-audit-inclusion-proof/1"
BLOCK = 1 << NODE_LEVEL
SEALED_FIELDS = ("seq", "key_id", "prev_hash", "hash")


class ProofUnavailable(Exception):
    """No proof for this event (yet)."""


@dataclass(frozen=True)
class ProofCheck:
    valid: bool
    message: str
    event_id: int | None = None


def _stored(start: int, end: int) -> tuple[int, int] | None:
    """(level, index) of the TreeNode for leaves [start, end), when one is kept for it."""
    width = end - start
    if width >= BLOCK and width & (width - 1) == 0 and start % width == 0:
        return width.bit_length() - 1, start // width
    return None


def _pieces(start: int, end: int, nodes: set, leaves: set) -> None:
    """What [start, end) is made of: kept subtrees, and the blocks of leaves for the rest."""
    if (key := _stored(start, end)) is not None:
        nodes.add(key)
    elif end - start <= BLOCK:
        leaves.update(range(start // BLOCK, (end - 1) // BLOCK + 1))
    else:
        k = merkle.split(end - start)
        _pieces(start, start + k, nodes, leaves)
        _pieces(start + k, end, nodes, leaves)


def _leaves(blocks: set, size: int) -> dict[int, bytes]:
    fields = (*SEALED_FIELDS, *chain.CONTENT_FIELDS)
    ranges = Q()
    for block in blocks:
        ranges |= Q(seq__gt=block * BLOCK, seq__lte=min((block + 1) * BLOCK, size))
    rows = AuditEvent.objects.filter(ranges).values_list(*fields)
    return {seq - 1: chain.leaf(seq, key_id, prev, link, chain.content_of(rest))
            for seq, key_id, prev, link, *rest in rows}


def _path(index: int, size: int) -> list[bytes]:
    wanted = merkle.inclusion_path(index, size, lambda start, end: (start, end))
    nodes, blocks = set(), set()
    for start, end in wanted:
        _pieces(start, end, nodes, blocks)
    kept = Q()
    for level, at in nodes:
        kept |= Q(level=level, index=at)
    stored = ({(n.level, n.index): bytes.fromhex(n.hash) for n in TreeNode.objects.filter(kept)} if nodes else {})
    leaves = _leaves(blocks, size) if blocks else {}

    def subtree(start: int, end: int) -> bytes:
        if (key := _stored(start, end)) is not None:
            if key not in stored:
                raise ProofUnavailable(_("A part of the stored tree is missing: run `oneplan audit verify`."))
            return stored[key]
        if end - start == 1:
            return leaves[start]
        k = merkle.split(end - start)
        return merkle.node_hash(subtree(start, start + k), subtree(start + k, end))

    return [subtree(start, end) for start, end in wanted]


def event_fields(event: AuditEvent) -> dict:
    values = dict(zip(chain.CONTENT_FIELDS, event.content()))
    return values | {f: getattr(event, f) for f in SEALED_FIELDS}


def build(event_id: int) -> dict:
    """The proof for one event against the newest checkpoint (raises ProofUnavailable)."""
    event = AuditEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise ProofUnavailable(_("There is no audit event #%(id)s.") % {"id": event_id})
    if event.seq is None:
        raise ProofUnavailable(_("Event #%(id)s is not sealed yet (the worker seals events every second).")
                               % {"id": event_id})
    newest = Checkpoint.objects.first()
    if newest is None or newest.tree_size < event.seq:
        raise ProofUnavailable(_("Event #%(id)s is not in a signed checkpoint yet: the next checkpoint covers it "
                                 "(one is made every minute or so while the log grows).") % {"id": event_id})
    path = _path(event.seq - 1, newest.tree_size)
    document = newest.document
    proof = {"format": FORMAT, "event": event_fields(event), "leaf_index": event.seq - 1,
             "checkpoint": document["checkpoint"], "signature": document["signature"],
             "public_key": document["public_key"], "audit_path": [h.hex() for h in path]}
    if not check(proof).valid:  # the stored tree or checkpoint record does not hold: hand out nothing
        raise ProofUnavailable(_("This proof would not check out: the stored tree does not match the "
                                 "checkpoint. Run `oneplan audit verify`."))
    return proof


def _invalid(why: str, event_id=None) -> ProofCheck:
    return ProofCheck(False, why, event_id)


def check(proof) -> ProofCheck:
    """Is the event in the proof in the log the proof's checkpoint covers? Offline: settings only."""
    if not isinstance(proof, dict) or proof.get("format") != FORMAT or not isinstance(proof.get("event"), dict):
        return _invalid(_("This file is not an oneplan audit proof."))
    event = proof["event"]
    try:
        body = checkpoints.check(proof, keys.trusted_public_keys())
    except checkpoints.BadCheckpoint:
        return _invalid(_("The checkpoint in the proof was not signed with this installation's audit signing "
                          "key, or was changed after it was signed."), event.get("id"))
    try:
        content = chain.content(event)
        seq, key_id, prev, link = (event[f] for f in SEALED_FIELDS)
        leaf = chain.leaf(seq, key_id, prev, link, content)
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
        index = proof["leaf_index"]
    except (KeyError, TypeError, ValueError):
        return _invalid(_("The proof is incomplete or damaged."), event.get("id"))
    if index != seq - 1 or not merkle.verify_inclusion(leaf, index, body["tree_size"], path,
                                                       bytes.fromhex(body["root_hash"])):
        return _invalid(_("Event #%(id)s as written in this proof is not the event the signed checkpoint covers "
                          "at that place: the proof or the event was changed.") % {"id": event.get("id")},
                        event.get("id"))
    note = ""
    if key_id != chain.LEGACY:
        try:
            if chain.link(keys.link_key(key_id), key_id, seq, prev, content) != link:
                return _invalid(_("The link of event #%(id)s does not hold under audit key %(key)s.")
                                % {"id": event["id"], "key": key_id}, event["id"])
        except keys.AuditKeyMissing:
            note = " " + _("(Its link was not checked: audit key %(key)s is not configured here.)") % {"key": key_id}
    return ProofCheck(True, _(
        "Event #%(id)s (%(action)s, %(at)s) is in the audit log at place %(place)s, covered by the checkpoint "
        "of %(size)s events signed %(signed)s with key %(key)s.") % {
        "id": event["id"], "action": event["action"], "at": event["at"], "place": seq,
        "size": body["tree_size"], "signed": body["signed_at"], "key": body["key_id"]} + note, event["id"])


def covered() -> int:
    """How many events (places 1..n) the newest checkpoint covers: those have a proof."""
    return Checkpoint.objects.values_list("tree_size", flat=True).first() or 0
