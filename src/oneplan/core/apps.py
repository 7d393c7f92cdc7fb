"""Shared building blocks: errors, crypto helpers, pagination, base templates."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oneplan.core"
    label = "core"
