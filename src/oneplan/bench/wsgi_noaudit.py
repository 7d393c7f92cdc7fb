"""The WSGI application with audit writes switched off, for one comparison in `oneplan bench
--http` only (how much of a page's cost is its audit event). Never used by `oneplan serve`:
the bench starts granian on this module itself."""
from oneplan.audit.models import AuditEvent
from oneplan.wsgi import application  # noqa: F401 (sets Django up)

AuditEvent.save = lambda self, *args, **kwargs: None
