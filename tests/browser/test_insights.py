"""The insights dashboards in a browser: no accessibility violations (desktop and phone, English
and Dutch), charts drawn with plain coordinates, a period chosen, a table downloaded."""
import datetime as dt

import pytest
from django.utils import timezone

from oneplan.accounts.models import Role
from oneplan.insights import aggregates
from oneplan.insights import months as m
from tests.browser.conftest import axe_violations, login
from tests.factories import OrganisationFactory
from tests.insights.factories import definitions, discussion, family, plan, staff

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = """selector => [...document.querySelectorAll(selector)].map(el => {
    const box = el.getBBox(); return [box.width, box.height]; })"""


@pytest.fixture
def everyone():
    """Someone with all three insights roles, and enough families over three months to show."""
    definitions()
    org = OrganisationFactory(name="Wijkteam Noord")
    this_month = m.start_of(timezone.localdate())
    for back in (3, 2, 1):
        opened = m.add(this_month, -back) + dt.timedelta(days=2)
        for i in range(12):
            fam = family(opened=opened, org=org, intensity=["light", "medium", "intensive"][i % 3])
            plan(fam, opened + dt.timedelta(days=10 + i))
            discussion(fam, opened + dt.timedelta(days=5), kind="crisis" if i % 4 == 0 else "regular",
                       present=i % 2 == 0)
    aggregates.rebuild()
    return staff(org, Role.ANALYST, Role.TEAM_MANAGER, Role.NETWORK_ADMIN)


def _check(page, url):
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, f"{url}:\n" + "\n".join(violations)


@pytest.mark.parametrize("which", ["desktop", "phone"])
@pytest.mark.parametrize("language", ["en", "nl"])
def test_insights_pages_have_no_violations(request, everyone, which, language):
    page = request.getfixturevalue("page" if which == "desktop" else "phone_page")
    login(page, everyone.user)
    page.context.set_extra_http_headers({"Accept-Language": language})
    for url in ("/insights/analyst/", "/insights/team/", "/insights/network/?grain=month",
                "/insights/analyst/open_with_agreed_plan/?by=intensity", "/insights/team/discussions_crisis/",
                "/insights/analyst/time_to_first_plan/", "/insights/definitions/"):
        _check(page, url)
        assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1"), url


def test_the_charts_draw_in_dutch(page, everyone):
    login(page, everyone.user)
    page.context.set_extra_http_headers({"Accept-Language": "nl"})
    page.goto("/insights/analyst/?grain=month")
    heading = page.get_by_role("heading", level=3, name="Geregistreerde gezinnen")
    assert heading.is_visible()
    lines = page.evaluate(SIZES, 'article[aria-labelledby="h-families_registered"] path.series')
    assert lines and all(w > 50 for w, _h in lines)


def test_the_analyst_chooses_a_period_opens_an_indicator_and_downloads_its_table(page, everyone):
    login(page, everyone.user)
    page.goto("/insights/")
    assert page.get_by_role("heading", level=1).inner_text() == "Insights: Analysis"
    page.get_by_label("Per", exact=True).select_option("month")
    page.get_by_role("button", name="Show").click()
    assert "grain=month" in page.url
    page.get_by_role("link", name="Case discussions about a crisis", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Case discussions about a crisis"
    page.get_by_label("By", exact=True).select_option("intensity")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("rowheader", name="Intensive").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this table (CSV)").first.click()
    assert download.value.suggested_filename == "discussions_crisis-trend.csv"
