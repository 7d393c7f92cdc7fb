"""Settings for the test suite: development mode, so keys are generated under the test's var dir.

Production settings refuse to start without keys (tests/core/test_settings.py); the tests that
need production settings start a process of their own with them (tests/core/test_serve.py)."""
import os

os.environ["ONEPLAN_DEBUG"] = "1"

from oneplan.settings import *
from oneplan.settings import DATABASES

# The test suite's database backends: oneplan's, except that Django's test flush may empty the
# append-only audit log (tests/backends/; production has no such door).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.sqlite3": "tests.backends.sqlite3",
    "django.db.backends.postgresql": "tests.backends.postgresql",
}[DATABASES["default"]["ENGINE"]]
