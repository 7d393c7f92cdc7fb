"""The front door's inbox notices, as message keys the reader sees in her own language."""
from django.utils.translation import gettext_lazy as _

from oneplan.inbox import messages

messages.register(
    "frontdoor.asker_message", _("New message on request for help %(ref)s"),
    _("The person who asked wrote a message on the status page. Open the request to read it."))
messages.register(
    "frontdoor.family_file", _("New family file %(family)s from the front door"),
    _("The front-door team opened this family file from request for help %(ref)s, with you as its "
      "care coordinator. The family's own words are the file's first note: contact the family."))
