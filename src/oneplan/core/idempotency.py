"""Answers kept for API POSTs sent with an Idempotency-Key: store, replay, prune (tick)."""
import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone

from oneplan.core.errors import Conflict, IdempotencyKeyReused
from oneplan.core.models import IdempotentRequest

KEEP = dt.timedelta(hours=24)
KEY_MAX = 255
# Response headers that belong to the answer and come back with a replay.
KEPT_HEADERS = ("ETag", "Location")


def body_hash(raw: bytes, if_match: str = "") -> str:
    """What makes two requests the same: the body (the same JSON written with other spacing or
    key order is the same body) and the version it is based on (If-Match)."""
    try:
        canonical = json.dumps(json.loads(raw or b"null"), sort_keys=True, separators=(",", ":"))
        data = canonical.encode()
    except (ValueError, UnicodeDecodeError):
        data = raw or b""
    return hashlib.sha256(if_match.strip().encode() + b"\n" + data).hexdigest()


def claim(*, user_id: int, key: str, method_path: str, digest: str) -> tuple[IdempotentRequest, bool]:
    """(row, True) when this request is the first with the key; (stored row, False) for a
    repeat of the same request. A key used for another request is IdempotencyKeyReused."""
    try:
        with transaction.atomic():
            row = IdempotentRequest.objects.create(user_id=user_id, key=key, method_path=method_path,
                                                   body_hash=digest)
        return row, True
    except IntegrityError:
        row = IdempotentRequest.objects.filter(user_id=user_id, key=key).first()
    if row is None:  # pruned between the two queries: ask again
        raise Conflict("This Idempotency-Key was being reset. Send the request again.")
    if row.method_path != method_path or row.body_hash != digest:
        raise IdempotencyKeyReused(
            f"This Idempotency-Key was used for another request ({row.method_path}) or with another "
            "body. Use a new key for a new request.", field="Idempotency-Key")
    if row.status is None:
        raise Conflict("The first request with this Idempotency-Key is still being processed. "
                       "Send it again in a moment.")
    return row, False


def store(row: IdempotentRequest, *, status: int, content_type: str, body: str, headers: dict) -> None:
    IdempotentRequest.objects.filter(pk=row.pk).update(
        status=status, content_type=content_type, body=body, headers=headers)


def release(row: IdempotentRequest) -> None:
    """The first request failed on our side: the key may be used again."""
    IdempotentRequest.objects.filter(pk=row.pk).delete()


def prune() -> str:
    """`oneplan tick`: keys older than 24 hours are forgotten."""
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return f"idempotency keys: {deleted} older than 24 h removed"
