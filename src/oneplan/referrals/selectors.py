"""Every read of referrals: one referral (either side), the receiving queue, the referrer's lists."""
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import AccessDenied, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.referrals import eligibility, shared, workflow
from oneplan.referrals.models import Handoff, Referral, ReferralStep, Urgency
from oneplan.referrals.rules import ReferralAccess, receiving_organisation_ids, referral_access
from oneplan.referrals.services import accepted_professional_id, handoff_defaults
from oneplan.referrals.workflow import Status


@dataclass
class ReferralView:
    access: ReferralAccess
    referral: Referral
    persons: list
    steps: list[ReferralStep]
    handoff: Handoff | None
    next_steps: list[str]
    consent_missing: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shared: dict = field(default_factory=dict)
    sharing: list[dict] = field(default_factory=list)  # per asked category: shared now or why not
    colleagues: list[Professional] = field(default_factory=list)  # who may take it on
    handoff_defaults: dict = field(default_factory=dict)

    @property
    def asked_labels(self) -> list[str]:
        """A draft shares everything asked once sent (sending needs consent for all of it)."""
        return [row["label"] for row in self.sharing]

    @property
    def shared_labels(self) -> list[str]:
        """The categories the receiving organisation sees now (with data or not yet)."""
        return [row["label"] for row in self.sharing if row["state"] in (shared.SHOWN, shared.EMPTY)]

    @property
    def not_shared(self) -> list[dict]:
        return [row for row in self.sharing if row["state"] in (shared.NOT_COVERED, shared.WITHHELD)]

    @property
    def nothing_yet(self) -> list[dict]:
        return [row for row in self.sharing if row["state"] == shared.EMPTY]

    @property
    def persons_hidden(self) -> bool:
        """The receiver alone, without consent for who is referred: the names stay hidden too."""
        return (self.access.is_receiver and not self.access.is_referrer
                and any(row["category"] == "identity" and row["state"] == shared.NOT_COVERED
                        for row in self.sharing))


def _steps(referral_id: int) -> list[ReferralStep]:
    return list(ReferralStep.objects.filter(referral_id=referral_id)
                .select_related("actor__user", "organisation").order_by("at", "id"))


@selector
def referral_detail(*, actor: Professional, referral_id) -> ReferralView:
    access = referral_access(actor, referral_id, "referral.read")
    referral = access.referral
    persons = list(referral.persons.order_by("date_of_birth"))
    view = ReferralView(access=access, referral=referral, persons=persons, steps=_steps(referral.pk),
                        handoff=Handoff.objects.select_related("receiving_professional__user")
                        .filter(referral=referral).first(),
                        next_steps=workflow.next_steps(referral.status, set(access.sides)))
    if access.is_receiver:
        view.shared = shared.snapshot(referral, persons)
        view.sharing = view.shared["sharing"]
    else:  # the referrer is told what the receiver sees now, from the same consent check
        view.sharing = shared.sharing(referral, shared.gaps(referral, persons))
    if access.is_referrer and referral.status == Status.DRAFT:
        view.consent_missing = [row["why"] for row in view.sharing if row["state"] == shared.NOT_COVERED]
        view.warnings = eligibility.warnings(
            service=referral.service, persons=persons, needs=referral.needs, family_id=referral.family_id,
            can_see=access.family_access.can_see)
    if referral.status in (Status.RECEIVED, Status.ACCEPTED, Status.WAITING_LIST, Status.IN_SERVICE):
        view.colleagues = list(Professional.objects.filter(organisations=referral.organisation,
                                                           user__is_active=True)
                               .select_related("user").order_by("user__last_name", "user__first_name")[:200])
        view.handoff_defaults = dict(handoff_defaults(referral),
                                     receiving_professional=_proposed_receiver(actor, referral, view))
    record(actor, "referral.read", referral, family=referral.family_id, category=Category.IDENTITY,
           organisation=referral.organisation if access.is_receiver and not access.is_referrer
           else access.family_access.organisation,
           reason="receiving organisation" if not access.is_referrer else "")
    return view


