"""Closed-loop referrals between organisations, with warm handoffs."""
from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "oneplan.referrals"
    label = "referrals"

    def ready(self):
        from oneplan.referrals import subject as subject_sections

        subject_sections.register()
        from oneplan.core import tick as core_tick
        from oneplan.directory import waits
        from oneplan.families import extensions
        from oneplan.referrals import jobs, notices, sections, stats  # noqa: F401 (notices register texts)

        core_tick.register("referrals", jobs.report)
        waits.PROVIDER = stats.wait_stats
        extensions.register_section("referrals", "referrals/_family_section.html",
                                    sections.family_section, order=30)
        extensions.register_flags("referrals", sections.caseload_flags)
