"""The plan's section on the family file and its flag on the caseload."""
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.families.extensions import Flag
from oneplan.plans import selectors
from oneplan.plans.models import Plan


def family_section(request, file) -> dict:
    page = selectors.plan_summary(file.access)
    return {"plan_page": page, "latest_levels": page.latest_levels}


def caseload_flags(actor, family_ids: list[int]) -> dict:
    today = timezone.localdate()
    overdue = Plan.objects.filter(family_id__in=family_ids, next_review_on__lt=today,
                                  family__status__in=["active", "scaling_down", "intake"])
    return {family_id: [Flag("review_overdue", _("Review overdue"))]
            for family_id in overdue.values_list("family_id", flat=True)}
