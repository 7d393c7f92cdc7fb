"""The flood gate: a request for help from an address this process already knows is over its
limit is refused first thing, with a small page rendered once per language, so a flood costs
the professionals' pages as little as it can (no session, no CSRF work, no template, no query).
The first refusals of an address go the normal way (frontdoor/views.py, services.over_limit)."""
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape

from oneplan.accounts.throttle import source_address
from oneplan.frontdoor.services import remembered_over_limit

MARKER = "ONEPLAN-STORY-MARKER"


class FloodGate:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: dict[str, str] = {}

    def __call__(self, request):
        if request.method == "POST" and request.path == "/help" \
                and remembered_over_limit(source_address(request)):
            return self.refusal(request)
        return self.get_response(request)

    def refusal(self, request) -> HttpResponse:
        language = translation.get_language_from_request(request)
        if language not in self.pages:
            with translation.override(language):
                self.pages[language] = render_to_string("frontdoor/flood.html", {
                    "story": MARKER, "lang": language, "phone": settings.ONEPLAN["FRONT_DOOR_PHONE"],
                    "emergency": settings.ONEPLAN["EMERGENCY_NUMBER"]})
        # What they wrote is shown back (nothing is lost, even without the draft on the device).
        story = escape(request.POST.get("story", "")[:4000])
        response = HttpResponse(self.pages[language].replace(MARKER, story), status=429)
        response["Retry-After"] = "3600"
        response["Cache-Control"] = "no-store"
        response["Content-Language"] = language
        return response
