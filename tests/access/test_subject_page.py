"""The subject access export a family can read (HTML) next to the machine export (JSON)."""
import re

import pytest

from oneplan.access.subject import sections, subject_export
from oneplan.access.subject_page import PAGE, unfilled, unlabelled
from tests.access.subject_scene import subject_scene

pytestmark = pytest.mark.django_db

# The JSON's keys per section: the machine shape other systems read.
JSON_KEYS = {
    "Households": ["family", "family_name", "relation", "from", "until"],
    "Notes about this person": ["date", "author", "organisation", "category", "visibility", "text"],
    "Consents": ["family", "about_this_person", "given_by_this_person", "family_wide", "organisation",
                 "categories", "purpose", "from", "until", "withdrawn"],
    "Goals": ["family", "plan_version", "domain", "in_own_words", "status"],
    "Plan agreements": ["family", "version", "agreed_on", "how"],
    "Actions": ["family", "what", "due", "status"],
    "Assessment scores": ["family", "date", "instrument", "domain", "professional_score", "family_score",
                          "in_own_words", "strengths", "concerns", "safety_concern"],
    "Referrals": ["family", "number", "service", "organisation", "status", "sent", "shared", "question"],
    "Who accessed this person's file": ["when", "who", "organisation", "action", "category", "outcome"],
}


@pytest.fixture
def world():
    return subject_scene()


def _json(client, world, person):
    client.force_login(world.officer.user)
    return client.get(f"/access/subjects/{person.pk}/export.json").json()


def _html(client, world, person, language="en"):
    """The response and its <main> (the export itself, without the site's header)."""
    client.force_login(world.officer.user)
    response = client.get(f"/access/subjects/{person.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response, re.search(r"<main.*</main>", response.content.decode(), re.DOTALL).group(0)


def _rows(export, title):
    return next(s["rows"] for s in export["sections"] if s["title"] == title)


def test_json_keeps_its_machine_shape(client, world):
    export = _json(client, world, world.parent)
    assert list(export["person"]) == ["given_name", "family_name", "date_of_birth", "national_id", "phone",
                                      "email", "registered"]
    assert export["person"]["date_of_birth"] == "1985-01-01"
    for title, keys in JSON_KEYS.items():
        assert _rows(export, title), title
        assert all(list(row) == keys for row in _rows(export, title)), title
    [action] = _rows(export, "Actions")
    assert action["status"] == "open" and action["due"] == "2026-03-05"
    assert _rows(export, "Notes about this person")[0]["category"] == "finance"
    assert {tuple(c["categories"]) for c in _rows(export, "Consents")} >= {("identity", "finance")}
    assert _rows(export, "Referrals")[0]["shared"] == "identity, finance"
    assert _rows(export, "Assessment scores")[0]["domain"] == "income_work"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+\+00:00", e["when"])
               for e in _rows(export, "Who accessed this person's file"))


def test_json_lists_the_family_wide_consent_that_covers_a_young_child(client, world):
    rows = _rows(_json(client, world, world.toddler), "Consents")
    mine = [r for r in rows if r["from"] == "2026-03-05"]
    assert len(mine) == 1
    assert mine[0]["family_wide"] is True and mine[0]["about_this_person"] is False
    assert mine[0]["given_by_this_person"] is False and mine[0]["organisation"] == "whole care team"


def test_json_leaves_out_consents_that_cover_someone_else(client, world):
    """The teenager's own consent and the partner's family-wide one do not cover the parent."""
    rows = _rows(_json(client, world, world.parent), "Consents")
    assert rows and not [r for r in rows if set(r["categories"]) <= {"health", "safety"}]


def test_json_lists_every_family_wide_consent_for_the_young_child(client, world):
    rows = _rows(_json(client, world, world.toddler), "Consents")
    assert ["safety"] in [r["categories"] for r in rows]
    assert ["health"] not in [r["categories"] for r in rows]


