"""Signed webhooks (Standard Webhooks) to partner organisations' systems."""
from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "oneplan.webhooks"
    label = "webhooks"

    def ready(self):
        from oneplan.core import events, outbox
        from oneplan.webhooks import delivery, notices  # noqa: F401 (registers the notice texts)

        events.subscribe(delivery.on_event)
        outbox.HANDLERS[delivery.KIND] = delivery.deliver
        if delivery.on_failed not in outbox.FAILED:
            outbox.FAILED.append(delivery.on_failed)
