"""Closed loop in the browser: a coordinator finds a service, records the family's consent and
sends a referral; the receiving organisation confirms, accepts, holds the warm handoff, and the
new professional is on the care team. axe-core checks every page on the way."""
import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from oneplan.accounts.models import Sector
from tests.browser.conftest import axe_violations, login
from tests.directory.factories import ServiceFactory, add_contact
from tests.factories import OrganisationFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)


def _no_violations(page):
    violations = axe_violations(page)
    assert not violations, page.url + "\n" + "\n".join(violations)


def test_search_refer_accept_warm_handoff_and_new_team_member(page):
    coordinator = ProfessionalFactory()
    family = family_with_team(coordinator=coordinator, members=2, name="Jansen household")
    parent = family.memberships.get(relation="parent").person
    bank = OrganisationFactory(name="Schuldhulp Stadsbank", sector=Sector.DEBT_COUNSELLING)
    counsellor = ProfessionalFactory(organisations=[bank], discipline="Debt counsellor",
                                     user__first_name="Hans", user__last_name="Timmer")
    service = ServiceFactory(organisation=bank, name="Schuldhulpverlening", domains=["finances_debts"],
                             minimum_age=18, languages=["nl", "ar"],
                             wait_updated_on=timezone.localdate() - dt.timedelta(days=40))
    add_contact(service, counsellor)
    ServiceFactory(name="Opvoedondersteuning", domains=["parenting"])

    # The coordinator looks for a debt service from the family file.
    login(page, coordinator.user)
    page.goto(f"/families/{family.pk}/")
    page.get_by_role("link", name="Refer to a service").click()
    page.get_by_label("Need (life domain)").select_option(label="Finances and debts")
    page.get_by_label("Language").select_option(label="Arabic")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Schuldhulpverlening", exact=True)).to_be_visible()
    expect(page.get_by_text("Opvoedondersteuning")).to_have_count(0)
    expect(page.get_by_text("not updated for 40 days")).to_be_visible()
    _no_violations(page)
    page.get_by_role("link", name="Refer to Schuldhulpverlening").click()

    # The referral: who, needs, question, what is shared.
    _no_violations(page)
    page.get_by_label(f"{parent.full_name} (Parent)").check()
    page.get_by_label("Urgency").select_option(label="Soon (within two weeks)")
    page.get_by_label("What do you ask the service?").fill("An overview of the debts and a payment plan.")
    page.get_by_label("Finance", exact=True).check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("This referral cannot be sent yet")).to_be_visible()
    expect(page.get_by_text(f"No consent to share finance information about {parent.full_name} "
                            "with Schuldhulp Stadsbank.")).to_be_visible()
    _no_violations(page)

    # The family agrees; the consent form comes back to the referral.
    page.get_by_role("link", name="Record the family's consent for this referral").click()
    page.get_by_label(parent.full_name).check()
    _no_violations(page)
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("The family's consent covers everything this referral shares.")).to_be_visible()
    page.get_by_role("button", name="Send referral").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()
    page.get_by_role("button", name="Log out").click()

    # The debt counsellor works it from the organisation's queue.
    login(page, counsellor.user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Referrals").click()
    _no_violations(page)
    page.get_by_role("link", name=re.compile(r"^R-\d+$")).click()
    expect(page.get_by_text("An overview of the debts and a payment plan.")).to_be_visible()
    # What is shared is what the counsellor sees: finance is shared, nothing is recorded there yet.
    expect(page.get_by_text("Finance: nothing recorded yet.")).to_be_visible()
    expect(page.get_by_text("Only who is referred and the question.")).to_have_count(0)
    page.get_by_role("button", name="Confirm receipt").click()
    expect(page.get_by_text("is now: received")).to_be_visible()
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("is now: accepted")).to_be_visible()
    _no_violations(page)
    when = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0)
    # The handoff form proposes who accepted, and responsibilities the family can read.
    expect(page.get_by_label("Receiving professional")).to_have_value(str(counsellor.pk))
    expect(page.get_by_label("Responsibilities in the team")).to_have_value(
        "Schuldhulpverlening (Schuldhulp Stadsbank): finances and debts")
    page.get_by_label("When").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Where").fill("At the family's home")
    page.get_by_role("button", name="Plan handoff").click()
    expect(page.get_by_text("Warm handoff planned.")).to_be_visible()
    page.get_by_role("button", name="Handoff held").click()
    expect(page.get_by_text("Hans Timmer is now on the care team")).to_be_visible()
    _no_violations(page)

    # Now on the team, the counsellor opens the family file and sees themselves in it.
    page.goto(f"/families/{family.pk}/")
    team = page.get_by_role("region", name="Care team")
    expect(team.get_by_role("heading", name="Hans Timmer")).to_be_visible()
    expect(team.get_by_text("Schuldhulpverlening (Schuldhulp Stadsbank): finances and debts")
           ).to_be_visible()
    expect(team.get_by_text("An overview of the debts")).to_have_count(0)
    referrals = page.get_by_role("region", name="Referrals")
    expect(referrals.get_by_text("Accepted")).to_be_visible()
    expect(referrals.get_by_text(f"held on {timezone.localdate():%-d %b %Y}")).to_be_visible()
    _no_violations(page)
    page.goto("/inbox/")
    _no_violations(page)
    page.get_by_role("button", name="Log out").click()

    # The coordinator heard of every step without asking.
    login(page, coordinator.user)
    page.goto("/inbox/")
    expect(page.get_by_text("Hans Timmer joined the team of")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^R-\d+: Accepted$"))).to_be_visible()


@pytest.mark.parametrize("which", ["desktop", "phone"])
def test_directory_referral_and_inbox_pages_have_no_violations(request, which):
    from tests.referrals.factories import scene

    page = request.getfixturevalue("page" if which == "desktop" else "phone_page")
    s = scene()
    s.receiver.roles = ["practitioner", "org_admin"]
    s.receiver.save()
    referral = s.sent()
    draft = s.create(service_id=ServiceFactory(organisation=s.organisation).pk)
    login(page, s.referrer.user)
    for url in ("/directory/", f"/directory/?family={s.family.pk}&domain=finances_debts",
                f"/directory/services/{s.service.pk}/", f"/referrals/family/{s.family.pk}/new/?service={s.service.pk}",
                f"/referrals/{draft.pk}/", f"/referrals/{referral.pk}/", "/referrals/sent/"):
        page.goto(url)
        violations = axe_violations(page)
        assert not violations, f"{url}:\n" + "\n".join(violations)
    page.get_by_role("button", name="Log out").click()
    login(page, s.receiver.user)
    for url in ("/referrals/", f"/referrals/{referral.pk}/", f"/directory/services/{s.service.pk}/edit/",
                f"/directory/organisations/{s.organisation.pk}/services/new/", "/inbox/"):
        page.goto(url)
        violations = axe_violations(page)
        assert not violations, f"{url}:\n" + "\n".join(violations)
