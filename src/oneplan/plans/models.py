"""Plans, their immutable agreed versions, goals, actions, reviews and case discussions."""
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Professional
from oneplan.families.models import Family, NetworkMember, Person
from oneplan.plans.domains import LifeDomain

TEXT_MAX = 2000
# The largest PositiveIntegerField value every supported database stores.
LOCK_VERSION_MAX = 2**31 - 1


class Plan(models.Model):
    family = models.OneToOneField(Family, on_delete=models.PROTECT, related_name="plan")
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan of {self.family}"


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")

    class AgreedHow(models.TextChoices):
        MEETING = "meeting", _("In a meeting")
        PAPER = "paper", _("On paper")
        PORTAL = "portal", _("In the family portal")

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(null=True, blank=True)  # given when agreed
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    vision = models.TextField(_("what we want to be different"), blank=True, max_length=TEXT_MAX)
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    agreed_how = models.CharField(_("how it was agreed"), max_length=10, choices=AgreedHow.choices,
                                  blank=True)
    agreed_by = models.ManyToManyField(Person, blank=True, related_name="agreed_plan_versions")
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    lock_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(status="draft"), name="plan_one_draft"),
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number"),
        ]

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            stored = PlanVersion.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.AGREED:
                raise ValidationError("An agreed plan version cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_agreed(self) -> bool:
        return self.status == self.Status.AGREED


class Goal(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        STOPPED = "stopped", _("Stopped")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    key = models.UUIDField(default=uuid.uuid4, db_index=True)  # the same goal across versions
    domain = models.CharField(_("life domain"), max_length=40, choices=LifeDomain.choices)
    persons = models.ManyToManyField(Person, blank=True, related_name="goals")
    family_words = models.TextField(_("the goal in the family's own words"), max_length=TEXT_MAX)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    level_minus2 = models.CharField(_("-2: much less than expected"), max_length=500)
    level_minus1 = models.CharField(_("-1: less than expected"), max_length=500)
    level_0 = models.CharField(_("0: expected outcome"), max_length=500)
    level_plus1 = models.CharField(_("+1: more than expected"), max_length=500)
    level_plus2 = models.CharField(_("+2: much more than expected"), max_length=500)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)

    LEVEL_FIELDS = ("level_minus2", "level_minus1", "level_0", "level_plus1", "level_plus2")

    class Meta:
        ordering = ["priority", "id"]

    def save(self, *args, **kwargs):
        if PlanVersion.objects.filter(pk=self.version_id, status=PlanVersion.Status.AGREED).exists():
            raise ValidationError("Goals of an agreed plan version cannot be changed.")
        super().save(*args, **kwargs)

    def levels(self) -> list[tuple[int, str]]:
        return list(zip((-2, -1, 0, 1, 2), (getattr(self, f) for f in self.LEVEL_FIELDS)))


class Action(models.Model):
    """A step towards a goal; lives beside the versions because it changes daily."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="actions")
    goal_key = models.UUIDField(null=True, blank=True, db_index=True)
    what = models.CharField(_("what"), max_length=500)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="actions")
    network_member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="actions")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="actions")
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    discussion = models.ForeignKey("CaseDiscussion", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="actions")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["professional", "status", "due_on"], name="action_mine_idx"),
                   models.Index(fields=["family", "status"], name="action_family_idx")]
        constraints = [models.CheckConstraint(
            condition=(Q(professional__isnull=False, network_member__isnull=True, person__isnull=True)
                       | Q(professional__isnull=True, network_member__isnull=False, person__isnull=True)
                       | Q(professional__isnull=True, network_member__isnull=True, person__isnull=False)),
            name="action_exactly_one_owner")]

    @property
    def owner_name(self) -> str:
        owner = self.professional or self.network_member or self.person
        return getattr(owner, "name", None) or str(owner)

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on is not None and \
            self.due_on < timezone.localdate()


class Review(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("held on"))
    family_present = models.BooleanField(_("the family took part"), default=True)
    family_attendees = models.ManyToManyField(Person, blank=True, related_name="+")
    professionals = models.ManyToManyField(Professional, blank=True, related_name="+")
    decisions = models.TextField(_("what was decided"), max_length=TEXT_MAX)
    next_review_on = models.DateField(_("next review"))
    t_score = models.FloatField(null=True, blank=True)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]


class ReviewScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    level = models.SmallIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(level__gte=-2, level__lte=2),
                                              name="review_level_range"),
                       models.UniqueConstraint(fields=["review", "goal"], name="review_goal_once")]


class CaseDiscussion(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Regular")
        CRISIS = "crisis", _("Crisis")
        CONSULTATION = "consultation", _("Consultation")
        HANDOFF = "handoff", _("Handoff")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="discussions")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("held on"))
    participants = models.ManyToManyField(Professional, related_name="+")
    family_took_part = models.BooleanField(_("the family took part"), default=False)
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT_MAX * 2)
    decisions = models.TextField(_("decisions"), blank=True, max_length=TEXT_MAX)
    recorded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["family", "held_on"], name="discussion_family_idx")]
