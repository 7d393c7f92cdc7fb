"""The subject access export in a browser: readable in English and Dutch, on a phone and on paper.

Screenshots go to /tmp/sar-*.png, to look at when the page changes."""
import pytest

from tests.access.subject_scene import subject_scene
from tests.browser.conftest import axe_violations, login

pytestmark = pytest.mark.django_db(transaction=True)


def _open(page, world):
    login(page, world.officer.user)
    page.goto(f"/access/subjects/{world.parent.pk}/")


def _fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_export_reads_in_english_and_dutch_without_violations(page):
    world = subject_scene()
    _open(page, world)
    assert page.get_by_role("heading", name="Who looked at your file").is_visible()
    assert page.get_by_role("definition").filter(has_text="Jan. 1, 1985").count() == 1
    assert not axe_violations(page)
    page.screenshot(path="/tmp/sar-en.png", full_page=True)
    page.get_by_role("button", name="Nederlands").click()
    assert page.get_by_role("heading", name="Wie uw dossier heeft bekeken").is_visible()
    assert page.get_by_role("definition").filter(has_text="1 januari 1985").count() == 1
    assert not axe_violations(page)
    page.screenshot(path="/tmp/sar-nl.png", full_page=True)


def test_export_fits_a_phone(phone_page):
    world = subject_scene()
    _open(phone_page, world)
    assert phone_page.get_by_role("heading", name="What you agreed to share").is_visible()
    assert _fits_the_width(phone_page)
    assert not axe_violations(phone_page)
    phone_page.screenshot(path="/tmp/sar-phone.png", full_page=True)


def test_export_prints_without_navigation_or_forms(page):
    world = subject_scene()
    _open(page, world)
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("button", name="Erase this person's data").is_visible()
    assert not page.get_by_role("link", name="Download as JSON").is_visible()
    assert page.get_by_role("heading", name="Who looked at your file").is_visible()
    colours = page.evaluate("""() => [getComputedStyle(document.body).color,
        getComputedStyle(document.body).backgroundColor,
        getComputedStyle(document.querySelector('.sar-break')).breakBefore]""")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "page"]
    page.set_viewport_size({"width": 700, "height": 1000})  # about the width of A4 inside its margins
    assert _fits_the_width(page)
    page.screenshot(path="/tmp/sar-print.png", full_page=True)
    page.pdf(path="/tmp/sar-print.pdf", format="A4")
