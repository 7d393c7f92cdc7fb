"""Housekeeping of the audit log, run by `oneplan tick` (registered in AuditConfig.ready)."""
from oneplan.audit.services import seal


def seal_new_events() -> str:
    return f"sealed {seal()} new audit events into the chain"
