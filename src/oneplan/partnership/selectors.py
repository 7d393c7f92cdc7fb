"""Reading a partnership: the list, its page, the vision with its agreement and changes, roles and
coverage of the life domains, agreements measured, funding, self-evaluation and learning."""
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional
from oneplan.core.errors import NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import selector
from oneplan.core.text import word_diff
from oneplan.directory import domains
from oneplan.directory.models import Service
from oneplan.partnership import funding, measure, results, rules
from oneplan.partnership.models import (
    Agreement,
    Invitation,
    LearningAction,
    LearningSession,
    Member,
    Partnership,
    Round,
    VisionVersion,
)
from oneplan.partnership.services_evaluation import my_invitation


def _members(item: Partnership) -> list[Member]:
    return list(item.members.filter(left_on__isnull=True).select_related("organisation")
                .prefetch_related(Prefetch("representatives", Professional.objects.select_related("user"))))


@dataclass
class Access:
    partnership: Partnership
    may_manage: bool
    is_admin: bool
    represented: list[Member]

    @property
    def represented_ids(self) -> set[int]:
        return {m.pk for m in self.represented}


def _access(actor: Professional, partnership_id, action: str) -> Access:
    item = rules.get_visible(actor, partnership_id, action)
    return Access(item, rules.may_manage(actor, item), rules.is_admin(actor), rules.represented(actor, item))


@selector
def creating(*, actor: Professional) -> list[Professional]:
    """A network administrator starts a partnership: who may coordinate it."""
    rules.require_admin(actor, "partnership.create")
    return list(Professional.objects.filter(acting_for__isnull=True, user__is_active=True)
                .select_related("user").prefetch_related("organisations")
                .order_by("user__last_name", "user__first_name"))


@dataclass
class MembersView:
    access: Access
    members: list[Member]
    staff: dict[int, list[Professional]]  # per organisation: who may represent it


@selector
def members(*, actor: Professional, partnership_id) -> MembersView:
    access = _access(actor, partnership_id, "partnership.members.read")
    present = _members(access.partnership)
    staff: dict[int, list[Professional]] = {}
    orgs = [m.organisation_id for m in present]
    through = Professional.organisations.through.objects.filter(
        organisation_id__in=orgs, professional__acting_for__isnull=True, professional__user__is_active=True) \
        .select_related("professional__user").order_by("professional__user__last_name")
    for link in through:
        staff.setdefault(link.organisation_id, []).append(link.professional)
    return MembersView(access, present, staff)


@selector
def partnership_list(*, actor: Professional) -> list[Partnership]:
    return list(rules.visible(actor).select_related("coordinator__user")
                .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True))))


# ---- vision ----------------------------------------------------------------------------------

@dataclass
class MemberStatus:
    member: Member
    agreed_by: Professional | None = None
    agreed_at: object = None


@dataclass
class VisionView:
    versions: list[VisionVersion]
    version: VisionVersion | None
    previous: VisionVersion | None
    words: list[tuple[str, str]]
    status: list[MemberStatus]
    is_latest: bool
    agreed_by_all: bool
    can_agree: list[Member]
    current_agreed: VisionVersion | None  # the newest version every present member agreed

    @property
    def waiting(self) -> list[MemberStatus]:
        return [s for s in self.status if s.agreed_by is None]


def _vision(item: Partnership, members: list[Member], represented: set[int], number=None) -> VisionView:
    versions = list(item.vision_versions.select_related("created_by__user")
                    .prefetch_related("agreements__agreed_by__user").order_by("-number"))
    present = {m.pk for m in members}
    agreed = {v.pk: {a.member_id: a for a in v.agreements.all()} for v in versions}
    current_agreed = next((v for v in versions if present and present <= set(agreed[v.pk])), None)
    version = versions[0] if versions else None
    if number is not None:
        version = next((v for v in versions if str(v.number) == str(number)), None)
    if version is None:
        return VisionView(versions, None, None, [], [MemberStatus(m) for m in members], True, False, [],
                          current_agreed)
    previous = next((v for v in versions if v.number < version.number), None)
    mine = agreed[version.pk]
    status = [MemberStatus(m, mine[m.pk].agreed_by, mine[m.pk].agreed_at) if m.pk in mine else MemberStatus(m)
              for m in members]
    is_latest = version == versions[0]
    return VisionView(
        versions, version, previous, word_diff(previous.text, version.text) if previous else [], status,
        is_latest, bool(present) and present <= set(mine),
        [m for m in members if m.pk in represented and m.pk not in mine] if is_latest else [],
        current_agreed)


@selector
def vision(*, actor: Professional, partnership_id, number=None) -> tuple[Access, VisionView]:
    access = _access(actor, partnership_id, "partnership.vision.read")
    view = _vision(access.partnership, _members(access.partnership), access.represented_ids, number)
    return access, view


