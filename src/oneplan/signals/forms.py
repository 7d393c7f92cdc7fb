"""Forms for the reference index; the services check meaning (BSN 11-test, birth date)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.families.forms import DateInput
from oneplan.families.models import NAME_MAX
from oneplan.signals.services import NOTE_MAX


class SignalForm(forms.Form):
    organisation = forms.ChoiceField(label=_("For organisation"))
    national_id = forms.CharField(
        label=_("National identifier (BSN)"), required=False, max_length=20,
        help_text=_("Nine digits. Give the name and date of birth below as well when you know them: "
                    "then a registration by name at another organisation finds yours. Without a "
                    "BSN they are required."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=NAME_MAX,
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=NAME_MAX,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.pk), o.name) for o in organisations]
        if len(organisations) <= 1:  # nothing to choose: the service takes the only one
            del self.fields["organisation"]


class AcknowledgeForm(forms.Form):
    coordinator = forms.ChoiceField(label=_("Who coordinates"))
    note = forms.CharField(
        label=_("What you agreed (no case details)"), required=False, max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, match=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [("", "—")] + [
            (str(s.professional_id), f"{s.professional.name} ({s.organisation.name})")
            for s in (match.first, match.second)]
