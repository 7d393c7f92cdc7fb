"""What `oneplan worker` does every second besides running tasks: each app registers a poll
(in its AppConfig.ready) — the outbox enqueues a delivery round when a message is due, the audit
log seals new events into its chain."""
from typing import Callable

_polls: dict[str, Callable[[], object]] = {}


def register(name: str, poll: Callable[[], object]) -> None:
    _polls[name] = poll


def polls() -> dict[str, Callable[[], object]]:
    return dict(_polls)
