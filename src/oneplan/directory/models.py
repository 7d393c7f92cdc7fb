"""Services in the shape of the Open Referral Human Services Data Specification (HSDS 3.0).

HSDS names are kept where they exist (service, location, contact, service_area, language,
eligibility_description, minimum_age, maximum_age, application_process, fees_description);
what oneplan adds for referrals (life domains, target group, structured eligibility rules,
what a referral must contain, the self-reported waiting time) sits next to them.
"""
import datetime as dt
from uuid import uuid4

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from oneplan.accounts.models import Organisation, Professional, Sector

# A self-reported waiting time older than this many days is flagged as out of date.
WAIT_STALE_DAYS = 30


class FamilySituation(models.TextChoices):
    ANY = "any", _("Any household")
    SINGLE_PARENT = "single_parent", _("Single-parent families")
    YOUNG_PARENTS = "young_parents", _("Young parents")
    LARGE_FAMILY = "large_family", _("Large families")
    NEWCOMERS = "newcomers", _("Newcomers")
    DIVORCE = "divorce", _("Separated parents")
    ADULTS_ONLY = "adults_only", _("Adults without children")


class Language(models.TextChoices):
    """ISO 639-1 codes of languages services are commonly offered in here."""

    NL = "nl", _("Dutch")
    EN = "en", pgettext_lazy("language name", "English")
    AR = "ar", _("Arabic")
    TR = "tr", _("Turkish")
    PL = "pl", _("Polish")
    UK = "uk", _("Ukrainian")
    TI = "ti", _("Tigrinya")
    BER = "ber", _("Tamazight (Berber)")
    PAP = "pap", _("Papiamento")
    SRN = "srn", _("Sranan Tongo")
    SIGN = "sgn", _("Sign language")


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")
        INACTIVE = "inactive", _("Inactive")
        DEFUNCT = "defunct", _("No longer exists")

    # The HSDS id: stable, kept from an import, never reused.
    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    alternate_name = models.CharField(_("also known as"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=4000)
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices)
    # Who it is for.
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    family_situations = models.JSONField(_("family situations"), default=list, blank=True)
    eligibility_description = models.TextField(_("eligibility"), blank=True, max_length=2000)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True,
                                                   validators=[MaxValueValidator(120)])
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                                   validators=[MaxValueValidator(120)])
    # How to refer and what it costs.
    application_process = models.TextField(_("how to refer"), blank=True, max_length=2000)
    referral_requirements = models.TextField(_("what a referral must contain"), blank=True,
                                             max_length=2000)
    fees_description = models.CharField(_("cost"), max_length=300, blank=True)
    schedule_description = models.CharField(_("opening hours"), max_length=300, blank=True)
    interpretation_services = models.CharField(_("interpreters"), max_length=300, blank=True)
    # The service's own estimate of the waiting time, and when it was last confirmed.
    wait_weeks = models.PositiveSmallIntegerField(_("waiting time in weeks"), null=True, blank=True,
                                                  validators=[MaxValueValidator(260)])
    wait_updated_on = models.DateField(_("waiting time updated on"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["status", "name"], name="service_status_name_idx"),
            models.Index(fields=["organisation", "status"], name="service_org_idx"),
            models.Index(fields=["minimum_age", "maximum_age"], name="service_age_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_age__isnull=True) | Q(maximum_age__isnull=True)
                | Q(maximum_age__gte=models.F("minimum_age")), name="service_age_order"),
            models.UniqueConstraint(fields=["organisation", "name"], name="service_name_per_org"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_referrals(self) -> bool:
        return self.status == self.Status.ACTIVE

    def wait_age_days(self, today: dt.date | None = None) -> int | None:
        if self.wait_updated_on is None:
            return None
        return ((today or timezone.localdate()) - self.wait_updated_on).days

    @property
    def wait_is_stale(self) -> bool:
        age = self.wait_age_days()
        return age is None or age > WAIT_STALE_DAYS

    def family_situation_labels(self) -> list[str]:
        return [str(FamilySituation(v).label) for v in self.family_situations if v in FamilySituation.values]

    @property
    def age_range_label(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is None and high is None:
            return str(_("all ages"))
        if high is None:
            return str(_("%(low)d and older")) % {"low": low}
        if low is None:
            return str(_("up to %(high)d")) % {"high": high}
        return f"{low}–{high}"


class ServiceDomain(models.Model):
    """A life domain the service addresses (search by need)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "domain"], name="service_domain_once")]
        indexes = [models.Index(fields=["domain", "service"], name="service_domain_idx")]


class ServiceLanguage(models.Model):
    """HSDS language: a language the service is offered in."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    code = models.CharField(max_length=10, choices=Language.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "code"], name="service_language_once")]
        indexes = [models.Index(fields=["code", "service"], name="service_language_idx")]


class ServiceArea(models.Model):
    """HSDS service_area: a district or municipality served (names are matched case-insensitively)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(_("area"), max_length=100)
    key = models.CharField(max_length=100)  # normalised name, for search

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["service", "key"], name="service_area_once")]
        indexes = [models.Index(fields=["key", "service"], name="service_area_idx")]


class Location(models.Model):
    """HSDS location with its physical address (one line each: address_1, postal code, city)."""

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    # A location belongs to one service here: this is the id of that link (service_at_location).
    link_uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("location"), max_length=200)
    address_1 = models.CharField(_("address"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    # HSDS addresses require both; kept from an import, unknown (blank) for locations entered here.
    state_province = models.CharField(_("province"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")

    class Meta:
        ordering = ["name", "id"]


class Contact(models.Model):
    """HSDS contact: a person to talk to about referrals; may be a oneplan professional.

    For a professional the page shows their current name, role, phone and e-mail (`shown_*`);
    the stored copy is what remains if the professional's account is removed.
    """

    uuid = models.UUIDField(default=uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    professional = models.ForeignKey(Professional, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="service_contacts")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name", "id"]

    @property
    def shown_name(self) -> str:
        return self.professional.name if self.professional else self.name

    @property
    def shown_title(self) -> str:
        return (self.professional.discipline_label if self.professional else "") or self.title

    @property
    def shown_email(self) -> str:
        return (self.professional.email if self.professional else "") or self.email

    @property
    def shown_phone(self) -> str:
        return (self.professional.phone if self.professional else "") or self.phone


class EligibilityRule(models.Model):
    """A structured rule on a life-domain score of the latest assessment (professional's score).

    "finances_debts at most 2" means the service is for people whose finances score 1 or 2.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="rules")
    domain = models.CharField(_("life domain"), max_length=60)
    min_score = models.PositiveSmallIntegerField(_("lowest score"), null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(5)])
    max_score = models.PositiveSmallIntegerField(_("highest score"), null=True, blank=True,
                                                 validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["domain", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(min_score__isnull=False) | Q(max_score__isnull=False),
                                   name="rule_has_bound"),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True) | Q(max_score__isnull=True)
                | Q(max_score__gte=models.F("min_score")), name="rule_score_order"),
        ]
