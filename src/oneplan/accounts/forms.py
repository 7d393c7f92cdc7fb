"""Login form with labels and messages a professional understands."""
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("That user name and password do not match. Check both and try again."),
        "inactive": _("This account is switched off. Ask your organisation's administrator."),
    }
