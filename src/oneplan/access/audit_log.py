"""The privacy officer's search of the audit log (the log itself, in oneplan.audit, is a leaf)."""
import datetime as dt

from django.db.models import Q, QuerySet

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import record
from oneplan.core.layers import selector
from oneplan.families.models import Family, Membership, Person


@selector
def audit_search(*, actor: Professional, family_reference: str = "", person_bsn: str = "",
                 person_id: int | None = None,
                 professional: str = "", date_from: dt.date | None = None,
                 date_to: dt.date | None = None, outcome: str = "") -> QuerySet[AuditEvent]:
    """Events matching every given filter, newest first (paginate the result)."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "audit.search")
    qs = AuditEvent.objects.all()
    if family_reference:
        family = Family.objects.filter(reference=family_reference.strip().upper()).first()
        qs = qs.filter(family_id=family.pk if family else -1)
    if person_bsn:
        probe = Person()
        probe.set_national_id(person_bsn)
        person_id = (Person.objects.filter(national_id_hash=probe.national_id_hash)
                     .values_list("id", flat=True).first() or -1)
    if person_id:
        families = Membership.objects.filter(person_id=person_id).values("family_id")
        qs = qs.filter(Q(person_id=person_id) | Q(family_id__in=families, person_id__isnull=True))
    if professional:
        user_id = (Professional.objects.filter(user__username=professional.strip())
                   .values_list("user_id", flat=True).first())
        qs = qs.filter(actor_id=user_id or -1)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if outcome:
        qs = qs.filter(outcome=outcome)
    record(actor, "audit.search", reason=(
        f"family={family_reference} person={'bsn' if person_bsn else ''}{person_id or ''} professional={professional} "
        f"from={date_from or ''} to={date_to or ''} outcome={outcome}"))
    return qs.order_by("-id")
