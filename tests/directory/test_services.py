"""Keeping services up to date: only the organisation's admin (or a network admin), audited."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.audit.models import AuditEvent, Outcome
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from oneplan.directory import services
from oneplan.directory.models import Service
from oneplan.directory.services import ServiceInput
from tests.directory.factories import ServiceFactory
from tests.factories import OrganisationFactory, ProfessionalFactory

pytestmark = pytest.mark.django_db


def _admin(org, role="org_admin"):
    return ProfessionalFactory(organisations=[org], roles=[role])


def _input(**kwargs) -> ServiceInput:
    values = {"name": "Schuldhulp", "description": "Debt counselling.", "domains": ["finances_debts"],
              "languages": ["nl", "ar"], "areas": ["Noord", " Oost  ", "noord"], "minimum_age": 18,
              "wait_weeks": 6, "rules": [("finances_debts", None, 3)],
              "location": ("Kantoor", "Stationsplein 1", "1012 AB", "Amsterdam")}
    values.update(kwargs)
    return ServiceInput(**values)


def test_an_org_admin_adds_a_service_with_its_hsds_parts():
    org = OrganisationFactory()
    admin = _admin(org)
    contact = ProfessionalFactory(organisations=[org])
    item = services.service_save(actor=admin, organisation_id=org.pk, data=_input(contact_ids=[contact.pk]))
    assert item.sector == org.sector and item.wait_updated_on == timezone.localdate()
    assert [d.domain for d in item.domains.all()] == ["finances_debts"]
    assert sorted(a.name for a in item.areas.all()) == ["Noord", "Oost"]  # "noord" is the same area
    assert [c.professional for c in item.contacts.all()] == [contact]
    assert item.locations.get().city == "Amsterdam"
    assert item.rules.get().max_score == 3
    assert AuditEvent.objects.filter(action="directory.service_save", object_id=str(item.pk)).exists()


def test_an_admin_of_another_organisation_is_refused_and_it_is_audited():
    org = OrganisationFactory()
    outsider = _admin(OrganisationFactory())
    with pytest.raises(AccessDenied):
        services.service_save(actor=outsider, organisation_id=org.pk, data=_input())
    assert not Service.objects.exists()
    assert AuditEvent.objects.filter(actor_id=outsider.user_id, action="directory.service_save",
                                     outcome=Outcome.DENIED).exists()


def test_a_practitioner_cannot_edit_their_own_organisations_services():
    item = ServiceFactory()
    practitioner = ProfessionalFactory(organisations=[item.organisation])
    with pytest.raises(AccessDenied):
        services.service_wait_update(actor=practitioner, service_id=item.pk, wait_weeks=1)


def test_a_network_admin_may_edit_any_organisations_services():
    item = ServiceFactory()
    netadmin = ProfessionalFactory(roles=["network_admin"])
    updated = services.service_save(actor=netadmin, organisation_id=item.organisation_id, service_id=item.pk,
                                    data=_input(name=item.name, status="temporarily closed"))
    assert updated.status == "temporarily closed"


@pytest.mark.parametrize("change,field", [
    ({"name": "  "}, "name"), ({"description": ""}, "description"),
    ({"minimum_age": 18, "maximum_age": 12}, "maximum_age"), ({"domains": ["astrology"]}, "domains"),
    ({"languages": ["xx"]}, "languages"), ({"rules": [("finances_debts", 4, 2)]}, "rules"),
    ({"rules": [("finances_debts", None, None)]}, "rules"), ({"rules": [("finances_debts", 0, 9)]}, "rules"),
    ({"status": "sleeping"}, "status"), ({"family_situations": ["rich"]}, "family_situations"),
])
def test_bad_service_input_gets_a_message_and_saves_nothing(change, field):
    org = OrganisationFactory()
    with pytest.raises(InvalidInput) as refused:
        services.service_save(actor=_admin(org), organisation_id=org.pk, data=_input(**change))
    assert refused.value.field == field
    assert not Service.objects.exists()


def test_two_services_of_one_organisation_cannot_share_a_name():
    item = ServiceFactory(name="Budgetcoaching")
    with pytest.raises(Conflict):
        services.service_save(actor=_admin(item.organisation), organisation_id=item.organisation_id,
                              data=_input(name="budgetcoaching"))


def test_a_contact_must_work_for_the_organisation():
    org = OrganisationFactory()
    stranger = ProfessionalFactory()
    with pytest.raises(InvalidInput, match="must work for"):
        services.service_save(actor=_admin(org), organisation_id=org.pk, data=_input(contact_ids=[stranger.pk]))
    assert not Service.objects.exists()


def test_updating_the_waiting_time_dates_it_today():
    item = ServiceFactory(wait_updated_on=timezone.localdate() - dt.timedelta(days=90))
    assert item.wait_is_stale
    updated = services.service_wait_update(actor=_admin(item.organisation), service_id=item.pk, wait_weeks=3)
    assert (updated.wait_weeks, updated.wait_updated_on) == (3, timezone.localdate())
    assert not updated.wait_is_stale


def test_a_waiting_time_older_than_30_days_is_flagged():
    today = timezone.localdate()
    assert not ServiceFactory(wait_updated_on=today - dt.timedelta(days=30)).wait_is_stale
    assert ServiceFactory(wait_updated_on=today - dt.timedelta(days=31)).wait_is_stale
    assert ServiceFactory(wait_updated_on=None).wait_is_stale


def test_an_impossible_waiting_time_is_refused():
    item = ServiceFactory()
    with pytest.raises(InvalidInput):
        services.service_wait_update(actor=_admin(item.organisation), service_id=item.pk, wait_weeks=999)