# ---- roles and coverage ----------------------------------------------------------------------

@dataclass
class Coverage:
    domain: str
    label: str
    lead: Member | None = None
    services: list[tuple[Service, Member]] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.services)


@dataclass
class RolesView:
    members: list[Member]
    coverage: list[Coverage]
    editable: set[int]  # members the actor may describe

    @property
    def uncovered(self) -> list[Coverage]:
        return [c for c in self.coverage if not c.covered]


def _coverage(members: list[Member]) -> list[Coverage]:
    rows = {key: Coverage(key, label) for key, label in domains.choices()}
    for member in members:
        for key in member.lead_domains:
            if key in rows:
                rows[key].lead = member
        for item in member.services.all():
            if item.status != Service.Status.ACTIVE:
                continue
            for d in item.domains.all():
                if d.domain in rows:
                    rows[d.domain].services.append((item, member))
    return list(rows.values())


@selector
def roles(*, actor: Professional, partnership_id) -> tuple[Access, RolesView]:
    access = _access(actor, partnership_id, "partnership.roles.read")
    members = list(access.partnership.members.filter(left_on__isnull=True).select_related("organisation")
                   .prefetch_related("services__domains",
                                     Prefetch("representatives", Professional.objects.select_related("user"))))
    editable = {m.pk for m in members} if access.may_manage else access.represented_ids
    return access, RolesView(members, _coverage(members), editable)


@selector
def role_form(*, actor: Professional, partnership_id, member_id) -> tuple[Access, Member, list[Service]]:
    """Describing a member's role: its representatives or the partnership's managers."""
    member = rules.get_member(actor, member_id, "partnership.member.role")
    if str(member.partnership_id) != str(partnership_id):
        raise NotFound(_("No such member."))
    rules.require_representative(actor, member, "partnership.member.role", or_manager=True)
    access = _access(actor, member.partnership_id, "partnership.member.role")
    return access, member, organisation_services(member)


def organisation_services(member: Member) -> list[Service]:
    """The directory services a member may bring (its organisation's, not defunct)."""
    return list(Service.objects.filter(organisation_id=member.organisation_id)
                .exclude(status=Service.Status.DEFUNCT).order_by("name"))


# ---- cooperation agreements ------------------------------------------------------------------

def _agreements(item: Partnership):
    return item.agreements.select_related("from_organisation", "to_organisation", "from_contact__user",
                                          "to_contact__user")


@selector
def agreements(*, actor: Professional, partnership_id) -> tuple[Access, list[measure.Measure], list[Agreement]]:
    """The active agreements measured, and the ended ones."""
    access = _access(actor, partnership_id, "partnership.agreements.read")
    rows = list(_agreements(access.partnership))
    return (access, measure.measure_all([a for a in rows if a.is_active]),
            [a for a in rows if not a.is_active])


@selector
def agreement(*, actor: Professional, partnership_id, agreement_id) -> tuple[Access, measure.Measure]:
    access = _access(actor, partnership_id, "partnership.agreements.read")
    item = _agreements(access.partnership).filter(pk=agreement_id).first() if valid_id(agreement_id) else None
    if item is None:
        raise refused(NotFound(_("No such agreement.")), actor=actor, action="partnership.agreements.read",
                            reason="no such agreement", object_type="partnership.agreement",
                            object_id=agreement_id if valid_id(agreement_id) else "")
    return access, measure.measure(item)


def may_change_agreement(actor: Professional, access: Access, item: Agreement) -> bool:
    if access.may_manage:
        return True
    sides = {item.from_organisation_id, item.to_organisation_id} - {None}
    return any(m.organisation_id in sides for m in access.represented)


# ---- funding ---------------------------------------------------------------------------------

@selector
def funding_year(*, actor: Professional, partnership_id, year: int) -> tuple[Access, funding.Summary]:
    access = _access(actor, partnership_id, "partnership.funding.read")
    return access, funding.summary(access.partnership, year)


# ---- self-evaluation -------------------------------------------------------------------------

@dataclass
class EvaluationView:
    rounds: list[Round]
    open_round: Round | None
    my_invitation: Invitation | None  # on the open round


@selector
def evaluation(*, actor: Professional, partnership_id) -> tuple[Access, EvaluationView]:
    access = _access(actor, partnership_id, "partnership.evaluation.read")
    rows = list(access.partnership.rounds.annotate(
        responded=Count("responses", distinct=True), invited=Count("invitations", distinct=True))
        .order_by("-number"))
    open_round = next((r for r in rows if r.is_open), None)
    return access, EvaluationView(rows, open_round, my_invitation(actor, open_round) if open_round else None)


