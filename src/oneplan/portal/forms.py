"""Portal forms, in plain language."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.access.models import BASIC_CATEGORIES, Category


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


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(label=_("How did it go? (1 bad … 5 very good)"),
                               choices=[("", "—")] + [(str(i), str(i)) for i in range(1, 6)])
    about = forms.ChoiceField(label=_("About"), required=False)
    comment = forms.CharField(label=_("Your comment (optional)"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, team=(), reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["about"].choices = [("", _("Our help in general"))] + \
            [(f"pro:{m.professional_id}", m.professional.name) for m in team] + \
            [(f"review:{r.pk}", _("The review of %(date)s") % {"date": r.held_on.strftime("%d-%m-%Y")})
             for r in reviews]


class GiveConsentForm(forms.Form):
    categories = forms.MultipleChoiceField(label=_("What may be shared"), widget=forms.CheckboxSelectMultiple)
    organisation = forms.ChoiceField(label=_("With"), required=False)

    def __init__(self, *args, team=(), **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.value, c.label) for c in Category if c not in BASIC_CATEGORIES]
        orgs = {m.organisation_id: m.organisation.name for m in team}
        self.fields["organisation"].choices = [("", _("Everyone in our team"))] + list(orgs.items())


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Their e-mail address (optional)"), required=False,
                             help_text=_("We e-mail them the link. Without an address you get the "
                                         "link to give them yourself."))


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Your message"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Your coordinator reads it in their inbox. In an emergency, "
                                       "call 112."))
