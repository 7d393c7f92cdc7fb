"""Append-only, hash-chained log of every access to family data."""
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneplan.audit"
    label = "audit"
