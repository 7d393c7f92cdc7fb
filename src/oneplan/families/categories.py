"""The data categories of a family file: what consent is given for, per organisation."""
from django.db import models
from django.utils.translation import gettext_lazy as _


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
