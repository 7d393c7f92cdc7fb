"""Pages that belong to no domain: home, health check, error pages."""
from typing import Callable

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

# fn(request) -> URL name or None: where a user starts, decided by the app that owns it
# (registered in AppConfig.ready); the first answer wins, then the caseload.
HOME_ROUTES: list[Callable] = []


def home(request):
    if not request.user.is_authenticated:
        return render(request, "core/home.html")  # the public home page: ask for help, or log in
    if hasattr(request.user, "family_account"):
        return redirect("portal:home")
    for route in HOME_ROUTES:
        name = route(request)
        if name:
            return redirect(name)
    return redirect("families:caseload")


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok", "database": connection.vendor})
    except Exception as exc:  # the health check reports, it never raises
        return JsonResponse({"status": "error", "detail": str(exc)}, status=503)


def not_found(request, exception=None):
    return render(request, "core/error.html", {
        "title": _("Not found"),
        "message": _("This page does not exist, or you have no access to it.")}, status=404)


def server_error(request):
    return render(request, "core/error.html", {
        "title": _("Something went wrong"),
        "message": _("The error has been logged. Nothing you entered was half-saved: try again.")},
        status=500)
