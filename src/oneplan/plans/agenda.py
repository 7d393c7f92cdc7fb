"""What the next review should talk about, gathered from other apps without importing them.

An app registers, in its AppConfig.ready(), fn(access) -> list[str]: short lines for the
review's agenda (for example scores where the family and the professional differ a lot).
"""
from typing import Callable

PROVIDERS: list[Callable] = []


def review_agenda(access) -> list[str]:
    return [line for provider in PROVIDERS for line in provider(access)]
