"""Housekeeping of the audit log, run by `oneplan tick` and the worker (registered in AuditConfig.ready)."""
from oneplan.audit import publishing
from oneplan.audit.services import checkpoint, seal


def seal_and_checkpoint() -> str:
    """`oneplan tick`: seal what is new; sign and publish a checkpoint when one is due."""
    line = f"sealed {seal()} new audit events into the chain"
    made = checkpoint()
    if made:
        line += f"; published the signed checkpoint of {made.tree_size} events ({made.file_name})"
    return line


def poll() -> None:
    """The worker, every second: seal, then a checkpoint when one is due."""
    seal()
    publishing.checkpoint_if_due()
