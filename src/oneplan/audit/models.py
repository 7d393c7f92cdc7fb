"""The audit log: one row per read, write or refused attempt, chained by SHA-256.

An event is written with one INSERT and no lock (its id comes from the database); the sealer
(`services.seal`, run by the worker every second and by `oneplan tick`) then gives the events
their place in the chain, in id order: `seq`, the previous event's hash and their own.
"""
import hashlib
import json
from datetime import timezone as dt_timezone

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("allowed")
    DENIED = "denied", _("refused")


class AuditEvent(models.Model):
    """Never updated or deleted (the model refuses, and database triggers refuse too).

    References are plain ids, not foreign keys: the log must outlive what it describes.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True)
    organisation_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    category = models.CharField(max_length=40, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.ALLOWED)
    reason = models.TextField(blank=True)
    # Set once by the sealer, never again (the database triggers refuse any other change).
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["family_id", "id"], name="audit_family_idx"),
            # The family's timeline pages back by local day: a range of `at` within one family.
            models.Index(fields=["family_id", "at"], name="audit_family_at_idx"),
            models.Index(fields=["person_id", "id"], name="audit_person_idx"),
            models.Index(fields=["actor_id", "id"], name="audit_actor_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
            models.Index(fields=["outcome", "id"], name="audit_outcome_idx"),
            # The sealer's work list: small, whatever the size of the log.
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed_idx"),
        ]

    HASHED_FIELDS = (
        "id", "at", "actor_id", "actor_label", "organisation_id", "organisation_label",
        "action", "object_type", "object_id", "family_id", "person_id", "category",
        "outcome", "reason",
    )

    def __str__(self) -> str:
        return f"#{self.id} {self.action} {self.object_type}:{self.object_id}"

    @classmethod
    def compute_hash(cls, prev_hash: str, values: dict) -> str:
        payload = [values[f] for f in cls.HASHED_FIELDS]
        at = values["at"]
        payload[1] = at.astimezone(dt_timezone.utc).isoformat() if hasattr(at, "astimezone") else str(at)
        data = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=str)
        return hashlib.sha256((prev_hash + data).encode()).hexdigest()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise RuntimeError("Audit events are append-only.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit events are append-only.")


class ChainHead(models.Model):
    """The last sealed link of the chain; only the sealer locks it, so links never fork."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
