"""On a phone, a parent accepts the invitation and reads the family's plan and team."""
import pytest
from playwright.sync_api import expect

from oneplan.portal import services
from tests.browser.conftest import axe_violations
from tests.factories import ProfessionalFactory, family_with_team
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_accepts_invitation_and_reads_the_plan_on_a_phone(phone_page):
    page = phone_page
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator, members=2, name="Jansen household")
    agreed_plan(coordinator, family, vision="Calm at home and no more debt letters")
    parent = family.memberships.get(relation="parent").person
    _, token = services.invitation_create(actor=coordinator, family_id=family.pk, person_id=parent.pk)

    page.goto(f"/portal/invite/{token}/")
    assert not axe_violations(page)
    page.get_by_label("Choose a user name").fill("mum-jansen")
    page.get_by_label("Choose a password").fill("a-long-family-password")
    page.get_by_label("The same password again").fill("a-long-family-password")
    page.get_by_role("button", name="Make my account").click()

    expect(page.get_by_role("heading", name="Our plan")).to_be_visible()
    expect(page.get_by_text("Calm at home and no more debt letters")).to_be_visible()
    expect(page.get_by_text("Your coordinator")).to_be_visible()
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
