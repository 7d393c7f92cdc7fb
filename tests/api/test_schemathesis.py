"""schemathesis drives the whole API in-process (WSGI) from its OpenAPI document, one test per
operation, with every built-in check: status codes, headers, content types and bodies as
documented, problem JSON on errors, no 500s. A professional with data calls it: on a family's
team with a plan and consents, a draft referral, and in the receiving organisation of another."""
import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from oneplan.accounts.services import token_create
from oneplan.api import api
from tests.api.conftest import bearer
from tests.factories import consent_for
from tests.plans.factories import agreed_plan
from tests.referrals.factories import scene

pytestmark = pytest.mark.django_db

# Every check stays on; three answers of ours are right where schemathesis' defaults expect others:
# - a request valid by the schema can still break a rule of the domain (a date of birth in the
#   future, a step the workflow does not allow, a stale If-Match, an Idempotency-Key reused with
#   another body): 400, 412, 422 with problem JSON, as documented;
# - a missing If-Match is 428 Precondition Required (RFC 6585), not 400;
# - unknown query parameters are ignored (docs/api.md), so none are generated.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict({
    "checks": {
        "positive_data_acceptance": {"expected-statuses": [
            "2xx", "400", "401", "403", "404", "409", "412", "422", "429"]},
        "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422",
                                                          "428"]},
    },
    "generation": {"allow-extra-parameters": False},
})
# The document as /api/v1/openapi.json serves it (tests/api/test_openapi.py checks that route);
# built here so that collecting the tests needs no database.
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), default=str)), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: a request must not close the database connection that
    # holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def caller_key(db):
    s = scene()
    agreed_plan(s.referrer, s.family)
    consent_for(s.family, categories=["health"])
    s.create()
    other = scene()
    s.referrer.organisations.add(other.organisation)
    other.sent()
    _, key = token_create(actor_user=s.referrer.user, name="schemathesis")
    return key


@schema.parametrize()
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                 HealthCheck.function_scoped_fixture])
def test_the_api_keeps_its_openapi_promises(case, caller_key):
    case.call_and_validate(headers=bearer(caller_key))


def test_the_api_keeps_its_promises_across_chained_calls(caller_key):
    """Stateful: schemathesis chains operations on what earlier answers returned (links it infers
    from the response schemas and path parameters: POST /referrals -> GET, send, steps; POST
    /families -> GET, PATCH, members, team), with every check on each step."""
    stateful = schemathesis.openapi.from_dict(
        json.loads(json.dumps(api.get_openapi_schema(), default=str)), config=CONFIG)
    stateful.app = schema.app

    @stateful.auth()
    class Token:  # the caller's real token: schemathesis then tests a wrong one on its own
        def get(self, case, context):
            return caller_key

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), **bearer(data)}

    workflow = stateful.as_state_machine()
    assert workflow.bundles, "no links between operations were found: the stateful phase would be empty"
    workflow.run(settings=settings(max_examples=8, stateful_step_count=4, deadline=None,
                                   suppress_health_check=list(HealthCheck)))
