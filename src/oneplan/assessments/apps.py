"""Assessment instruments as versioned data, joint assessments, safety flags and score charts."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AssessmentsConfig(AppConfig):
    name = "oneplan.assessments"
    label = "assessments"

    def ready(self):
        from oneplan.assessments import subject as subject_sections

        subject_sections.register()
        from oneplan.access import emergency
        from oneplan.assessments import sections, selectors
        from oneplan.assessments.loader import load_defaults_once
        from oneplan.assessments.models import Assessment
        from oneplan.families import extensions
        from oneplan.plans import agenda

        extensions.register_section("assessments", "assessments/_family_section.html",
                                    sections.family_section, order=20)
        extensions.register_flags("assessments", sections.caseload_flags)
        post_migrate.connect(load_defaults_once, sender=self)
        agenda.PROVIDERS.append(selectors.score_gaps)
        emergency.FAMILY_OF["assessment_id"] = lambda pk: (
            Assessment.objects.filter(pk=pk).values_list("family_id", flat=True).first())
