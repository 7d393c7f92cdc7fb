"""Study exports in a real browser: the analyst asks, the privacy officer approves; axe on each
page, in English and Dutch, on a phone too."""
import pytest

from oneplan.studies.models import Study
from tests.browser.conftest import axe_violations, login
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_asking_for_a_study_and_approving_it(phone_page, browser, live_server, language):
    family_with_team()
    analyst = ProfessionalFactory(roles=["analyst"])
    officer = ProfessionalFactory(roles=["privacy_officer"])
    page = phone_page
    login(page, analyst.user)
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.goto("/studies/")
    assert axe_violations(page) == []
    page.locator("input[name=title]").fill("First thousand days")
    page.locator("textarea[name=purpose]").fill("Do young families reach help sooner?")
    page.locator("input[name=period_start]").fill("2026-01-01")
    page.locator("input[name=period_end]").fill("2026-12-31")
    page.locator("input[name=fields][value=intensity]").check()
    page.locator("input[name=recipient]").fill("GGD research unit")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    study = Study.objects.get()
    context = browser.new_context(base_url=live_server.url)
    desk = context.new_page()
    desk.set_default_timeout(10_000)
    login(desk, officer.user)
    context.set_extra_http_headers({"Accept-Language": language})
    desk.goto(f"/studies/{study.pk}/")
    assert axe_violations(desk) == []
    desk.locator("input[name=decision][value=approve]").check()
    desk.locator("main form button[type=submit]").first.click()
    desk.wait_for_load_state("load")
    study.refresh_from_db()
    assert study.status == "approved"
    assert axe_violations(desk) == []
    context.close()
