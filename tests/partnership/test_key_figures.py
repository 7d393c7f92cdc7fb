"""The partnership page shows key figures from the insights to those who may see them."""
import pytest

from oneplan.partnership import key_figures
from tests.factories import ProfessionalFactory

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, professional):
        self.user = professional.user


def test_a_network_coordinator_sees_the_key_figures():
    coordinator = ProfessionalFactory(roles=["network_admin"])
    context = key_figures.panel(_Request(coordinator), None)
    assert context is not None and context["board"].scope.audience == "network"
    assert len(context["cards"]) <= key_figures.KEY_FIGURES


def test_a_practitioner_sees_no_key_figures():
    assert key_figures.panel(_Request(ProfessionalFactory(roles=["practitioner"])), None) is None
