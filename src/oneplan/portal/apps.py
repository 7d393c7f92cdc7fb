"""The family's side: portal accounts by invitation, the plan, team, consents and access log."""
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "oneplan.portal"
    label = "portal"

    def ready(self):
        from oneplan.portal import subject as subject_sections

        subject_sections.register()
        from oneplan.families import extensions
        from oneplan.portal import sections

        extensions.register_section("feedback", "portal/_feedback_section.html",
                                    sections.feedback_section, order=85)
