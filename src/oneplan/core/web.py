"""Small helpers shared by the HTML views."""
import functools

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from oneplan.core.errors import DomainError


def absolute_url(link: str) -> str:
    """A path inside oneplan as a full address (for e-mails), from ONEPLAN["BASE_URL"]."""
    if not link or "://" in link:
        return link
    return settings.ONEPLAN.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/") + link


def professional_required(view):
    """Logged in as a professional; `request.professional` is set for the view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        professional = getattr(request.user, "professional", None)
        if professional is None:
            return render(request, "core/error.html", {"title": "Not allowed",
                          "message": "This part of oneplan is for professionals."}, status=403)
        request.professional = professional
        return view(request, *args, **kwargs)

    return wrapper


def form_error(form, error: DomainError) -> None:
    """Show a domain error next to the field it is about, or at the top of the form."""
    visible = error.field in form.fields and not form.fields[error.field].widget.is_hidden
    field = error.field if visible else None  # a hidden field's error would never be seen
    form.add_error(field, error.message)


def save_form(request, form, save, *, on_error=None) -> bool:
    """The form-page pattern in one place: on a POST, validate, call the service (`save` takes the
    cleaned data) and map a domain error onto the form. True when the service ran; `on_error`
    (error) may handle an error first and return True when it did."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except DomainError as error:
        if on_error is None or not on_error(error):
            form_error(form, error)
        return False
    return True


class DomainErrorMiddleware:
    """A domain error that reaches the view layer becomes a calm page with its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError) and not request.path.startswith(("/api/", "/fhir/")):
            return render(request, "core/error.html",
                          {"title": exception.title, "message": exception.message},
                          status=exception.status)
        return None
