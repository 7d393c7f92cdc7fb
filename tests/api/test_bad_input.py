"""Out-of-range and malformed query values on every API list: a 400 problem, never a 500."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.conftest import assert_problem, bearer
from tests.factories import FamilyFactory

pytestmark = pytest.mark.django_db

LISTS = ["/organisations", "/families"]
HUGE = [2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1]
bad_numbers = st.one_of(
    st.sampled_from(HUGE).map(str),
    st.integers(max_value=-1).map(str),
    st.integers(min_value=2**63).map(str),
    st.text(min_size=1).filter(lambda s: not s.strip().isdigit()),
    st.sampled_from(["1e3", "0x10", "½", "١٢", "NaN", "inf", "1.5", " ", "\x00", "9" * 400]),
)
any_text = st.one_of(st.text(), st.sampled_from(["\x00", "a\x00b", "%", "_", "'; --", "🙂" * 60]))
checks = settings(max_examples=60, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def get(client, token_key):
    def call(path, **params):
        return client.get(f"/api/v1{path}", params, headers=bearer(token_key))
    return call


@checks
@given(path=st.sampled_from(LISTS), name=st.sampled_from(["limit", "offset"]), value=bad_numbers)
def test_malformed_or_out_of_range_limit_and_offset_are_400(get, path, name, value):
    response = get(path, **{name: value})
    body = assert_problem(response, 400)
    assert body["errors"][0]["field"] == name


@pytest.mark.parametrize("path", LISTS)
def test_offset_of_two_to_the_63_is_400_not_500(get, path):
    assert_problem(get(path, offset=str(2**63)), 400)


@pytest.mark.parametrize("path", LISTS)
def test_largest_allowed_offset_gives_an_empty_page(get, path):
    from oneplan.core.api import MAX_OFFSET

    response = get(path, offset=str(MAX_OFFSET))
    assert response.status_code == 200 and response.json()["items"] == []


@checks
@given(path=st.sampled_from(LISTS), name=st.sampled_from(["q", "status", "sector"]), value=any_text)
def test_any_text_in_a_filter_is_answered_never_a_server_error(get, path, name, value):
    response = get(path, **{name: value})
    if response.status_code != 200:
        assert_problem(response, 400)


@checks
@given(suffix=st.sampled_from(["persons", "team"]), value=any_text)
def test_any_include_former_value_is_answered_never_a_server_error(get, professional, suffix, value):
    family = FamilyFactory()
    response = get(f"/families/{family.pk}/{suffix}", include_former=value)
    assert response.status_code in (400, 404)
    assert response["Content-Type"] == "application/problem+json"


@checks
@given(path=st.sampled_from(["/families/{}", "/families/{}/persons", "/families/{}/team",
                             "/persons/{}", "/organisations/{}"]),
       value=st.one_of(st.integers(min_value=2**63), st.integers(max_value=0)))
def test_out_of_range_ids_are_400(get, path, value):
    response = get(path.format(value))
    if value < 0:  # "-1" does not match the URL's number pattern at all
        assert_problem(response, 404 if response.status_code == 404 else 400)
    else:
        assert_problem(response, 400)


@checks
@given(name=st.sampled_from(["page", "per_page"]), value=bad_numbers)
def test_hsds_paging_out_of_range_or_malformed_is_400(get_hsds, name, value):
    assert_problem(get_hsds(**{name: value}), 400)


@checks
@given(name=st.sampled_from(["search", "status"]), value=any_text)
def test_any_text_in_an_hsds_filter_is_answered_never_a_server_error(get_hsds, name, value):
    response = get_hsds(**{name: value})
    if response.status_code != 200:
        assert_problem(response, 400)


@pytest.fixture
def get_hsds(client, token_key):
    def call(**params):
        return client.get("/hsds/services", params, headers=bearer(token_key))
    return call
