"""The shared family file: family, persons, household memberships, informal network, care team."""
from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "oneplan.families"
    label = "families"
