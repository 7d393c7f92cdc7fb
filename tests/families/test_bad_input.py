"""Search boxes on family pages answer any text, never a server error."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import family_with_team

pytestmark = pytest.mark.django_db

any_text = st.one_of(st.text(), st.sampled_from(["\x00", "a\x00b", "%", "_", "🙂" * 60]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=any_text, page=st.one_of(st.text(), st.integers().map(str)))
def test_caseload_search_and_page_never_fail(logged_in, query, page):
    assert logged_in.get("/families/", {"q": query, "page": page}).status_code == 200


def test_a_nul_in_the_team_search_is_ignored(logged_in, professional):
    family = family_with_team(coordinator=professional)
    response = logged_in.get(f"/families/{family.pk}/team/add/", {"q": "a\x00b"})
    assert response.status_code == 200
