"""Periodic housekeeping run by `oneplan tick`; apps register their own jobs in AppConfig.ready()."""
from typing import Callable

_jobs: dict[str, Callable[[], str]] = {}


def register(name: str, job: Callable[[], str]) -> None:
    """A job does its work and returns one line saying what it did."""
    _jobs[name] = job


def jobs() -> dict[str, Callable[[], str]]:
    return dict(_jobs)
