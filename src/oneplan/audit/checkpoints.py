"""Signed checkpoints of the audit log's Merkle tree and the directory they are published in.

A checkpoint is a statement: the log held `tree_size` events, the root of their RFC 9162 tree
was `root_hash` at `signed_at`, and the first `legacy_size` of them are unkeyed links from
before the chain was keyed. It is signed with the Ed25519 audit signing key (`key_id`: the
first 16 hex digits of SHA-256 of the raw public key) over the statement as canonical JSON
(sorted keys, no spaces, UTF-8). A published file holds the statement, the signature, the
public key (base64, raw) and the consistency proof (RFC 9162 2.1.4) from the checkpoint
before it, so whoever holds two checkpoints can check that the log only grew in between.

Files are `checkpoint-<tree size, 15 digits>.json` in AUDIT_CHECKPOINT_DIR, written to a
temporary file first and then hard-linked to their name, so a reader never sees half a file
and an existing checkpoint is never overwritten. Pure file and crypto work: no database.
"""
import base64
import binascii
import json
import os
import re
import secrets
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from oneplan.audit import keys, merkle

FORMAT = "oneplan-audit-checkpoint/1"
NAME = re.compile(r"checkpoint-(\d{15})\.json")


class BadCheckpoint(Exception):
    """A checkpoint that is unreadable, malformed or not signed by a trusted key."""


def statement(*, tree_size: int, root_hash: str, signed_at: datetime, key_id: str, legacy_size: int) -> dict:
    return {"format": FORMAT, "tree_size": tree_size, "root_hash": root_hash,
            "signed_at": signed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "key_id": key_id, "legacy_size": legacy_size}


def _signed_bytes(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(body: dict, key: Ed25519PrivateKey, consistency: dict | None) -> dict:
    """The document to publish: statement, signature, public key and the consistency proof
    ({"from_size", "from_root", "path"}: hex hashes) from the checkpoint before, if any."""
    return {"checkpoint": body, "signature": base64.b64encode(key.sign(_signed_bytes(body))).decode(),
            "public_key": keys.public_text(key.public_key()), "consistency": consistency}


def _hex(value, name: str) -> str:
    if not (isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value)):
        raise BadCheckpoint(f"its {name} is not a SHA-256 hash")
    return value


def _statement(document) -> dict:
    body = document.get("checkpoint") if isinstance(document, dict) else None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BadCheckpoint("it is not an oneplan audit checkpoint")
    for name in ("tree_size", "legacy_size"):
        if not isinstance(body.get(name), int) or isinstance(body.get(name), bool) or body[name] < 0:
            raise BadCheckpoint(f"its {name} is not a number")
    if body["legacy_size"] > body["tree_size"] or body["tree_size"] == 0:
        raise BadCheckpoint("its sizes do not add up")
    _hex(body.get("root_hash"), "root hash")
    if not all(isinstance(body.get(name), str) for name in ("signed_at", "key_id")):
        raise BadCheckpoint("its time or key id is missing")
    return body


def check(document, trusted: dict[str, Ed25519PublicKey]) -> dict:
    """The signed statement of a checkpoint document, when the signature holds under a trusted
    key (keys.trusted_public_keys()); raises BadCheckpoint saying why not."""
    body = _statement(document)
    key = trusted.get(body["key_id"])
    if key is None:
        raise BadCheckpoint(f"it is signed with key {body['key_id']}, which this installation does not trust")
    if document.get("public_key") != keys.public_text(key):
        raise BadCheckpoint("its public key is not the trusted key of that id")
    try:
        key.verify(base64.b64decode(document.get("signature") or "", validate=True), _signed_bytes(body))
    except (InvalidSignature, binascii.Error, ValueError):
        raise BadCheckpoint("its signature does not hold: it was changed or not made with the audit "
                            "signing key") from None
    return body


def extends(earlier: dict, document: dict) -> bool:
    """Does the consistency proof in `document` prove its tree extends the `earlier` statement's?"""
    later, proof = document["checkpoint"], document.get("consistency")
    if not isinstance(proof, dict) or proof.get("from_size") != earlier["tree_size"] \
            or proof.get("from_root") != earlier["root_hash"] or not isinstance(proof.get("path"), list):
        return False
    try:
        path = [bytes.fromhex(_hex(h, "proof")) for h in proof["path"]]
    except BadCheckpoint:
        return False
    return merkle.verify_consistency(earlier["tree_size"], later["tree_size"], bytes.fromhex(earlier["root_hash"]),
                                     bytes.fromhex(later["root_hash"]), path)


def file_name(tree_size: int) -> str:
    return f"checkpoint-{tree_size:015d}.json"


def publish(document: dict, directory: Path) -> str:
    """Write the checkpoint's file (atomically, never over an existing one); returns its name.
    Raises FileExistsError when a checkpoint of that size is published already."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = file_name(document["checkpoint"]["tree_size"])
    temporary = directory / f".{name}.{secrets.token_hex(4)}.tmp"
    with open(temporary, "x", encoding="utf-8") as f:
        f.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    try:
        os.link(temporary, directory / name)  # fails when the name exists: never overwritten
        os.chmod(directory / name, 0o444)
    finally:
        temporary.unlink()
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)  # the new name survives a crash
    finally:
        os.close(descriptor)
    return name


def listing(directory: Path, *, min_size: int = 0) -> list[tuple[int, Path]]:
    """Published checkpoint files (tree size, path) from `min_size` on, smallest first."""
    if not directory.is_dir():
        return []
    found = []
    with os.scandir(directory) as entries:
        for entry in entries:
            match = NAME.fullmatch(entry.name)
            if match and int(match[1]) >= min_size:
                found.append((int(match[1]), Path(entry.path)))
    return sorted(found)


def read(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadCheckpoint(f"it cannot be read ({exc})") from None
    if not isinstance(document, dict):
        raise BadCheckpoint("it is not an oneplan audit checkpoint")
    return document
