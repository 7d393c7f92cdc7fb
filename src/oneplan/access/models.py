"""Data categories and break-glass grants."""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.families.models import Family


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity")
    TEAM = "team", _("Team")
    PLAN = "plan", _("Plan")
    ASSESSMENT = "assessment", _("Assessment")
    HEALTH = "health", _("Health")
    FINANCE = "finance", _("Finance")
    SAFETY = "safety", _("Safety")
    NOTES = "notes", _("Notes")


# Visible to every active team member; the other categories need consent.
BASIC_CATEGORIES = frozenset({Category.IDENTITY, Category.TEAM, Category.PLAN})


class AccessGrant(models.Model):
    """Break-glass: time-limited read access to a family the professional is not on."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        JUSTIFIED = "justified", _("Justified")
        UNJUSTIFIED = "unjustified", _("Not justified")

    professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                     related_name="access_grants")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True,
                                     related_name="+")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="access_grants")
    reason = models.TextField(_("reason"), max_length=2000)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    review = models.CharField(max_length=20, choices=Review.choices, default=Review.PENDING)
    reviewed_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reviewed_grants")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [
            models.Index(fields=["professional", "expires_at"], name="grant_prof_idx"),
            models.Index(fields=["family", "expires_at"], name="grant_family_idx"),
            models.Index(fields=["review", "granted_at"], name="grant_review_idx"),
        ]

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()
