"""Organisations and the professionals who work in them."""
import hashlib
import secrets
import uuid
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts import disciplines


class User(AbstractUser):
    """A login. Professionals have a Professional profile; family members get portal accounts."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        FAMILY = "family", _("Family member")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROFESSIONAL)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Sector(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social work")
    YOUTH_CARE = "youth_care", _("Youth care")
    CHILD_HEALTH = "child_health", _("Child health")
    PRIMARY_CARE = "primary_care", _("Primary care")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    EDUCATION = "education", _("Education")
    EMPLOYMENT_INCOME = "employment_income", _("Employment and income")
    HOUSING = "housing", _("Housing")
    DEBT_COUNSELLING = "debt_counselling", _("Debt counselling")
    JUSTICE = "justice", _("Justice")
    VOLUNTARY = "voluntary", _("Voluntary")
    MUNICIPALITY = "municipality", _("Municipality")


class Organisation(models.Model):
    # The HSDS organization id: stable, kept from a directory import.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=40, choices=Sector.choices, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    # For integrators syncing the organisations list (`modified_since`, keyset paging).
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    COORDINATOR = "coordinator", _("Care coordinator")
    TEAM_MANAGER = "team_manager", _("Team manager")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    FRONT_DOOR = "front_door", _("Front-door team")
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ANALYST = "analyst", _("Analyst")


class Professional(models.Model):
    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="professional")
    organisations = models.ManyToManyField(Organisation, related_name="professionals")
    discipline = models.CharField(_("discipline"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    roles = models.JSONField(_("roles"), default=list, blank=True)
    # The language of e-mails and other messages not read on a page (the page follows the
    # browser or the language switch, which also stores it here).
    language = models.CharField(_("language"), max_length=10, blank=True,
                                choices=settings.LANGUAGES)
    # Set for an organisation's system client (its own case system calling the API or FHIR): no
    # person, no login; it acts for the organisation as its professionals on a care team do.
    acting_for = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="system_clients")

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def name(self) -> str:
        return self.user.display_name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def discipline_label(self) -> str:
        return disciplines.label(self.discipline)

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]

    @property
    def is_system_client(self) -> bool:
        return self.acting_for_id is not None

    @cached_property
    def primary_organisation(self) -> Organisation | None:
        if self.acting_for_id:
            return self.acting_for
        orgs = list(self.organisations.all())
        return orgs[0] if orgs else None


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return "op_" + secrets.token_urlsafe(32)


class LoginAttempt(models.Model):
    """Every login attempt by user name and source address, to slow down and then lock out
    guessing (accounts/throttle.py)."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    success = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["username", "at"], name="login_attempt_idx"),
                   models.Index(fields=["ip", "at"], name="login_attempt_ip_idx")]

