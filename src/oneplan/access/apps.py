"""The one place that decides who may see or do what with a family's file."""
from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "oneplan.access"
    label = "access"
