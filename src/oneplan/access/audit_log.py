"""The privacy officer's search of the audit log and its proofs (the log itself, in oneplan.audit,
is a leaf)."""
import datetime as dt

from django.db.models import Q, QuerySet

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.audit import proofs
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


@selector
def audit_proof(*, actor: Professional, event_id: int) -> dict:
    """The inclusion proof of one event (raises proofs.ProofUnavailable)."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "audit.proof")
    proof = proofs.build(event_id)
    record(actor, "audit.proof", object_type="audit.auditevent", object_id=event_id)
    return proof


@selector
def proof_check(*, actor: Professional, proof) -> proofs.ProofCheck | None:
    """Check an uploaded proof (None: only the page, nothing to check yet)."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "audit.proof.check")
    return None if proof is None else proofs.check(proof)


def privacy_officer_addresses() -> list[tuple[str, str]]:
    """(e-mail, language) of the active privacy officers: who gets checkpoints of the audit log by
    e-mail (ONEPLAN_AUDIT_EMAIL_HOURS)."""
    officers = Professional.objects.filter(user__is_active=True).exclude(user__email="").select_related("user")
    return [(p.user.email, p.language) for p in officers if p.has_role(Role.PRIVACY_OFFICER)]
