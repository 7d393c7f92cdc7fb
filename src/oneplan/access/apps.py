"""The one place that decides who may see or do what with a family's file."""
from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "oneplan.access"
    label = "access"

    def ready(self):
        from oneplan.access import audit_log, consent, jobs, rules, sections
        from oneplan.audit import publishing
        from oneplan.core import tick
        from oneplan.core import views as core_views
        from oneplan.families import extensions, guard

        guard.install(rules)
        rules.CONSENT_CHECK = consent.check
        extensions.register_section("consents", "access/_consents_section.html",
                                    sections.family_section, order=90)
        core_views.HOME_ROUTES.append(rules.home_route)
        tick.register("retention", jobs.retention)
        tick.register("break-glass", jobs.break_glass_waiting)
        publishing.RECIPIENTS = audit_log.privacy_officer_addresses