def test_json_lists_the_teenagers_own_consent_for_the_teenager(client, world):
    rows = _rows(_json(client, world, world.teenager), "Consents")
    assert [r["categories"] for r in rows if r["about_this_person"]] == [["health"]]


def test_every_exported_value_has_a_label_on_the_page(world):
    for person in (world.parent, world.toddler):
        export = subject_export(actor=world.officer, person_id=person.pk)
        assert unlabelled(export) == set()
        assert unfilled(export) == set()
    assert {title for title, _, _ in sections()} == set(PAGE)


def test_page_shows_words_not_field_names_or_codes(client, world):
    export = subject_export(actor=world.officer, person_id=world.parent.pk)
    _, page = _html(client, world, world.parent)
    keys = set(export["person"]) | {key for s in export["sections"] for row in s["rows"] for key in row}
    for key in keys:
        assert f">{key}<" not in page and f'"{key}"' not in page, key
        if "_" in key:
            assert key not in page, key
    assert "<dt>Date of birth</dt><dd>Jan. 1, 1985</dd>" in page
    assert "<dt>Kind of information</dt><dd>Finance</dd>" in page
    assert '<td data-label="Status">Open</td>' in page
    assert "<dt>Life area</dt><dd>Income and work / daytime activity</dd>" in page
    assert "<dt>Worry about safety</dt><dd>No</dd>" in page
    assert "<dt>Given by you</dt><dd>Yes</dd>" in page
    assert "<dt>Your score</dt><dd>3 out of 5</dd>" in page
    assert "income_work" not in page and ">finance<" not in page and ">open<" not in page


def test_page_names_professionals_with_their_organisation(client, world):
    _, page = _html(client, world, world.parent)
    who = f"{world.coordinator.name} ({world.coordinator.organisations.first().name})"
    assert f"<dt>Written by</dt><dd>{who}</dd>" in page
    assert f'<td data-label="Who">{who}</td>' in page


def test_page_has_plain_headings(client, world):
    _, page = _html(client, world, world.parent)
    for heading in ("About you", "Your household", "What you agreed to share", "Your plan and goals",
                    "Referrals", "Who looked at your file"):
        assert re.search(rf"<h2 id=\"[\w-]+\">{heading}[ <]", page), heading


def test_page_in_dutch_uses_dutch_dates_and_ja_nee(client, world):
    _, page = _html(client, world, world.parent, language="nl")
    assert "<dt>Geboortedatum</dt><dd>1 januari 1985</dd>" in page
    assert "<dt>Door u gegeven</dt><dd>Ja</dd>" in page
    assert "<dt>Zorgen over veiligheid</dt><dd>Nee</dd>" in page
    assert "<dt>Geldig vanaf</dt><dd>5 maart 2026</dd>" in page
    assert "<dt>Soort informatie</dt><dd>Financiën</dd>" in page
    assert "Wie uw dossier heeft bekeken" in page and "Waar u toestemming voor gaf" in page
    assert "Jan." not in page and ">Yes<" not in page


def test_page_lists_the_family_wide_consent_for_the_young_child(client, world):
    _, page = _html(client, world, world.toddler)
    consents = page[page.index("What you agreed to share"):page.index("Your plan and goals")]
    assert "<dt>About</dt><dd>The whole family</dd>" in consents
    assert "<dt>Valid from</dt><dd>March 5, 2026</dd>" in consents
    assert "<dt>Shared with</dt><dd>everyone in the care team</dd>" in consents


def test_page_does_not_list_a_consent_about_someone_else(client, world):
    _, page = _html(client, world, world.parent)
    consents = page[page.index("What you agreed to share"):page.index("Your plan and goals")]
    assert "<dt>Information</dt><dd>Health</dd>" not in consents
    assert "<dt>Information</dt><dd>Safety</dd>" not in consents


def test_page_keeps_to_the_content_security_policy(client, world):
    response, _ = _html(client, world, world.parent)
    page = response.content.decode()
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert "style=" not in page and "<style" not in page and "<script>" not in page
