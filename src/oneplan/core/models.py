"""The kernel's one table: the outbox of side effects that leave the database."""
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
