"""Append-only, hash-chained log of every access to family data."""
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneplan.audit"
    label = "audit"

    def ready(self):
        from oneplan.audit import jobs
        from oneplan.audit.services import record, seal
        from oneplan.core import layers, tick, worker

        layers.RECORD_REFUSAL = record
        tick.register("audit", jobs.seal_new_events)
        worker.register("audit", seal)
