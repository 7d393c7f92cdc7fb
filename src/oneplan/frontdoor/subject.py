"""What the subject access export lists from the front door (registered in its AppConfig.ready)."""
from oneplan.access import subject
from oneplan.access.subject import _date
from oneplan.frontdoor.models import HelpRequest
from oneplan.frontdoor.tell import display_reference


def _requests(person):
    rows = HelpRequest.objects.filter(persons__person=person).distinct().order_by("created_at")
    return [{"reference": display_reference(r.reference), "received": _date(r.created_at),
             "asker": r.get_asker_display(), "channel": r.get_channel_display(),
             "story": r.story, "outcome": r.get_outcome_display() if r.outcome else "",
             "outcome_at": _date(r.outcome_at)}
            for r in rows]


def register() -> None:
    subject.register_section("Requests for help", "frontdoor.requestperson.person", _requests, order=125)
