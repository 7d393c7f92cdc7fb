"""The front door's pages: the public request form, receipt and status page; the intake queue
and one request's intake for the front-door team."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.accounts.throttle import source_address
from oneplan.core import smallnumbers
from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required, save_form
from oneplan.directory import domains
from oneplan.directory.models import Service
from oneplan.families.categories import Category
from oneplan.frontdoor import forms, indicators, selectors, services
from oneplan.frontdoor.tell import display_reference
from oneplan.referrals.services import SHAREABLE

# A request larger than this is refused before the form is read (the form's own limits are far below).
MAX_BODY = 32 * 1024


def _public(request, template: str, context: dict, status: int = 200):
    context.update(phone=settings.ONEPLAN["FRONT_DOOR_PHONE"],
                   emergency=settings.ONEPLAN["EMERGENCY_NUMBER"])
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"  # a receipt or status page never stays in a shared cache
    return response


def _too_big(request) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY
    except ValueError:
        return True


@never_cache
def help_form(request):
    """/help: ask for help, for your own family or because you worry about one."""
    if request.method == "POST" and _too_big(request):
        return _public(request, "frontdoor/help.html", {"form": forms.HelpForm(), "too_big": True}, 413)
    if request.method == "POST" and services.over_limit(source_address(request)):
        return _too_many(request)
    form = forms.HelpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.POST.get("website"):  # the hidden field only robots fill in
            form.add_error(None, _("This request could not be sent. Leave the last, hidden field empty."))
        else:
            try:
                item, code = services.request_submit(
                    actor=None, values=form.values(), language=translation.get_language(),
                    source=source_address(request))
            except services.TooManyRequests:
                return _too_many(request)
            except DomainError as error:
                form_error(form, error)
            else:
                return _public(request, "frontdoor/receipt.html", {"item": item, "code": code,
                               "reference": display_reference(item.reference)}, 201)
    return _public(request, "frontdoor/help.html", {"form": form},
                   400 if request.method == "POST" else 200)


def _too_many(request):
    """A flood from one address: a small page (what they wrote is shown back, so nothing is lost
    even without the draft on the device), no form, no query."""
    response = _public(request, "frontdoor/too_many.html", {"story": request.POST.get("story", "")[:4000]}, 429)
    response["Retry-After"] = "3600"
    return response


@never_cache
def status(request):
    """The asker's own request: reference and code in a POST (never in an address), a message."""
    lookup = forms.LookupForm(request.POST or None)
    message_form = forms.AskerMessageForm()
    item, status_code, sent = None, 200, False
    if request.method == "POST" and _too_big(request):
        return _public(request, "frontdoor/status.html", {"lookup": forms.LookupForm()}, 413)
    if request.method == "POST" and lookup.is_valid():
        reference, code = lookup.cleaned_data["reference"], lookup.cleaned_data["code"]
        try:
            item = services.request_lookup(reference=reference, code=code, source=source_address(request))
            if "text" in request.POST:
                message_form = forms.AskerMessageForm(request.POST)
                if save_form(request, message_form, lambda d: services.asker_message_add(
                        reference=reference, code=code, source=source_address(request), text=d["text"])):
                    message_form, sent = forms.AskerMessageForm(), True
        except services.TooManyRequests as error:
            lookup.add_error(None, error.message)
            status_code = 429
        except DomainError as error:
            lookup.add_error(None, error.message)
            status_code = 404
    elif request.method == "POST":
        status_code = 400
    context = {"lookup": lookup, "item": item, "message_form": message_form, "sent": sent}
    if item is not None:
        context.update(view=selectors.asker_view(item))
    return _public(request, "frontdoor/status.html", context, status_code)


# ---- the front-door team -------------------------------------------------------------------------

@professional_required
def queue(request):
    mine = request.GET.get("mine") == "1"
    result = selectors.queue(actor=request.professional, mine=mine, after=request.GET.get("after", ""))
    return render(request, "frontdoor/queue.html", {"queue": result, "mine": mine, "now": timezone.now()})


