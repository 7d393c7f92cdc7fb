"""API endpoints for families and persons: thin wrappers around the families selectors.

The same access rules as the pages apply: a professional not on the team (and without a
break-glass grant) gets 404 and the attempt is audited by the selector.
"""
import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from oneplan.accounts.models import Organisation
from oneplan.core.api import (
    IF_MATCH_PARAM,
    ProblemOut,
    SearchText,
    SyncPageParams,
    Text,
    etag,
    expected_version,
    idempotent,
    openapi,
    path_id,
    since,
    stale_is_412,
    sync_page,
)
from oneplan.families import extensions, selectors, services
from oneplan.families.models import CareTeamMember, Family, Membership

router = Router()

ERRORS = {400: ProblemOut, 401: ProblemOut, 404: ProblemOut}
WRITE_ERRORS = {**ERRORS, 403: ProblemOut, 409: ProblemOut, 422: ProblemOut}
UPDATE_ERRORS = {**WRITE_ERRORS, 412: ProblemOut, 428: ProblemOut}
STATUS_FILTERS = ("open", "all", *Family.Status.values)
FamilyId = path_id("The family's id.")
PersonId = path_id("The person's id.")
MembershipId = path_id("The membership's id (`membership_id` in a household list).")
TeamMemberId = path_id("The care team member's id (`id` in a care team list).")


class OrganisationRef(Schema):
    id: int
    name: str


class FlagOut(Schema):
    code: str
    label: str
    level: str = Field(..., description="warn or danger")


class CoordinatorOut(Schema):
    professional_id: int
    name: str
    organisation: OrganisationRef
    role: str
    focus: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.professional.name


class FamilyBase(Schema):
    id: int
    reference: str
    name: str
    status: str
    intensity: str
    opened_on: dt.date
    closed_on: dt.date | None


class FamilySummaryOut(FamilyBase):
    coordinators: list[CoordinatorOut]
    my_role: str | None = Field(..., description="The caller's role in the care team.")
    flags: list[FlagOut]

    @staticmethod
    def resolve_my_role(obj) -> str | None:
        return obj.my_membership[0].role if obj.my_membership else None

    @staticmethod
    def resolve_flags(obj) -> list[dict]:
        return obj.api_flags


class FamilyPageOut(Schema):
    items: list[FamilySummaryOut]
    count: int
    limit: int
    offset: int
    next: str | None = Field(..., description="Pass as `cursor` for the next page; null at the end.")


class CaseloadParams(SyncPageParams):
    status: Literal[STATUS_FILTERS] = Field(
        "open", description="open (not closed, the default), all, or one status.")
    q: SearchText = Field("", max_length=100, description="Part of the family name, or the exact reference.")


