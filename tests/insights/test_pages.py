"""The dashboards: who may see them (refusals audited), small numbers hidden in pages and CSV,
no names, a fixed number of queries whatever the data."""
import csv
import datetime as dt
import io

import pytest

from oneplan.accounts.models import Role
from oneplan.audit.models import AuditEvent
from oneplan.insights import aggregates
from tests.factories import OrganisationFactory
from tests.insights.factories import at, definitions, family, plan, referral, service, staff
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = dt.date
MARCH = "?grain=month&a=2026-03&b=2026-02"


@pytest.fixture
def north():
    return OrganisationFactory(name="Wijkteam Noord")


def _families(n: int, org=None, day=D(2026, 3, 10), name_prefix="Household"):
    out = []
    for i in range(n):
        fam = family(opened=day, org=org)
        fam.name = f"{name_prefix} {i}"
        fam.save()
        out.append(fam)
    definitions()
    aggregates.rebuild()
    return out


def _client(client, *roles, org=None):
    client.force_login(staff(org, *roles).user)
    return client


def _csv(response) -> dict:
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    return {row[0]: row[1:] for row in rows[1:]}


def test_an_analyst_sees_every_indicator_without_names(client):
    _families(3, name_prefix="Jansen-Bakker")
    page = _client(client, Role.ANALYST).get("/insights/analyst/")
    assert page.status_code == 200
    assert b"Families registered" in page.content and b"Time to first contact" in page.content
    assert b"Jansen-Bakker" not in page.content


def test_small_counts_are_hidden_on_the_page(client):
    _families(3)
    page = _client(client, Role.ANALYST).get("/insights/analyst/" + MARCH)
    assert b"&lt;10" in page.content


def test_small_counts_are_hidden_in_the_csv(client):
    _families(3)
    response = _client(client, Role.ANALYST).get("/insights/analyst/families_registered/trend.csv" + MARCH)
    assert response["Content-Type"].startswith("text/csv")
    assert _csv(response)["2026-03"] == ["<10"]


def test_counts_at_the_threshold_are_shown_in_the_csv(client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 3}
    _families(3)
    response = _client(client, Role.ANALYST).get("/insights/analyst/families_registered/trend.csv" + MARCH)
    assert _csv(response)["2026-03"] == ["3"]


def test_a_breakdown_csv_hides_a_second_group_that_would_give_a_small_one_away(client, north):
    _families(3, org=north)
    _families(12, org=OrganisationFactory(name="Wijkteam Zuid"))
    _families(15, org=OrganisationFactory(name="Wijkteam West"))
    client = _client(client, Role.ANALYST)
    response = client.get("/insights/analyst/families_registered/period-a.csv" + MARCH + "&by=team")
    rows = _csv(response)
    assert rows["Wijkteam Noord"] == ["<10"] and rows["Wijkteam Zuid"] == ["<10"]
    assert rows["Wijkteam West"] == ["15"] and rows["All"] == ["30"]


def test_a_practitioner_is_refused_and_the_refusal_is_audited(client):
    page = _client(client, Role.PRACTITIONER).get("/insights/")
    assert page.status_code == 403
    assert AuditEvent.objects.filter(action="insights.view", outcome="denied").exists()


def test_a_team_manager_cannot_open_the_analysts_dashboard(client):
    page = _client(client, Role.TEAM_MANAGER).get("/insights/analyst/")
    assert page.status_code == 403
    event = AuditEvent.objects.get(action="insights.view", outcome="denied")
    assert event.object_id == "analyst"


def test_an_analyst_cannot_open_a_team_dashboard(client):
    assert _client(client, Role.ANALYST).get("/insights/team/").status_code == 403


def test_the_definitions_are_refused_without_an_insights_role(client):
    assert _client(client, Role.PRACTITIONER).get("/insights/definitions/").status_code == 403
    assert AuditEvent.objects.filter(action="insights.definitions", outcome="denied").exists()


