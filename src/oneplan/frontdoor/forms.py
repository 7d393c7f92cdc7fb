"""The request form (public and for the intake worker), the status look-up and the intake forms."""
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from oneplan.directory import domains
from oneplan.families.models import Family, Membership
from oneplan.frontdoor.models import (
    MESSAGE_MAX,
    STORY_MAX,
    Asker,
    Channel,
    ClosedReason,
    ContactBy,
    FamilyKnows,
    Urgency,
)
from oneplan.frontdoor.services import SAFETY_QUESTIONS

YES_NO = [("no", _("No")), ("yes", _("Yes"))]


class HelpForm(forms.Form):
    """Only what triage needs; each sensitive question says why it is asked."""

    asker = forms.ChoiceField(label=_("Who is asking?"), choices=Asker.choices, widget=forms.RadioSelect)
    unsafe_now = forms.ChoiceField(
        label=_("Is anyone in danger right now?"), choices=YES_NO, widget=forms.RadioSelect,
        help_text=_("If someone is in danger now, call the emergency number. We ask so that an "
                    "urgent request is read first."))
    story = forms.CharField(
        label=_("What is going on?"), max_length=STORY_MAX,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": STORY_MAX}),
        help_text=_("In your own words. Tell only what you want to; we ask more when we talk."))
    domains = forms.MultipleChoiceField(
        label=_("What is it about? (optional)"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick what fits. It helps us choose who contacts you."))
    urgency = forms.ChoiceField(label=_("How urgent is it?"), choices=Urgency.choices,
                                widget=forms.RadioSelect, initial=Urgency.ROUTINE)
    family_name = forms.CharField(
        label=_("The family's name"), required=False, max_length=120,
        help_text=_("Only when you ask for another family: so that we know whom it is about."))
    family_knows = forms.ChoiceField(
        label=_("Does the family know you ask for help?"), required=False,
        choices=FamilyKnows.choices, widget=forms.RadioSelect,
        help_text=_("Only when you ask for another family. We always talk with the family itself "
                    "before anything else happens."))
    place = forms.CharField(label=_("Where does the family live? (optional)"), required=False,
                            max_length=120,
                            help_text=_("A town or postcode, so that the team for that area answers."))
    children = forms.CharField(label=_("Children in the family and their ages (optional)"),
                               required=False, max_length=200,
                               help_text=_("For example: 14 and 6. Some help is for certain ages only."))
    asker_name = forms.CharField(label=_("Your name"), max_length=120,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_by = forms.ChoiceField(label=_("How can we contact you?"), choices=ContactBy.choices,
                                   widget=forms.RadioSelect)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
                            help_text=_("Needed for a call or a text message."))
    email = forms.EmailField(label=_("E-mail address"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             help_text=_("If you give one, we also tell you by e-mail when there is news "
                                         "(never what it is about)."))
    contact_when = forms.CharField(label=_("When can we best reach you? (optional)"), required=False,
                                   max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = domains.choices()
        self.fields["unsafe_now"].help_text = _(
            "If someone is in danger now, call %(number)s. We ask so that an urgent request is read "
            "first.") % {"number": settings.ONEPLAN["EMERGENCY_NUMBER"]}

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["unsafe_now"] = data.get("unsafe_now") == "yes"
        return data


class IntakeHelpForm(HelpForm):
    """The same form, filled in by an intake worker with the family on the phone or at the desk."""

    channel = forms.ChoiceField(label=_("How did the request come in?"),
                                choices=[c for c in Channel.choices if c[0] != Channel.WEB],
                                widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language for messages to the person who asked"),
                                 choices=settings.LANGUAGES)

    field_order = ["channel", "language"]


class LookupForm(forms.Form):
    reference = forms.CharField(label=_("Reference"), max_length=12,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
    code = forms.CharField(label=_("Code"), max_length=12,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class AskerMessageForm(forms.Form):
    text = forms.CharField(label=_("Add a message"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX}))


class ContactForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                        format="%Y-%m-%dT%H:%M"))
    how = forms.ChoiceField(label=_("How"), choices=[*ContactBy.choices, ("visit", _("Visit"))])
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)


class SafetyForm(forms.Form):
    danger_now = forms.ChoiceField(label=_("Is anyone in danger right now?"), choices=YES_NO,
                                   widget=forms.RadioSelect)
    violence = forms.ChoiceField(label=_("Is there violence at home, or fear of it?"), choices=YES_NO,
                                 widget=forms.RadioSelect)
    child_care = forms.ChoiceField(label=_("Is a child's basic care or safety at risk?"), choices=YES_NO,
                                   widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=500)

    def answers(self) -> dict:
        return {q: self.cleaned_data[q] == "yes" for q in SAFETY_QUESTIONS}


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}))
    relation = forms.ChoiceField(label=_("Relation"), choices=Membership.Relation.choices)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message to the person who asked"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX}),
                           help_text=_("They read it on the status page; they get only a notice that a "
                                       "message waits."))


class AdviceForm(forms.Form):
    note = forms.CharField(label=_("The advice"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX}),
                           help_text=_("The family reads this on the status page."))
    services = forms.MultipleChoiceField(label=_("Services suggested"), required=False,
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].choices = [(s.pk, f"{s.name} ({s.organisation.name})") for s in services]


class FamilyFileForm(forms.Form):
    coordinator = forms.ChoiceField(label=_("Care coordinator"))
    intensity = forms.ChoiceField(label=_("Intensity"), choices=Family.Intensity.choices,
                                  initial=Family.Intensity.MEDIUM)

    def __init__(self, *args, coordinators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = [
            (p.pk, f"{p.name} ({p.primary_organisation.name if p.primary_organisation else ''})")
            for p in coordinators]


class ReferralOutcomeForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    needs = forms.MultipleChoiceField(label=_("Needs"), widget=forms.CheckboxSelectMultiple)
    question = forms.CharField(label=_("What you ask the service"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    shared_categories = forms.MultipleChoiceField(label=_("Also shared with the service"), required=False,
                                                  widget=forms.CheckboxSelectMultiple)
    consent_given_by = forms.MultipleChoiceField(label=_("Who in the family agreed to share this"),
                                                 widget=forms.CheckboxSelectMultiple)
    consent_how = forms.ChoiceField(label=_("How did they agree?"), widget=forms.RadioSelect,
                                    choices=[("in_person", _("They told me (in person or by phone)")),
                                             ("paper", _("On paper"))])

    def __init__(self, *args, services=(), persons=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(s.pk, f"{s.name} ({s.organisation.name})") for s in services]
        self.fields["needs"].choices = domains.choices()
        self.fields["shared_categories"].choices = categories
        self.fields["consent_given_by"].choices = [(p.pk, p.full_name) for p in persons]


class PassOnForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))
    note = forms.CharField(label=_("Handed over to whom, and how"), max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ClosedReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=MESSAGE_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))
