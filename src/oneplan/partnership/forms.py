"""The partnership's forms; choices come from the view (members, their professionals, services)."""
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Sector
from oneplan.directory import domains
from oneplan.partnership.models import VISION_MAX, Category, Group, Purpose

DATE = {"type": "date"}


def _people(professionals) -> list[tuple[int, str]]:
    return [(p.pk, f"{p.name} ({p.primary_organisation.name if p.primary_organisation else '—'})")
            for p in professionals]


def _optional(choices, label=_("— none —")) -> list:
    return [("", label), *choices]


class PartnershipForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For example: First thousand days, Noord."))
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.CharField(label=_("Area"), required=False, max_length=200,
                           help_text=_("The municipality or district it works in."))
    coordinator = forms.ChoiceField(label=_("Partnership coordinator"), required=False)

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = _optional(_people(professionals))


class CoordinatorForm(forms.Form):
    coordinator = forms.ChoiceField(label=_("Partnership coordinator"))

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].choices = _people(professionals)


class MemberAddForm(forms.Form):
    organisation = forms.ChoiceField(label=_("Organisation"))

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class RepresentativeForm(forms.Form):
    professional = forms.ChoiceField(label=_("Representative"))

    def __init__(self, *args, professionals=(), member_id="", **kwargs):
        kwargs.setdefault("auto_id", f"rep{member_id}_%s")  # one form per member on the page
        super().__init__(*args, **kwargs)
        self.fields["professional"].choices = [(p.pk, p.name) for p in professionals]


class VisionForm(forms.Form):
    text = forms.CharField(label=_("Vision"), max_length=VISION_MAX,
                           widget=forms.Textarea(attrs={"rows": 10, "maxlength": VISION_MAX}),
                           help_text=_("Every member agrees each new version; the page shows what changed."))
    note = forms.CharField(label=_("What changed and why (optional)"), required=False, max_length=300)


class RoleForm(forms.Form):
    role = forms.CharField(label=_("What the organisation does in the partnership"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    lead_domains = forms.MultipleChoiceField(
        label=_("Leads on these life domains"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("One lead per life domain in the partnership."))
    services = forms.MultipleChoiceField(
        label=_("Services it brings (from the service directory)"), required=False,
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_domains"].choices = domains.choices()
        self.fields["services"].choices = [(s.pk, s.name) for s in services]


class AgreementForm(forms.Form):
    from_organisation = forms.ChoiceField(label=_("From organisation"), required=False)
    from_sector = forms.ChoiceField(label=_("or from a whole sector"), required=False)
    to_organisation = forms.ChoiceField(label=_("To organisation"), required=False)
    to_sector = forms.ChoiceField(label=_("or to a whole sector"), required=False)
    need = forms.ChoiceField(label=_("For the need (life domain)"))
    response_days = forms.IntegerField(label=_("Agreed time to accept (days)"), min_value=1, max_value=365,
                                       help_text=_("Measured from sending to accepting a referral."))
    from_contact = forms.ChoiceField(label=_("Contact person on the referring side"), required=False)
    to_contact = forms.ChoiceField(label=_("Contact person on the receiving side"), required=False)
    note = forms.CharField(label=_("What else was agreed (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs=DATE),
                                 initial=timezone.localdate)

    def __init__(self, *args, organisations=(), professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        orgs = _optional([(o.pk, o.name) for o in organisations])
        sectors = _optional(Sector.choices)
        for side in ("from", "to"):
            self.fields[f"{side}_organisation"].choices = orgs
            self.fields[f"{side}_sector"].choices = sectors
            self.fields[f"{side}_contact"].choices = _optional(_people(professionals))
        self.fields["need"].choices = domains.choices()


class ContributionForm(forms.Form):
    member = forms.ChoiceField(label=_("Member"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    purpose = forms.ChoiceField(label=_("For"), choices=Purpose.choices, widget=forms.RadioSelect,
                                initial=Purpose.POOLED)
    money = forms.DecimalField(label=_("Money (euros)"), required=False, min_value=0, max_digits=12,
                               decimal_places=2)
    staff_hours = forms.IntegerField(label=_("Staff hours"), required=False, min_value=0)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=300)

    def __init__(self, *args, members=(), **kwargs):
        kwargs.setdefault("auto_id", "contribution_%s")  # three forms on the funding page
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, m.organisation.name) for m in members]


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    amount = forms.DecimalField(label=_("Planned (euros)"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "budget_%s")
        super().__init__(*args, **kwargs)


class SpendingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    amount = forms.DecimalField(label=_("Amount (euros)"), min_value=0, max_digits=12, decimal_places=2)
    spent_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate)
    description = forms.CharField(label=_("What for"), max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "spending_%s")
        super().__init__(*args, **kwargs)


class RoundForm(forms.Form):
    closes_on = forms.DateField(label=_("Closes on"), widget=forms.DateInput(attrs=DATE),
                                help_text=_("Every professional of the members gets a personal link at once."))


class ExternalInviteForm(forms.Form):
    group = forms.ChoiceField(label=_("Who is it for?"), widget=forms.RadioSelect,
                              choices=[(Group.FAMILY, Group.FAMILY.label), (Group.POLICYMAKER, Group.POLICYMAKER.label)])
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=150,
                           help_text=_("Only to send the link; removed when the round closes."))
    email_to = forms.EmailField(label=_("E-mail address (optional)"), required=False,
                                help_text=_("The link is e-mailed; it is also shown once, to copy or print."))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


DONT_KNOW = "dk"


class AnswersForm(forms.Form):
    """One radio group per question: 1-5 or "don't know"."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"{n} · {label}") for n, label in questionnaire.scale]
        choices.append((DONT_KNOW, _("Don't know")))
        self.aspects = []
        for aspect in questionnaire.aspects:
            names = []
            for question in aspect["questions"]:
                self.fields[question["key"]] = forms.ChoiceField(
                    label=question["text"], choices=choices, widget=forms.RadioSelect,
                    error_messages={"required": _("Choose an answer, or \"don't know\".")})
                names.append(question["key"])
            self.aspects.append((aspect["name"], names))

    def grouped(self):
        """[(aspect name, [bound fields])] for the template."""
        return [(name, [self[key] for key in keys]) for name, keys in self.aspects]


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE), initial=timezone.localdate)
    title = forms.CharField(label=_("Subject"), max_length=200)
    participants = forms.MultipleChoiceField(label=_("Who took part"), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    others = forms.CharField(label=_("Other participants (optional)"), required=False, max_length=500,
                             help_text=_("For example: two parents of the family council, the alderman's "
                                         "policy officer."))
    learned = forms.CharField(label=_("What we learned"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = _people(professionals)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("Action"), max_length=500)
    owner = forms.ChoiceField(label=_("Owner"))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs=DATE))

    def __init__(self, *args, professionals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _people(professionals)


class ActionDoneForm(forms.Form):
    note = forms.CharField(label=_("How it was done (optional)"), required=False, max_length=500)
