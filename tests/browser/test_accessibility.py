"""axe-core finds no WCAG 2.2 AA violations on the key pages, on a desktop and on a phone."""
import json

import pytest

from oneplan.audit import proofs
from oneplan.audit.services import checkpoint, record, seal
from tests.browser.conftest import axe_violations, login
from tests.factories import NetworkMemberFactory, ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def family_data():
    me = ProfessionalFactory(roles=["practitioner", "coordinator", "privacy_officer"])
    family = family_with_team(coordinator=me, members=3)
    for strength in ("strong", "weak", "stressful"):
        NetworkMemberFactory(family=family, strength=strength, load=4)
    return me, family


def _check(page, url):
    page.goto(url)
    violations = axe_violations(page)
    assert not violations, f"{url}:\n" + "\n".join(violations)


def test_login_page_has_no_violations(page, phone_page):
    _check(page, "/login/")
    _check(phone_page, "/login/")


@pytest.mark.parametrize("which", ["desktop", "phone"])
def test_professional_pages_have_no_violations(request, family_data, which):
    page = request.getfixturevalue("page" if which == "desktop" else "phone_page")
    me, family = family_data
    login(page, me.user)
    for url in ("/families/", f"/families/{family.pk}/", "/families/new/",
                f"/families/{family.pk}/team/add/", f"/families/{family.pk}/network/add/",
                f"/access/family/{family.pk}/consents/new/", f"/families/{family.pk}/notes/add/",
                "/access/emergency/", "/access/reviews/", "/audit/", "/access/subjects/", "/account/two-step/",
                "/inbox/", "/signals/"):
        _check(page, url)


@pytest.mark.parametrize("which", ["desktop", "phone"])
def test_possible_match_pages_have_no_violations(request, which):
    import datetime as dt

    from oneplan.signals.services import signal_register

    page = request.getfixturevalue("page" if which == "desktop" else "phone_page")
    me, other = ProfessionalFactory(), ProfessionalFactory()
    dob = dt.date(1986, 4, 12)
    signal_register(actor=other, given_name="Anna", family_name="Jansen", date_of_birth=dob)
    [match] = signal_register(actor=me, given_name="Anna", family_name="Bakker",
                              date_of_birth=dob).possible_matches
    login(page, me.user)
    for url in ("/signals/", f"/signals/matches/{match.pk}/"):
        _check(page, url)


@pytest.mark.parametrize("which", ["desktop", "phone"])
def test_audit_proof_pages_have_no_violations(request, tmp_path, which):
    """The audit log with its proof links, the proof check, and its answer."""
    page = request.getfixturevalue("page" if which == "desktop" else "phone_page")
    officer = ProfessionalFactory(roles=["privacy_officer"])
    event = record(None, "test.event", reason="checked")
    seal()
    checkpoint(force=True)
    proof = tmp_path / "proof.json"
    proof.write_text(json.dumps(proofs.build(event.id)))
    login(page, officer.user)
    _check(page, "/audit/")
    _check(page, "/audit/check-proof/")
    page.get_by_label("Proof file").set_input_files(str(proof))
    page.get_by_role("button", name="Check").click()
    page.get_by_text("This proof is valid.").wait_for()
    assert not axe_violations(page)
