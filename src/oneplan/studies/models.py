"""A study asks for an evaluation export; a privacy officer decides; every export is kept."""
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Professional
from oneplan.core.crypto import decrypt, encrypt


class Study(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the privacy officer")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), max_length=3000)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    fields = models.JSONField(_("fields"), default=list)
    recipient = models.CharField(_("who receives the export"), max_length=300)
    requested_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    decided_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True, max_length=2000)
    # The study's own pseudonymisation key (encrypted at rest): two studies' pseudonyms never match.
    key_encrypted = models.TextField(editable=False)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.key_encrypted:
            self.key_encrypted = encrypt(secrets.token_hex(32))
        super().save(*args, **kwargs)

    @property
    def key(self) -> str:
        return decrypt(self.key_encrypted)


class StudyExport(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="exports")
    made_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(default=timezone.now)
    families = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-made_at"]


class StudyExportFamily(models.Model):
    """Which families an export held: the family's subject access export lists the study. (One
    audit event records the export itself; a row per family here is far cheaper than an audit
    event per family, at a hundred thousand families.)"""

    export = models.ForeignKey(StudyExport, on_delete=models.PROTECT, related_name="+")
    family_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["family_id"], name="studyexportfamily_family_idx")]
