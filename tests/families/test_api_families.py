"""Family files written through the REST API: register, change status, household and team; the
same access rules as the pages, If-Match on the update, keyset pages of the caseload."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.core import idempotency
from oneplan.core.models import IdempotentRequest
from oneplan.families.models import CareTeamMember, Family, Membership, Person
from tests.api.conftest import Caller, assert_problem
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db

NEW_FAMILY = {"name": "Jansen", "intensity": "medium", "members": [
    {"given_name": "Ayşe", "family_name": "Jansen", "date_of_birth": "1988-03-02", "relation": "parent"},
    {"given_name": "Daan", "family_name": "Jansen", "date_of_birth": "2019-05-01", "relation": "child"}]}


@pytest.fixture
def me(client, professional):
    return Caller(client, professional)


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional)


# ---- register --------------------------------------------------------------------------------

def test_registering_a_family_makes_the_caller_its_coordinator(me, professional):
    response = me.post("/families", NEW_FAMILY)
    assert response.status_code == 201
    body = response.json()
    assert [m["given_name"] for m in body["members"]] == ["Ayşe", "Daan"]
    assert body["team"][0]["professional_id"] == professional.pk
    assert body["team"][0]["role"] == "coordinator"
    assert response["ETag"] == 'W/"0"' and response["Location"] == f"/api/v1/families/{body['id']}"


def test_registering_with_the_same_key_twice_makes_one_family(me):
    first = me.post("/families", NEW_FAMILY, HTTP_IDEMPOTENCY_KEY="register-1")
    again = me.post("/families", NEW_FAMILY, HTTP_IDEMPOTENCY_KEY="register-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Family.objects.count() == 1 and Person.objects.count() == 2


def test_the_same_key_with_another_body_is_422_and_registers_nothing_more(me):
    me.post("/families", NEW_FAMILY, HTTP_IDEMPOTENCY_KEY="register-1")
    response = me.post("/families", {**NEW_FAMILY, "name": "Pietersen"},
                       HTTP_IDEMPOTENCY_KEY="register-1")
    assert_problem(response, 422)
    assert Family.objects.count() == 1


def test_a_role_that_may_not_register_is_refused_and_audited(client):
    analyst = ProfessionalFactory(roles=[Role.ANALYST])
    response = Caller(client, analyst).post("/families", NEW_FAMILY)
    assert_problem(response, 403)
    assert not Family.objects.exists()
    assert AuditEvent.objects.filter(actor_id=analyst.user.pk, action="family.register",
                                     outcome="denied").exists()


def test_someone_elses_organisation_is_400(me):
    other = ProfessionalFactory().organisations.first()
    response = me.post("/families", {**NEW_FAMILY, "organisation_id": other.pk})
    assert assert_problem(response, 400)["field"] == "organisation"


def test_a_nul_in_a_name_is_400_not_a_database_error(me):
    assert_problem(me.post("/families", {**NEW_FAMILY, "name": "Jan\x00sen"}), 400)


# ---- update with If-Match ----------------------------------------------------------------------

def test_reading_a_family_gives_its_version_as_etag(me, family):
    response = me.get(f"/families/{family.pk}")
    assert response["ETag"] == 'W/"0"' and response.json()["version"] == 0


def test_an_update_with_the_current_version_changes_the_family(me, family):
    response = me.patch(f"/families/{family.pk}", {"status": "active", "intensity": "intensive"},
                        HTTP_IF_MATCH='W/"0"')
    assert response.status_code == 200
    assert response.json()["status"] == "active" and response["ETag"] == 'W/"1"'
    family.refresh_from_db()
    assert (family.status, family.intensity, family.version) == ("active", "intensive", 1)


def test_an_update_without_if_match_is_428_and_changes_nothing(me, family):
    response = me.patch(f"/families/{family.pk}", {"intensity": "intensive"})
    assert_problem(response, 428)
    family.refresh_from_db()
    assert family.intensity == "medium" and family.version == 0


def test_a_stale_update_is_412_and_changes_nothing(me, family):
    me.patch(f"/families/{family.pk}", {"intensity": "light"}, HTTP_IF_MATCH='W/"0"')
    response = me.patch(f"/families/{family.pk}", {"intensity": "intensive"}, HTTP_IF_MATCH='W/"0"')
    assert_problem(response, 412)
    family.refresh_from_db()
    assert family.intensity == "light" and family.version == 1


def test_someone_outside_the_team_cannot_update_and_is_audited(client, family):
    stranger = ProfessionalFactory()
    response = Caller(client, stranger).patch(f"/families/{family.pk}", {"intensity": "light"},
                                              HTTP_IF_MATCH='W/"0"')
    assert_problem(response, 404)
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, family_id=family.pk,
                                     outcome="denied").exists()
    family.refresh_from_db()
    assert family.intensity == "medium"


def test_closing_needs_a_reason(me, family):
    response = me.patch(f"/families/{family.pk}", {"status": "closed"}, HTTP_IF_MATCH='W/"0"')
    assert assert_problem(response, 400)["field"] == "closure_reason"


# ---- household ---------------------------------------------------------------------------------

def test_a_household_member_is_added_and_ended(me, family):
    added = me.post(f"/families/{family.pk}/members", {
        "given_name": "Mila", "family_name": "Test", "date_of_birth": "2021-02-03",
        "relation": "child"})
    assert added.status_code == 201
    membership_id = added.json()["membership_id"]
    ended = me.post(f"/memberships/{membership_id}/end", {"ended_on": None})
    assert ended.status_code == 200
    assert Membership.objects.get(pk=membership_id).ended_on == timezone.localdate()


def test_a_stranger_cannot_add_or_end_household_members(client, family):
    stranger = Caller(client, ProfessionalFactory())
    member = family.memberships.first()
    assert_problem(stranger.post(f"/families/{family.pk}/members", {
        "given_name": "Mila", "family_name": "Test", "date_of_birth": "2021-02-03",
        "relation": "child"}), 404)
    assert_problem(stranger.post(f"/memberships/{member.pk}/end"), 404)
    member.refresh_from_db()
    assert member.ended_on is None and family.memberships.count() == 2
    assert AuditEvent.objects.filter(actor_id=stranger.professional.user.pk, outcome="denied",
                                     family_id=family.pk).count() == 2


# ---- care team ------------------------------------------------------------------------------------

def test_a_team_member_is_added_and_ended(me, family):
    colleague = ProfessionalFactory()
    added = me.post(f"/families/{family.pk}/team", {
        "professional_id": colleague.pk, "organisation_id": colleague.organisations.first().pk,
        "role": "member", "focus": "children", "responsibilities": "School."},
        HTTP_IDEMPOTENCY_KEY="team-1")
    assert added.status_code == 201
    member_id = added.json()["id"]
    ended = me.post(f"/team-members/{member_id}/end", {"reason": "Handed over."})
    assert ended.status_code == 200
    assert CareTeamMember.objects.get(pk=member_id).end_reason == "Handed over."


def test_the_last_coordinator_cannot_be_ended(me, family):
    coordinator = family.team.get()
    response = me.post(f"/team-members/{coordinator.pk}/end", {})
    assert_problem(response, 409)


def test_a_stranger_cannot_change_the_team(client, family):
    stranger = ProfessionalFactory()
    caller = Caller(client, stranger)
    assert_problem(caller.post(f"/families/{family.pk}/team", {
        "professional_id": stranger.pk, "organisation_id": stranger.organisations.first().pk,
        "responsibilities": "Me."}), 404)
    assert_problem(caller.post(f"/team-members/{family.team.get().pk}/end", {}), 404)
    assert family.team.count() == 1
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, outcome="denied").count() == 2


def test_an_unknown_team_member_is_404(me):
    assert_problem(me.post("/team-members/999999/end", {}), 404)


# ---- the caseload: keyset pages and modified_since ----------------------------------------------

def test_the_caseload_pages_by_keyset_without_repeats_while_families_change(me, professional):
    families = [family_with_team(coordinator=professional) for _ in range(5)]
    first = me.get("/families", limit=2).json()
    assert first["next"]
    newest = [f["id"] for f in first["items"]]
    assert newest == [families[4].pk, families[3].pk]
    family_with_team(coordinator=professional)  # a new family arrives between two pages
    seen, cursor = list(newest), first["next"]
    while cursor:
        page = me.get("/families", limit=2, cursor=cursor).json()
        seen += [f["id"] for f in page["items"]]
        cursor = page["next"]
    assert seen == [f.pk for f in reversed(families)]


def test_offset_pages_still_work_and_say_next(me, professional):
    for _ in range(3):
        family_with_team(coordinator=professional)
    page = me.get("/families", limit=2, offset=0).json()
    assert page["count"] == 3 and page["offset"] == 0 and page["next"]
    assert len(me.get("/families", limit=2, offset=2).json()["items"]) == 1


def test_cursor_and_offset_together_are_400(me, professional):
    family_with_team(coordinator=professional)
    assert_problem(me.get("/families", cursor="abc", offset=1), 400)


def test_modified_since_keeps_the_families_changed_since(me, professional):
    _, new = family_with_team(coordinator=professional), family_with_team(coordinator=professional)
    later = timezone.now() + dt.timedelta(minutes=5)
    Family.objects.filter(pk=new.pk).update(updated_at=later)
    page = me.get("/families", modified_since=later.isoformat()).json()
    assert [f["id"] for f in page["items"]] == [new.pk]


# ---- housekeeping ------------------------------------------------------------------------------------

def test_the_tick_job_forgets_keys_older_than_a_day(me):
    me.post("/families", NEW_FAMILY, HTTP_IDEMPOTENCY_KEY="old")
    me.post("/families", {**NEW_FAMILY, "name": "Later"}, HTTP_IDEMPOTENCY_KEY="new")
    IdempotentRequest.objects.filter(key="old").update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1))
    assert "1 older than 24 h removed" in idempotency.prune()
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
