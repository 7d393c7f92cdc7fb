"""Partner systems' endpoints and each event delivered (or being delivered) to them."""
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.core.models import OutboxMessage


def new_webhook_id() -> str:
    """The Standard Webhooks `webhook-id`: the same on every retry and resend of a delivery."""
    return f"msg_{uuid.uuid4().hex}"


class Endpoint(models.Model):
    """A URL of an organisation's own system that hears the events it chose, signed with a secret
    only that organisation has (shown once, at registration)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # The `whsec_...` signing secret, encrypted with the field key (core/crypto.py).
    secret_encrypted = models.TextField()
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    deactivated_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organisation", "active"], name="webhook_endpoint_org_idx")]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event for one endpoint: the body as signed and sent, and the receiver's last answer."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.PROTECT, related_name="deliveries",
                                 db_index=False)
    webhook_id = models.CharField(max_length=40, unique=True, default=new_webhook_id)
    event_id = models.CharField(max_length=40)
    event_type = models.CharField(max_length=40)
    payload = models.JSONField()
    # The outbox message now carrying it (a resend puts a new one).
    message = models.ForeignKey(OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)  # the first bytes of the answer, or the error
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)  # retries ran out

    class Meta:
        indexes = [models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.webhook_id})"

    @property
    def state(self) -> str:
        if self.delivered_at:
            return "delivered"
        if self.failed_at:
            return "failed"
        return "pending"
