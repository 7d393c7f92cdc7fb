"""API endpoints for referrals: thin wrappers around the referral services and selectors.

The same rules as the pages: the referrer side is the family's care team, the receiver side the
receiving organisation's workers; anyone else gets 404 and the attempt is audited. Sending is
refused (409, saying what is missing) without the family's consent.
"""
import datetime as dt
from typing import Literal

from django.db.models.functions import Coalesce
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from oneplan.core.api import (
    IF_MATCH_PARAM,
    KeysetParams,
    ProblemOut,
    Text,
    etag,
    expected_version,
    idempotent,
    keyset_page,
    openapi,
    path_id,
    since,
    stale_is_412,
)
from oneplan.referrals import selectors, services
from oneplan.referrals.models import DeclineReason, Urgency
from oneplan.referrals.workflow import Status

router = Router(tags=["referrals"])

ERRORS = {400: ProblemOut, 401: ProblemOut}
ReferralId = path_id("The referral's id (the number in R-<id>).")
STEP_ERRORS = {**ERRORS, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 412: ProblemOut,
               422: ProblemOut, 428: ProblemOut}
POST_ERRORS = {**ERRORS, 403: ProblemOut, 404: ProblemOut, 409: ProblemOut, 422: ProblemOut}


class Ref(Schema):
    id: int
    name: str


class PersonRef(Schema):
    id: int
    given_name: str
    family_name: str


class StepOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    organisation: Ref | None
    note: str


class SharingOut(Schema):
    category: str
    state: str = Field(..., description="shown, empty, not_covered or withheld")
    why: str


class ReferralOut(Schema):
    id: int
    number: str
    version: int = Field(..., description="Send it back as If-Match (the ETag header) to change it.")
    status: str
    family_id: int
    service: Ref
    organisation: Ref = Field(..., description="The receiving organisation.")
    referrer_organisation: Ref
    urgency: str
    needs: list[str]
    question: str
    shared_categories: list[str]
    persons: list[PersonRef] = Field(
        ..., description="Who is referred; empty for the receiver while consent does not cover it.")
    sharing: list[SharingOut]
    consent_missing: list[str] = Field(..., description="Why a draft cannot be sent yet (referrer).")
    next_steps: list[str] = Field(..., description="The statuses the caller may move it to.")
    decline_reason: str
    expected_start_on: dt.date | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    status_changed_at: dt.datetime
    steps: list[StepOut]


class ReferralSummaryOut(Schema):
    id: int
    number: str
    version: int
    status: str
    urgency: str
    needs: list[str]
    service: Ref
    referrer_organisation: Ref
    sent_at: dt.datetime | None
    status_changed_at: dt.datetime
    expected_start_on: dt.date | None


class ReferralPageOut(Schema):
    items: list[ReferralSummaryOut]
    limit: int
    next: str | None = Field(..., description="Pass as `cursor` for the next page; null at the end.")


class ReferralIn(Schema):
    family_id: int = Field(..., ge=1, le=2**63 - 1)
    service_id: int = Field(..., ge=1, le=2**63 - 1, description="A service from the directory.")
    person_ids: list[int] = Field(..., max_length=50, description="Household members referred.")
    needs: list[Text] = Field(..., max_length=20, description="Life domain codes.")
    question: Text = Field(..., max_length=4000)
    urgency: Urgency = Urgency.ROUTINE
    shared_categories: list[Text] = Field([], max_length=10,
                                          description="Data categories shared besides identity.")


class StepIn(Schema):
    to_status: Literal[tuple(s for s in Status.values if s not in (Status.DRAFT, Status.SENT))]
    note: Text = Field("", max_length=2000,
                       description="Required to ask for information, answer it, or cancel.")
    decline_reason: DeclineReason | Literal[""] = Field("", description="Required to decline.")
    receiving_professional_id: int | None = Field(
        None, ge=1, le=2**63 - 1, description="On accepting: who takes it on (default: you).")
    expected_start_on: dt.date | None = Field(None, description="On the waiting list: when it starts.")


class IncomingParams(KeysetParams):
    state: Literal[tuple(selectors.QUEUE_STATES)] = Field(
        "open", description="open (the default), new, waiting or closed.")
    service_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this service.")
    urgency: Urgency | None = Field(None, description="Only this urgency.")


REFERRAL_EXAMPLE = {
    "id": 12, "number": "R-12", "version": 0, "status": "draft", "family_id": 1,
    "service": {"id": 3, "name": "Schuldhulp Noord"},
    "organisation": {"id": 2, "name": "Schuldhulpverlening Amsterdam"},
    "referrer_organisation": {"id": 1, "name": "Buurtteam Noord"},
    "urgency": "soon", "needs": ["finances_debts"],
    "question": "Help with debts after a job loss.", "shared_categories": ["identity", "finance"],
    "persons": [{"id": 1, "given_name": "Ayşe", "family_name": "Jansen"}],
    "sharing": [{"category": "identity", "state": "shown", "why": ""},
                {"category": "finance", "state": "shown", "why": ""}],
    "consent_missing": [], "next_steps": ["sent", "cancelled"], "decline_reason": "",
    "expected_start_on": None, "created_at": "2026-06-16T07:30:00Z", "sent_at": None,
    "status_changed_at": "2026-06-16T07:30:00Z",
    "steps": [{"from_status": "", "to_status": "draft", "at": "2026-06-16T07:30:00Z",
               "organisation": {"id": 1, "name": "Buurtteam Noord"}, "note": ""}],
}


