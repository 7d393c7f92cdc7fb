import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from oneplan.access.subject import NOT_EXPORTED, sections, subject_export
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied
from oneplan.families.models import Person
from tests.factories import ProfessionalFactory, consent_for, family_with_team

pytestmark = pytest.mark.django_db


def _person_references():
    """Every model field in oneplan that refers to a Person."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("oneplan."):  # every oneplan app, also future ones
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.ForeignKey, models.ManyToManyField, models.OneToOneField)) \
                    and field.related_model is Person and not field.auto_created:
                found.add(f"{model._meta.label_lower}.{field.name}")
    return found


def test_every_model_holding_person_data_is_in_the_export():
    exported = {ref for _, refs, _ in sections() for ref in refs.split()}
    missing = {ref for ref in _person_references()
               if ref not in exported and ref.rsplit(".", 1)[0] not in NOT_EXPORTED}
    assert not missing, f"register these sections (access.subject.register_section): {sorted(missing)}"


def test_export_contains_the_persons_data_and_is_audited(professional):
    from oneplan.plans import services
    from tests.plans.factories import agreed_plan

    family = family_with_team(coordinator=professional, members=1)
    consent_for(family)
    person = family.memberships.get().person
    agreed_plan(professional, family)
    services.action_add(actor=professional, family_id=family.pk, what="Phone the bank",
                        owner=f"person:{person.pk}", due_on=dt.date.today())
    officer = ProfessionalFactory(roles=["privacy_officer"])
    export = subject_export(actor=officer, person_id=person.pk)
    sections = {s["title"]: s["rows"] for s in export["sections"]}
    assert export["person"]["family_name"] == person.family_name
    assert sections["Households"][0]["family"] == family.reference
    assert sections["Actions"][0]["what"] == "Phone the bank"
    assert sections["Consents"] and sections["Goals"] and sections["Plan agreements"]
    assert AuditEvent.objects.filter(action="subject.export", person_id=person.pk).exists()


def test_only_a_privacy_officer_may_export(professional):
    person = family_with_team(members=1).memberships.get().person
    with pytest.raises(AccessDenied):
        subject_export(actor=professional, person_id=person.pk)
    assert AuditEvent.objects.filter(action="subject.export", outcome="denied").exists()


def test_officer_finds_person_by_bsn_and_downloads_json(client):
    from oneplan.families import services

    coordinator = ProfessionalFactory()
    services.family_register(actor=coordinator, name="Test", members=[services.NewPerson(
        "Mila", "Jansen", dt.date(2015, 1, 1), "child", national_id="111222333")])
    client.force_login(ProfessionalFactory(roles=["privacy_officer"]).user)
    page = client.get("/access/subjects/", {"bsn": "111222333"}).content.decode()
    person = Person.objects.get(given_name="Mila")
    assert f"/access/subjects/{person.pk}/" in page
    response = client.get(f"/access/subjects/{person.pk}/export.json")
    assert response.json()["person"]["national_id"] == "111222333"
    assert client.get(f"/access/subjects/{person.pk}/").status_code == 200


def test_search_without_criteria_is_a_form_error(client):
    client.force_login(ProfessionalFactory(roles=["privacy_officer"]).user)
    assert "Give a BSN" in client.get("/access/subjects/", {"name": "x"}).content.decode()


def test_the_introspection_sees_the_known_person_fields():
    refs = _person_references()
    assert {"families.membership.person", "plans.goal.persons", "access.consent.given_by"} <= refs


def test_subject_pages_refuse_other_roles(client, professional):
    client.force_login(professional.user)
    assert client.get("/access/subjects/").status_code == 403


def test_export_lists_reference_index_signals_about_the_person():
    from oneplan.families import services
    from oneplan.signals.services import signal_register

    coordinator = ProfessionalFactory()
    services.family_register(actor=coordinator, name="Test", members=[services.NewPerson(
        "Mila", "Jansen", dt.date(2015, 1, 1), "child", national_id="111222333")])
    signal_register(actor=coordinator, national_id="111222333")
    person = Person.objects.get(given_name="Mila")
    export = subject_export(actor=ProfessionalFactory(roles=["privacy_officer"]), person_id=person.pk)
    rows = {s["title"]: s["rows"] for s in export["sections"]}["Reference index signals"]
    assert len(rows) == 1 and rows[0]["organisation"] == coordinator.organisations.first().name


def test_export_lists_the_persons_referrals():
    from tests.referrals.factories import scene

    s = scene()
    referral = s.sent()
    officer = ProfessionalFactory(roles=["privacy_officer"])
    export = subject_export(actor=officer, person_id=s.parent.pk)
    [row] = next(section["rows"] for section in export["sections"] if section["title"] == "Referrals")
    assert row["number"] == referral.number and row["organisation"] == s.organisation.name
