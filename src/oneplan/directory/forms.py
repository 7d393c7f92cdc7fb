"""Directory forms: the search, a service (for its organisation's admin), the waiting time."""
from django import forms
from django.utils.translation import gettext_lazy as _

from oneplan.accounts.models import Sector
from oneplan.directory import domains
from oneplan.directory.models import FamilySituation, Language, Service
from oneplan.directory.services import ServiceInput

RULE_ROWS = 3


class SearchForm(forms.Form):
    domain = forms.ChoiceField(label=_("Need (life domain)"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=120)
    area = forms.CharField(label=_("Area"), required=False, max_length=100,
                           widget=forms.TextInput(attrs={"list": "areas", "autocomplete": "off"}))
    language = forms.ChoiceField(label=_("Language"), required=False)
    q = forms.CharField(label=_("Search words"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("Any need"))] + domains.choices()
        self.fields["language"].choices = [("", _("Any language"))] + list(Language.choices)


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    alternate_name = forms.CharField(label=_("Also known as"), max_length=200, required=False)
    description = forms.CharField(label=_("What the service does"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    status = forms.ChoiceField(label=_("Status"), choices=Service.Status.choices)
    domains = forms.MultipleChoiceField(label=_("Life domains it works on"), required=False,
                                        widget=forms.CheckboxSelectMultiple)
    target_group = forms.CharField(label=_("Target group"), max_length=300, required=False,
                                   help_text=_("In a few words, for example: parents of children 0-12"))
    family_situations = forms.MultipleChoiceField(label=_("Family situations"), required=False,
                                                  choices=FamilySituation.choices,
                                                  widget=forms.CheckboxSelectMultiple)
    minimum_age = forms.IntegerField(label=_("Minimum age"), required=False, min_value=0, max_value=120)
    maximum_age = forms.IntegerField(label=_("Maximum age"), required=False, min_value=0, max_value=120)
    eligibility_description = forms.CharField(label=_("Eligibility in words"), required=False,
                                              max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    application_process = forms.CharField(label=_("How to refer"), required=False, max_length=2000,
                                          widget=forms.Textarea(attrs={"rows": 2}))
    referral_requirements = forms.CharField(label=_("What a referral must contain"), required=False,
                                            max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    wait_weeks = forms.IntegerField(label=_("Current waiting time in weeks"), required=False,
                                    min_value=0, max_value=260)
    languages = forms.MultipleChoiceField(label=_("Languages"), required=False, choices=Language.choices,
                                          widget=forms.CheckboxSelectMultiple)
    areas = forms.CharField(label=_("Areas served"), required=False, max_length=1000,
                            help_text=_("Districts or municipalities, separated by commas; empty means "
                                        "the whole region"))
    fees_description = forms.CharField(label=_("Cost"), max_length=300, required=False)
    schedule_description = forms.CharField(label=_("Opening hours"), max_length=300, required=False)
    interpretation_services = forms.CharField(label=_("Interpreters"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    location_name = forms.CharField(label=_("Location name"), max_length=200, required=False)
    address_1 = forms.CharField(label=_("Address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    contacts = forms.MultipleChoiceField(label=_("Contact people"), required=False,
                                         widget=forms.CheckboxSelectMultiple,
                                         help_text=_("They receive the service's new referrals in their inbox"))

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domains"].choices = domains.choices()
        self.fields["contacts"].choices = [(str(p.pk), f"{p.name} ({p.discipline})" if p.discipline else p.name)
                                           for p in staff]
        score_choices = [("", "—")] + [(str(i), str(i)) for i in range(1, 6)]
        for i in range(1, RULE_ROWS + 1):
            self.fields[f"rule{i}_domain"] = forms.ChoiceField(
                label=_("Eligibility rule %(n)d: life domain") % {"n": i}, required=False,
                choices=[("", "—")] + domains.choices())
            self.fields[f"rule{i}_min"] = forms.TypedChoiceField(
                label=_("Rule %(n)d: lowest score") % {"n": i}, required=False, choices=score_choices,
                coerce=int, empty_value=None)
            self.fields[f"rule{i}_max"] = forms.TypedChoiceField(
                label=_("Rule %(n)d: highest score") % {"n": i}, required=False, choices=score_choices,
                coerce=int, empty_value=None)

    def clean(self):
        data = super().clean()
        for i in range(1, RULE_ROWS + 1):
            has_domain = bool(data.get(f"rule{i}_domain"))
            has_bound = data.get(f"rule{i}_min") is not None or data.get(f"rule{i}_max") is not None
            if has_bound and not has_domain:
                self.add_error(f"rule{i}_domain", _("Choose the life domain this rule is about."))
            if has_domain and not has_bound:
                self.add_error(f"rule{i}_min", _("Give a lowest or highest score (1-5)."))
        return data

    def to_input(self) -> ServiceInput:
        d = self.cleaned_data
        rules = [(d[f"rule{i}_domain"], d[f"rule{i}_min"], d[f"rule{i}_max"])
                 for i in range(1, RULE_ROWS + 1) if d.get(f"rule{i}_domain")]
        return ServiceInput(
            name=d["name"], alternate_name=d["alternate_name"], description=d["description"],
            status=d["status"], url=d["url"], email=d["email"], phone=d["phone"],
            target_group=d["target_group"], family_situations=d["family_situations"],
            eligibility_description=d["eligibility_description"], minimum_age=d["minimum_age"],
            maximum_age=d["maximum_age"], application_process=d["application_process"],
            referral_requirements=d["referral_requirements"], fees_description=d["fees_description"],
            schedule_description=d["schedule_description"],
            interpretation_services=d["interpretation_services"], wait_weeks=d["wait_weeks"],
            domains=d["domains"], languages=d["languages"],
            areas=[a for a in d["areas"].split(",") if a.strip()],
            location=(d["location_name"], d["address_1"], d["postal_code"], d["city"]),
            contact_ids=[int(c) for c in d["contacts"]], rules=rules)

    @staticmethod
    def initial_for(item: Service) -> dict:
        initial = {name: getattr(item, name) for name in (
            "name", "alternate_name", "description", "status", "target_group", "family_situations",
            "minimum_age", "maximum_age", "eligibility_description", "application_process",
            "referral_requirements", "wait_weeks", "fees_description", "schedule_description",
            "interpretation_services", "phone", "email", "url")}
        initial["domains"] = [d.domain for d in item.domains.all()]
        initial["languages"] = [lang.code for lang in item.languages.all()]
        initial["areas"] = ", ".join(a.name for a in item.areas.all())
        initial["contacts"] = [str(c.professional_id) for c in item.contacts.all() if c.professional_id]
        location = item.locations.first()
        if location:
            initial.update(location_name=location.name, address_1=location.address_1,
                           postal_code=location.postal_code, city=location.city)
        for i, rule in enumerate(item.rules.all()[:RULE_ROWS], 1):
            initial.update({f"rule{i}_domain": rule.domain, f"rule{i}_min": rule.min_score,
                            f"rule{i}_max": rule.max_score})
        return initial


class WaitForm(forms.Form):
    wait_weeks = forms.IntegerField(label=_("Waiting time in weeks"), required=False, min_value=0,
                                    max_value=260)


MAX_IMPORT_BYTES = 50 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(label=_("HSDS file"),
                           help_text=_("HSDS 3.0 JSON (a list of full services) or a .zip of the HSDS CSV files."))
    sector = forms.ChoiceField(label=_("Sector of organisations new to oneplan"), required=False,
                               choices=[("", _("None: the file only has organisations oneplan knows"))]
                               + list(Sector.choices))

    def __init__(self, *args, may_create_organisations: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_create_organisations:
            del self.fields["sector"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        if not upload.name.lower().endswith((".json", ".zip")):
            raise forms.ValidationError(_("Choose a .json file or a .zip of CSV files."))
        return upload
