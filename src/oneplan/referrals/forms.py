"""Referral forms: a new referral, each status step, planning and recording a warm handoff."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.access.models import Category
from oneplan.directory import domains
from oneplan.families.models import CareTeamMember
from oneplan.referrals.models import DeclineReason, Handoff, Urgency
from oneplan.referrals.services import HANDOFF_ROLES, SHAREABLE

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReferralForm(forms.Form):
    persons = forms.MultipleChoiceField(label=_("Who is referred"), widget=forms.CheckboxSelectMultiple)
    needs = forms.MultipleChoiceField(label=_("Needs (life domains)"), widget=forms.CheckboxSelectMultiple)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    question = forms.CharField(label=_("What do you ask the service?"), max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    shared_categories = forms.MultipleChoiceField(
        label=_("Information shared with the service"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Who is referred is always shared. Everything needs the family's consent for this "
                    "organisation."))
    service = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(str(m.person_id), f"{m.person.full_name} ({m.get_relation_display()})")
                                          for m in members]
        self.fields["needs"].choices = domains.choices()
        self.fields["shared_categories"].choices = [(c, Category(c).label) for c in SHAREABLE]


class StepForm(forms.Form):
    """Every status step posts this; which fields matter depends on the step (the service checks)."""

    to_status = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(required=False, max_length=2000)
    decline_reason = forms.ChoiceField(required=False, choices=[("", "")] + list(DeclineReason.choices))
    receiving_professional = forms.IntegerField(required=False, min_value=1)
    expected_start_on = forms.DateField(required=False)


class HandoffForm(forms.Form):
    planned_for = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), input_formats=["%Y-%m-%dT%H:%M"])
    mode = forms.ChoiceField(label=_("How"), choices=Handoff.Mode.choices)
    place = forms.CharField(label=_("Where"), max_length=200, required=False)
    receiving_professional = forms.ChoiceField(label=_("Receiving professional"))
    role = forms.ChoiceField(label=_("Role in the care team"),
                             choices=[(r, CareTeamMember.Role(r).label) for r in HANDOFF_ROLES])
    focus = forms.ChoiceField(label=_("Focus"), choices=CareTeamMember.Focus.choices)
    responsibilities = forms.CharField(label=_("Responsibilities in the team"), max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A blank first choice: when nobody is proposed the form asks, instead of the browser
        # silently picking the first colleague in the list.
        self.fields["receiving_professional"].choices = [("", "—")] + [(str(p.pk), p.name)
                                                                      for p in colleagues]


class HandoffHeldForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    family_present = forms.BooleanField(label=_("The family took part"), required=False, initial=True)
    notes = forms.CharField(label=_("What was agreed"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
