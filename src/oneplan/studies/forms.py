from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.studies.export import FIELDS


class StudyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What the study wants to learn, and why it needs these fields."))
    period_start = forms.DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period until"), widget=forms.DateInput(attrs={"type": "date"}))
    fields = forms.MultipleChoiceField(label=_("Fields"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(f.key, f.label) for f in FIELDS])
    recipient = forms.CharField(label=_("Who receives the export"), max_length=300,
                                help_text=_("The organisation and person who will hold the file."))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect,
                                 choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note (required when you reject)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
