"""Insights: indicators as versioned definitions, monthly aggregates, dashboards for the analyst,
the team manager and the network coordinator."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InsightsConfig(AppConfig):
    name = "oneplan.insights"
    label = "insights"

    def ready(self):
        from oneplan.core import tick
        from oneplan.insights import aggregates
        from oneplan.insights.compute import care, frontdoor, outcomes, referrals  # noqa: F401 (they register)
        from oneplan.insights.loader import load_defaults_on_migrate

        post_migrate.connect(load_defaults_on_migrate, sender=self)
        tick.register("insights", aggregates.tick)
