"""The partnership behind integrated care for families: shared vision, roles and responsibilities,
cooperation agreements measured against real referrals, funding, self-evaluation and learning."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipConfig(AppConfig):
    name = "oneplan.partnership"
    label = "partnership"

    def ready(self):
        from oneplan.core import tick
        from oneplan.partnership import questionnaire, services_evaluation

        post_migrate.connect(questionnaire.load_defaults, sender=self)
        tick.register("partnership self-evaluation rounds", services_evaluation.close_due)
        from oneplan.partnership import extensions, key_figures

        extensions.register_panel("insights", "partnership/_key_figures.html", key_figures.panel, order=10)
