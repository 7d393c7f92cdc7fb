"""Settings for the test suite: development mode, so keys are generated under the test's var dir.

Production settings refuse to start without keys (tests/core/test_settings.py); the tests that
need production settings start a process of their own with them (tests/core/test_serve.py)."""
import os

os.environ["ONEPLAN_DEBUG"] = "1"

from oneplan.settings import *
