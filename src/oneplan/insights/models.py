"""Indicator definitions (versioned data), monthly aggregates and the refresh watermark.

The dashboards read only these tables: never the case tables."""
from django.conf import settings
from django.db import models
from django.utils import timezone, translation


class Indicator(models.Model):
    """One version of an indicator definition, loaded from a YAML file (insights/indicators/);
    a changed file becomes the next version. Its computation is Python code registered under
    the same key (insights/registry.py)."""

    key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    definition = models.JSONField()  # question {en, nl}, numerator, denominator, unit, better, kind, ...
    checksum = models.CharField(max_length=64)
    is_active = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(default=timezone.now)
    shipped = models.BooleanField(default=True)  # from oneplan's own files, not loaded by an operator
    # When its 24 months were last computed in full; None: the next refresh computes them all.
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="indicator_version")]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def text(self, field: str) -> str:
        """A text of the definition in the reader's language (English when not translated)."""
        value = self.definition.get(field) or {}
        if isinstance(value, str):
            return value
        language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return value.get(language) or value.get("en", "")

    @property
    def question(self) -> str:
        return self.text("question")

    @property
    def title(self) -> str:
        return self.text("title")

    @property
    def unit(self) -> str:
        return self.definition["unit"]

    @property
    def breakdowns(self) -> list[str]:
        return self.definition.get("breakdowns", [])


class MonthlyFigure(models.Model):
    """One indicator for one month, one breakdown group and one series (a sub-count such as a
    decline reason). Months merge: counts, numerators, denominators and totals add up, and the
    histogram (value bucket -> count) gives medians and percentiles over any run of months."""

    indicator = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    month = models.DateField()  # the first day of the month
    breakdown = models.CharField(max_length=20)  # "all", "team", "organisation", "area", ...
    group = models.CharField(max_length=100, blank=True)  # e.g. an organisation id, "light", "0-3"
    series = models.CharField(max_length=60, blank=True)
    numerator = models.BigIntegerField(default=0)
    denominator = models.BigIntegerField(default=0)
    total = models.FloatField(default=0)  # sum of the values (means)
    value = models.FloatField(null=True, blank=True)  # this month on its own, for readers of the table
    histogram = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["breakdown", "group", "month"], name="figure_read_idx"),
                   models.Index(fields=["indicator", "breakdown", "month"], name="figure_indicator_idx")]
        constraints = [models.UniqueConstraint(
            fields=["indicator", "version", "month", "breakdown", "group", "series"], name="figure_once")]


class Refresh(models.Model):
    """The watermark: changes after `started_at` of the last refresh are picked up by the next."""

    class Kind(models.TextChoices):
        REBUILD = "rebuild", "rebuild"
        INCREMENTAL = "incremental", "incremental"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    months = models.JSONField(default=list)  # the months recomputed, "YYYY-MM"
    figures = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
