"""One inbox per professional: what needs their attention, also sent by e-mail."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Professional
from oneplan.families.models import Family


class Notification(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_INCOMING = "referral_incoming", _("Incoming referral")
        REFERRAL_STATUS = "referral_status", _("Referral status")
        MATCH = "match", _("Reference index match")
        HANDOFF = "handoff", _("Warm handoff")
        SAFETY_TASK = "safety_task", _("Safety task")
        OTHER = "other", _("Other")

    recipient = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, max_length=4000)
    link = models.CharField(_("link"), max_length=500, blank=True)  # a path inside oneplan
    family = models.ForeignKey(Family, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The unread count on every page: WHERE recipient_id = ? AND read_at IS NULL.
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "created_at"], name="notification_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
