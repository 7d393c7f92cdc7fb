"""Consents per data category and break-glass grants (the categories are families')."""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.families.categories import BASIC_CATEGORIES, Category  # noqa: F401 (their home is families)
from oneplan.families.models import Family


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


class Consent(models.Model):
    """A family's consent that an organisation (or the whole care team) sees data categories.

    `subject` is the person whose data it covers (None: the family as a whole). Who must give
    it depends on the subject's age (settings.ONEPLAN["CONSENT_AGES"]).
    """

    class Purpose(models.TextChoices):
        CARE = "care_coordination", _("Care coordination")
        REFERRAL = "referral", _("Referral")
        EVALUATION = "evaluation", _("Evaluation")

    class How(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PAPER = "paper", _("On paper")
        PORTAL = "portal", _("In the family portal")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="consents")
    subject = models.ForeignKey("families.Person", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="consents_about")
    given_by = models.ManyToManyField("families.Person", related_name="consents_given")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="consents")  # None: every organisation on the team
    categories = models.JSONField(_("data categories"))
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices,
                               default=Purpose.CARE)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    how = models.CharField(_("how it was given"), max_length=20, choices=How.choices)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    # Who withdrew it: the coordinator on the family's behalf (and how the family said so),
    # or the family member in the portal.
    withdrawn_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawn_by_person = models.ForeignKey("families.Person", on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    withdrawn_how = models.CharField(_("how it was withdrawn"), max_length=20, choices=How.choices,
                                     blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["family", "withdrawn_at"], name="consent_family_idx")]
        constraints = [models.CheckConstraint(
            condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
            name="consent_period_order")]

    def covers(self, *, organisation_id, category: str, day=None, purpose: str = Purpose.CARE) -> bool:
        """Valid on `day` for this organisation, category and purpose (persons: see consent.py)."""
        day = day or timezone.localdate()
        return (self.withdrawn_at is None and self.valid_from <= day
                and (self.valid_until is None or self.valid_until >= day)
                and self.purpose == purpose and category in self.categories
                and (self.organisation_id is None or self.organisation_id == organisation_id))

    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]