def _round(actor: Professional, access: Access, round_id) -> Round:
    item = access.partnership.rounds.select_related("questionnaire").filter(pk=round_id).first() \
        if valid_id(round_id) else None
    if item is None:
        raise refused(NotFound(_("No such self-evaluation round.")), actor=actor,
                      action="partnership.evaluation.read", reason="no such round",
                      object_type="partnership.round", object_id=round_id if valid_id(round_id) else "")
    return item


@selector
def round_detail(*, actor: Professional, partnership_id, round_id) -> tuple[Access, Round, results.Results]:
    access = _access(actor, partnership_id, "partnership.evaluation.read")
    item = _round(actor, access, round_id)
    return access, item, results.for_round(item)


@selector
def round_to_answer(*, actor: Professional, partnership_id, round_id) -> tuple[Access, Round, Invitation | None]:
    access = _access(actor, partnership_id, "partnership.evaluation.answer")
    item = _round(actor, access, round_id)
    return access, item, my_invitation(actor, item)


# ---- learning --------------------------------------------------------------------------------

@dataclass
class LearningView:
    sessions: list[LearningSession]
    open_actions: list[LearningAction]

    @property
    def overdue(self) -> int:
        return sum(a.is_overdue for a in self.open_actions)


def _open_actions(item: Partnership) -> list[LearningAction]:
    return list(LearningAction.objects.filter(session__partnership=item, done_on__isnull=True)
                .select_related("owner__user", "session").order_by("due_on", "id"))


@selector
def learning(*, actor: Professional, partnership_id) -> tuple[Access, LearningView]:
    access = _access(actor, partnership_id, "partnership.learning.read")
    sessions = list(access.partnership.sessions.prefetch_related(
        Prefetch("participants", Professional.objects.select_related("user")),
        Prefetch("actions", LearningAction.objects.select_related("owner__user", "done_by__user"))))
    return access, LearningView(sessions, _open_actions(access.partnership))


@selector
def session_detail(*, actor: Professional, partnership_id, session_id) -> tuple[Access, LearningSession]:
    access = _access(actor, partnership_id, "partnership.learning.read")
    item = access.partnership.sessions.prefetch_related(
        Prefetch("participants", Professional.objects.select_related("user")),
        Prefetch("actions", LearningAction.objects.select_related("owner__user", "done_by__user"))) \
        .filter(pk=session_id).first() if valid_id(session_id) else None
    if item is None:
        raise refused(NotFound(_("No such learning session.")), actor=actor,
                            action="partnership.learning.read", reason="no such session",
                            object_type="partnership.learningsession",
                            object_id=session_id if valid_id(session_id) else "")
    return access, item


def member_professionals(item: Partnership) -> list[Professional]:
    """Who may take part in a session or own an action: the members' professionals and the coordinator."""
    orgs = item.members.filter(left_on__isnull=True).values("organisation_id")
    return list(Professional.objects.filter(Q(organisations__in=orgs) | Q(pk=item.coordinator_id),
                                            acting_for__isnull=True, user__is_active=True)
                .select_related("user").prefetch_related("organisations").distinct()
                .order_by("user__last_name", "user__first_name"))


# ---- the partnership page ----------------------------------------------------------------------

@dataclass
class Overview:
    access: Access
    members: list[Member]
    vision: VisionView
    measures: list[measure.Measure]
    latest: results.Results | None
    open_round: Round | None
    may_answer: bool
    open_actions: list[LearningAction]
    funding: funding.Summary

    def agreements_in(self, state: str) -> int:
        return sum(m.state == state for m in self.measures)

    @property
    def kept(self) -> int:
        return self.agreements_in("kept")

    @property
    def not_kept(self) -> list[measure.Measure]:
        return [m for m in self.measures if m.state == "not_kept"]

    @property
    def too_few(self) -> int:
        return self.agreements_in("too_few")

    @property
    def overdue_actions(self) -> int:
        return sum(a.is_overdue for a in self.open_actions)


@selector
def overview(*, actor: Professional, partnership_id) -> Overview:
    access = _access(actor, partnership_id, "partnership.read")
    item = access.partnership
    members = _members(item)
    rounds = list(item.rounds.select_related("questionnaire").order_by("-number")[:2])
    open_round = next((r for r in rounds if r.is_open), None)
    # The newest round whose results show; else the newest round (to say how many answered so far).
    latest = None
    for candidate in rounds:
        latest = results.for_round(candidate)
        if latest.shown:
            break
    invitation = my_invitation(actor, open_round) if open_round else None
    return Overview(
        access=access, members=members, vision=_vision(item, members, access.represented_ids),
        measures=measure.measure_all(_agreements(item).filter(ended_on__isnull=True)),
        latest=latest, open_round=open_round, may_answer=invitation is not None and not invitation.used,
        open_actions=_open_actions(item), funding=funding.summary(item, timezone.localdate().year))
