"""API endpoints for families and persons: thin wrappers around the families selectors.

The same access rules as the pages apply: a professional not on the team (and without a
break-glass grant) gets 404 and the attempt is audited by the selector.
"""
import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from oneplan.core.api import ObjectId, PageParams, ProblemOut, SearchText, page_of
from oneplan.families import extensions, selectors
from oneplan.families.models import Family

router = Router()

ERRORS = {400: ProblemOut, 401: ProblemOut, 404: ProblemOut}
STATUS_FILTERS = ("open", "all", *Family.Status.values)


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


class CaseloadParams(PageParams):
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


def _flags(family: Family, extra: list) -> list[dict]:
    labels = {"no_coordinator": _("No care coordinator")}
    flags = [{"code": code, "label": str(labels.get(code, code)), "level": "warn"}
             for code in selectors.flags_for(family)]
    flags += [{"code": f.code, "label": str(f.label), "level": f.level} for f in extra]
    return flags


@router.get("/families", response={200: FamilyPageOut, **ERRORS}, tags=["families"],
            summary="My caseload")
def family_list(request, params: Query[CaseloadParams]):
    """Families whose care team the caller is on now, most recently changed first."""
    actor = request.auth
    families = selectors.caseload(actor=actor, status=params.status, query=params.q)
    page = page_of(families, params)
    extra = extensions.flags_for_families(actor, [f.pk for f in page["items"]])
    for family in page["items"]:
        family.api_flags = _flags(family, extra.get(family.pk, []))
    return page


@router.get("/families/{family_id}", response={200: FamilyDetailOut, **ERRORS},
            tags=["families"], summary="One family file")
def family_detail(request, family_id: ObjectId):
    """The family with its current household, informal network and care team."""
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    family = file.family
    return {
        "id": family.pk, "reference": family.reference, "name": family.name,
        "status": family.status, "intensity": family.intensity,
        "opened_on": family.opened_on, "closed_on": family.closed_on,
        "closure_reason": family.closure_reason,
        "access": "break_glass" if file.access.via_break_glass else "team",
        "permissions": sorted(file.access.permissions),
        "flags": _flags(family, []),
        "members": file.members, "network": file.network, "team": file.team,
    }


@router.get("/families/{family_id}/persons",
            response={200: list[HouseholdMemberOut], **ERRORS}, tags=["families"],
            summary="A family's household")
def family_persons(request, family_id: ObjectId, params: Query[FormerParams]):
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    return file.members + (file.former_members if params.include_former else [])


@router.get("/families/{family_id}/team", response={200: list[TeamMemberOut], **ERRORS},
            tags=["families"], summary="A family's care team")
def family_team(request, family_id: ObjectId, params: Query[FormerParams]):
    file = selectors.family_file(actor=request.auth, family_id=family_id)
    return file.team + (file.former_team if params.include_former else [])


@router.get("/persons/{person_id}", response={200: PersonOut, **ERRORS}, tags=["persons"],
            summary="One person")
def person_detail(request, person_id: ObjectId):
    """A person in a family the caller may open. The national id is only ever masked."""
    detail = selectors.person_detail(actor=request.auth, person_id=person_id)
    person = detail.person
    return {
        "id": person.pk, "given_name": person.given_name, "family_name": person.family_name,
        "date_of_birth": person.date_of_birth, "age": person.age,
        "national_id_masked": person.national_id_masked, "phone": person.phone,
        "email": person.email, "households": detail.memberships,
    }
