"""Shared building blocks: errors, crypto helpers, pagination, base templates."""
from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "oneplan.core"
    label = "core"

    def ready(self):
        from oneplan.core import email, idempotency, outbox, sms, tick, worker  # noqa: F401 (email, sms register their handlers)

        tick.register("outbox", outbox.tick)
        tick.register("idempotency-keys", idempotency.prune)
        worker.register("outbox", outbox.poll)
