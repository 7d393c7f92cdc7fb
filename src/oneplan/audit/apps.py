"""Append-only audit log of every access to family data: keyed chain, Merkle tree, signed checkpoints."""
from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "oneplan.audit"
    label = "audit"

    def ready(self):
        from oneplan.audit import jobs, publishing
        from oneplan.audit.services import record
        from oneplan.core import layers, outbox, tick, worker

        layers.RECORD_REFUSAL = record
        outbox.HANDLERS[publishing.WITNESS_KIND] = publishing.deliver_to_witness
        tick.register("audit", jobs.seal_and_checkpoint)
        worker.register("audit", jobs.poll)
