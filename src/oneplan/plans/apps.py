"""One family, one plan: versions agreed with the family, goals with GAS, actions, reviews."""
from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "oneplan.plans"
    label = "plans"

    def ready(self):
        from oneplan.plans import subject as subject_sections

        subject_sections.register()
        from oneplan.families import extensions
        from oneplan.plans import sections

        extensions.register_section("plan", "plans/_family_section.html", sections.family_section,
                                    order=10)
        extensions.register_flags("plans", sections.caseload_flags)
