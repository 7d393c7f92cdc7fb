"""The family side of the FHIR endpoint: the household (Group), its people (Patient), agreed plan
versions (CarePlan) and their goals (Goal); the same access rules and audit as the pages."""
import datetime as dt
import json

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent
from oneplan.plans import services as plan_services
from oneplan.plans.models import PlanVersion
from tests.factories import ProfessionalFactory, family_with_team
from tests.fhir.test_tasks import _client_for, _get, valid
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db


def _second_version(actor, family):
    """Change the plan and agree it again: version 2 replaces version 1."""
    draft = plan_services.plan_draft(actor=actor, family_id=family.pk)
    draft = plan_services.draft_update_vision(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                                              vision="Calm at home, debts in one settlement")
    return plan_services.plan_agree(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                                    agreed_how="meeting", agreed_by=[family.memberships.first().person_id],
                                    next_review_on=timezone.localdate() + dt.timedelta(days=90))


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=3)


def test_the_care_plan_is_the_agreed_version_with_its_goals(client, professional, family):
    version = agreed_plan(professional, family, goals=2)
    fhir = _client_for(client, professional)
    response, plan = _get(fhir, f"/fhir/R4/CarePlan/{version.pk}")
    assert response.status_code == 200 and valid(plan)
    assert (plan["status"], plan["intent"], plan["subject"]["reference"]) == ("active", "plan", f"Group/{family.pk}")
    assert plan["description"] == "Calm at home and no more debt letters" and len(plan["goal"]) == 2
    _, goal = _get(fhir, "/fhir/R4/" + plan["goal"][0]["reference"])
    assert valid(goal)["description"]["text"] == "Goal 1"
    assert [t["detailString"] for t in goal["target"]][2] == "Payment plan agreed"  # level 0
    assert AuditEvent.objects.filter(action="fhir.careplan.read", family_id=family.pk).exists()


def test_an_earlier_version_stays_readable_as_revoked(client, professional, family):
    first = agreed_plan(professional, family)
    second = _second_version(professional, family)
    fhir = _client_for(client, professional)
    _, old = _get(fhir, f"/fhir/R4/CarePlan/{first.pk}")
    _, new = _get(fhir, f"/fhir/R4/CarePlan/{second.pk}")
    assert (valid(old)["status"], valid(new)["status"]) == ("revoked", "active")
    assert new["replaces"] == [{"reference": f"CarePlan/{first.pk}"}]


def test_search_care_plans_by_subject_pages_through_the_versions(client, professional, family):
    first = agreed_plan(professional, family)
    second = _second_version(professional, family)
    other = family_with_team(coordinator=professional)
    agreed_plan(professional, other)
    fhir = _client_for(client, professional)
    _, page = _get(fhir, "/fhir/R4/CarePlan", subject=f"Group/{family.pk}", _count=1)
    assert [e["resource"]["id"] for e in valid(page)["entry"]] == [str(first.pk)]
    next_url = next(link["url"] for link in page["link"] if link["relation"] == "next")
    _, page2 = _get(fhir, next_url.split("testserver", 1)[1])
    assert [e["resource"]["id"] for e in valid(page2)["entry"]] == [str(second.pk)]
    _, active = _get(fhir, "/fhir/R4/CarePlan", subject=f"Group/{family.pk}", status="active")
    assert [e["resource"]["id"] for e in active["entry"]] == [str(second.pk)]


def test_the_latest_review_gives_the_goals_attainment(client, professional, family):
    version = agreed_plan(professional, family)
    goal = version.goals.get()
    plan_services.review_record(actor=professional, family_id=family.pk, held_on=timezone.localdate(),
                                levels={goal.pk: -1}, decisions="Keep going.",
                                next_review_on=timezone.localdate() + dt.timedelta(days=60))
    _, resource = _get(_client_for(client, professional), f"/fhir/R4/Goal/{goal.pk}")
    assert valid(resource)["achievementStatus"]["coding"][0]["code"] == "improving"


def test_a_draft_is_not_a_care_plan(client, professional, family):
    draft = plan_services.plan_draft(actor=professional, family_id=family.pk)
    response, body = _get(_client_for(client, professional), f"/fhir/R4/CarePlan/{draft.pk}")
    assert response.status_code == 404 and valid(body)
    assert PlanVersion.objects.filter(pk=draft.pk).exists()


def test_the_household_and_its_people(client, professional, family):
    fhir = _client_for(client, professional)
    _, group = _get(fhir, f"/fhir/R4/Group/{family.pk}")
    assert valid(group)["type"] == "person" and group["quantity"] == 3
    _, patient = _get(fhir, "/fhir/R4/" + group["member"][0]["entity"]["reference"])
    assert valid(patient)["birthDate"] and "identifier" not in patient  # never the BSN


@pytest.mark.parametrize("path", ["Group/{family}", "CarePlan/{version}", "Goal/{goal}", "Patient/{person}"])
def test_someone_outside_the_team_gets_404_and_the_refusal_is_audited(client, professional, family, path):
    version = agreed_plan(professional, family)
    stranger = ProfessionalFactory()
    url = "/fhir/R4/" + path.format(family=family.pk, version=version.pk, goal=version.goals.get().pk,
                                    person=family.memberships.first().person_id)
    response, body = _get(_client_for(client, stranger), url)
    assert response.status_code == 404 and json.loads(response.content)["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(actor_id=stranger.user_id, outcome="denied").exists()


def test_care_plan_search_shows_only_families_the_actor_may_open(client, professional, family):
    agreed_plan(professional, family)
    stranger = ProfessionalFactory()
    _, body = _get(_client_for(client, stranger), "/fhir/R4/CarePlan")
    assert valid(body)["entry"] == []