class HouseholdMemberOut(Schema):
    membership_id: int
    person_id: int
    given_name: str
    family_name: str
    date_of_birth: dt.date
    age: int
    relation: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_membership_id(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_given_name(obj) -> str:
        return obj.person.given_name

    @staticmethod
    def resolve_family_name(obj) -> str:
        return obj.person.family_name

    @staticmethod
    def resolve_date_of_birth(obj) -> dt.date:
        return obj.person.date_of_birth

    @staticmethod
    def resolve_age(obj) -> int:
        return obj.person.age


class NetworkMemberOut(Schema):
    id: int
    name: str
    relation: str
    support: str
    support_note: str
    strength: str
    load: int = Field(..., description="How much is asked of them, 1 (little) to 5 (too much).")
    overloaded: bool
    consent_to_involve: bool
    phone: str
    started_on: dt.date


class TeamMemberOut(Schema):
    id: int
    professional_id: int
    name: str
    discipline: str
    email: str
    phone: str
    organisation: OrganisationRef
    role: str
    focus: str
    responsibilities: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.professional.name

    @staticmethod
    def resolve_discipline(obj) -> str:
        return obj.professional.discipline

    @staticmethod
    def resolve_email(obj) -> str:
        return obj.professional.email

    @staticmethod
    def resolve_phone(obj) -> str:
        return obj.professional.phone


class FamilyDetailOut(FamilyBase):
    version: int = Field(..., description="Send it back as If-Match (the ETag header) to change it.")
    closure_reason: str
    access: Literal["team", "break_glass"] = Field(
        ..., description="How the caller reaches this family.")
    permissions: list[str]
    flags: list[FlagOut]
    members: list[HouseholdMemberOut] = Field(..., description="Current household.")
    network: list[NetworkMemberOut] = Field(..., description="Current informal network.")
    team: list[TeamMemberOut] = Field(..., description="Current care team.")


class PersonHouseholdOut(Schema):
    family_id: int
    reference: str
    relation: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_reference(obj) -> str:
        return obj.family.reference


class PersonOut(Schema):
    id: int
    given_name: str
    family_name: str
    date_of_birth: dt.date
    age: int
    national_id_masked: str = Field(
        ..., description="Only the last four characters; empty when not recorded.")
    phone: str
    email: str
    households: list[PersonHouseholdOut] = Field(
        ..., description="Households of this person that the caller may open.")


class FormerParams(Schema):
    include_former: bool = Field(False, description="Also list those who have left.")


MEMBER_EXAMPLE = {"membership_id": 1, "person_id": 1, "given_name": "Ayşe", "family_name": "Jansen",
                  "date_of_birth": "1988-03-02", "age": 38, "relation": "parent",
                  "started_on": "2026-06-16", "ended_on": None}
TEAM_EXAMPLE = {"id": 1, "professional_id": 1, "name": "Anna de Vries", "discipline": "Social worker",
                "email": "anna@example.org", "phone": "+31 20 555 0100",
                "organisation": {"id": 1, "name": "Buurtteam Noord"}, "role": "coordinator",
                "focus": "whole_family",
                "responsibilities": "Care coordination: one plan with the family.",
                "started_on": "2026-06-16", "ended_on": None}
FAMILY_EXAMPLE = {
    "id": 1, "version": 0, "reference": "OP-7K2M-Q9XA", "name": "Jansen", "status": "intake",
    "intensity": "medium", "opened_on": "2026-06-16", "closed_on": None, "closure_reason": "",
    "access": "team", "permissions": ["family.close", "family.edit", "family.read",
                                      "household.edit", "network.edit", "team.manage", "team.read"],
    "flags": [], "members": [MEMBER_EXAMPLE], "network": [], "team": [TEAM_EXAMPLE],
}


class NewPersonIn(Schema):
    given_name: Text = Field(..., max_length=150)
    family_name: Text = Field(..., max_length=150)
    date_of_birth: dt.date
    relation: Membership.Relation
    national_id: Text = Field("", max_length=20, description="The BSN; stored encrypted, never sent back.")
    same_person: Text = Field(
        "", max_length=20, description="When oneplan answers 409 (possible duplicate): `new` for a "
        "new person, or the id of the known person it is.")


class FamilyIn(Schema):
    name: Text = Field(..., max_length=150, description="The family name.")
    intensity: Family.Intensity = Family.Intensity.MEDIUM
    organisation_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="One of your organisations (default: your first).")
    responsibilities: Text = Field("", max_length=2000,
                                   description="Your responsibilities as its coordinator.")
    members: list[NewPersonIn] = Field(..., min_length=1, max_length=30)


class FamilyPatchIn(Schema):
    status: Family.Status | None = Field(None, description="A step allowed from the current status.")
    closure_reason: Family.ClosureReason | Literal[""] = Field("", description="Required to close.")
    closure_note: Text = Field("", max_length=2000)
    intensity: Family.Intensity | None = None


class MembershipEndIn(Schema):
    ended_on: dt.date | None = Field(None, description="Default: today.")


class TeamMemberIn(Schema):
    professional_id: int = Field(..., ge=1, le=2**63 - 1)
    organisation_id: int = Field(..., ge=1, le=2**63 - 1, description="Where they work for this family.")
    role: CareTeamMember.Role = CareTeamMember.Role.MEMBER
    focus: CareTeamMember.Focus = CareTeamMember.Focus.WHOLE_FAMILY
    responsibilities: Text = Field(..., max_length=2000)
    started_on: dt.date | None = Field(None, description="Default: today.")


class TeamMemberEndIn(Schema):
    reason: Text = Field("", max_length=300)
    ended_on: dt.date | None = Field(None, description="Default: today.")


def _new_person(person: NewPersonIn) -> services.NewPerson:
    return services.NewPerson(**person.dict())


