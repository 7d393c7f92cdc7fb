"""Every read of a family file goes through here, with the acting professional."""
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import NotFound, refused
from oneplan.core.layers import selector
from oneplan.families import guard, teams
from oneplan.families.categories import Category
from oneplan.families.models import CareTeamMember, Family, Membership, NetworkMember, Person

if TYPE_CHECKING:  # type hints only: families does not import access (families/guard.py)
    from oneplan.access.rules import FamilyAccess


def _with_flags(qs: QuerySet[Family]) -> QuerySet[Family]:
    coordinators = CareTeamMember.objects.filter(
        teams.active_team_q(), family=OuterRef("pk"), role=CareTeamMember.Role.COORDINATOR)
    return qs.annotate(has_coordinator=Exists(coordinators))


def _coordinator_prefetch() -> Prefetch:
    return Prefetch(
        "team",
        queryset=CareTeamMember.objects.filter(teams.active_team_q(),
                                               role__in=CareTeamMember.COORDINATING)
        .select_related("professional__user", "organisation"),
        to_attr="coordinators",
    )


@selector
def caseload(*, actor: Professional, status: str = "", query: str = "") -> QuerySet[Family]:
    """Families where the actor is on the team now, newest activity first; paginate the result."""
    # An IN over the professional's own (indexed) team rows, not an EXISTS per family.
    mine = CareTeamMember.objects.filter(teams.active_team_q(), professional=actor).values("family_id")
    qs = Family.objects.filter(id__in=mine)
    if status == "open":
        qs = qs.exclude(status=Family.Status.CLOSED)
    elif status in Family.Status.values:
        qs = qs.filter(status=status)
    if query:
        query = query.strip()[:100]
        qs = qs.filter(Q(name__icontains=query) | Q(reference__iexact=query))
    record(actor, "caseload.read", reason=f"status={status} q={query}"[:200])
    my_roles = CareTeamMember.objects.filter(teams.active_team_q(), professional=actor)
    return (_with_flags(qs)
            .prefetch_related(_coordinator_prefetch(),
                              Prefetch("team", queryset=my_roles, to_attr="my_membership"))
            .order_by("-updated_at", "-id"))


def flags_for(family: Family) -> list[str]:
    flags = []
    if family.needs_coordinator and not getattr(family, "has_coordinator", True):
        flags.append("no_coordinator")
    return flags


@dataclass
class FamilyFile:
    access: "FamilyAccess"
    family: Family
    members: list[Membership]
    former_members: list[Membership]
    network: list[NetworkMember]
    team: list[CareTeamMember]
    former_team: list[CareTeamMember]
    flags: list[str] = field(default_factory=list)

    @property
    def coordinators(self) -> list[CareTeamMember]:
        return [m for m in self.team if m.is_coordinating]

    @property
    def adults(self) -> list[Membership]:
        return [m for m in self.members if not m.is_child]

    @property
    def children(self) -> list[Membership]:
        return [m for m in self.members if m.is_child]

    @property
    def other_households(self) -> dict[int, list]:
        """For each person, the other families they currently belong to (by reference only)."""
        return getattr(self, "_other_households", {})


@selector
def family_file(*, actor: Professional, family_id: int) -> FamilyFile:
    """The whole family file in a fixed number of queries."""
    access = guard.family_access(actor, family_id, "family.read")
    today = timezone.localdate()
    family = _with_flags(Family.objects.filter(pk=access.family.pk)).get()
    access.family = family
    memberships = list(family.memberships.select_related("person").order_by("person__date_of_birth"))
    access._memberships = memberships  # the consent checks of this request read the household from here
    team = list(family.team.select_related("professional__user", "organisation")
                .order_by("role", "started_on"))
    network = list(family.network.all())
    file = FamilyFile(
        access=access, family=family,
        members=[m for m in memberships if m.ended_on is None or m.ended_on > today],
        former_members=[m for m in memberships if m.ended_on is not None and m.ended_on <= today],
        network=[n for n in network if n.ended_on is None],
        team=[m for m in team if m.is_active_on(today)],
        former_team=[m for m in team if not m.is_active_on(today)],
    )
    file.flags = flags_for(family)
    person_ids = [m.person_id for m in file.members]
    others: dict[int, list] = {}
    for m in (Membership.objects.filter(person_id__in=person_ids, ended_on__isnull=True)
              .exclude(family=family).values("person_id", "family__reference")):
        others.setdefault(m["person_id"], []).append(m["family__reference"])
    file._other_households = others
    record(actor, "family.read", family, family=family, category=Category.IDENTITY,
           organisation=access.organisation,
           reason="break-glass" if access.via_break_glass else "")
    return file


@selector
def team_candidates(*, actor: Professional, family_id: int, query: str = "") -> QuerySet[Professional]:
    """Professionals who could join the team (not family data: the staff directory)."""
    guard.family_access(actor, family_id, "team.manage")
    on_team = CareTeamMember.objects.filter(teams.active_team_q(), family_id=family_id).values(
        "professional_id")
    qs = (Professional.objects.filter(user__is_active=True).exclude(pk__in=on_team)
          .select_related("user").prefetch_related("organisations"))
    if query:
        qs = qs.filter(Q(user__first_name__icontains=query) | Q(user__last_name__icontains=query)
                       | Q(discipline__icontains=query) | Q(organisations__name__icontains=query)
                       ).distinct()
    return qs.order_by("user__last_name", "user__first_name")


@dataclass
class PersonDetail:
    access: "FamilyAccess"
    person: Person
    memberships: list[Membership]  # only in families the actor may open


def _person_refusal(actor, person_id: int) -> NotFound:
    exists = Person.objects.filter(pk=person_id).exists()
    error = NotFound("This person does not exist or you have no access to them.")
    refused(error, actor=actor, action="person.read",
            reason="not in a family the actor can see" if exists else "no such person",
            object_type="families.person", object_id=person_id,
            person=person_id if exists else None)
    return error


@selector
def person_detail(*, actor: Professional, person_id: int) -> PersonDetail:
    """A person, reached through a family the actor may open (current households first).

    Households the actor cannot open stay out of the answer, as if they did not exist.
    """
    visible = guard.visible_families(actor) if actor is not None else Family.objects.none()
    memberships = list(
        Membership.objects.filter(person_id=person_id, family__in=visible)
        .select_related("person", "family")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on", "id"))
    if not memberships:
        raise _person_refusal(actor, person_id)
    access = guard.family_access(actor, memberships[0].family_id, "family.read")
    person = memberships[0].person
    record(actor, "person.read", person, family=access.family, person=person,
           category=Category.IDENTITY, organisation=access.organisation,
           reason="break-glass" if access.via_break_glass else "")
    return PersonDetail(access=access, person=person, memberships=memberships)
