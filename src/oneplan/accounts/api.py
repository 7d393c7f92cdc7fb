"""API endpoints for the caller and the organisations (no family data: any professional)."""
import datetime as dt

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from oneplan.accounts.models import Organisation, Sector
from oneplan.core.api import (
    ProblemOut,
    SearchText,
    SyncPageParams,
    openapi,
    path_id,
    since,
    sync_page,
)
from oneplan.core.errors import NotFound

router = Router()

ERRORS = {400: ProblemOut, 401: ProblemOut}
OrganisationId = path_id("The organisation's id.")
ORGANISATION_EXAMPLE = {"id": 1, "name": "Buurtteam Noord", "sector": "social_work",
                        "sector_label": "Social work", "phone": "", "email": "", "website": ""}
ME_EXAMPLE = {
    "id": 1, "username": "anna", "name": "Anna de Vries", "email": "anna@example.org",
    "discipline": "Social worker", "phone": "+31 20 555 0100", "roles": ["practitioner", "coordinator"],
    "organisations": [{"id": 1, "name": "Buurtteam Noord"}],
    "token": {"name": "case management sync", "prefix": "op_As6rX",
              "created_at": "2026-06-16T07:05:40Z", "last_used_at": "2026-06-16T07:05:41Z"},
}


class OrganisationRef(Schema):
    id: int
    name: str


class OrganisationOut(Schema):
    id: int
    name: str
    sector: str
    sector_label: str
    phone: str
    email: str
    website: str

    @staticmethod
    def resolve_sector_label(obj) -> str:
        return str(obj.get_sector_display())


class OrganisationPageOut(Schema):
    items: list[OrganisationOut]
    count: int
    limit: int
    offset: int
    next: str | None = Field(None, description="The cursor of the next page (keyset paging), if any.")


class OrganisationParams(SyncPageParams):
    sector: Sector | None = Field(None, description="Only organisations in this sector.")
    q: SearchText = Field("", max_length=100, description="Part of the organisation's name.")


class TokenOut(Schema):
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None


class MeOut(Schema):
    id: int = Field(..., description="The professional's id (as in team members' professional_id).")
    username: str
    name: str
    email: str
    discipline: str
    phone: str
    roles: list[str]
    organisations: list[OrganisationRef]
    token: TokenOut = Field(..., description="The token this request was made with.")

    @staticmethod
    def resolve_username(obj) -> str:
        return obj.user.get_username()

    @staticmethod
    def resolve_organisations(obj) -> list:
        return list(obj.organisations.all())

    @staticmethod
    def resolve_token(obj):
        return obj.api_token


@router.get("/me", response={200: MeOut, **ERRORS}, tags=["me"], summary="Who am I",
            openapi_extra=openapi(response=ME_EXAMPLE))
def me(request):
    """The professional the token belongs to, with roles and organisations."""
    return request.auth


@router.get("/organisations", response={200: OrganisationPageOut, **ERRORS},
            tags=["organisations"], summary="List organisations",
            openapi_extra=openapi(response={"items": [ORGANISATION_EXAMPLE], "count": 1, "limit": 25,
                                            "offset": 0, "next": None}))
def organisation_list(request, params: Query[OrganisationParams]):
    """All organisations in the partnership, by name; filter by sector or name, or by
    `modified_since` to sync (keyset pages with `cursor`)."""
    organisations = Organisation.objects.all()
    if params.sector:
        organisations = organisations.filter(sector=params.sector)
    if params.q.strip():
        organisations = organisations.filter(Q(name__icontains=params.q.strip()))
    modified = since(params.modified_since)
    if modified:
        organisations = organisations.filter(updated_at__gte=modified)
    return sync_page(organisations, params, order="name")


@router.get("/organisations/{organisation_id}",
            response={200: OrganisationOut, 404: ProblemOut, **ERRORS},
            tags=["organisations"], summary="One organisation",
            openapi_extra=openapi(response=ORGANISATION_EXAMPLE))
def organisation_detail(request, organisation_id: OrganisationId):
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFound("There is no organisation with this id.")
    return organisation