def _flags(family: Family, extra: list) -> list[dict]:
    labels = {"no_coordinator": _("No care coordinator")}
    flags = [{"code": code, "label": str(labels.get(code, code)), "level": "warn"}
             for code in selectors.flags_for(family)]
    flags += [{"code": f.code, "label": str(f.label), "level": f.level} for f in extra]
    return flags


@router.get("/families", response={200: FamilyPageOut, **ERRORS}, tags=["families"],
            summary="My caseload",
            openapi_extra=openapi(response={"items": [{
                **{k: FAMILY_EXAMPLE[k] for k in ("id", "reference", "name", "status", "intensity",
                                                  "opened_on", "closed_on", "flags")},
                "coordinators": [{"professional_id": 1, "name": "Anna de Vries",
                                  "organisation": {"id": 1, "name": "Buurtteam Noord"},
                                  "role": "coordinator", "focus": "whole_family"}],
                "my_role": "coordinator"}], "count": 1, "limit": 25, "offset": 0, "next": None}))
def family_list(request, params: Query[CaseloadParams]):
    """Families whose care team the caller is on now, most recently changed first."""
    actor = request.auth
    families = selectors.caseload(actor=actor, status=params.status, query=params.q)
    modified = since(params.modified_since)
    if modified:
        families = families.filter(updated_at__gte=modified)
    page = sync_page(families, params, order="-updated_at")
    extra = extensions.flags_for_families(actor, [f.pk for f in page["items"]])
    for family in page["items"]:
        family.api_flags = _flags(family, extra.get(family.pk, []))
    return page


def _family_out(request, response: HttpResponse, family_id: int) -> dict:
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    family = file.family
    response["ETag"] = etag(family.version)
    return {
        "id": family.pk, "version": family.version, "reference": family.reference,
        "name": family.name,
        "status": family.status, "intensity": family.intensity,
        "opened_on": family.opened_on, "closed_on": family.closed_on,
        "closure_reason": family.closure_reason,
        "access": "break_glass" if file.access.via_break_glass else "team",
        "permissions": sorted(file.access.permissions),
        "flags": _flags(family, []),
        "members": file.members, "network": file.network, "team": file.team,
    }


@router.get("/families/{family_id}", response={200: FamilyDetailOut, **ERRORS},
            tags=["families"], summary="One family file",
            openapi_extra=openapi(response=FAMILY_EXAMPLE))
def family_detail(request, response: HttpResponse, family_id: FamilyId):
    """The family with its current household, informal network and care team. The ETag header
    carries its version for If-Match."""
    return _family_out(request, response, family_id)


@router.get("/families/{family_id}/persons",
            response={200: list[HouseholdMemberOut], **ERRORS}, tags=["families"],
            summary="A family's household", openapi_extra=openapi(response=[MEMBER_EXAMPLE]))
def family_persons(request, family_id: FamilyId, params: Query[FormerParams]):
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    return file.members + (file.former_members if params.include_former else [])


@router.get("/families/{family_id}/team", response={200: list[TeamMemberOut], **ERRORS},
            tags=["families"], summary="A family's care team",
            openapi_extra=openapi(response=[TEAM_EXAMPLE]))
def family_team(request, family_id: FamilyId, params: Query[FormerParams]):
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    return file.team + (file.former_team if params.include_former else [])


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"],
            summary="One person", openapi_extra=openapi(response={
                "id": 1, "given_name": "Ayşe", "family_name": "Jansen", "date_of_birth": "1988-03-02",
                "age": 38, "national_id_masked": "•••••2333", "phone": "", "email": "",
                "households": [{"family_id": 1, "reference": "OP-7K2M-Q9XA", "relation": "parent",
                                "started_on": "2026-06-16", "ended_on": None}]}))
def person_detail(request, person_id: PersonId):
    """A person in a family the caller may open. The national id is only ever masked."""
    detail = selectors.person_detail(actor=request.auth, person_id=person_id)
    person = detail.person
    return {
        "id": person.pk, "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth": person.date_of_birth, "age": person.age,
        "national_id_masked": person.national_id_masked, "phone": person.phone,
        "email": person.email, "households": detail.memberships,
    }


# ---- writes ---------------------------------------------------------------------------------

@router.post("/families", response={201: FamilyDetailOut, **WRITE_ERRORS}, tags=["families"],
             summary="Register a family with its household",
             openapi_extra=openapi(request={
                 "name": "Jansen", "intensity": "medium", "members": [
                     {"given_name": "Ayşe", "family_name": "Jansen", "date_of_birth": "1988-03-02",
                      "relation": "parent", "national_id": "123456782"}]},
                 response=FAMILY_EXAMPLE, status=201))
