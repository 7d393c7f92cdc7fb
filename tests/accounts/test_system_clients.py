"""An organisation's own case system as a system client: registered by an organisation admin, it
acts for the organisation (its referrals, the families its professionals are on the team of),
never as a person, and the audit log names it."""
import json

import pytest

from oneplan.access import rules
from oneplan.accounts import system_clients
from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.referrals.models import Referral
from oneplan.referrals.workflow import Status
from tests.factories import OrganisationFactory, ProfessionalFactory, family_with_team
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db


def _admin_of(organisation):
    return ProfessionalFactory(roles=[Role.ORG_ADMIN], organisations=[organisation])


def _fhir(client, key):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_the_receiving_organisations_system_sees_and_moves_its_incoming_referrals(client):
    s = scene()
    referral = s.sent()
    _, key = system_clients.client_create(actor=_admin_of(s.organisation), organisation_id=s.organisation.pk,
                                          name="Stadsbank case system")
    fhir = _fhir(client, key)
    body = json.loads(fhir.get("/fhir/R4/Task", {"owner": f"Organization/{s.organisation.pk}"}).content)
    assert [e["resource"]["id"] for e in body["entry"]] == [str(referral.pk)]
    response = fhir.patch(f"/fhir/R4/Task/{referral.pk}", json.dumps(
        [{"op": "replace", "path": "/businessStatus/coding/0/code", "value": "received"}]),
        content_type="application/json-patch+json", HTTP_IF_MATCH=f'W/"{referral.version}"')
    assert response.status_code == 200, response.content
    assert Referral.objects.get(pk=referral.pk).status == Status.RECEIVED
    event = AuditEvent.objects.filter(action="referral.received").latest("id")
    assert event.actor_label.startswith(f"client-{s.organisation.pk}-stadsbank-case-system")


def test_the_system_reads_families_its_professionals_are_on_the_team_of_and_no_others(client):
    organisation = OrganisationFactory()
    member = ProfessionalFactory(organisations=[organisation])
    ours = family_with_team(coordinator=member)
    theirs = family_with_team()
    _, key = system_clients.client_create(actor=_admin_of(organisation), organisation_id=organisation.pk,
                                          name="Our system")
    fhir = _fhir(client, key)
    assert fhir.get(f"/fhir/R4/Group/{ours.pk}").status_code == 200
    assert fhir.get(f"/fhir/R4/Group/{theirs.pk}").status_code == 404
    assert AuditEvent.objects.filter(family_id=theirs.pk, outcome="denied", actor_label__startswith="client-").exists()


def test_a_system_client_cannot_manage_the_team_even_when_the_member_coordinates(client):
    organisation = OrganisationFactory()
    coordinator = ProfessionalFactory(organisations=[organisation])
    family = family_with_team(coordinator=coordinator)
    system, _ = system_clients.client_create(actor=_admin_of(organisation), organisation_id=organisation.pk,
                                             name="Our system")
    access = rules.family_access(system, family.pk, "family.read")
    assert not access.can("team.manage") and not access.can("consent.manage") and access.can("family.edit")


def test_only_an_admin_of_the_organisation_registers_a_client_and_a_refusal_is_audited():
    organisation = OrganisationFactory()
    practitioner = ProfessionalFactory(organisations=[organisation])
    with pytest.raises(Exception, match="administrator"):
        system_clients.client_create(actor=practitioner, organisation_id=organisation.pk, name="X")
    other_admin = _admin_of(OrganisationFactory())
    with pytest.raises(Exception, match="administrator"):
        system_clients.client_create(actor=other_admin, organisation_id=organisation.pk, name="X")
    assert AuditEvent.objects.filter(action="system_client.create", outcome="denied").count() == 2


def test_switching_a_client_off_stops_its_key(client):
    organisation = OrganisationFactory()
    admin = _admin_of(organisation)
    system, key = system_clients.client_create(actor=admin, organisation_id=organisation.pk, name="Old system")
    system_clients.client_revoke(actor=admin, client_id=system.pk)
    assert _fhir(client, key).get("/fhir/R4/Task").status_code == 401


def test_the_page_registers_a_client_and_shows_its_key_once(client):
    organisation = OrganisationFactory()
    client.force_login(_admin_of(organisation).user)
    response = client.post("/account/system-clients/", {"organisation": organisation.pk,
                                                        "name": "Regas case management"})
    page = response.content.decode()
    assert response.status_code == 200 and "op_" in page and "Regas case management" in page
    again = client.get("/account/system-clients/").content.decode()
    assert "Regas case management" in again and 'id="new-key"' not in again


def test_the_page_is_refused_to_a_practitioner_and_the_refusal_is_audited(client):
    practitioner = ProfessionalFactory()
    client.force_login(practitioner.user)
    assert client.get("/account/system-clients/").status_code == 403
    assert AuditEvent.objects.filter(action="system_client.list", outcome="denied",
                                     actor_id=practitioner.user_id).exists()
