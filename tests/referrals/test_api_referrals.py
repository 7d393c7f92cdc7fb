"""Referrals through the REST API: draft, send, steps, one referral, the incoming queue; the
same rules as the pages, Idempotency-Key on every POST and If-Match on every step."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.directory.models import Service
from oneplan.referrals.models import Referral, ReferralStep
from oneplan.referrals.workflow import Status
from tests.api.conftest import Caller, assert_problem
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import ProfessionalFactory
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return scene()


def draft_body(s, **changes):
    return {"family_id": s.family.pk, "service_id": s.service.pk, "person_ids": [s.parent.pk],
            "needs": ["finances_debts"], "question": "Help with the debts, please.",
            "shared_categories": ["finance"], **changes}


# ---- drafting -------------------------------------------------------------------------------

def test_the_care_team_drafts_a_referral(client, s):
    response = Caller(client, s.referrer).post("/referrals", draft_body(s))
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "draft" and body["version"] == 0
    assert response["ETag"] == 'W/"0"'
    assert response["Location"] == f"/api/v1/referrals/{body['id']}"
    assert Referral.objects.get(pk=body["id"]).referrer == s.referrer


def test_someone_outside_the_team_cannot_draft_and_is_audited(client, s):
    stranger = ProfessionalFactory()
    response = Caller(client, stranger).post("/referrals", draft_body(s))
    assert_problem(response, 404)
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, outcome="denied",
                                     family_id=s.family.pk).exists()


def test_bad_input_is_a_400_problem_naming_the_field(client, s):
    response = Caller(client, s.referrer).post("/referrals", draft_body(s, needs=["no_such_need"]))
    assert assert_problem(response, 400)["field"] == "needs"


# ---- idempotency ----------------------------------------------------------------------------

def test_the_same_key_and_body_returns_the_first_answer_and_makes_one_referral(client, s):
    caller = Caller(client, s.referrer)
    first = caller.post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-1")
    again = caller.post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"] and again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1


def test_the_same_key_with_another_body_is_422(client, s):
    caller = Caller(client, s.referrer)
    caller.post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-1")
    response = caller.post("/referrals", draft_body(s, question="Another question."),
                           HTTP_IDEMPOTENCY_KEY="k-1")
    assert assert_problem(response, 422)["type"] == "urn:oneplan:problem:idempotency-key-reused"
    assert Referral.objects.count() == 1


def test_keys_belong_to_one_user(client, s):
    colleague = ProfessionalFactory(organisations=[s.referrer.organisations.first()])
    s.family.team.create(professional=colleague, organisation=colleague.organisations.first(),
                         role="member", responsibilities="Debts.")
    Caller(client, s.referrer).post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-1")
    response = Caller(client, colleague).post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-1")
    assert_problem(response, 409)  # not a replay: the one open referral per service rule speaks
    assert Referral.objects.count() == 1


def test_a_refusal_is_replayed_too_without_doing_anything(client, s):
    stranger = Caller(client, ProfessionalFactory())
    first = stranger.post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-2")
    again = stranger.post("/referrals", draft_body(s), HTTP_IDEMPOTENCY_KEY="k-2")
    assert first.status_code == again.status_code == 404
    assert again.json() == first.json()
    assert AuditEvent.objects.filter(actor_id=stranger.professional.user.pk, outcome="denied").count() == 1


# ---- sending and steps: If-Match ------------------------------------------------------------

def test_send_needs_if_match(client, s):
    referral = s.create()
    response = Caller(client, s.referrer).post(f"/referrals/{referral.pk}/send")
    assert assert_problem(response, 428)["type"] == "urn:oneplan:problem:precondition-required"
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT


def test_send_with_the_current_version_sends(client, s):
    referral = s.create()
    response = Caller(client, s.referrer).post(f"/referrals/{referral.pk}/send",
                                               HTTP_IF_MATCH='W/"0"')
    assert response.status_code == 200
    assert response.json()["status"] == "sent" and response["ETag"] == 'W/"1"'


def test_a_stale_version_is_412_and_changes_nothing(client, s):
    referral = s.sent()
    response = Caller(client, s.receiver).post(f"/referrals/{referral.pk}/steps",
                                               {"to_status": "received"}, HTTP_IF_MATCH='W/"0"')
    assert assert_problem(response, 412)["type"] == "urn:oneplan:problem:precondition-failed"
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.version == 1
    assert not ReferralStep.objects.filter(referral=referral, to_status="received").exists()


def test_an_if_match_that_is_no_version_is_412(client, s):
    referral = s.sent()
    response = Caller(client, s.receiver).post(f"/referrals/{referral.pk}/steps",
                                               {"to_status": "received"}, HTTP_IF_MATCH="yesterday")
    assert_problem(response, 412)


def test_without_consent_sending_is_409_saying_what_is_missing(client):
    s = scene(consent=False)
    referral = s.create()
    response = Caller(client, s.referrer).post(f"/referrals/{referral.pk}/send",
                                               HTTP_IF_MATCH='W/"0"')
    body = assert_problem(response, 409)
    assert body["type"] == "urn:oneplan:problem:consent-missing"
    assert s.organisation.name in body["detail"]


def test_the_receiver_takes_the_steps(client, s):
    referral = s.sent()
    receiver = Caller(client, s.receiver)
    received = receiver.post(f"/referrals/{referral.pk}/steps", {"to_status": "received"},
                             HTTP_IF_MATCH='W/"1"')
    assert received.status_code == 200
    declined = receiver.post(f"/referrals/{referral.pk}/steps",
                             {"to_status": "declined", "decline_reason": "no_capacity",
                              "note": "Full until autumn."}, HTTP_IF_MATCH=received["ETag"])
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "no_capacity"


def test_the_referrer_cannot_take_the_receivers_step(client, s):
    referral = s.sent()
    response = Caller(client, s.referrer).post(f"/referrals/{referral.pk}/steps",
                                               {"to_status": "received"}, HTTP_IF_MATCH='W/"1"')
    assert assert_problem(response, 409)["type"] == "urn:oneplan:problem:invalid-transition"
    assert AuditEvent.objects.filter(actor_id=s.referrer.user.pk, action="referral.received",
                                     outcome="denied").exists()


def test_a_stranger_cannot_step_and_is_audited(client, s):
    referral = s.sent()
    stranger = ProfessionalFactory()
    response = Caller(client, stranger).post(f"/referrals/{referral.pk}/steps",
                                             {"to_status": "cancelled", "note": "x"},
                                             HTTP_IF_MATCH='W/"1"')
    assert_problem(response, 404)
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, outcome="denied").exists()
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_a_retried_step_with_its_key_is_not_taken_twice(client, s):
    referral = s.sent()
    receiver = Caller(client, s.receiver)
    first = receiver.post(f"/referrals/{referral.pk}/steps", {"to_status": "received"},
                          HTTP_IF_MATCH='W/"1"', HTTP_IDEMPOTENCY_KEY="step-1")
    again = receiver.post(f"/referrals/{referral.pk}/steps", {"to_status": "received"},
                          HTTP_IF_MATCH='W/"1"', HTTP_IDEMPOTENCY_KEY="step-1")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert ReferralStep.objects.filter(referral=referral, to_status="received").count() == 1


# ---- reading ---------------------------------------------------------------------------------

def test_either_side_reads_the_referral_with_its_etag(client, s):
    referral = s.sent()
    for who in (s.referrer, s.receiver):
        response = Caller(client, who).get(f"/referrals/{referral.pk}")
        assert response.status_code == 200
        assert response["ETag"] == 'W/"1"'
        assert [p["id"] for p in response.json()["persons"]] == [s.parent.pk]


def test_a_stranger_cannot_read_a_referral(client, s):
    referral = s.sent()
    stranger = ProfessionalFactory()
    assert_problem(Caller(client, stranger).get(f"/referrals/{referral.pk}"), 404)
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, action="referral.read",
                                     outcome="denied").exists()


# ---- the incoming queue: keyset pages, modified_since -----------------------------------------

def _many_sent(s, n):
    referrals = []
    for _ in range(n):
        service = ServiceFactory(organisation=s.organisation,
                                 name=f"Service {Service.objects.count()}")
        add_contact(service, s.receiver)
        referrals.append(s.sent(service_id=service.pk))
    return referrals


def test_the_queue_pages_by_keyset_without_gaps_or_repeats_while_referrals_arrive(client, s):
    sent = _many_sent(s, 5)
    receiver = Caller(client, s.receiver)
    first = receiver.get("/referrals/incoming", limit=2).json()
    assert [r["id"] for r in first["items"]] == [sent[0].pk, sent[1].pk]
    _many_sent(s, 1)  # a new one arrives between two pages
    Referral.objects.filter(pk=sent[0].pk).update(sent_at=timezone.now())  # and one moves
    seen = [r["id"] for r in first["items"]]
    cursor = first["next"]
    while cursor:
        page = receiver.get("/referrals/incoming", limit=2, cursor=cursor).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next"]
    assert seen[:5] == [r.pk for r in sent]
    assert len(seen) == len(set(seen)) + 1  # only the one that moved is seen twice


def test_modified_since_keeps_only_what_changed(client, s):
    _, new = _many_sent(s, 2)
    later = timezone.now() + dt.timedelta(minutes=5)
    Referral.objects.filter(pk=new.pk).update(status_changed_at=later)
    page = Caller(client, s.receiver).get(
        "/referrals/incoming", modified_since=(later - dt.timedelta(seconds=1)).isoformat()).json()
    assert [r["id"] for r in page["items"]] == [new.pk]


def test_a_cursor_oneplan_did_not_give_is_400(client, s):
    response = Caller(client, s.receiver).get("/referrals/incoming", cursor="not-a-cursor")
    assert assert_problem(response, 400)["field"] == "cursor"


def test_the_queue_is_for_receiving_roles(client, s):
    outsider = ProfessionalFactory(roles=[Role.PRIVACY_OFFICER])
    assert_problem(Caller(client, outsider).get("/referrals/incoming"), 403)


def test_the_same_key_with_another_if_match_is_another_request(client, s):
    referral = s.create()
    caller = Caller(client, s.referrer)
    first = caller.post(f"/referrals/{referral.pk}/send", HTTP_IDEMPOTENCY_KEY="send-1")
    assert first.status_code == 428
    retried = caller.post(f"/referrals/{referral.pk}/send", HTTP_IF_MATCH='W/"0"',
                          HTTP_IDEMPOTENCY_KEY="send-1")
    assert_problem(retried, 422)
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT
