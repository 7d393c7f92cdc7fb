"""The privacy officer's audit search form, and the form that checks a proof."""
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.audit.models import Outcome
from oneplan.core.errors import InvalidInput
from oneplan.core.national_id import normalise_national_id


class DateInput(forms.DateInput):
    input_type = "date"


class AuditSearchForm(forms.Form):
    family = forms.CharField(label=_("Family reference"), required=False, max_length=30)
    person_bsn = forms.CharField(label=_("Person's BSN"), required=False, max_length=20)
    professional = forms.CharField(label=_("Professional's user name"), required=False, max_length=150)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("All"))] + list(Outcome.choices))

    def clean_person_bsn(self):

        value = self.cleaned_data["person_bsn"].strip()
        if not value:
            return ""
        try:
            return normalise_national_id(value)
        except InvalidInput as error:
            raise forms.ValidationError(error.message)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


MAX_PROOF_BYTES = 1024 * 1024


class ProofCheckForm(forms.Form):
    proof = forms.FileField(label=_("Proof file"),
                            help_text=_("The .json file downloaded with “Download proof”, or made with "
                                        "“oneplan audit prove”."))

    def clean_proof(self):
        upload = self.cleaned_data["proof"]
        if upload.size > MAX_PROOF_BYTES:
            raise forms.ValidationError(_("A proof is a small file; this one is larger than 1 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError(_("This file is not a proof: it is not JSON.")) from None