def test_a_team_manager_sees_her_teams_families_against_the_network(client, settings, north):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 1}
    _families(2, org=north)
    _families(5)
    client = _client(client, Role.TEAM_MANAGER, org=north)
    assert client.get("/insights/").url == "/insights/team/"
    rows = _csv(client.get("/insights/team/families_registered/trend.csv" + MARCH))
    assert rows["2026-03"] == ["2"]
    split = _csv(client.get("/insights/team/families_registered/period-a.csv" + MARCH))
    assert split == {"Wijkteam Noord": ["2"], "The whole network": ["7"]}


def test_the_front_door_is_not_on_a_team_dashboard(client, north):
    definitions()
    assert _client(client, Role.TEAM_MANAGER, org=north).get(
        "/insights/team/frontdoor_outcomes/").status_code == 404


def test_the_network_coordinator_sees_referrals_by_receiving_organisation(client, settings):
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 1}
    debt = OrganisationFactory(name="Stadsbank")
    fam = family(opened=D(2026, 1, 5))
    referral(fam, service(debt), sent=at(D(2026, 3, 2)))
    definitions()
    aggregates.rebuild()
    page = _client(client, Role.NETWORK_ADMIN).get("/insights/network/referrals/" + MARCH + "&by=organisation")
    assert page.status_code == 200 and b"Stadsbank" in page.content


def test_the_dashboard_and_an_indicator_page_are_audited(client):
    definitions()
    client = _client(client, Role.ANALYST)
    client.get("/insights/analyst/")
    client.get("/insights/analyst/gas_t_score/")
    assert AuditEvent.objects.filter(action="insights.dashboard", outcome="allowed").exists()
    assert AuditEvent.objects.filter(action="insights.indicator", object_id="gas_t_score").exists()


def test_the_dutch_page_has_the_definitions_dutch_texts_and_plain_svg_coordinates(client):
    _families(12)
    page = _client(client, Role.ANALYST).get("/insights/analyst/" + MARCH, HTTP_ACCEPT_LANGUAGE="nl")
    text = page.content.decode()
    assert "Geregistreerde gezinnen" in text
    assert 'cy="' in text and not any(',' in part.split('"')[1] for part in text.split(' cy=')[1:])


@pytest.mark.parametrize("url", ["/insights/analyst/", "/insights/analyst/?grain=month",
                                 "/insights/analyst/open_with_agreed_plan/?by=team",
                                 "/insights/analyst/referrals/?by=service"])
def test_pages_take_the_same_number_of_queries_at_two_data_sizes(client, url, audit_chain_started):
    client = _client(client, Role.ANALYST)
    referral(family(opened=D(2026, 1, 5)), service(), sent=at(D(2026, 3, 2)))
    _families(2)
    client.get(url)
    few = page_queries(client, url)
    for i in range(3):
        fam = family(opened=D(2025, 1 + i, 3), org=OrganisationFactory())
        plan(fam, D(2025, 2 + i, 1))
        referral(fam, service(), sent=at(D(2025, 3 + i, 1)), accepted=at(D(2025, 4 + i, 1)))
    _families(20, org=OrganisationFactory())
    assert page_queries(client, url) == few


def test_a_breakdown_shows_the_largest_groups_and_the_others_together(client, settings, monkeypatch):
    from oneplan.insights import selectors

    monkeypatch.setattr(selectors, "MAX_GROUPS", 2)
    settings.ONEPLAN = {**settings.ONEPLAN, "SMALL_NUMBER": 1}
    for name, n in (("Wijkteam Noord", 3), ("Wijkteam Zuid", 2), ("Wijkteam West", 1), ("Wijkteam Oost", 1)):
        _families(n, org=OrganisationFactory(name=name))
    rows = _csv(_client(client, Role.ANALYST).get("/insights/analyst/families_registered/period-a.csv" + MARCH
                                                   + "&by=team"))
    assert rows == {"Wijkteam Noord": ["3"], "Wijkteam Zuid": ["2"], "2 others together": ["2"], "All": ["7"]}
