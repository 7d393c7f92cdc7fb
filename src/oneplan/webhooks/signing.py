"""Standard Webhooks signatures (https://github.com/standard-webhooks/standard-webhooks, spec
"Signature scheme"): HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the
endpoint's secret, sent base64-encoded as `v1,<signature>` in the `webhook-signature` header."""
import base64
import hashlib
import hmac
import json
import secrets

PREFIX = "whsec_"
SECRET_BYTES = 32  # the spec asks for 24 to 64 random bytes


def new_secret() -> str:
    """A fresh signing secret in the spec's serialisation: `whsec_` + base64 of random bytes."""
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def secret_key(secret: str) -> bytes:
    """The HMAC key: the bytes the base64 part of a `whsec_` secret stands for."""
    return base64.b64decode(secret.removeprefix(PREFIX))


def body(payload: dict) -> bytes:
    """The exact bytes sent and signed: minified JSON, keys in a fixed order."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def signature(secret: str, webhook_id: str, timestamp: int, data: bytes) -> str:
    """The `webhook-signature` header value for one attempt."""
    signed = f"{webhook_id}.{timestamp}.".encode() + data
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, webhook_id: str, timestamp: int, data: bytes) -> dict[str, str]:
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secret, webhook_id, timestamp, data),
            "content-type": "application/json"}
