"""Decorators for the two doors to family data: services (writes) and selectors (reads).

Both make sure a refusal is written to the audit log even though the service's own
transaction is rolled back: access checks raise an error that carries the refusal, and
the outermost service or selector records it once, outside the rolled-back transaction.
"""
import contextvars
import functools
from typing import Callable

from django.db import transaction

from oneplan.core.errors import DomainError

_depth = contextvars.ContextVar("oneplan_layer_depth", default=0)


# fn(**pending_audit): writes the refusal to the audit log. Set by the audit app in its
# AppConfig.ready() (the kernel imports no app).
RECORD_REFUSAL: Callable | None = None


def _record_refusal(error: DomainError) -> None:
    pending = getattr(error, "pending_audit", None)
    if pending and RECORD_REFUSAL is not None:
        error.pending_audit = None
        RECORD_REFUSAL(**pending)


def _wrap(fn, *, atomic: bool):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        token = _depth.set(_depth.get() + 1)
        try:
            if atomic:
                with transaction.atomic():
                    return fn(*args, **kwargs)
            return fn(*args, **kwargs)
        except DomainError as error:
            if _depth.get() == 1:
                _record_refusal(error)
            raise
        finally:
            _depth.reset(token)

    return wrapper


def service(fn):
    """A write use case: one transaction; a refusal is audited after the rollback."""
    return _wrap(fn, atomic=True)


def selector(fn):
    """A read of family data: a refusal is audited."""
    return _wrap(fn, atomic=False)
