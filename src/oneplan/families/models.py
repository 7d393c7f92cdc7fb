"""Families, the persons in them, their informal network and their care team."""
import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.core import crypto

NAME_MAX = 150


class Family(models.Model):
    class Status(models.TextChoices):
        INTAKE = "intake", _("Intake")
        ACTIVE = "active", _("Active")
        SCALING_DOWN = "scaling_down", _("Scaling down")
        CLOSED = "closed", _("Closed")

    class Intensity(models.TextChoices):
        LIGHT = "light", _("Light")
        MEDIUM = "medium", _("Medium")
        INTENSIVE = "intensive", _("Intensive")

    class ClosureReason(models.TextChoices):
        GOALS_REACHED = "goals_reached", _("Goals reached")
        TRANSFERRED = "transferred", _("Transferred to regular care")
        MOVED_AWAY = "moved_away", _("Moved away")
        FAMILY_DECLINED = "family_declined", _("Family ended the support")
        NO_CONTACT = "no_contact", _("No contact possible")
        OTHER = "other", _("Other")

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    name = models.CharField(_("family name"), max_length=NAME_MAX)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.INTAKE)
    intensity = models.CharField(_("intensity"), max_length=20, choices=Intensity.choices,
                                 default=Intensity.MEDIUM)
    opened_on = models.DateField(_("opened on"), default=dt.date.today)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closure_reason = models.CharField(_("closure reason"), max_length=30,
                                      choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(_("closure note"), blank=True, max_length=2000)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)  # retention has run
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking for the API's If-Match: every change of status or intensity bumps it.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "families"
        indexes = [models.Index(fields=["status"], name="family_status_idx"),
                   # The caseload's order and `modified_since` (keyset pages in the API).
                   models.Index(fields=["updated_at", "id"], name="family_updated_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="family_closed_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.reference})"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    @property
    def needs_coordinator(self) -> bool:
        # During intake the team is still forming; from then on a coordinator is mandatory.
        return self.status in (self.Status.ACTIVE, self.Status.SCALING_DOWN)


