"""SVG coordinates are never localized: the ecomap and score charts draw in Dutch too."""
import datetime as dt

import pytest

from oneplan.assessments import services as assessments
from oneplan.families.models import NetworkMember
from tests.assessments.factories import life_domains
from tests.browser.conftest import login
from tests.factories import ProfessionalFactory, consent_for, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = """selector => [...document.querySelectorAll(selector)].map(el => {
    const box = el.getBBox(); return [box.width, box.height]; })"""
PLACES = """selector => [...document.querySelectorAll(selector)].map(el => {
    const box = el.getBBox(); return [box.x, box.y]; })"""


def _dutch(page):
    page.context.set_extra_http_headers({"Accept-Language": "nl"})


def _network(family):
    for name, strength in [("Oma Truus", "strong"), ("Buurvrouw Ans", "weak"), ("Voetbalclub", "moderate")]:
        NetworkMember.objects.create(family=family, name=name, relation="relative", support="practical",
                                     strength=strength)


def _assessments(me, family):
    instrument = life_domains()
    for days, pro, fam in [(60, 2, 3), (0, 4, 3)]:
        held = dt.date.today() - dt.timedelta(days=days)
        a = assessments.assessment_start(actor=me, family_id=family.pk, instrument_id=instrument.pk,
                                         held_on=held)
        assessments.score_set(actor=me, assessment_id=a.pk, domain_key="finances_debts",
                              professional_score=pro, family_score=fam)
        assessments.assessment_complete(actor=me, assessment_id=a.pk)


def test_ecomap_draws_in_dutch(page):
    me = ProfessionalFactory()
    family = family_with_team(coordinator=me)
    _network(family)
    login(page, me.user)
    _dutch(page)
    page.goto(f"/families/{family.pk}/")
    svg = page.locator("figure.ecomap svg").inner_html()
    assert ",0" not in svg and ",5" not in svg
    lines = page.evaluate(SIZES, "figure.ecomap line.tie")
    assert len(lines) == 3 and all(w > 10 or h > 10 for w, h in lines)
    (hub_w, hub_h), = page.evaluate(SIZES, "figure.ecomap circle.hub")
    assert hub_w == pytest.approx(92) and hub_h == pytest.approx(92)


def test_score_chart_draws_in_dutch(page):
    me = ProfessionalFactory()
    family = family_with_team(coordinator=me)
    consent_for(family)
    _assessments(me, family)
    login(page, me.user)
    _dutch(page)
    page.goto(f"/assessments/family/{family.pk}/chart/")
    paths = page.evaluate(SIZES, "figure.score-chart path.pro-line")
    assert paths and all(w > 50 for w, _h in paths)
    points = page.evaluate(PLACES, "figure.score-chart circle.pro-pt")
    assert len(points) == 2
    (x1, y1), (x2, y2) = points
    assert x1 > 20 and x2 > x1 + 50 and y1 > y2 + 20  # left to right, the score went up
    grid = page.evaluate(PLACES, "figure.score-chart line.grid")
    assert len({round(y) for _x, y in grid}) == 5
