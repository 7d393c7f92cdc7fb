"""Reading the audit log: the privacy officer's search."""
import datetime as dt

from django.db.models import Q, QuerySet

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record
from oneplan.core.layers import selector
from oneplan.families.models import Family, Membership


@selector
def audit_search(*, actor: Professional, family_reference: str = "", person_id: int | None = None,
                 professional_id: int | None = None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, outcome: str = "") -> QuerySet[AuditEvent]:
    """Events matching every given filter, newest first (paginate the result)."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "audit.search")
    qs = AuditEvent.objects.all()
    if family_reference:
        family = Family.objects.filter(reference=family_reference.strip().upper()).first()
        qs = qs.filter(family_id=family.pk if family else -1)
    if person_id:
        families = Membership.objects.filter(person_id=person_id).values("family_id")
        qs = qs.filter(Q(person_id=person_id) | Q(family_id__in=families, person_id__isnull=True))
    if professional_id:
        user_id = Professional.objects.filter(pk=professional_id).values_list("user_id", flat=True).first()
        qs = qs.filter(actor_id=user_id or -1)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if outcome:
        qs = qs.filter(outcome=outcome)
    record(actor, "audit.search", reason=(
        f"family={family_reference} person={person_id or ''} professional={professional_id or ''} "
        f"from={date_from or ''} to={date_to or ''} outcome={outcome}"))
    return qs.order_by("-id")
