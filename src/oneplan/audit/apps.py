"""Append-only, hash-chained log of every access to family data."""
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneplan.audit"
    label = "audit"

    def ready(self):
        from oneplan.audit.services import record
        from oneplan.core import layers

        layers.RECORD_REFUSAL = record
