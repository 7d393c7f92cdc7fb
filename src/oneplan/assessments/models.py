"""Instruments (versioned definitions), assessments with side-by-side scores, safety tasks."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Professional
from oneplan.core.text import shipped_translation
from oneplan.families.models import Family, Person


class Instrument(models.Model):
    """One version of an instrument; immutable once loaded (a change makes a new version)."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    definition = models.JSONField()  # {"domains": [{key, name, category, personal, levels{1..5}}]}
    checksum = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="instrument_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    def _translation(self) -> dict:
        return shipped_translation(self.definition)

    @property
    def title(self) -> str:
        return self._translation().get("name") or self.name

    @property
    def domains(self) -> list[dict]:
        """The domains with their names, descriptions and level texts in the reader's language."""
        texts = self._translation().get("domains") or {}
        if not texts:
            return self.definition["domains"]
        out = []
        for domain in self.definition["domains"]:
            own = texts.get(domain["key"]) or {}
            out.append({**domain, "name": own.get("name") or domain["name"],
                        "description": own.get("description") or domain.get("description", ""),
                        "levels": {**domain["levels"], **(own.get("levels") or {})}})
        return out

    def domain(self, key: str) -> dict | None:
        return next((d for d in self.domains if d["key"] == key), None)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("In progress")
        COMPLETED = "completed", _("Completed")

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="assessments")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="assessments")
    held_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["family", "held_on"], name="assessment_family_idx")]


class AssessmentScore(models.Model):
    """One domain (for one person when the domain is personal): both views side by side."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    domain_key = models.CharField(max_length=60)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    professional_score = models.PositiveSmallIntegerField(_("professional's score"), null=True, blank=True)
    family_score = models.PositiveSmallIntegerField(_("family's score"), null=True, blank=True)
    family_words = models.TextField(_("in the family's words"), blank=True, max_length=2000)
    strengths = models.TextField(_("strengths"), blank=True, max_length=2000)
    concerns = models.TextField(_("concerns"), blank=True, max_length=2000)
    safety_flag = models.BooleanField(_("safety concern"), default=False)
    contributed_by = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    @property
    def gap(self) -> bool:
        """The family sees it quite differently: to be talked through at the next review."""
        return (self.professional_score is not None and self.family_score is not None
                and abs(self.professional_score - self.family_score) >= settings.ONEPLAN["SCORE_GAP"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain_key", "person"],
                                    condition=Q(person__isnull=False), name="score_once_per_person"),
            models.UniqueConstraint(fields=["assessment", "domain_key"],
                                    condition=Q(person__isnull=True), name="score_once_per_family"),
        ]


class SafetyTask(models.Model):
    """Made the moment a safety concern is flagged: the coordinator must act on it."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="safety_tasks")
    score = models.ForeignKey(AssessmentScore, on_delete=models.PROTECT, related_name="tasks")
    assigned_to = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="safety_tasks")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(Professional, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["family", "done_at"], name="safetytask_family_idx"),
                   models.Index(fields=["assigned_to", "done_at"], name="safetytask_mine_idx")]
