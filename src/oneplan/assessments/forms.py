"""Forms for assessments."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.families.forms import DateInput

SCORES = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]


class StartForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    held_on = forms.DateField(label=_("Date"), widget=DateInput)

    def __init__(self, *args, instruments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].choices = [(i.pk, f"{i.name} (v{i.version})") for i in instruments]


class ScoreForm(forms.Form):
    professional_score = forms.ChoiceField(label=_("Professional's score"), choices=SCORES, required=False)
    family_score = forms.ChoiceField(label=_("Family's own score"), choices=SCORES, required=False)
    family_words = forms.CharField(label=_("In the family's words"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    strengths = forms.CharField(label=_("Strengths"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    concerns = forms.CharField(label=_("Concerns"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    safety_flag = forms.BooleanField(label=_("Safety concern: the coordinator must act now"),
                                     required=False)


class SafetyDoneForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(label=_("Instrument file (YAML)"))
