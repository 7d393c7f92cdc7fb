"""Waiting times shown with a service, measured from the referrals sent to it.

Referrals stand above the directory, so the referrals app registers the measurement here in
its AppConfig.ready() (`PROVIDER`); the directory's pages only ask for it.
"""
from typing import Callable

# fn(service_ids) -> {service_id: stats with to_accept, to_start, starts, warm}
PROVIDER: Callable[[list[int]], dict] | None = None


def wait_stats(service_ids) -> dict:
    ids = list(service_ids)
    return PROVIDER(ids) if PROVIDER is not None else {i: None for i in ids}
