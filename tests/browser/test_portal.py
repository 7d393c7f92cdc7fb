"""On a phone, a parent accepts the invitation, reads the plan, withdraws a consent and gives
feedback; the professional then finds the section hidden."""
import pytest
from playwright.sync_api import expect

from oneplan.assessments import services as assessment_services
from oneplan.portal import services
from tests.assessments.factories import life_domains
from tests.browser.conftest import axe_violations, login
from tests.factories import ProfessionalFactory, consent_for, family_with_team
from tests.plans.factories import agreed_plan

pytestmark = pytest.mark.django_db(transaction=True)


def _no_violations(page):
    violations = axe_violations(page)
    assert not violations, page.url + "\n" + "\n".join(violations)


def test_parent_on_a_phone_reads_plan_withdraws_consent_gives_feedback(browser, live_server, phone_page):
    page = phone_page
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator, members=2, name="Jansen household")
    parent = family.memberships.get(relation="parent").person
    consent_for(family, categories=["health"])
    agreed_plan(coordinator, family, vision="Calm at home and no more debt letters")
    assessment = assessment_services.assessment_start(actor=coordinator, family_id=family.pk,
                                                      instrument_id=life_domains().pk)
    assessment_services.score_set(actor=coordinator, assessment_id=assessment.pk,
                                  domain_key="mental_health", person_id=parent.pk, professional_score=2)
    _, token = services.invitation_create(actor=coordinator, family_id=family.pk, person_id=parent.pk)

    page.goto(f"/portal/invite/{token}/")
    _no_violations(page)
    page.get_by_label("Choose a user name").fill("mum-jansen")
    page.get_by_label("Choose a password").fill("a-long-family-password")
    page.get_by_label("The same password again").fill("a-long-family-password")
    page.get_by_role("button", name="Make my account").click()

    expect(page.get_by_role("heading", name="Our plan")).to_be_visible()
    expect(page.get_by_text("Calm at home and no more debt letters")).to_be_visible()
    _no_violations(page)
    page.get_by_role("link", name="Withdraw: Health").click()
    expect(page.get_by_role("heading", name="Withdraw consent?")).to_be_visible()
    _no_violations(page)
    page.get_by_role("button", name="Yes, withdraw").click()
    expect(page.get_by_text("From now on your team can no longer see this.")).to_be_visible()
    page.get_by_label("How did it go?").select_option("4")
    page.get_by_label("Your comment").fill("Sanne really listens to us")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Your coordinator will read it.")).to_be_visible()
    _no_violations(page)

    context = browser.new_context(base_url=live_server.url)
    professional_page = context.new_page()
    login(professional_page, coordinator.user)
    professional_page.goto(f"/assessments/{assessment.pk}/")
    expect(professional_page.get_by_text("is withheld", exact=False).first).to_be_visible()
    professional_page.goto(f"/families/{family.pk}/")
    expect(professional_page.get_by_text("Sanne really listens to us")).to_be_visible()
    context.close()


def test_other_portal_pages_have_no_violations(phone_page):
    from oneplan.families.models import Membership

    page = phone_page
    coordinator = ProfessionalFactory()
    first = family_with_team(coordinator=coordinator, members=1)
    second = family_with_team(coordinator=coordinator, members=0)
    parent = first.memberships.get().person
    Membership.objects.create(family=second, person=parent, relation="parent")
    _, token = services.invitation_create(actor=coordinator, family_id=first.pk, person_id=parent.pk)
    services.invitation_accept(token=token, username="dad", password="a-long-family-password")
    page.goto("/portal/invite/not-a-real-token/")
    _no_violations(page)
    page.goto("/login/")
    page.get_by_label("Username").fill("dad")
    page.get_by_label("Password").fill("a-long-family-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My family")).to_be_visible()
    _no_violations(page)
    page.goto("/account/two-step/")
    _no_violations(page)
