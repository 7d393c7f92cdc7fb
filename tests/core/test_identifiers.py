import pytest
from hypothesis import given
from hypothesis import strategies as st

from oneplan.core import crypto
from oneplan.core.errors import InvalidInput
from oneplan.core.national_id import _bsn_valid, normalise_national_id

bsn_bodies = st.lists(st.integers(0, 9), min_size=8, max_size=8)


def _complete(body):
    total = sum(d * w for d, w in zip(body, range(9, 1, -1)))
    return None if total % 11 == 10 else "".join(map(str, body + [total % 11]))


@given(bsn_bodies)
def test_numbers_passing_the_11_test_are_accepted(body):
    bsn = _complete(body)
    if bsn and bsn != "000000000":
        assert normalise_national_id(bsn, country="NL") == bsn


@given(bsn_bodies, st.integers(0, 8), st.integers(1, 9))
def test_a_single_changed_digit_is_refused(body, position, delta):
    bsn = _complete(body)
    if not bsn:
        return
    digits = list(map(int, bsn))
    digits[position] = (digits[position] + delta) % 10
    assert not _bsn_valid("".join(map(str, digits)))


def test_spaces_and_dots_are_ignored():
    assert normalise_national_id("1112.22 333", country="NL") == "111222333"


@pytest.mark.parametrize("value", ["", "abc", "123456789", "12"])
def test_invalid_bsn_gets_a_readable_error(value):
    with pytest.raises(InvalidInput):
        normalise_national_id(value, country="NL")


def test_encryption_round_trips_and_hides_the_value():
    token = crypto.encrypt("111222333")
    assert "111222333" not in token and crypto.decrypt(token) == "111222333"


def test_keyed_hash_depends_on_purpose_and_key(settings):
    a = crypto.keyed_hash("111222333", purpose="national_id")
    assert a != crypto.keyed_hash("111222333", purpose="signal")
    settings.INDEX_HASH_KEY = "another key"
    assert a != crypto.keyed_hash("111222333", purpose="national_id")


@pytest.mark.parametrize("a,b", [("José  de la Cruz", "jose de la cruz"), ("Öztürk", "OZTURK"),
                                 ("El-Amrani", "el amrani")])
def test_name_normalisation_ignores_case_accents_and_spacing(a, b):
    assert crypto.normalise_name(a) == crypto.normalise_name(b)


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    assert client.get("/healthz").json()["status"] == "ok"