class Person(models.Model):
    given_name = models.CharField(_("given name"), max_length=NAME_MAX)
    family_name = models.CharField(_("family name"), max_length=NAME_MAX)
    date_of_birth = models.DateField(_("date of birth"))
    # The national identifier is kept only as a keyed hash (for matching) and encrypted.
    national_id_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    national_id_encrypted = models.TextField(blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)  # erased or pseudonymised

    class Meta:
        indexes = [models.Index(fields=["family_name", "date_of_birth"], name="person_name_dob_idx"),
                   # Possible duplicates are looked up by date of birth alone (families/duplicates.py).
                   models.Index(fields=["date_of_birth"], name="person_dob_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: dt.date | None = None) -> int:
        day = day or timezone.localdate()
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on()

    def set_national_id(self, normalised: str) -> None:
        self.national_id_hash = crypto.keyed_hash(normalised, purpose="national_id")
        self.national_id_encrypted = crypto.encrypt(normalised)

    @property
    def national_id(self) -> str:
        return crypto.decrypt(self.national_id_encrypted) if self.national_id_encrypted else ""

    @property
    def national_id_masked(self) -> str:
        value = self.national_id
        return f"•••••{value[-4:]}" if value else ""


class Membership(models.Model):
    """A person in a family's household; a child can be a member of two households."""

    class Relation(models.TextChoices):
        PARENT = "parent", _("Parent")
        STEP_PARENT = "step_parent", _("Step-parent")
        CARER = "carer", _("Carer / guardian")
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Child")
        FOSTER_CHILD = "foster_child", _("Foster child")
        GRANDPARENT = "grandparent", _("Grandparent")
        OTHER = "other", _("Other household member")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    started_on = models.DateField(_("from"), default=dt.date.today)
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["person__date_of_birth"]
        constraints = [
            models.UniqueConstraint(fields=["family", "person"], condition=Q(ended_on__isnull=True),
                                    name="membership_one_active"),
        ]

    @property
    def is_child(self) -> bool:
        return self.relation in (self.Relation.CHILD, self.Relation.FOSTER_CHILD)


class NetworkMember(models.Model):
    """Someone from the family's informal network (the ecomap)."""

    class Relation(models.TextChoices):
        GRANDPARENT = "grandparent", _("Grandparent")
        RELATIVE = "relative", _("Other relative")
        EX_PARTNER = "ex_partner", _("Ex-partner / other parent")
        NEIGHBOUR = "neighbour", _("Neighbour")
        FRIEND = "friend", _("Friend")
        VOLUNTEER = "volunteer", _("Volunteer / buddy")
        FAITH = "faith", _("Faith community")
        CLUB = "club", _("Club or association")
        COLLEAGUE = "colleague", _("Colleague")
        OTHER = "other", _("Other")

    class Support(models.TextChoices):
        PRACTICAL = "practical", _("Practical help")
        EMOTIONAL = "emotional", _("Emotional support")
        CHILDCARE = "childcare", _("Childcare")
        FINANCIAL = "financial", _("Financial help")
        ADVICE = "advice", _("Advice and information")
        COMPANY = "company", _("Company and activities")

    class Strength(models.TextChoices):
        STRONG = "strong", _("Strong")
        MODERATE = "moderate", _("Moderate")
        WEAK = "weak", _("Weak")
        STRESSFUL = "stressful", _("Stressful")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="network")
    name = models.CharField(_("name"), max_length=NAME_MAX)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    support = models.CharField(_("support given"), max_length=20, choices=Support.choices)
    support_note = models.CharField(_("what they do"), max_length=300, blank=True)
    strength = models.CharField(_("strength of the tie"), max_length=20, choices=Strength.choices,
                                default=Strength.MODERATE)
    load = models.PositiveSmallIntegerField(
        _("how much is asked of them (1 little - 5 too much)"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    consent_to_involve = models.BooleanField(_("agrees to be involved"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    started_on = models.DateField(default=dt.date.today)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(load__gte=1, load__lte=5),
                                              name="network_load_1_5")]

    def __str__(self) -> str:
        return self.name

    @property
    def overloaded(self) -> bool:
        return self.load >= 4


class CareTeamMember(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Care coordinator")
        CO_COORDINATOR = "co_coordinator", _("Co-coordinator")
        MEMBER = "member", _("Team member")
        CONSULTANT = "consultant", _("Consultant")

    class Focus(models.TextChoices):
        WHOLE_FAMILY = "whole_family", _("Whole family")
        PARENTS = "parents", _("Parents")
        CHILDREN = "children", _("Children")

    COORDINATING = (Role.COORDINATOR, Role.CO_COORDINATOR)

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="team")
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                     related_name="team_memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="team_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    focus = models.CharField(_("focus"), max_length=20, choices=Focus.choices,
                             default=Focus.WHOLE_FAMILY)
    responsibilities = models.TextField(_("responsibilities"), max_length=2000)
    started_on = models.DateField(_("from"), default=dt.date.today)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=300, blank=True)

    class Meta:
        ordering = ["role", "started_on"]
        indexes = [
            models.Index(fields=["professional", "ended_on"], name="team_prof_idx"),
            models.Index(fields=["family", "ended_on"], name="team_family_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["family", "professional"],
                                    condition=Q(ended_on__isnull=True), name="team_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.professional} ({self.get_role_display()})"

    @property
    def is_coordinating(self) -> bool:
        return self.role in self.COORDINATING

    def is_active_on(self, day: dt.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class Note(models.Model):
    """A professional's note in a data category, with who may read it."""

    class Visibility(models.TextChoices):
        TEAM = "team", _("Whole care team")
        ORGANISATION = "organisation", _("My organisation")
        PRIVATE = "private", _("Only me")
        FAMILY = "family", _("Shared with the family")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="notes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20)
    visibility = models.CharField(_("who may read it"), max_length=20, choices=Visibility.choices,
                                  default=Visibility.TEAM)
    about = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="notes_about")
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["family", "created_at"], name="note_family_idx")]
