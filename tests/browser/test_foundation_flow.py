"""A professional logs in, opens the caseload, registers a family and adds a team member."""
import pytest
from playwright.sync_api import expect

from oneplan.families.models import Family
from tests.browser.conftest import login
from tests.factories import ProfessionalFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_family_and_add_team_member(page):
    me = ProfessionalFactory(user=UserFactory(username="sanne", first_name="Sanne", last_name="de Wit"))
    colleague = ProfessionalFactory(user=UserFactory(first_name="Hans", last_name="Timmer"),
                                    discipline="Debt counsellor")
    login(page, me.user)
    expect(page.get_by_role("heading", name="My caseload")).to_be_visible()

    page.get_by_role("link", name="Register a family").click()
    page.get_by_label("Family name").first.fill("Jansen household")
    page.get_by_role("group", name="Person 1").get_by_label("Given name").fill("Ayşe")
    page.get_by_role("group", name="Person 1").get_by_label("Family name").fill("Jansen")
    page.get_by_role("group", name="Person 1").get_by_label("Date of birth").fill("1988-03-02")
    page.get_by_role("group", name="Person 1").get_by_label("Relation").select_option("parent")
    page.get_by_role("group", name="Person 2").get_by_label("Given name").fill("Mila")
    page.get_by_role("group", name="Person 2").get_by_label("Family name").fill("Jansen")
    page.get_by_role("group", name="Person 2").get_by_label("Date of birth").fill("2015-06-30")
    page.get_by_role("group", name="Person 2").get_by_label("Relation").select_option("child")
    page.get_by_role("button", name="Register family").click()

    expect(page.get_by_role("heading", name="Jansen household")).to_be_visible()
    expect(page.get_by_role("cell", name="Mila Jansen", exact=True)).to_be_visible()

    page.get_by_role("link", name="Add team member").click()
    page.get_by_role("combobox", name="Professional", exact=True).select_option(label=f"Hans Timmer — Debt counsellor, "
                                                          f"{colleague.organisations.first().name}")
    page.get_by_label("Role in the team").select_option("member")
    page.get_by_label("Focus").select_option("parents")
    page.get_by_label("Responsibilities").fill("Debt settlement with the creditors")
    page.get_by_role("button", name="Add to team").click()

    expect(page.get_by_role("heading", name="Hans Timmer")).to_be_visible()
    expect(page.get_by_text("Debt settlement with the creditors")).to_be_visible()
    assert Family.objects.get().team.count() == 2


def test_register_shows_field_errors_in_the_page(page):
    me = ProfessionalFactory()
    login(page, me.user)
    page.goto("/families/new/")
    page.get_by_label("Family name").first.fill("Empty household")
    page.get_by_role("group", name="Person 1").get_by_label("Given name").fill("Kees")
    page.get_by_role("button", name="Register family").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    assert not Family.objects.exists()


def test_family_can_be_registered_without_javascript(browser, live_server):
    me = ProfessionalFactory()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    login(page, me.user)
    page.goto("/families/new/")
    page.get_by_label("Family name").first.fill("No-JS household")
    group = page.get_by_role("group", name="Person 1")
    group.get_by_label("Given name").fill("Jan")
    group.get_by_label("Family name").fill("Smit")
    group.get_by_label("Date of birth").fill("1980-01-01")
    group.get_by_label("Relation").select_option("parent")
    page.get_by_role("button", name="Register family").click()
    expect(page.get_by_role("heading", name="No-JS household")).to_be_visible()
    context.close()


def test_caseload_filters_as_you_type(page):
    from tests.factories import family_with_team

    me = ProfessionalFactory()
    family_with_team(coordinator=me, name="Öztürk household")
    family_with_team(coordinator=me, name="Visser household")
    login(page, me.user)
    page.get_by_label("Name or reference").fill("Öztürk")
    expect(page.get_by_role("link", name="Visser household")).to_have_count(0)
    expect(page.get_by_role("link", name="Öztürk household")).to_be_visible()
    assert "q=" in page.url  # the filter is in the address, so it can be shared and reloaded
