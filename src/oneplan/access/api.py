"""API endpoint for a family's consents: what the family agreed to share, with whom, until when."""
import datetime as dt

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from oneplan.access import selectors
from oneplan.core.api import KeysetParams, ProblemOut, keyset_page, openapi, path_id, since

router = Router(tags=["consents"])

FamilyId = path_id("The family's id.")


class OrganisationRef(Schema):
    id: int
    name: str


class ConsentOut(Schema):
    id: int
    organisation: OrganisationRef | None = Field(
        ..., description="Who may see the data; null: every organisation on the care team.")
    subject_id: int | None = Field(..., description="The person it is about; null: the whole family.")
    given_by: list[int] = Field(..., description="Person ids of who gave it.")
    categories: list[str]
    purpose: str
    valid_from: dt.date
    valid_until: dt.date | None
    how: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str

    @staticmethod
    def resolve_given_by(obj) -> list[int]:
        return sorted(p.pk for p in obj.given_by.all())


class ConsentPageOut(Schema):
    items: list[ConsentOut]
    limit: int
    next: str | None = Field(..., description="Pass as `cursor` for the next page; null at the end.")


CONSENT_EXAMPLE = {
    "id": 4, "organisation": {"id": 2, "name": "Schuldhulpverlening Amsterdam"}, "subject_id": None,
    "given_by": [1], "categories": ["identity", "finance"], "purpose": "referral",
    "valid_from": "2026-06-15", "valid_until": None, "how": "in_person",
    "recorded_at": "2026-06-15T12:00:00Z", "withdrawn_at": None, "withdrawn_reason": "",
}


@router.get("/families/{family_id}/consents",
            response={200: ConsentPageOut, 400: ProblemOut, 401: ProblemOut, 404: ProblemOut},
            summary="A family's consents",
            openapi_extra=openapi(response={"items": [CONSENT_EXAMPLE], "limit": 25, "next": None}))
def family_consents(request, family_id: FamilyId, params: Query[KeysetParams]):
    """Given and withdrawn, oldest first; `modified_since` finds those recorded or withdrawn since."""
    consents = selectors.family_consents(actor=request.auth, family_id=family_id)
    modified = since(params.modified_since)
    if modified:
        consents = consents.filter(Q(recorded_at__gte=modified) | Q(withdrawn_at__gte=modified))
    items, following = keyset_page(consents, order="id", cursor=params.cursor, limit=params.limit)
    return {"items": items, "limit": params.limit, "next": following}
