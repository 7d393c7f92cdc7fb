"""Portal forms, in plain language."""
from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptForm(forms.Form):
    username = forms.CharField(label=_("Choose a user name"), max_length=150)
    password1 = forms.CharField(label=_("Choose a password (at least 10 characters)"),
                                widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("The same password again"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords are not the same."))
        return data
