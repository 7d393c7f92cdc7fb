"""The referrals section of the family file and the caseload flag for a question to answer."""
from django.utils.translation import gettext as _

from oneplan.families.extensions import Flag
from oneplan.referrals import selectors
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status


def family_section(request, file) -> dict | None:
    if file.access.membership is None:  # emergency access: which organisations are involved stays hidden
        return None
    return {"referrals": selectors.family_referrals(file.access),
            "can_refer": file.access.can("referral.send")}


def caseload_flags(actor, family_ids: list[int]) -> dict:
    """A receiving organisation asked the team something: one query for the page."""
    asked = (Referral.objects.filter(family_id__in=family_ids, status=Status.INFO_REQUESTED)
             .values_list("family_id", flat=True).distinct())
    return {family_id: [Flag("referral_question", _("Referral: question to answer"))] for family_id in asked}
