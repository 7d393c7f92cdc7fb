"""One inbox per professional: notifications on the page and by e-mail."""
from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "oneplan.inbox"
    label = "inbox"

    def ready(self):
        from oneplan.access import services_consent
        from oneplan.inbox import consent_notices

        services_consent.CONSENT_CHANGED.append(consent_notices.consent_changed)