def _proposed_receiver(actor: Professional, referral: Referral, view: ReferralView) -> int | None:
    """Whom the handoff form proposes: who took the referral on, else the actor if they work at the
    receiving organisation, else nobody (the form asks rather than offering the first colleague)."""
    known = accepted_professional_id(referral, view.steps)
    colleague_ids = {p.pk for p in view.colleagues}
    if known and known not in colleague_ids:  # beyond the list's length, or no longer active
        extra = (Professional.objects.filter(pk=known, organisations=referral.organisation,
                                             user__is_active=True).select_related("user").first())
        if extra:
            view.colleagues.append(extra)
            colleague_ids.add(extra.pk)
    if known in colleague_ids:
        return known
    return actor.pk if actor.pk in colleague_ids else None


QUEUE_STATES = {"open": workflow.QUEUE, "new": (Status.SENT,), "waiting": (Status.WAITING_LIST,),
                "closed": tuple(workflow.TERMINAL)}
_URGENCY_ORDER = {Urgency.URGENT: 0, Urgency.SOON: 1, Urgency.ROUTINE: 2}


@selector
def incoming(*, actor: Professional, state: str = "open", service_id=None,
             urgency: str = "") -> QuerySet[Referral]:
    """The receiving organisations' queue, oldest sent first; paginate the result."""
    org_ids = receiving_organisation_ids(actor)
    if not org_ids:
        error = AccessDenied("Incoming referrals are for practitioners, coordinators, team managers "
                             "and organisation admins.")
        refused(error, actor=actor, action="referral.queue",
                reason="role may not work incoming referrals")
        raise error
    statuses = QUEUE_STATES.get(state, workflow.QUEUE)
    qs = Referral.objects.filter(organisation_id__in=org_ids, status__in=statuses)
    if valid_id(service_id):
        qs = qs.filter(service_id=service_id)
    if urgency in Urgency.values:
        qs = qs.filter(urgency=urgency)
    record(actor, "referral.queue", object_type="referrals.referral",
           reason=f"state={state} service={service_id or ''} urgency={urgency}"[:200])
    order = ("-sent_at", "-id") if state == "closed" else ("sent_at", "id")
    # A narrow join: PostgreSQL spends longer planning an 8-table join than running it, so the
    # users come in two small prefetch queries instead (docs/benchmarks.md).
    return (qs.select_related("service", "referrer_organisation", "family")
            .prefetch_related(Prefetch("persons", to_attr="person_list"), "referrer__user",
                              "receiving_professional__user")
            .order_by(*order))


@selector
def outgoing(*, actor: Professional, state: str = "open") -> QuerySet[Referral]:
    """Referrals the actor made, most recently changed first; paginate the result."""
    qs = Referral.objects.filter(referrer=actor)
    if state == "open":
        qs = qs.filter(status__in=workflow.OPEN)
    elif state == "closed":
        qs = qs.filter(status__in=workflow.TERMINAL)
    record(actor, "referral.outgoing", object_type="referrals.referral", reason=f"state={state}")
    return (qs.select_related("service", "organisation", "family", "receiving_professional__user")
            .prefetch_related(Prefetch("persons", to_attr="person_list"))
            .order_by("-status_changed_at", "-id"))


def family_referrals(access) -> list[Referral]:
    """A family's referrals for its file (the caller checked the family access)."""
    return list(Referral.objects.filter(family=access.family)
                .select_related("service", "organisation", "referrer__user", "handoff")
                .prefetch_related(Prefetch("persons", to_attr="person_list"))
                .order_by("-status_changed_at", "-id")[:50])


def visible_to(actor: Professional) -> QuerySet[Referral]:
    """Every referral the actor sees, on either side: the rule of `referral_access` as a query
    (the referrer side: active members of the family's care team; the receiver side: the
    receiving organisations' workers, drafts excepted). For integrations that search; the caller
    audits what it returns."""
    seen = Q(family_id__in=rules.team_family_ids(actor))
    orgs = receiving_organisation_ids(actor)
    if orgs:
        seen |= Q(organisation_id__in=orgs) & ~Q(status=Status.DRAFT)
    return Referral.objects.filter(seen)


def ended_by_receiver_from(referrals: list[Referral]) -> dict[int, str]:
    """{referral id: the status it was in} for cancelled referrals the receiving side ended."""
    cancelled = [r for r in referrals if r.status == Status.CANCELLED]
    if not cancelled:
        return {}
    by_id = {r.pk: r for r in cancelled}
    ended = {}
    for step in ReferralStep.objects.filter(referral_id__in=by_id, to_status=Status.CANCELLED):
        if step.organisation_id == by_id[step.referral_id].organisation_id:
            ended[step.referral_id] = step.from_status
    return ended
