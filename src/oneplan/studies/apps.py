"""Evaluation exports for studies: approved by a privacy officer, pseudonymised per study."""
from django.apps import AppConfig


class StudiesConfig(AppConfig):
    name = "oneplan.studies"
    label = "studies"

    def ready(self):
        from oneplan.studies import subject

        subject.register()
