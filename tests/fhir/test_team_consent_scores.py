"""The care team, the network, consents, domain scores and the directory as FHIR resources."""
import pytest

from oneplan.accounts import system_clients
from oneplan.assessments import services as assessment_services
from oneplan.audit.models import AuditEvent
from oneplan.families import services as family_services
from tests.assessments.factories import life_domains
from tests.directory.factories import ServiceFactory
from tests.factories import ProfessionalFactory, consent_for, family_with_team, parent_of
from tests.fhir.test_tasks import _client_for, _get, valid
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(professional):
    return family_with_team(coordinator=professional, members=2)


def test_the_care_team_names_each_professional_for_their_organisation(client, professional, family):
    fhir = _client_for(client, professional)
    _, team = _get(fhir, f"/fhir/R4/CareTeam/{family.pk}")
    assert valid(team)["subject"]["reference"] == f"Group/{family.pk}"
    member = team["participant"][0]
    assert member["member"]["reference"] == f"Practitioner/{professional.pk}"
    _, practitioner = _get(fhir, "/fhir/R4/" + member["member"]["reference"])
    assert valid(practitioner)["name"][0]["text"] == professional.name


def test_the_informal_network_is_related_persons(client, professional, family):
    member = family_services.network_member_add(actor=professional, family_id=family.pk, name="Oma Joke",
                                                relation="grandparent", support="childcare", strength="strong",
                                                load=2)
    _, resource = _get(_client_for(client, professional), f"/fhir/R4/RelatedPerson/{member.pk}")
    assert valid(resource)["name"][0]["text"] == "Oma Joke"


def test_consents_per_organisation_and_category_with_who_gave_them(client, professional, family):
    consent = consent_for(family, categories=["finance", "health"], organisation=professional.primary_organisation)
    fhir = _client_for(client, professional)
    _, resource = _get(fhir, f"/fhir/R4/Consent/{consent.pk}")
    assert valid(resource)["status"] == "active"
    assert [c["coding"][0]["code"] for c in resource["provision"]["code"]] == ["finance", "health"]
    assert resource["provision"]["actor"][0]["reference"]["reference"] == \
        f"Organization/{professional.primary_organisation.pk}"
    assert resource["performer"] == [{"reference": f"Patient/{parent_of(family).pk}"}]
    _, bundle = _get(fhir, "/fhir/R4/Consent", subject=f"Group/{family.pk}", status="active")
    assert [e["resource"]["id"] for e in valid(bundle)["entry"]] == [str(consent.pk)]


def test_a_consent_search_needs_the_household(client, professional):
    response, body = _get(_client_for(client, professional), "/fhir/R4/Consent")
    assert response.status_code == 400 and valid(body)["issue"][0]["code"] == "required"


def test_scores_are_observations_with_the_professionals_and_the_familys_apart(client, professional, family):
    consent_for(family, organisation=professional.primary_organisation)
    assessment = assessment_services.assessment_start(actor=professional, family_id=family.pk,
                                                      instrument_id=life_domains().pk, held_on=family.opened_on)
    domain = life_domains().domains[0]
    person = parent_of(family).pk if domain.get("personal") else None
    score = assessment_services.score_set(actor=professional, assessment_id=assessment.pk,
                                          domain_key=domain["key"], person_id=person,
                                          professional_score=2, family_score=4)
    fhir = _client_for(client, professional)
    _, bundle = _get(fhir, "/fhir/R4/Observation", subject=f"Group/{family.pk}")
    found = {e["resource"]["id"]: e["resource"] for e in valid(bundle)["entry"]}
    assert found[f"{score.pk}-professional"]["valueInteger"] == 2
    assert found[f"{score.pk}-family"]["valueInteger"] == 4
    assert found[f"{score.pk}-family"]["method"]["coding"][0]["code"] == "family"
    _, one = _get(fhir, f"/fhir/R4/Observation/{score.pk}-family")
    assert valid(one)["status"] == "preliminary"  # the assessment is not completed yet


def test_a_stranger_reads_no_consent_team_or_scores_and_is_audited(client, professional, family):
    consent = consent_for(family, organisation=professional.primary_organisation)
    stranger = ProfessionalFactory()
    fhir = _client_for(client, stranger)
    for url in (f"/fhir/R4/Consent/{consent.pk}", f"/fhir/R4/CareTeam/{family.pk}",
                f"/fhir/R4/Observation?subject=Group/{family.pk}"):
        response, body = _get(fhir, url)
        assert response.status_code == 404 and valid(body)["resourceType"] == "OperationOutcome"
    assert AuditEvent.objects.filter(actor_id=stranger.user_id, outcome="denied").count() >= 3


def test_directory_services_are_healthcare_services(client, professional):
    service = ServiceFactory()
    fhir = _client_for(client, professional)
    _, resource = _get(fhir, f"/fhir/R4/HealthcareService/{service.pk}")
    assert valid(resource)["providedBy"]["reference"] == f"Organization/{service.organisation_id}"
    _, bundle = _get(fhir, "/fhir/R4/HealthcareService", organization=f"Organization/{service.organisation_id}")
    assert [e["resource"]["id"] for e in valid(bundle)["entry"]] == [str(service.pk)]


@pytest.mark.parametrize("kind", ["Group", "Patient", "CareTeam", "RelatedPerson", "PractitionerRole", "Goal"])
def test_each_family_record_is_searchable_within_the_families_one_may_open(client, professional, family, kind):
    agreed_plan(professional, family)
    family_services.network_member_add(actor=professional, family_id=family.pk, name="Buurvrouw Ans",
                                       relation="neighbour", support="practical", strength="strong", load=1)
    other = family_with_team()  # not the professional's
    fhir = _client_for(client, professional)
    params = {"_id": str(family.pk)} if kind == "Group" else {"subject": f"Group/{family.pk}"}
    _, bundle = _get(fhir, f"/fhir/R4/{kind}", **params)
    assert valid(bundle)["entry"], bundle
    assert all(e["resource"]["resourceType"] == kind for e in bundle["entry"])
    _, none = _get(fhir, f"/fhir/R4/{kind}", **({"_id": str(other.pk)} if kind == "Group" else
                                                {"subject": f"Group/{other.pk}"}))
    assert valid(none)["entry"] == []


def test_a_practitioner_role_is_a_place_on_the_team(client, professional, family):
    member = family.team.get(professional=professional)
    _, role = _get(_client_for(client, professional), f"/fhir/R4/PractitionerRole/{member.pk}")
    assert valid(role)["practitioner"]["reference"] == f"Practitioner/{professional.pk}"


def test_practitioners_are_found_by_name_but_system_clients_are_not(client, professional):
    colleague = ProfessionalFactory()
    colleague.user.first_name, colleague.user.last_name = "Eva", "Lammers"
    colleague.user.save()
    admin = ProfessionalFactory(roles=["org_admin"])
    system_clients.client_create(actor=admin, organisation_id=admin.primary_organisation.pk, name="Eva system")
    _, bundle = _get(_client_for(client, professional), "/fhir/R4/Practitioner", name="eva")
    assert [e["resource"]["id"] for e in valid(bundle)["entry"]] == [str(colleague.pk)]
