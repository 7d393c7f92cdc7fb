"""A family's plan through the REST API: the agreed version in force, its goals and actions,
earlier versions; only for the care team, refusals audited."""
import pytest

from oneplan.audit.models import AuditEvent
from oneplan.plans import services
from tests.api.conftest import Caller, assert_problem
from tests.factories import ProfessionalFactory, family_with_team
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional)


def test_the_plan_shows_the_agreed_version_goals_actions_and_next_review(client, professional, family):
    version = agreed_plan(professional, family, goals=2)
    goal = version.goals.order_by("priority").first()
    services.action_add(actor=professional, family_id=family.pk, what="Call the debt counsellor",
                        owner=f"pro:{professional.pk}", goal_key=goal.key)
    body = Caller(client, professional).get(f"/families/{family.pk}/plan").json()
    assert body["current"]["number"] == 1 and body["current"]["status"] == "agreed"
    assert [g["family_words"] for g in body["current"]["goals"]] == ["Goal 1", "Goal 2"]
    assert [lv["level"] for lv in body["current"]["goals"][0]["levels"]] == [-2, -1, 0, 1, 2]
    assert body["actions"][0]["goal_key"] == str(goal.key)
    assert body["actions"][0]["owner"] == professional.name
    assert body["next_review_on"] and body["versions"] == [{"number": 1, "agreed_on": body["current"]["agreed_on"]}]
    assert AuditEvent.objects.filter(actor_id=professional.user.pk, action="plan.read").exists()


def test_a_family_without_a_plan_answers_with_nulls(client, professional, family):
    body = Caller(client, professional).get(f"/families/{family.pk}/plan").json()
    assert body["current"] is None and body["draft"] is None and body["actions"] == []


def test_an_earlier_version_is_read_by_its_number(client, professional, family):
    agreed_plan(professional, family, vision="First")
    agreed_plan(professional, family, vision="Second")
    caller = Caller(client, professional)
    assert caller.get(f"/families/{family.pk}/plan").json()["current"]["number"] == 2
    assert caller.get(f"/families/{family.pk}/plan/versions/1").json()["vision"] == "First"


def test_an_unknown_version_is_404(client, professional, family):
    agreed_plan(professional, family)
    assert_problem(Caller(client, professional).get(f"/families/{family.pk}/plan/versions/9"), 404)


def test_someone_outside_the_team_cannot_read_the_plan_and_is_audited(client, professional, family):
    agreed_plan(professional, family)
    stranger = ProfessionalFactory()
    caller = Caller(client, stranger)
    assert_problem(caller.get(f"/families/{family.pk}/plan"), 404)
    assert_problem(caller.get(f"/families/{family.pk}/plan/versions/1"), 404)
    assert AuditEvent.objects.filter(actor_id=stranger.user.pk, family_id=family.pk,
                                     outcome="denied").count() == 2
