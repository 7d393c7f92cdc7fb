"""One inbox per professional: what needs their attention, also sent by e-mail."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Professional
from oneplan.families.models import Family
from oneplan.inbox import messages


class Notification(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_INCOMING = "referral_incoming", _("Incoming referral")
        REFERRAL_STATUS = "referral_status", _("Referral status")
        MATCH = "match", _("Reference index match")
        HANDOFF = "handoff", _("Warm handoff")
        SAFETY_TASK = "safety_task", _("Safety task")
        CONSENT = "consent", _("Consent")
        EMERGENCY_ACCESS = "emergency_access", _("Emergency access")
        OTHER = "other", _("Other")

    # No index of its own: both indexes below start with it.
    recipient = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="notifications",
                                  db_index=False)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    # A message key and its parameters, rendered in the reader's language (inbox/messages.py).
    message_key = models.CharField(max_length=60, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # Finished text: notifications stored before message keys existed.
    title = models.CharField(_("title"), max_length=200, blank=True)
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
        return self.heading

    def _rendered(self) -> tuple[str, str]:
        if not self.message_key:
            return self.title, self.body
        return messages.render(self.message_key, self.params)

    @property
    def heading(self) -> str:
        return self._rendered()[0]

    @property
    def text(self) -> str:
        return self._rendered()[1]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
