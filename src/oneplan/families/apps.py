"""The shared family file: family, persons, household memberships, informal network, care team."""
from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "oneplan.families"
    label = "families"

    def ready(self):
        from oneplan.families import extensions, sections

        extensions.register_section("notes", "families/_notes_section.html", sections.notes_section,
                                    order=80)
