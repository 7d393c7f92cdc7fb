"""The kernel's tables: the outbox of side effects that leave the database, and the answers
kept for API requests sent with an Idempotency-Key."""
from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A side effect (an e-mail, a webhook call) written in the same transaction as the change
    that caused it, and delivered afterwards by `oneplan worker` (core/outbox.py)."""

    kind = models.CharField(max_length=30)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    # A worker owns the message until this moment; a crashed worker's claim runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # gave up: retries ran out
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # The worker's one query: open messages that are due, oldest first.
            models.Index(fields=["due_at", "id"], name="outbox_due_idx",
                         condition=models.Q(sent_at__isnull=True, failed_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class IdempotentRequest(models.Model):
    """The first answer to an API POST sent with an Idempotency-Key, per user: a retry with the
    same key gets this answer back instead of doing the work twice (core/api.py, `idempotent`).
    `status` is None while the first request is still running. Pruned after 24 hours (tick)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method_path = models.CharField(max_length=600)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotent_user_key")]
        indexes = [models.Index(fields=["created_at"], name="idempotent_created_idx")]

    def __str__(self) -> str:
        return f"{self.method_path} ({self.key})"
