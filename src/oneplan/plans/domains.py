"""The life domains plans and assessments speak of (keys match the default instrument)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    FINANCES = "finances_debts", _("Finances and debts")
    INCOME_WORK = "income_work", _("Income and work / daytime activity")
    HOUSING = "housing", _("Housing")
    FAMILY_RELATIONS = "family_relations", _("Family relations")
    PARENTING = "parenting", _("Parenting")
    CHILD_DEVELOPMENT = "child_development_school", _("Child development and school")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    DAILY_LIVING = "daily_living", _("Daily living skills")
    SOCIAL_NETWORK = "social_network", _("Social network")
    COMMUNITY = "community_participation", _("Community participation")
    JUSTICE = "justice", _("Justice")
    SAFETY = "safety", _("Safety")
