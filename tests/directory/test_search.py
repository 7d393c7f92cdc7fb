"""Searching the directory by need, age, area, language and free text."""
import pytest

from oneplan.directory.models import Service
from oneplan.directory.selectors import Search, search
from tests.directory.factories import ServiceFactory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def _names(**criteria) -> list[str]:
    return [s.name for s in search(Search(**criteria))]


@pytest.fixture
def services_():
    ServiceFactory(name="Debts", domains=["finances_debts"], languages=["nl", "ar"], minimum_age=18,
                   areas=["Noord"])
    ServiceFactory(name="Parenting", domains=["parenting"], languages=["nl", "tr"], maximum_age=17,
                   areas=["Oost"], description="Opvoedondersteuning thuis")
    ServiceFactory(name="Everywhere", domains=["finances_debts", "housing"], languages=["en"])
    ServiceFactory(name="Closed down", domains=["finances_debts"], status=Service.Status.DEFUNCT)


def test_search_by_need(services_):
    assert _names(domain="finances_debts") == ["Debts", "Everywhere"]


def test_search_by_age_respects_both_bounds(services_):
    assert _names(age=10) == ["Everywhere", "Parenting"]
    assert _names(age=40) == ["Debts", "Everywhere"]


def test_search_by_area_ignores_case_and_accents_and_includes_region_wide_services(services_):
    assert _names(area="  nöord ") == ["Debts", "Everywhere"]


def test_search_by_language(services_):
    assert _names(language="tr") == ["Parenting"]


def test_free_text_matches_every_word_in_name_description_or_organisation(services_):
    assert _names(text="opvoed THUIS") == ["Parenting"]
    org = OrganisationFactory(name="Stadsbank Amsterdam")
    ServiceFactory(name="Budget", organisation=org)
    assert _names(text="stadsbank") == ["Budget"]


def test_services_that_no_longer_exist_are_left_out(services_):
    assert "Closed down" not in _names()
    assert "Closed down" in _names(include_inactive=True)


def test_criteria_combine(services_):
    assert _names(domain="finances_debts", age=30, area="Noord", language="nl") == ["Debts"]


def test_a_professional_contact_shows_their_current_phone():
    from oneplan.directory.selectors import service_detail
    from tests.directory.factories import add_contact
    from tests.factories import ProfessionalFactory

    item = ServiceFactory()
    pro = ProfessionalFactory(organisations=[item.organisation], phone="06 1111 1111")
    add_contact(item, pro)
    pro.phone = "06 2222 2222"
    pro.save()
    [contact] = service_detail(item.pk).contacts.all()
    assert contact.shown_phone == "06 2222 2222" and contact.shown_name == pro.name
