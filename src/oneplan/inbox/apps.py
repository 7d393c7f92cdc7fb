"""One inbox per professional: notifications on the page and by e-mail."""
from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "oneplan.inbox"
    label = "inbox"

    def ready(self):
        from oneplan.access import services, services_consent
        from oneplan.inbox import access_notices

        services_consent.CONSENT_CHANGED.append(access_notices.consent_changed)
        services.BREAK_GLASS_OPENED.append(access_notices.break_glass_opened)
