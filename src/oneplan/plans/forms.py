"""Forms for plans; services check meaning, forms check shape."""
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.families.forms import DateInput
from oneplan.plans.domains import LifeDomain
from oneplan.plans.models import LOCK_VERSION_MAX, Action, CaseDiscussion, Goal, PlanVersion


class VersionField(forms.IntegerField):
    """Exactly what the page wrote: ASCII digits. IntegerField also takes "2.0" or "٢"."""

    widget = forms.HiddenInput

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"[0-9]{1,10}", str(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class LockedForm(forms.Form):
    """A form that edits the draft: it carries the version of the draft the page showed."""

    lock_version = VersionField(min_value=0, max_value=LOCK_VERSION_MAX)

    def full_clean(self):
        super().full_clean()
        # A hidden field's own error would never be seen: say it at the top of the form.
        if self.is_bound and self._errors.pop("lock_version", None):
            self.add_error(None, _("This page did not say which version of the draft you "
                                   "changed. Reload the page and make your change again."))


class VisionForm(LockedForm):
    vision = forms.CharField(label=_("What we want to be different (the family's own words)"),
                             required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class GoalForm(LockedForm):
    domain = forms.ChoiceField(label=_("Life domain"), choices=[("", "—")] + list(LifeDomain.choices))
    family_words = forms.CharField(label=_("The goal in the family's own words"), max_length=2000,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    persons = forms.MultipleChoiceField(label=_("Who it is about"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    priority = forms.IntegerField(label=_("Priority (1 = most important)"), min_value=1, max_value=99,
                                  initial=1)
    level_minus2 = forms.CharField(label=_("-2: much less than expected"), max_length=500)
    level_minus1 = forms.CharField(label=_("-1: less than expected"), max_length=500)
    level_0 = forms.CharField(label=_("0: the expected outcome"), max_length=500)
    level_plus1 = forms.CharField(label=_("+1: more than expected"), max_length=500)
    level_plus2 = forms.CharField(label=_("+2: much more than expected"), max_length=500)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    confirm_many = forms.BooleanField(
        label=_("The family wants to work on all these goals at once"), required=False)

    def __init__(self, *args, household=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(m.person_id, m.person.full_name) for m in household]


class AgreeForm(LockedForm):
    agreed_by = forms.MultipleChoiceField(label=_("Who in the family agreed"),
                                          widget=forms.CheckboxSelectMultiple)
    agreed_how = forms.ChoiceField(label=_("How"), choices=PlanVersion.AgreedHow.choices)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput)
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput)

    def __init__(self, *args, household=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_by"].choices = [(m.person_id, m.person.full_name) for m in household]


def owner_choices(file) -> list[tuple[str, str]]:
    choices = [("", "—")]
    choices += [(f"pro:{m.professional_id}", f"{m.professional.name} ({m.organisation.name})")
                for m in file.team]
    choices += [(f"person:{m.person_id}", f"{m.person.full_name} ({m.get_relation_display().lower()})")
                for m in file.members]
    choices += [(f"net:{n.pk}", f"{n.name} ({n.get_relation_display().lower()})") for n in file.network]
    return choices


class ActionForm(forms.Form):
    what = forms.CharField(label=_("What"), max_length=500)
    owner = forms.ChoiceField(label=_("Who does it"))
    goal_key = forms.ChoiceField(label=_("For which goal"), required=False)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput)

    def __init__(self, *args, file=None, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = owner_choices(file)
        self.fields["goal_key"].choices = [("", "—")] + [(str(g.key), g.family_words[:80]) for g in goals]


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    family_present = forms.BooleanField(label=_("The family took part"), required=False, initial=True)
    family_attendees = forms.MultipleChoiceField(label=_("Family members present"), required=False,
                                                 widget=forms.CheckboxSelectMultiple)
    professionals = forms.MultipleChoiceField(label=_("Professionals present"), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    decisions = forms.CharField(label=_("What was decided"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))
    next_review_on = forms.DateField(label=_("Next review"), widget=DateInput)

    LEVELS = [("", "—"), ("-2", "-2"), ("-1", "-1"), ("0", "0"), ("1", "+1"), ("2", "+2")]

    def __init__(self, *args, file=None, goals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["family_attendees"].choices = [(m.person_id, m.person.full_name) for m in file.members]
        self.fields["professionals"].choices = [(m.professional_id, m.professional.name) for m in file.team]
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.TypedChoiceField(
                label=goal.family_words, choices=self.LEVELS, coerce=int, empty_value=None,
                help_text=" · ".join(f"{lv:+d}: {text}" if lv else f"0: {text}"
                                     for lv, text in goal.levels()))

    def goal_levels(self) -> dict[int, int]:
        return {g.pk: self.cleaned_data[f"goal_{g.pk}"] for g in self.goals
                if self.cleaned_data.get(f"goal_{g.pk}") is not None}


class DiscussionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=CaseDiscussion.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=DateInput)
    participants = forms.MultipleChoiceField(label=_("Participants"), widget=forms.CheckboxSelectMultiple)
    family_took_part = forms.BooleanField(label=_("The family took part"), required=False)
    agenda = forms.CharField(label=_("Agenda"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 4}))
    decisions = forms.CharField(label=_("Decisions"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    action_what = forms.CharField(label=_("New action: what"), required=False, max_length=500)
    action_owner = forms.ChoiceField(label=_("New action: who"), required=False)
    action_due_on = forms.DateField(label=_("New action: due"), required=False, widget=DateInput)

    def __init__(self, *args, file=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [(m.professional_id, m.professional.name) for m in file.team]
        self.fields["action_owner"].choices = owner_choices(file)

    def clean(self):
        data = super().clean()
        if data.get("action_what") and not data.get("action_owner"):
            self.add_error("action_owner", _("Say who does the new action."))
        return data


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)
