"""/me and the organisations (not family data: any authenticated professional)."""
import datetime as dt

import pytest

from oneplan.accounts.models import Sector
from tests.api.conftest import assert_problem
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_me_describes_the_token_owner(api, professional):
    body = api("/me").json()
    assert body["username"] == professional.user.username
    assert body["roles"] == professional.roles
    assert body["organisations"] == [{"id": o.pk, "name": o.name}
                                     for o in professional.organisations.all()]
    assert body["token"]["name"] == "tests"


def test_organisations_are_listed_by_name(api, professional):
    OrganisationFactory(name="Zorg Oost", sector=Sector.MENTAL_HEALTH)
    OrganisationFactory(name="Buurtteam", sector=Sector.SOCIAL_WORK)
    names = [o["name"] for o in api("/organisations").json()["items"]]
    assert names == sorted(names)
    assert {"Zorg Oost", "Buurtteam"} <= set(names)


def test_organisations_can_be_filtered_by_sector(api):
    OrganisationFactory(name="Zorg Oost", sector=Sector.MENTAL_HEALTH)
    body = api("/organisations", sector="mental_health").json()
    assert [o["name"] for o in body["items"]] == ["Zorg Oost"]
    assert body["items"][0]["sector_label"] == "Mental health"


def test_unknown_sector_is_400(api):
    assert_problem(api("/organisations", sector="magic"), 400)


def test_organisation_detail(api):
    org = OrganisationFactory(name="Schuldhulp", sector=Sector.DEBT_COUNSELLING)
    body = api(f"/organisations/{org.pk}").json()
    assert (body["id"], body["name"], body["sector"]) == (org.pk, "Schuldhulp", "debt_counselling")


def test_unknown_organisation_is_404_problem(api):
    assert_problem(api("/organisations/999999"), 404)


def test_organisations_page_by_keyset_and_sync_by_modified_since(api):
    for name in ("Aa", "Bb", "Cc"):
        OrganisationFactory(name=f"{name} sync test")
    first = api("/organisations", q="sync test", limit=2).json()
    assert [o["name"] for o in first["items"]] == ["Aa sync test", "Bb sync test"] and first["next"]
    second = api("/organisations", q="sync test", limit=2, cursor=first["next"]).json()
    assert [o["name"] for o in second["items"]] == ["Cc sync test"] and second["next"] is None
    changed = OrganisationFactory(name="Dd sync test")  # the clock ticks on: it changed last
    since = changed.updated_at.astimezone(dt.UTC).isoformat()
    assert [o["name"] for o in api("/organisations", modified_since=since).json()["items"]] == ["Dd sync test"]
