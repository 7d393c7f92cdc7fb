"""Two professionals in two organisations, and a colleague of the first."""
import pytest

from oneplan.audit.services import record
from tests.factories import OrganisationFactory, ProfessionalFactory


@pytest.fixture(autouse=True)
def _chain_started(db):
    # The first audit event creates the chain head; later counts measure the steady state.
    record(None, "test.warmup")


@pytest.fixture
def youth_care(db):
    return ProfessionalFactory(organisations=[OrganisationFactory(name="Youth care North",
                                                                  phone="+31 20 111 0000")],
                               phone="+31 6 1111 1111", user__first_name="Anna",
                               user__last_name="Visser", user__email="anna@youthcare.example")


@pytest.fixture
def debt_help(db):
    return ProfessionalFactory(organisations=[OrganisationFactory(name="Debt help South")],
                               phone="+31 6 2222 2222", user__first_name="Bram",
                               user__last_name="de Boer", user__email="bram@debthelp.example")


@pytest.fixture
def colleague(youth_care):
    """Another professional in the same organisation as youth_care."""
    return ProfessionalFactory(organisations=list(youth_care.organisations.all()))
