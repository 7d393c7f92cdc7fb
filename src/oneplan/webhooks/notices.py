"""The webhooks' notice in the inbox, as a message key the reader sees in her own language."""
from django.utils.translation import gettext_lazy as _

from oneplan.inbox import messages

messages.register(
    "webhooks.failed", _("A webhook could not be delivered to %(url)s"),
    _("The %(event)s event (%(id)s) was tried %(attempts)s times over 24 hours and then given up. "
      "Last error: %(error)s. Open the endpoint in oneplan to see the answers and send it again "
      "once the receiving system works."))