@professional_required
def enter(request):
    """An intake worker fills the form with a family on the phone or at the desk."""
    services._require_front_door(request.professional, "helprequest.enter")
    form = forms.IntakeHelpForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            item, code = services.request_submit(
                actor=request.professional, values=form.values(), language=form.cleaned_data["language"],
                channel=form.cleaned_data["channel"])
        except DomainError as error:
            form_error(form, error)
        else:
            return render(request, "frontdoor/entered.html", {"item": item, "code": code,
                          "reference": display_reference(item.reference)}, status=201)
    return render(request, "frontdoor/enter.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _coordinators() -> list[Professional]:
    people = Professional.objects.filter(acting_for__isnull=True, user__is_active=True) \
        .select_related("user").prefetch_related("organisations")
    return [p for p in people if p.has_role(Role.COORDINATOR)]


def _intake_forms(item, data=None, which: str = ""):
    """The forms of the detail page; the one that was posted (`which`) is bound."""
    services_list = list(Service.objects.filter(status=Service.Status.ACTIVE).select_related("organisation")
                         .order_by("name")[:500])
    persons = list(item.persons.all())
    categories = [(c, Category(c).label) for c in SHAREABLE]

    def bound(name):
        return data if which == name else None

    return {
        "contact_form": forms.ContactForm(bound("contact"), initial={"at": timezone.localtime().strftime(
            "%Y-%m-%dT%H:%M"), "how": item.contact_by}),
        "safety_form": forms.SafetyForm(bound("safety")),
        "person_form": forms.PersonForm(bound("person"), initial={"family_name": item.family_name}),
        "message_form": forms.MessageForm(bound("message")),
        "advice_form": forms.AdviceForm(bound("advice"), services=services_list),
        "family_form": forms.FamilyFileForm(bound("family"), coordinators=_coordinators()),
        "referral_form": forms.ReferralOutcomeForm(
            bound("referral"), services=[s for s in services_list if s.accepts_referrals], persons=persons,
            categories=categories, initial={"needs": item.domains, "question": item.story[:2000]}),
        "pass_form": forms.PassOnForm(bound("pass"), organisations=Organisation.objects.order_by("name")),
        "close_form": forms.CloseForm(bound("close")),
    }


def _detail_page(request, item, which: str = "", status: int = 200, form=None):
    names = domains.names()
    context = {"item": item, "domain_labels": [names.get(d, d) for d in item.domains], "matches": selectors.matches_for(actor=request.professional, item=item),
               "steps": item.steps.select_related("actor__user"),
               "messages_list": item.messages.select_related("author__user"),
               "services": item.services.select_related("organisation"),
               "now": timezone.now(), **_intake_forms(item)}
    if form is not None:
        context[f"{which}_form"] = form  # the posted form, with its errors
    return render(request, "frontdoor/detail.html", context, status=status)


@professional_required
def detail(request, request_id):
    item = selectors.request_detail(actor=request.professional, request_id=request_id)
    return _detail_page(request, item)


def _act(which: str, call, done):
    """One intake step: the posted form, the service, back to the request (or the form's errors)."""

    @professional_required
    @require_POST
    def view(request, request_id):
        item = selectors.request_detail(actor=request.professional, request_id=request_id)
        form = _intake_forms(item, request.POST, which)[f"{which}_form"]
        if save_form(request, form, lambda d: call(request.professional, item, d, form)):
            messages.success(request, done)
            return redirect("frontdoor:detail", request_id=item.pk)
        return _detail_page(request, item, which, status=400, form=form)

    return view


@professional_required
@require_POST
def take(request, request_id):
    services.request_take(actor=request.professional, request_id=request_id)
    messages.success(request, _("You handle this request now."))
    return redirect("frontdoor:detail", request_id=request_id)


contact = _act("contact", lambda actor, item, d, f: services.contact_record(
    actor=actor, request_id=item.pk, at=d["at"], how=d["how"], note=d["note"]), _l("Contact recorded."))
safety = _act("safety", lambda actor, item, d, f: services.safety_record(
    actor=actor, request_id=item.pk, answers=f.answers(), note=d["note"]), _l("Safety screen recorded."))
person = _act("person", lambda actor, item, d, f: services.person_note(
    actor=actor, request_id=item.pk, **d), _l("Family member noted."))
message = _act("message", lambda actor, item, d, f: services.team_message(
    actor=actor, request_id=item.pk, text=d["text"]), _l("Message sent."))
advice = _act("advice", lambda actor, item, d, f: services.outcome_advice(
    actor=actor, request_id=item.pk, note=d["note"], service_ids=d["services"]), _l("Advice recorded."))
family_file = _act("family", lambda actor, item, d, f: services.outcome_family_file(
    actor=actor, request_id=item.pk, coordinator_id=d["coordinator"], intensity=d["intensity"]),
    _l("Family file opened; the coordinator was told in her inbox."))
referral = _act("referral", lambda actor, item, d, f: services.outcome_referral(
    actor=actor, request_id=item.pk, service_id=d["service"], needs=d["needs"], question=d["question"],
    shared_categories=d["shared_categories"], consent_given_by=d["consent_given_by"],
    consent_how=d["consent_how"]), _l("Consent recorded and referral sent."))
pass_on = _act("pass", lambda actor, item, d, f: services.outcome_passed_on(
    actor=actor, request_id=item.pk, organisation_id=d["organisation"], note=d["note"]),
    _l("Request passed on."))
close = _act("close", lambda actor, item, d, f: services.outcome_close(
    actor=actor, request_id=item.pk, reason=d["reason"], note=d["note"]), _l("Request closed."))


@professional_required
@require_POST
def match(request, request_id, member_id):
    services.match_decide(actor=request.professional, request_person_id=member_id,
                          person_id=request.POST.get("person"), same=request.POST.get("same") == "yes")
    messages.success(request, _("Thank you: noted."))
    return redirect("frontdoor:detail", request_id=request_id)


@professional_required
def figures(request):
    try:
        weeks = int(request.GET.get("weeks", 12))
    except ValueError:
        weeks = 12
    result = indicators.figures(actor=request.professional, weeks=weeks)
    return render(request, "frontdoor/figures.html", {
        "figures": result, "small": smallnumbers.threshold(),
        "tables": [(_("Requests per week, by who asked"), result.by_asker),
                   (_("Requests per week, by channel"), result.by_channel)]})