@idempotent
def family_create(request, response: HttpResponse, payload: FamilyIn):
    """For example from a municipal register. You become its care coordinator. A person born
    that day with a name alike already known is 409: say `same_person` (an id or `new`)."""
    # By id only: the service checks that it is one of the actor's organisations.
    organisation = Organisation(pk=payload.organisation_id) if payload.organisation_id else None
    family = services.family_register(
        actor=request.auth, name=payload.name, intensity=payload.intensity, organisation=organisation,
        responsibilities=payload.responsibilities,
        members=[_new_person(p) for p in payload.members])
    response["Location"] = f"/api/v1/families/{family.pk}"
    return 201, _family_out(request, response, family.pk)


@router.patch("/families/{family_id}", response={200: FamilyDetailOut, **UPDATE_ERRORS},
              tags=["families"], summary="Change a family's status or intensity",
              openapi_extra=openapi(request={"status": "active", "intensity": "intensive"},
                                    response={**FAMILY_EXAMPLE, "status": "active", "version": 1,
                                              "intensity": "intensive"},
                                    headers=[IF_MATCH_PARAM]))
@stale_is_412
def family_update(request, response: HttpResponse, family_id: FamilyId, payload: FamilyPatchIn):
    """Status (closing needs a closure_reason) and intensity; needs If-Match."""
    services.family_set_status(
        actor=request.auth, family_id=family_id, status=payload.status,
        closure_reason=payload.closure_reason, closure_note=payload.closure_note,
        intensity=payload.intensity, version=expected_version(request))
    return _family_out(request, response, family_id)


@router.post("/families/{family_id}/members", response={201: HouseholdMemberOut, **WRITE_ERRORS},
             tags=["families"], summary="Add a household member",
             openapi_extra=openapi(request={"given_name": "Daan", "family_name": "Jansen",
                                            "date_of_birth": "2019-05-01", "relation": "child"},
                                   response=MEMBER_EXAMPLE, status=201))
@idempotent
def member_add(request, family_id: FamilyId, payload: NewPersonIn):
    return 201, services.person_add(actor=request.auth, family_id=family_id,
                                    person=_new_person(payload))


@router.post("/memberships/{membership_id}/end", response={200: HouseholdMemberOut, **WRITE_ERRORS},
             tags=["families"], summary="End a household membership",
             openapi_extra=openapi(request={"ended_on": "2026-06-16"},
                                   response={**MEMBER_EXAMPLE, "ended_on": "2026-06-16"}))
@idempotent
def membership_end(request, membership_id: MembershipId, payload: MembershipEndIn):
    """The person has left the household (they stay in oneplan, and in other households)."""
    return services.membership_end(actor=request.auth, membership_id=membership_id,
                                   ended_on=payload.ended_on)


@router.post("/families/{family_id}/team", response={201: TeamMemberOut, **WRITE_ERRORS},
             tags=["families"], summary="Add a care team member",
             openapi_extra=openapi(request={"professional_id": 2, "organisation_id": 2,
                                            "role": "member", "focus": "children",
                                            "responsibilities": "School and child development."},
                                   response={**TEAM_EXAMPLE, "role": "member"}, status=201))
@idempotent
def team_member_add(request, family_id: FamilyId, payload: TeamMemberIn):
    return 201, services.team_member_add(
        actor=request.auth, family_id=family_id, professional_id=payload.professional_id,
        organisation_id=payload.organisation_id, role=payload.role, focus=payload.focus,
        responsibilities=payload.responsibilities, started_on=payload.started_on)


@router.post("/team-members/{team_member_id}/end", response={200: TeamMemberOut, **WRITE_ERRORS},
             tags=["families"], summary="End a care team membership",
             openapi_extra=openapi(request={"reason": "Handed over to the youth team."},
                                   response={**TEAM_EXAMPLE, "ended_on": "2026-06-16"}))
@idempotent
def team_member_end(request, team_member_id: TeamMemberId, payload: TeamMemberEndIn):
    """Someone leaves the team (you may end your own membership); not the last coordinator."""
    return services.team_member_end(actor=request.auth, team_member_id=team_member_id,
                                    reason=payload.reason, ended_on=payload.ended_on)
