"""Login form with labels and messages a professional understands; the organisation choice of
organisation admins' forms."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from oneplan.accounts import throttle
from oneplan.accounts.services import login_failure_record


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("That user name and password do not match. Check both and try again."),
        "inactive": _("This account is switched off. Ask your organisation's administrator."),
    }

    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        address = throttle.source_address(self.request) if self.request else None
        if username:
            message = throttle.refusal(username, address)
            if message:
                throttle.note(username, address, success=False)
                login_failure_record(username=username, address=address, action="login.refused",
                                     reason=f"refused before checking the password: {message}")
                raise forms.ValidationError(message, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if username:
                throttle.note(username, address, success=False)
                login_failure_record(username=username, address=address, action="login.fail",
                                     reason=("account switched off" if error.code == "inactive"
                                             else "wrong password"))
            raise
        return cleaned  # the success is noted when the login completes (views.LoginView)


def offer_organisations(form: forms.Form, organisations, field: str = "organisation") -> None:
    """Fill an organisation choice with the organisations the actor administers; with only one,
    it is chosen and not shown."""
    form.fields[field].choices = [(o.pk, o.name) for o in organisations]
    if len(organisations) == 1:
        form.fields[field].initial = organisations[0].pk
        form.fields[field].widget = forms.HiddenInput()
