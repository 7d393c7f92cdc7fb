"""Words that are data or shared pages also read in Dutch: instruments, disciplines, errors."""
import pytest
from django.utils import translation

from oneplan.assessments.loader import parse
from oneplan.core.errors import InvalidInput
from tests.assessments.factories import life_domains
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


def test_an_instrument_reads_in_the_readers_language():
    instrument = life_domains()
    with translation.override("nl"):
        assert instrument.title == "Leefgebieden van het gezin"
        domain = instrument.domain("finances_debts")
        assert domain["name"] == "Financiën en schulden"
        assert all(domain["levels"][str(n)] for n in range(1, 6))
        assert domain["levels"]["1"] != instrument.definition["domains"][0]["levels"]["1"]
    with translation.override("en"):
        assert instrument.domain("finances_debts")["name"] == "Finances and debts"


def test_every_shipped_domain_has_dutch_texts():
    from oneplan.assessments.loader import DEFAULTS

    for path in DEFAULTS.glob("*.yaml"):
        data = parse(path.read_text(), source=path.name)
        dutch = data["translations"]["nl"]["domains"]
        assert set(dutch) == {d["key"] for d in data["domains"]}, path.name
        assert all(len(d["levels"]) == 5 and d["name"] for d in dutch.values()), path.name


def test_a_translation_of_an_unknown_domain_is_refused():
    text = """key: x\nname: X\ndomains:\n  - {key: a, name: A, levels: {1: a, 2: b, 3: c, 4: d, 5: e}}
translations:\n  nl: {name: X, domains: {b: {name: B}}}\n"""
    with pytest.raises(InvalidInput, match="domain 'b' is not in the instrument"):
        parse(text, source="x.yaml")


def test_a_known_discipline_reads_in_dutch_and_another_as_written():
    known, own = ProfessionalFactory(discipline="Debt counsellor"), ProfessionalFactory(discipline="Buurtvader")
    with translation.override("nl"):
        assert known.discipline_label == "Schuldhulpverlener"
        assert own.discipline_label == "Buurtvader"


def test_the_not_found_page_is_dutch_for_a_dutch_reader(client):
    page = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Deze pagina bestaat niet" in page
