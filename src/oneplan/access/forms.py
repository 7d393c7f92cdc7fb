"""Forms for break-glass access and its review."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.access.models import BASIC_CATEGORIES, Category, Consent
from oneplan.core.errors import InvalidInput
from oneplan.core.national_id import normalise_national_id


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("Family reference"), max_length=30, required=False,
                                help_text=_("For example OP-ABCD-2345. Without it: the person's "
                                            "national identifier and date of birth below."))
    national_id = forms.CharField(label=_("Or: the person's national identifier (BSN)"),
                                  max_length=20, required=False)
    date_of_birth = forms.DateField(label=_("and their date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Why do you need access now?"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("A privacy officer reviews every emergency access."))
    hours = forms.IntegerField(label=_("For how many hours (at most 24)"), min_value=1,
                               max_value=24, initial=4)


class ReviewForm(forms.Form):
    verdict = forms.ChoiceField(label=_("Was this access justified?"), widget=forms.RadioSelect,
                                choices=[("justified", _("Justified")),
                                         ("unjustified", _("Not justified"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ConsentForm(forms.Form):
    categories = forms.MultipleChoiceField(label=_("Data categories"), widget=forms.CheckboxSelectMultiple)
    organisation = forms.ChoiceField(label=_("For"), required=False)
    subject = forms.ChoiceField(label=_("About"), required=False)
    given_by = forms.MultipleChoiceField(label=_("Given by"), widget=forms.CheckboxSelectMultiple)
    purpose = forms.ChoiceField(label=_("Purpose"))
    how = forms.ChoiceField(label=_("How it was given"))
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Until (optional)"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, file=None, extra_organisation=None, **kwargs):

        super().__init__(*args, **kwargs)
        referral = self.data.get("purpose", self.initial.get("purpose")) == Consent.Purpose.REFERRAL
        self.fields["categories"].choices = [(c.value, c.label) for c in Category
                                             if referral or c not in BASIC_CATEGORIES]
        if referral:
            self.fields["categories"].help_text = _(
                "A referral always shares who is referred (identity); choose it together with "
                "what else the family agrees to share.")
        orgs = {m.organisation_id: m.organisation.name for m in file.team}
        if extra_organisation is not None:  # the organisation a referral goes to
            orgs[extra_organisation.pk] = extra_organisation.name
        self.fields["organisation"].choices = [("", _("Every organisation on the care team"))] + \
            sorted(orgs.items(), key=lambda x: x[1])
        self.fields["subject"].choices = [("", _("The family as a whole"))] + \
            [(m.person_id, m.person.full_name) for m in file.members]
        self.fields["given_by"].choices = [(m.person_id, m.person.full_name) for m in file.members]
        self.fields["purpose"].choices = Consent.Purpose.choices
        self.fields["how"].choices = Consent.How.choices


class ConsentWithdrawForm(forms.Form):
    how = forms.ChoiceField(label=_("How did the family withdraw it?"), widget=forms.RadioSelect,
                            choices=[(Consent.How.IN_PERSON, _("They told me (in person or by phone)")),
                                     (Consent.How.PAPER, _("On paper"))])
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)


class SubjectSearchForm(forms.Form):
    bsn = forms.CharField(label=_("BSN"), required=False, max_length=20)
    name = forms.CharField(label=_("Or name"), required=False, max_length=150)
    date_of_birth = forms.DateField(label=_("and date of birth"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):

        data = super().clean()
        if data.get("bsn"):
            try:
                data["bsn"] = normalise_national_id(data["bsn"])
            except InvalidInput as error:
                self.add_error("bsn", error.message)
        elif not (data.get("name") and data.get("date_of_birth")):
            raise forms.ValidationError(_("Give a BSN, or a name and a date of birth."))
        return data


class EraseForm(forms.Form):
    legal_basis = forms.CharField(label=_("Legal basis for the erasure"), max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm the erasure is lawful; it cannot be undone"))
