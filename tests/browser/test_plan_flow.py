"""A coordinator runs an assessment, drafts a plan with two goals, agrees it and reviews it."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.assessments.factories import life_domains
from tests.browser.conftest import axe_violations, login
from tests.factories import ProfessionalFactory, consent_for, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)
LEVELS = ["No overview", "Overview only", "Payment plan agreed", "Plan kept 2 months", "Debt-free"]


def _no_violations(page):
    violations = axe_violations(page)
    assert not violations, page.url + "\n" + "\n".join(violations)


def _goal(page, words, domain, person):
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Life domain").select_option(label=domain)
    page.get_by_label("The goal in the family's own words").fill(words)
    page.get_by_label(person).check()
    for label, text in zip(["-2: much less", "-1: less", "0: the expected", "+1: more", "+2: much more"],
                           LEVELS):
        page.get_by_label(label).fill(text)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(words).first).to_be_visible()


def test_assessment_plan_agreement_and_review_with_t_score(page):
    life_domains()
    me = ProfessionalFactory()
    family = family_with_team(coordinator=me, members=2, name="Jansen household")
    parent = family.memberships.order_by("person__date_of_birth").first().person
    consent_for(family)
    login(page, me.user)
    page.goto(f"/families/{family.pk}/")

    # Assessment: the family's and the professional's score side by side.
    page.get_by_role("link", name="New assessment").click()
    _no_violations(page)
    page.get_by_role("button", name="Start").click()
    _no_violations(page)
    page.get_by_role("link", name="Score Finances and debts").click()
    page.get_by_label("Professional's score").select_option("2")
    page.get_by_label("Family's own score").select_option("3")
    page.get_by_label("In the family's words").fill("The letters keep coming")
    _no_violations(page)
    page.get_by_role("button", name="Save scores").click()
    expect(page.get_by_role("cell", name="The letters keep coming")).to_be_visible()

    # A draft plan with two goals, agreed by the parent.
    page.goto(f"/plans/family/{family.pk}/")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_label("What we want to be different").fill("Calm at home, no more debt letters")
    page.get_by_role("button", name="Save vision").click()
    _goal(page, "We want our debts under control", "Finances and debts", parent.full_name)
    _goal(page, "A quiet bedroom for the kids", "Housing", parent.full_name)
    _no_violations(page)
    page.get_by_role("link", name="The family agrees").click()
    page.get_by_label(parent.full_name).check()
    page.get_by_label("How").select_option("meeting")
    page.get_by_label("Next review").fill((dt.date.today() + dt.timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Record agreement").click()
    expect(page.get_by_text("Version 1, agreed")).to_be_visible()
    _no_violations(page)

    # The review: both goals scored +1 → T = 50 + 10*2/sqrt(0.7*2 + 0.3*4) = 62.4
    page.get_by_role("link", name="Record a review").click()
    page.get_by_label("We want our debts under control").select_option("1")
    page.get_by_label("A quiet bedroom for the kids").select_option("1")
    page.get_by_label("What was decided").fill("Keep going; next step is the landlord")
    page.get_by_label("Next review").fill((dt.date.today() + dt.timedelta(days=90)).isoformat())
    _no_violations(page)
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("cell", name="62.4")).to_be_visible()

    page.goto(f"/families/{family.pk}/")
    expect(page.get_by_text("62.4")).to_be_visible()
    _no_violations(page)
