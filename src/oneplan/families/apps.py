"""The shared family file: family, persons, household memberships, informal network, care team."""
from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "oneplan.families"
    label = "families"

    def ready(self):
        from oneplan.core import tick
        from oneplan.families import extensions, jobs, sections

        tick.register("coordinators", jobs.families_without_coordinator)

        extensions.register_section("notes", "families/_notes_section.html", sections.notes_section,
                                    order=80)
