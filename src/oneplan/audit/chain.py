"""How an audit event is hashed: its link in the keyed chain and its leaf in the Merkle tree.

An event's content is the list of its `CONTENT_FIELDS` values as JSON (the time in UTC ISO
8601). The link of an event sealed with key `key_id` is HMAC-SHA256 under that key over its
place, the key id, the previous link and the content: without the key nobody can recompute it.
Events sealed before the chain was keyed keep their plain SHA-256 link (`LEGACY` key id: empty);
they can only be the first events of the log, and the signed checkpoints say how many there are.
The leaf of an event in the Merkle tree (RFC 9162) covers the content, place, key id and both
links, so a signed tree root commits to every event as it was sealed.

Pure functions: the sealer, `oneplan audit verify` and the offline proof check share them.
"""
import hashlib
import hmac
import json
from datetime import timezone as dt_timezone

from oneplan.audit import merkle

CONTENT_FIELDS = (
    "id", "at", "actor_id", "actor_label", "organisation_id", "organisation_label",
    "action", "object_type", "object_id", "family_id", "person_id", "category",
    "outcome", "reason",
)
GENESIS = "0" * 64
LEGACY = ""
LEAF_FORMAT = "oneplan-audit/1"


def _json(payload) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)


def at_text(at) -> str:
    return at.astimezone(dt_timezone.utc).isoformat() if hasattr(at, "astimezone") else str(at)


def content(values: dict) -> list:
    """The event's content as JSON values, in `CONTENT_FIELDS` order (also what a proof carries)."""
    return content_of([values[f] for f in CONTENT_FIELDS])


def content_of(values) -> list:
    """The same from the values in `CONTENT_FIELDS` order (a database row)."""
    payload = list(values)
    payload[1] = at_text(payload[1])
    return payload


def legacy_link(prev_hash: str, content: list) -> str:
    """The unkeyed link events had before the chain was keyed (anyone can recompute it)."""
    return hashlib.sha256((prev_hash + _json(content)).encode()).hexdigest()


def keyed_link(key: bytes, key_id: str, seq: int, prev_hash: str, content: list) -> str:
    return hmac.new(key, (prev_hash + _json([seq, key_id, *content])).encode(), hashlib.sha256).hexdigest()


def link(key: bytes | None, key_id: str, seq: int, prev_hash: str, content: list) -> str:
    if key_id == LEGACY:
        return legacy_link(prev_hash, content)
    return keyed_link(key, key_id, seq, prev_hash, content)


def leaf(seq: int, key_id: str, prev_hash: str, link_hash: str, content: list) -> bytes:
    """The event's leaf hash in the Merkle tree (leaf index seq - 1)."""
    return merkle.leaf_hash(_json([LEAF_FORMAT, seq, key_id, prev_hash, link_hash, *content]).encode())
