"""The front door: one place where a family, or someone worried about a family, asks for help,
and the intake behind it."""
from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "oneplan.frontdoor"
    label = "frontdoor"

    def ready(self):
        from oneplan.access import erasure
        from oneplan.core import tick
        from oneplan.frontdoor import jobs, notices, subject  # noqa: F401 (notices registers its texts)

        subject.register()
        erasure.ERASERS.append(jobs.erase_person)
        tick.register("front door retention", jobs.retention_run)
