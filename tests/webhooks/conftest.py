import pytest

from tests.webhooks.helpers import Receiver

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def allow_private(settings):
    """Tests reach a receiver on this machine: private addresses and http allowed."""
    settings.ONEPLAN = {**settings.ONEPLAN, "WEBHOOKS_ALLOW_PRIVATE": True}


@pytest.fixture
def polled(settings):
    """The worker's own loop delivers (no task run at commit), as in production."""
    settings.TASKS = DB_TASKS


@pytest.fixture
def receiver():
    item = Receiver().start()
    yield item
    item.stop()
