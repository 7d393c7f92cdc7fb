"""Reference index: pseudonymised involvement signals and matches between organisations."""
from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "oneplan.signals"
    label = "signals"

    def ready(self):
        from oneplan.signals import subject as subject_sections

        subject_sections.register()
        from oneplan.core import tick
        from oneplan.signals import services

        tick.register("signals", services.tick_job)
