"""The audit log's keys, all from settings (never from the database): the HMAC keys of the chain
links by key id, and the Ed25519 key that signs checkpoints with the public keys that verify them."""
import base64
import functools
import hashlib

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class AuditKeyMissing(Exception):
    """An event was sealed with an audit key this installation does not have."""

    def __init__(self, key_id: str):
        self.key_id = key_id
        super().__init__(
            f"The audit key {key_id!r} is not configured: events sealed with it cannot be verified. "
            f"Add it to ONEPLAN_AUDIT_KEYS (keys that were replaced stay listed to verify old events).")


def link_key(key_id: str) -> bytes:
    try:
        return settings.AUDIT_LINK_KEYS[key_id].encode()
    except KeyError:
        raise AuditKeyMissing(key_id) from None


def sealing_key() -> tuple[str, bytes]:
    """The key id new events are sealed with, and its key."""
    return settings.AUDIT_KEY_ID, link_key(settings.AUDIT_KEY_ID)


@functools.lru_cache(maxsize=4)
def _signing_key(text: str) -> Ed25519PrivateKey:
    """PEM or 32 bytes in base64 (the settings checked the value when they were loaded)."""
    if text.startswith("-----BEGIN"):
        return serialization.load_pem_private_key(text.encode(), password=None)
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text))


def public_key(text: str) -> Ed25519PublicKey:
    """A raw Ed25519 public key in base64 (raises ValueError when it is not one)."""
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def signing_key() -> Ed25519PrivateKey:
    return _signing_key(settings.AUDIT_SIGNING_KEY)


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_text(key: Ed25519PublicKey) -> str:
    return base64.b64encode(public_bytes(key)).decode()


def key_id(key: Ed25519PublicKey) -> str:
    """A signing key's id: the first 16 hex digits of the SHA-256 of its raw public key."""
    return hashlib.sha256(public_bytes(key)).hexdigest()[:16]


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """Public keys whose checkpoints are believed: the signing key's own and earlier ones
    (ONEPLAN_AUDIT_VERIFY_KEYS), by key id."""
    keys = [signing_key().public_key()] + [public_key(text) for text in settings.AUDIT_VERIFY_KEYS]
    return {key_id(k): k for k in keys}
