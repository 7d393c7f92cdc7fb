"""The WSGI application with audit writes switched off, for one comparison in `oneplan bench
--http` only (how much of a page's cost is its audit event). Never used by `oneplan serve`:
the bench starts granian on this module itself."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
application = get_wsgi_application()  # sets Django up before the models are imported

from oneplan.audit.models import AuditEvent  # noqa: E402

AuditEvent.save = lambda self, *args, **kwargs: None
