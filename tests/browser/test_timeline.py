"""On a phone, a parent reads who looked at the family's file and pages back to its start."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from oneplan.access import services as access_services
from oneplan.accounts.models import User
from oneplan.portal.models import FamilyAccount
from tests.browser.conftest import axe_violations, login
from tests.factories import UserFactory, family_with_team
from tests.portal.test_timeline import REASON, _professional, _reads, clock

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_on_a_phone_reads_the_timeline_back_to_the_start(phone_page, monkeypatch):
    from oneplan.portal import timeline

    monkeypatch.setattr(timeline, "PAGE_EVENTS", 6)
    page = phone_page
    eva = _professional("Eva", "Lammers", "Youth Protection")
    family = family_with_team(coordinator=eva, members=2)
    user = UserFactory(username="mum-timeline", kind=User.Kind.FAMILY)
    FamilyAccount.objects.create(user=user, person=family.memberships.get(relation="parent").person)
    intruder = _professional("Bram", "Visser", "Police")
    officer = _professional("Olga", "Smit", "Municipality", roles=["privacy_officer"])
    with clock(dt.datetime(2025, 11, 2, 3, 0)):
        grant = access_services.break_glass_open(actor=intruder, reference=family.reference, reason=REASON)
    with clock(dt.datetime(2025, 11, 3, 9, 0)):
        access_services.grant_review(actor=officer, grant_id=grant.pk, justified=True)
    for day in range(4, 20):
        with clock(dt.datetime(2025, 11, day, 10, 0)):
            _reads(eva, family, 2)

    login(page, user)
    page.get_by_role("link", name="Earlier").click()
    expect(page.get_by_role("heading", level=1, name="Who looked at our file")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not axe_violations(page)
    while page.get_by_role("link", name="Earlier").count():
        page.get_by_role("link", name="Earlier").click()
    expect(page.get_by_text("This is where your file starts.")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Sunday 2 November 2025")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Bram Visser, Police, opened your file in an emergency")
           ).to_contain_text("Emergency access")
    expect(page.get_by_role("listitem").filter(has_text="Olga Smit, Municipality")).to_contain_text(
        "Review work")
    assert not axe_violations(page)
