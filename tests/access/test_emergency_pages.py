"""Emergency access: a banner on every page of the family, read-only with a clear message,
the privacy officer told at once, and a crisis lookup by national identifier + date of birth."""
import datetime as dt

import pytest

from oneplan.access import services
from oneplan.assessments import services as assessments
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidInput, NotFound
from oneplan.families.models import Person
from oneplan.inbox.models import Notification
from tests.assessments.factories import life_domains
from tests.factories import ProfessionalFactory, consent_for, family_with_team
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db
REASON = "Crisis call from the police at night; child safety must be checked now."
BSN = "111222333"


@pytest.fixture
def scene(professional, client):
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    consent_for(family)
    agreed_plan(coordinator, family)
    assessment = assessments.assessment_start(actor=coordinator, family_id=family.pk,
                                              instrument_id=life_domains().pk)
    services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    client.force_login(professional.user)
    return family, assessment


@pytest.mark.parametrize("path", ["/families/{f}/", "/plans/family/{f}/", "/plans/family/{f}/versions/1/",
                                  "/assessments/{a}/", "/assessments/family/{f}/chart/",
                                  "/plans/family/{f}/discussions/"])
def test_every_read_page_of_the_family_shows_the_banner(scene, client, path):
    family, assessment = scene
    response = client.get(path.format(f=family.pk, a=assessment.pk))
    assert response.status_code == 200
    assert "Emergency access." in response.content.decode()


@pytest.mark.parametrize("path", ["/families/{f}/notes/add/", "/plans/family/{f}/actions/new/",
                                  "/plans/family/{f}/review/", "/plans/family/{f}/draft/",
                                  "/assessments/{a}/score/finances_debts/",
                                  "/access/family/{f}/consents/new/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_write_page_says_emergency_access_is_read_only(scene, client, professional, path, method):
    family, assessment = scene
    before = family.notes.count() if hasattr(family, "notes") else None
    response = getattr(client, method)(path.format(f=family.pk, a=assessment.pk), {"text": "x"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Emergency access is read-only" in page and "nothing was saved" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert AuditEvent.objects.filter(actor_id=professional.user_id, action="breakglass.write",
                                     outcome="denied", family_id=family.pk).exists()
    if before is not None:
        assert family.notes.count() == before


def test_the_family_file_shows_no_write_actions_during_emergency_access(scene, client):
    family, _ = scene
    page = client.get(f"/families/{family.pk}/").content.decode()
    for text in ("Write a note", "New assessment", "Add member", "Add to network", "Record consent",
                 "Refer to a service"):
        assert text not in page, text


def test_a_team_member_still_reaches_the_write_pages(client):
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator)
    client.force_login(coordinator.user)
    assert client.get(f"/families/{family.pk}/notes/add/").status_code == 200


def test_every_privacy_officer_is_told_of_a_new_emergency_access(professional):
    officers = [ProfessionalFactory(roles=["privacy_officer"]) for _ in range(2)]
    family = family_with_team()
    grant = services.break_glass_open(actor=professional, reference=family.reference, reason=REASON)
    for officer in officers:
        notice = officer.notifications.get(kind=Notification.Kind.EMERGENCY_ACCESS)
        assert family.reference in notice.heading and notice.link == f"/access/reviews/{grant.pk}/"
    assert not professional.notifications.exists()


def test_a_privacy_officer_lands_on_the_review_queue(client):
    officer = ProfessionalFactory(roles=["privacy_officer"])
    client.force_login(officer.user)
    assert client.get("/").url == "/access/reviews/"


def test_a_coordinator_lands_on_the_caseload(client, professional):
    client.force_login(professional.user)
    assert client.get("/").url == "/families/"


def _person_with_bsn(family):
    person = family.memberships.order_by("id").last().person
    person.set_national_id(BSN)
    person.save()
    return person


def test_an_outsider_finds_the_family_by_national_id_and_date_of_birth(professional):
    family = family_with_team()
    person = _person_with_bsn(family)
    grant = services.break_glass_open(actor=professional, national_id="1112.22.333",
                                      date_of_birth=person.date_of_birth, reason=REASON)
    assert grant.family == family


def test_a_wrong_date_of_birth_finds_nothing_and_is_audited(professional):
    family = family_with_team()
    person = _person_with_bsn(family)
    with pytest.raises(NotFound, match="No open family file matches"):
        services.break_glass_open(actor=professional, national_id=BSN, reason=REASON,
                                  date_of_birth=person.date_of_birth + dt.timedelta(days=1))
    assert AuditEvent.objects.filter(actor_id=professional.user_id, action="breakglass.open",
                                     outcome="denied").exists()


def test_an_unknown_national_id_gets_the_same_answer(professional):
    with pytest.raises(NotFound, match="No open family file matches"):
        services.break_glass_open(actor=professional, national_id=BSN, reason=REASON,
                                  date_of_birth=dt.date(2012, 1, 1))


def test_a_national_id_without_date_of_birth_is_refused(professional):
    with pytest.raises(InvalidInput, match="date of birth"):
        services.break_glass_open(actor=professional, national_id=BSN, reason=REASON)


def test_the_emergency_form_takes_a_national_id_and_date_of_birth(client, professional):
    family = family_with_team()
    person = _person_with_bsn(family)
    client.force_login(professional.user)
    response = client.post("/access/emergency/", {
        "national_id": BSN, "date_of_birth": person.date_of_birth.isoformat(), "reason": REASON,
        "hours": 2})
    assert response.status_code == 302 and response.url == f"/families/{family.pk}/"
    assert Person.objects.filter(national_id_hash__isnull=False).count() == 1
