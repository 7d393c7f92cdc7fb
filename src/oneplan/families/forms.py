"""Forms for the family file; they validate shape, services validate meaning."""
import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from oneplan.families.categories import Category
from oneplan.families.models import (
    NAME_MAX,
    CareTeamMember,
    Family,
    Membership,
    NetworkMember,
    Note,
)
from oneplan.families.notes import NOTE_CATEGORIES


class DateInput(forms.DateInput):
    input_type = "date"


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=NAME_MAX)
    family_name = forms.CharField(label=_("Family name"), max_length=NAME_MAX)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput)
    # An empty first choice keeps untouched extra rows of the register formset unchanged.
    relation = forms.ChoiceField(label=_("Relation"), choices=[("", "—")] + list(Membership.Relation.choices))
    national_id = forms.CharField(label=_("National id (BSN), optional"), max_length=20,
                                  required=False)
    # Asked only when oneplan may know this person already (see `ask_same_person`).
    same_person = forms.CharField(required=False, widget=forms.HiddenInput)

    def ask_same_person(self, candidates) -> None:
        """Turn the hidden answer into a question: link one of these persons, or a new one."""
        choices = [(str(p.pk), _("Yes, the same person: %(name)s, born %(born)s — link that record")
                    % {"name": p.full_name, "born": date_format(p.date_of_birth)}) for p in candidates]
        choices.append(("new", _("No, someone else: make a new record")))
        self.fields["same_person"] = forms.ChoiceField(
            label=_("Is this a person oneplan already knows?"), choices=choices,
            widget=forms.RadioSelect, required=False)
        self._bound_fields_cache.pop("same_person", None)  # drawn again as the question

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value > dt.date.today():
            raise forms.ValidationError(_("A date of birth cannot be in the future."))
        return value


class FamilyRegisterForm(forms.Form):
    name = forms.CharField(label=_("Family name"), max_length=NAME_MAX,
                           help_text=_("How the family is known, e.g. “Jansen household”."))
    intensity = forms.ChoiceField(label=_("Intensity of support"), choices=Family.Intensity.choices,
                                  initial=Family.Intensity.MEDIUM)
    organisation = forms.ChoiceField(label=_("You coordinate for"))
    responsibilities = forms.CharField(
        label=_("Your responsibilities as coordinator"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


PersonFormSet = forms.formset_factory(PersonForm, extra=3, min_num=1, validate_min=True, max_num=20)


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["name", "relation", "support", "support_note", "strength", "load",
                  "consent_to_involve", "phone"]
        widgets = {"load": forms.NumberInput(attrs={"min": 1, "max": 5})}


class TeamMemberForm(forms.Form):
    professional = forms.ChoiceField(label=_("Professional"))
    role = forms.ChoiceField(label=_("Role in the team"), choices=CareTeamMember.Role.choices,
                             initial=CareTeamMember.Role.MEMBER)
    focus = forms.ChoiceField(label=_("Focus"), choices=CareTeamMember.Focus.choices)
    responsibilities = forms.CharField(label=_("Responsibilities"), max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")]
        for p in candidates:
            for org in p.organisations.all():
                label = f"{p.name} — {p.discipline or _('professional')}, {org.name}"
                choices.append((f"{p.pk}:{org.pk}", label))
        self.fields["professional"].choices = choices

    def clean_professional(self):
        value = self.cleaned_data["professional"]
        try:
            professional_id, organisation_id = (int(x) for x in value.split(":"))
        except ValueError:
            raise forms.ValidationError(_("Choose a professional from the list."))
        return professional_id, organisation_id


class TeamMemberEndForm(forms.Form):
    reason = forms.CharField(label=_("Reason for leaving the team"), max_length=300, required=False)


class FamilyStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Family.Status.choices)
    intensity = forms.ChoiceField(label=_("Intensity"), choices=Family.Intensity.choices)
    closure_reason = forms.ChoiceField(label=_("Reason for closing"), required=False,
                                       choices=[("", "—")] + list(Family.ClosureReason.choices))
    closure_note = forms.CharField(label=_("Closing note"), required=False, max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))




class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label=_("Data category"))
    visibility = forms.ChoiceField(label=_("Who may read it"))
    about = forms.ChoiceField(label=_("About"), required=False)

    def __init__(self, *args, members=(), **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c, Category(c).label) for c in NOTE_CATEGORIES]
        self.fields["category"].initial = Category.NOTES
        self.fields["visibility"].choices = Note.Visibility.choices
        self.fields["about"].choices = [("", _("The family"))] + [
            (m.person_id, m.person.full_name) for m in members]
