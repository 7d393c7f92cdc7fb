"""Account pages: login with optional two-step code, two-step setup, personal API tokens."""
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from oneplan.accounts import services, system_clients, throttle, two_factor
from oneplan.accounts.forms import LoginForm, offer_organisations
from oneplan.accounts.models import User
from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=services.TOKEN_NAME_MAX,
                           help_text=gettext_lazy("What will use it, for example "
                                                  "'case management sync'."))


@professional_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.token_create(actor_user=request.user,
                                                       name=form.cleaned_data["name"])
        except DomainError as error:
            form_error(form, error)
        else:
            form = TokenForm()
    # Not family data: a professional's own tokens, newest first, revoked ones last.
    token_list = request.user.api_tokens.order_by(F("revoked_at").desc(nulls_first=True),
                                                  "-created_at")
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": token_list, "new_token": new_token, "new_key": new_key,
        "manages_clients": bool(system_clients.administered(request.professional)),
    }, status=400 if form.errors else 200)


class SystemClientForm(forms.Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    name = forms.CharField(label=gettext_lazy("Name of the system"), max_length=system_clients.NAME_MAX,
                           help_text=gettext_lazy("For example 'Regas case management'. It shows in the "
                                                  "audit log as the one who read or changed something."))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)


@professional_required
def system_client_list(request):
    """Organisation admins connect their organisation's own case system (API and FHIR)."""
    organisations = system_clients.manageable(actor=request.professional)
    form = SystemClientForm(request.POST or None, organisations=organisations)
    new_client = new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_client, new_key = system_clients.client_create(
                actor=request.professional, organisation_id=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"])
        except DomainError as error:
            form_error(form, error)
        else:
            form = SystemClientForm(organisations=organisations)
    return render(request, "accounts/system_clients.html", {
        "form": form, "clients": system_clients.clients_of(organisations), "new_client": new_client,
        "new_key": new_key}, status=400 if form.errors else 200)


@professional_required
@require_POST
def system_client_revoke(request, client_id):
    try:
        client = system_clients.client_revoke(actor=request.professional, client_id=client_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” is switched off: its keys no longer work.")
                         % {"name": client.user.first_name})
    return redirect("accounts:system_clients")


@professional_required
@require_POST
def token_revoke(request, token_id):
    try:
        token = services.token_revoke(actor_user=request.user, token_id=token_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token “%(name)s” revoked. Programs using it can no longer "
                                    "connect.") % {"name": token.name})
    return redirect("accounts:tokens")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from your authenticator app"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}))


class LoginView(auth_views.LoginView):
    """Password first; with two-step login on, the code on a second page.

    Only a completed login counts as a success for the throttle: otherwise a right password
    would wipe out the wrong codes before it and give endless guesses at the code."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.is_enabled(user):
            self.request.session["pending_2fa"] = user.pk
            self.request.session["pending_next"] = self.get_success_url()
            return redirect("login_code")
        throttle.note(user.get_username(), throttle.source_address(self.request), success=True)
        return super().form_valid(form)


def _code_refusal(user, address, message: str, form) -> None:
    throttle.note(user.get_username(), address, success=False)
    services.login_failure_record(username=user.get_username(), address=address,
                                  action="login.refused",
                                  reason=f"two-step code refused before checking: {message}")
    form.add_error("code", message)


def login_code(request):
    """The second step. Wrong codes count as failed logins of the same user name and address
    (accounts/throttle.py); django-otp also slows down each device after wrong codes."""
    user = User.objects.filter(pk=request.session.get("pending_2fa"), is_active=True).first()
    if user is None:
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name, address = user.get_username(), throttle.source_address(request)
        message = throttle.refusal(name, address)
        result = None if message else two_factor.check(user, form.cleaned_data["code"],
                                                        address=address)
        if message:
            _code_refusal(user, address, message, form)
        elif result.wait_seconds:
            _code_refusal(user, address, _("Too many failed attempts. Wait %(seconds)s seconds "
                                           "and try again.") % {"seconds": result.wait_seconds}, form)
        elif result.ok:
            throttle.note(name, address, success=True)
            if result.kind == "backup":
                messages.warning(request, _("You logged in with a backup code. You have "
                                            "%(count)s left.") % {"count": result.backup_codes_left})
            next_url = request.session.get("pending_next") or "/"
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(next_url if url_has_allowed_host_and_scheme(
                next_url, allowed_hosts={request.get_host()}) else "/")
        else:
            throttle.note(name, address, success=False)
            services.login_failure_record(username=name, address=address, action="login.fail",
                                          reason="wrong two-step code")
            form.add_error("code", _("That code is not right. Type the six digits your app shows "
                                     "now, or one of your backup codes."))
    return render(request, "accounts/login_code.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def two_factor_setup(request):
    enabled = two_factor.is_enabled(request.user)
    form = CodeForm(request.POST or None)
    backup_codes = None
    if request.method == "POST" and form.is_valid():
        code, action = form.cleaned_data["code"], request.POST.get("action", "")
        try:
            if not enabled:
                backup_codes = two_factor.confirm(request.user, code)
                messages.success(request, _("Two-step login is on. You will be asked for a code at login."))
            elif action == "backup_codes":
                backup_codes = two_factor.backup_codes_renew(request.user, code)
                messages.success(request, _("New backup codes made. The old ones no longer work."))
            else:
                two_factor.disable(request.user, code)
                messages.success(request, _("Two-step login is off."))
                return redirect("accounts:two_factor")
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            # Shown once, on this page: they are not shown again.
            return render(request, "accounts/two_factor.html", {
                "form": CodeForm(), "enabled": True, "backup_codes": backup_codes,
                "backup_codes_left": len(backup_codes)})
    context = {"form": form, "enabled": enabled}
    if enabled:
        context["backup_codes_left"] = two_factor.backup_codes_left(request.user)
    else:
        device = two_factor.start(request.user)
        context.update(secret=two_factor.secret_text(device),
                       qr=two_factor.qr_svg_data_uri(request.user, device))
    return render(request, "accounts/two_factor.html", context,
                  status=400 if request.method == "POST" else 200)


def language(request):
    """Django's language switch; a professional's choice is also kept for her e-mails."""
    response = set_language(request)
    chosen = request.POST.get("language", "")
    professional = getattr(request.user, "professional", None) if request.user.is_authenticated else None
    if request.method == "POST" and professional is not None and check_for_language(chosen):
        services.language_set(professional=professional, language=chosen)
    return response
