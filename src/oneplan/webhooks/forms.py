"""The form to register a partner system's endpoint."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.forms import offer_organisations
from oneplan.core import events
from oneplan.webhooks.destinations import UnsafeDestination, check_url

EVENT_LABELS = {
    events.REFERRAL_STATUS_CHANGED: _("A referral changes status (every step)"),
    events.HANDOFF_HELD: _("A warm handoff was held"),
    events.PLAN_AGREED: _("A plan version was agreed"),
    events.CONSENT_GIVEN: _("Consent was given"),
    events.CONSENT_WITHDRAWN: _("Consent was withdrawn"),
    events.TEAM_MEMBER_ADDED: _("Someone joined a care team"),
    events.TEAM_MEMBER_ENDED: _("Someone left a care team"),
    events.SIGNAL_MATCHED: _("A reference index match"),
}


class EndpointForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    url = forms.CharField(label=_("Address (URL) of the receiving system"), max_length=500,
                          help_text=_("Starts with https://. oneplan sends a signed POST there for "
                                      "each event you choose."),
                          widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    events = forms.MultipleChoiceField(label=_("Events"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(t, EVENT_LABELS[t]) for t in events.TYPES])

    def clean_url(self):
        """Said at once, next to the field, with the other errors of the form (the service checks
        again when it saves)."""
        url = self.cleaned_data["url"].strip()
        try:
            check_url(url)
        except UnsafeDestination as error:
            raise forms.ValidationError(error.message) from None
        return url

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        offer_organisations(self, organisations)
