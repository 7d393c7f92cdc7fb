"""Domain exceptions, mapped once to a form error, a problem-JSON response or a CLI line."""
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base for errors a user can act on; `message` is shown to them as is."""

    status = 400
    title = _("Invalid request")

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist or the actor may not know that it exists."""

    status = 404
    title = _("Not found")


class AccessDenied(DomainError):
    """The actor may see the object but not do this with it."""

    status = 403
    title = _("Not allowed")


class InvalidInput(DomainError):
    status = 400
    title = _("Invalid input")


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, stale edit, last coordinator)."""

    status = 409
    title = _("Conflict")


class InvalidTransition(Conflict):
    title = _("Status change not allowed")


class StaleEdit(Conflict):
    title = _("Changed by someone else")


class ConsentMissing(DomainError):
    """The family's consent does not cover what the action would share; `missing` says what."""

    status = 409
    title = _("Consent missing")

    def __init__(self, message: str, *, missing: list[str] | None = None, field: str | None = None):
        super().__init__(message, field=field)
        self.missing = missing or []


def refused(error: DomainError, *, actor, action: str, reason: str, **audit) -> DomainError:
    """`error` carrying its audit refusal: the outermost @service/@selector writes it to the log
    after the rollback (core/layers.py). `audit` takes the other AuditEvent fields (family,
    person, category, object_type, object_id, organisation)."""
    if "object_id" in audit:
        audit["object_id"] = str(audit["object_id"] if audit["object_id"] is not None else "")[:64]
    error.pending_audit = {"actor": actor, "action": action, "outcome": "denied",
                           "reason": (reason or "")[:2000], **audit}
    return error


class PreconditionRequired(DomainError):
    """An update came without the version it is based on (If-Match)."""

    status = 428
    title = _("Version required")


class PreconditionFailed(DomainError):
    """An update was based on a version that is no longer the current one."""

    status = 412
    title = _("Changed by someone else")


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key came back with another request than the one it was first used for."""

    status = 422
    title = _("Idempotency key reused")
