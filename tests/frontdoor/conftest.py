import pytest

from oneplan.frontdoor import services


@pytest.fixture(autouse=True)
def _no_remembered_floods():
    """Addresses over their limit are remembered per process: every test starts with none."""
    services._over_limit.clear()
    yield
    services._over_limit.clear()
