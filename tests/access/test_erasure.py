import datetime as dt

import pytest
from django.core.management import call_command

from oneplan.access.erasure import person_erase, retention_run
from oneplan.audit.models import AuditEvent
from oneplan.audit.services import seal, verify
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from oneplan.families import selectors, services
from tests.factories import MembershipFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db
BASIS = "Art. 17(1)(a) GDPR: data no longer necessary, confirmed by legal"


@pytest.fixture
def officer():
    return ProfessionalFactory(roles=["privacy_officer"])


def _registered(actor):
    family = services.family_register(actor=actor, name="Jansen household", members=[services.NewPerson(
        "Mila", "Jansen", dt.date(2015, 6, 30), "child", national_id="111222333")])
    selectors.family_file(actor=actor, family_id=family.pk)
    return family, family.memberships.get().person


def test_erasure_removes_identity_and_keeps_the_audit_chain_valid(professional, officer):
    family, person = _registered(professional)
    events_before = AuditEvent.objects.filter(person_id=person.pk).count()
    person_erase(actor=officer, person_id=person.pk, legal_basis=BASIS)
    person.refresh_from_db()
    assert (person.given_name, person.national_id_hash, person.national_id_encrypted) == ("Erased", None, "")
    assert person.date_of_birth == dt.date(2015, 1, 1)
    assert AuditEvent.objects.filter(person_id=person.pk).count() == events_before + 1
    assert seal() and verify().ok


def test_erasure_needs_a_legal_basis_and_happens_once(professional, officer):
    _, person = _registered(professional)
    with pytest.raises(InvalidInput):
        person_erase(actor=officer, person_id=person.pk, legal_basis="")
    person_erase(actor=officer, person_id=person.pk, legal_basis=BASIS)
    with pytest.raises(Conflict):
        person_erase(actor=officer, person_id=person.pk, legal_basis=BASIS)


def test_only_a_privacy_officer_erases(professional):
    _, person = _registered(professional)
    with pytest.raises(AccessDenied):
        person_erase(actor=professional, person_id=person.pk, legal_basis=BASIS)
    assert AuditEvent.objects.filter(action="subject.erase", outcome="denied").exists()


def test_retention_pseudonymises_old_closed_families_and_reports(settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "RETENTION_YEARS": 5}
    today = dt.date.today()
    old = family_with_team(status="closed", closed_on=today - dt.timedelta(days=6 * 365))
    recent = family_with_team(status="closed", closed_on=today - dt.timedelta(days=365))
    report = retention_run(today=today)
    old.refresh_from_db(), recent.refresh_from_db()
    assert old.pseudonymised_at and old.name == "Pseudonymised household"
    assert recent.pseudonymised_at is None
    assert "pseudonymised 1 families" in report and "nothing was deleted" in report
    assert all(m.person.erased_at for m in old.memberships.all())
    assert seal() and verify().ok


def test_retention_keeps_a_person_who_is_in_an_open_family(settings):
    today = dt.date.today()
    old = family_with_team(status="closed", closed_on=today - dt.timedelta(days=6 * 365), members=1)
    person = old.memberships.get().person
    MembershipFactory(family=family_with_team(members=0), person=person)
    retention_run(today=today)
    person.refresh_from_db()
    assert person.erased_at is None


def test_tick_runs_retention(capsys):
    call_command("tick")
    assert "retention: pseudonymised 0 families" in capsys.readouterr().out


def test_erasure_page(client, professional, officer):
    _, person = _registered(professional)
    client.force_login(officer.user)
    assert client.post(f"/access/subjects/{person.pk}/erase/", {"legal_basis": BASIS}).status_code == 302
    person.refresh_from_db()
    assert person.erased_at is None  # not confirmed
    client.post(f"/access/subjects/{person.pk}/erase/", {"legal_basis": BASIS, "confirm": "on"})
    person.refresh_from_db()
    assert person.erased_at is not None