def _detail(request, response: HttpResponse, referral_id: int) -> dict:
    view = selectors.referral_detail(actor=request.auth, referral_id=referral_id)
    referral = view.referral
    response["ETag"] = etag(referral.version)
    return {
        "id": referral.pk, "number": referral.number, "version": referral.version,
        "status": referral.status, "family_id": referral.family_id,
        "service": referral.service, "organisation": referral.organisation,
        "referrer_organisation": referral.referrer_organisation, "urgency": referral.urgency,
        "needs": referral.needs, "question": referral.question,
        "shared_categories": referral.shared_categories,
        "persons": [] if view.persons_hidden else view.persons,
        "sharing": view.sharing, "consent_missing": view.consent_missing,
        "next_steps": view.next_steps, "decline_reason": referral.decline_reason,
        "expected_start_on": referral.expected_start_on, "created_at": referral.created_at,
        "sent_at": referral.sent_at, "status_changed_at": referral.status_changed_at,
        "steps": view.steps,
    }


@router.get("/referrals/incoming", response={200: ReferralPageOut, **ERRORS, 403: ProblemOut},
            summary="My organisations' incoming referrals",
            openapi_extra=openapi(response={"items": [{k: REFERRAL_EXAMPLE[k] for k in (
                "id", "number", "version", "urgency", "needs", "service", "referrer_organisation",
                "sent_at", "status_changed_at", "expected_start_on")} | {"status": "sent"}],
                "limit": 25, "next": None}))
def referral_incoming(request, params: Query[IncomingParams]):
    """The receiving queue, oldest sent first (closed: newest first); keyset-paged."""
    referrals = selectors.incoming(actor=request.auth, state=params.state,
                                   service_id=params.service_id, urgency=params.urgency or "")
    modified = since(params.modified_since)
    if modified:
        referrals = referrals.filter(status_changed_at__gte=modified)
    # Cancelled drafts were never sent: they sort by when they were made.
    referrals = referrals.annotate(queued_at=Coalesce("sent_at", "created_at"))
    order = "-queued_at" if params.state == "closed" else "queued_at"
    items, following = keyset_page(referrals, order=order, cursor=params.cursor, limit=params.limit)
    return {"items": items, "limit": params.limit, "next": following}


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS, 404: ProblemOut},
            summary="One referral", openapi_extra=openapi(response=REFERRAL_EXAMPLE))
def referral_detail(request, response: HttpResponse, referral_id: ReferralId):
    """A referral, from either side. The ETag header carries its version for If-Match."""
    return _detail(request, response, referral_id)


@router.post("/referrals", response={201: ReferralOut, **POST_ERRORS}, summary="Draft a referral",
             openapi_extra=openapi(request={
                 "family_id": 1, "service_id": 3, "person_ids": [1], "needs": ["finances_debts"],
                 "question": "Help with debts after a job loss.", "urgency": "soon",
                 "shared_categories": ["finance"]}, response=REFERRAL_EXAMPLE, status=201))
@idempotent
def referral_create(request, response: HttpResponse, payload: ReferralIn):
    """A draft from the family's care team to a service; send it with /send."""
    referral = services.referral_create(
        actor=request.auth, family_id=payload.family_id, service_id=payload.service_id,
        person_ids=payload.person_ids, needs=payload.needs, question=payload.question,
        urgency=payload.urgency, shared_categories=payload.shared_categories)
    response["Location"] = f"/api/v1/referrals/{referral.pk}"
    return 201, _detail(request, response, referral.pk)


@router.post("/referrals/{referral_id}/send", response={200: ReferralOut, **STEP_ERRORS},
             summary="Send a draft referral",
             openapi_extra=openapi(response={**REFERRAL_EXAMPLE, "status": "sent", "version": 1},
                                   headers=[IF_MATCH_PARAM]))
@idempotent
@stale_is_412
def referral_send(request, response: HttpResponse, referral_id: ReferralId):
    """Sends the draft; 409 (consent-missing) says which consent the family has not given."""
    services.referral_send(actor=request.auth, referral_id=referral_id,
                           version=expected_version(request))
    return _detail(request, response, referral_id)


@router.post("/referrals/{referral_id}/steps", response={200: ReferralOut, **STEP_ERRORS},
             summary="Take a status step",
             openapi_extra=openapi(request={"to_status": "declined", "note": "No capacity.",
                                            "decline_reason": "no_capacity"},
                                   response={**REFERRAL_EXAMPLE, "status": "declined", "version": 3},
                                   headers=[IF_MATCH_PARAM]))
@idempotent
@stale_is_412
def referral_step(request, response: HttpResponse, referral_id: ReferralId, payload: StepIn):
    """Receipt, accept, decline, ask or answer, waiting list, start, complete, cancel: the
    steps in `next_steps` of the referral; the other side is told in their inbox."""
    services.referral_step(
        actor=request.auth, referral_id=referral_id, to_status=payload.to_status,
        version=expected_version(request), note=payload.note, decline_reason=payload.decline_reason,
        receiving_professional_id=payload.receiving_professional_id,
        expected_start_on=payload.expected_start_on)
    return _detail(request, response, referral_id)
