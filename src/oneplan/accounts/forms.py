"""Login form with labels and messages a professional understands."""
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("That user name and password do not match. Check both and try again."),
        "inactive": _("This account is switched off. Ask your organisation's administrator."),
    }

    def clean(self):
        from django import forms

        from oneplan.accounts import throttle
        from oneplan.audit.services import record

        username = (self.cleaned_data.get("username") or "").strip()
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        if username:
            message = throttle.refusal(username)
            if message:
                throttle.note(username, ip, success=False)
                record(None, "login.refused", outcome="denied", reason=f"{username[:100]}: {message}")
                raise forms.ValidationError(message, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                throttle.note(username, ip, success=False)
            raise
        throttle.note(username, ip, success=True)
        return cleaned
