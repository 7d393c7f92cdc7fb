"""The assessments section on the family file and the safety flag on the caseload."""
from django.utils.translation import gettext as _

from oneplan.assessments import charts, selectors
from oneplan.assessments.models import SafetyTask
from oneplan.families.extensions import Flag


def family_section(request, file) -> dict:
    summary = selectors.family_summary(file.access)
    summary["charts"] = [charts.chart(s) for s in summary["series"]][:12]
    return summary


def caseload_flags(actor, family_ids: list[int]) -> dict:
    open_tasks = (SafetyTask.objects.filter(family_id__in=family_ids, done_at__isnull=True)
                  .values_list("family_id", flat=True).distinct())
    return {family_id: [Flag("safety", _("Safety concern"), "danger")] for family_id in open_tasks}
