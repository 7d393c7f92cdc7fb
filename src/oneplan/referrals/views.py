"""Referral pages: refer from a family file, one referral with its steps, the queues, handoffs."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import ConsentMissing, DomainError
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required
from oneplan.directory import domains
from oneplan.directory.selectors import service_detail
from oneplan.families.selectors import family_file
from oneplan.referrals import selectors, services
from oneplan.referrals.forms import HandoffForm, HandoffHeldForm, ReferralForm, StepForm
from oneplan.referrals.models import DeclineReason, Urgency
from oneplan.referrals.rules import receiving_organisation_ids
from oneplan.referrals.selectors import QUEUE_STATES
from oneplan.referrals.stats import wait_stats


@professional_required
def new(request, family_id):
    file = family_file(actor=request.professional, family_id=family_id)
    service_id = request.POST.get("service") or request.GET.get("service", "")
    if not service_id.isdigit():
        return redirect(reverse("directory:search") + f"?family={file.family.pk}")
    target = service_detail(service_id)
    initial = {"service": target.pk, "needs": [d.domain for d in target.domains.all()][:1],
               "urgency": Urgency.ROUTINE}
    form = ReferralForm(request.POST or None, members=file.members, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=request.professional, family_id=file.family.pk, service_id=d["service"],
                person_ids=[int(p) for p in d["persons"]], needs=d["needs"], urgency=d["urgency"],
                question=d["question"], shared_categories=d["shared_categories"])
        except DomainError as error:
            if error.status == 404:
                raise
            form_error(form, error)
        else:
            messages.success(request, _("Draft referral saved. Check it, then send it."))
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/new.html", {
        "form": form, "file": file, "family": file.family, "service": target,
        "stats": wait_stats([target.pk])[target.pk], "domain_names": domains.names(),
    }, status=400 if request.method == "POST" else 200)


def _detail_context(request, view, **extra) -> dict:
    referral = view.referral
    context = {"view": view, "referral": referral, "access": view.access,
               "decline_reasons": DeclineReason.choices, "domain_names": domains.names(),
               "today": timezone.localdate(), "handoff_form": None, "held_form": None}
    if referral.status in services.HANDOFF_STATUSES and view.colleagues and (
            view.handoff is None or view.handoff.state == "planned"):
        initial = dict(view.handoff_defaults)
        if view.handoff:
            initial.update(planned_for=timezone.localtime(view.handoff.planned_for), mode=view.handoff.mode,
                           place=view.handoff.place, role=view.handoff.role, focus=view.handoff.focus,
                           responsibilities=view.handoff.responsibilities,
                           receiving_professional=str(view.handoff.receiving_professional_id))
        context["handoff_form"] = HandoffForm(initial=initial, colleagues=view.colleagues)
    if view.handoff and view.handoff.state == "planned":
        context["held_form"] = HandoffHeldForm(initial={"held_on": timezone.localdate(),
                                                        "family_present": True})
    context.update(extra)
    return context


@professional_required
def detail(request, referral_id):
    view = selectors.referral_detail(actor=request.professional, referral_id=referral_id)
    return render(request, "referrals/detail.html", _detail_context(request, view))


def _back_with_error(request, referral_id, error: DomainError):
    if error.status == 404:
        raise error
    messages.error(request, error.message)
    return redirect("referrals:detail", referral_id=referral_id)


@require_POST
@professional_required
def send(request, referral_id):
    try:
        services.referral_send(actor=request.professional, referral_id=referral_id,
                               version=request.POST.get("version") or None)
    except ConsentMissing as error:
        for line in error.missing:
            messages.error(request, line)
        return redirect("referrals:detail", referral_id=referral_id)
    except DomainError as error:
        return _back_with_error(request, referral_id, error)
    messages.success(request, _("Referral sent. You will see every change in your inbox."))
    return redirect("referrals:detail", referral_id=referral_id)


@require_POST
@professional_required
def step(request, referral_id):
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This step could not be read; open the referral and try again."))
        return redirect("referrals:detail", referral_id=referral_id)
    d = form.cleaned_data
    try:
        referral = services.referral_step(
            actor=request.professional, referral_id=referral_id, to_status=d["to_status"],
            version=d["version"], note=d["note"], decline_reason=d["decline_reason"],
            receiving_professional_id=d["receiving_professional"],
            expected_start_on=d["expected_start_on"])
    except DomainError as error:
        return _back_with_error(request, referral_id, error)
    messages.success(request, _("Referral %(number)s is now: %(status)s.") % {
        "number": referral.number, "status": str(referral.get_status_display()).lower()})
    return redirect("referrals:detail", referral_id=referral_id)


@professional_required
def handoff(request, referral_id):
    view = selectors.referral_detail(actor=request.professional, referral_id=referral_id)
    form = HandoffForm(request.POST or None, colleagues=view.colleagues)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.handoff_plan(actor=request.professional, referral_id=referral_id,
                                  planned_for=d["planned_for"], mode=d["mode"], place=d["place"],
                                  receiving_professional_id=int(d["receiving_professional"]),
                                  role=d["role"], focus=d["focus"], responsibilities=d["responsibilities"])
        except DomainError as error:
            if error.status == 404:
                raise
            form_error(form, error)
        else:
            messages.success(request, _("Warm handoff planned. Everyone involved is told."))
            return redirect("referrals:detail", referral_id=referral_id)
    return render(request, "referrals/detail.html", _detail_context(request, view, handoff_form=form),
                  status=400 if request.method == "POST" else 200)


@require_POST
@professional_required
def handoff_held(request, referral_id):
    form = HandoffHeldForm(request.POST)
    if not form.is_valid():
        view = selectors.referral_detail(actor=request.professional, referral_id=referral_id)
        return render(request, "referrals/detail.html", _detail_context(request, view, held_form=form),
                      status=400)
    d = form.cleaned_data
    try:
        item = services.handoff_record(actor=request.professional, referral_id=referral_id,
                                       held_on=d["held_on"], family_present=d["family_present"],
                                       notes=d["notes"])
    except DomainError as error:
        return _back_with_error(request, referral_id, error)
    messages.success(request, _("Warm handoff recorded: %(name)s is now on the care team.") % {
        "name": item.receiving_professional.name})
    return redirect("referrals:detail", referral_id=referral_id)


@professional_required
def incoming(request):
    if not receiving_organisation_ids(request.professional):
        return redirect("referrals:sent")
    state = request.GET.get("state", "open")
    state = state if state in QUEUE_STATES else "open"
    urgency = request.GET.get("urgency", "")
    service_id = request.GET.get("service", "")
    page = paginate(selectors.incoming(actor=request.professional, state=state, service_id=service_id,
                                       urgency=urgency), request.GET.get("page"))
    return render(request, "referrals/incoming.html", {
        "page": page, "state": state, "urgency": urgency, "urgencies": Urgency.choices,
        "states": [("open", _("Open")), ("new", _("New")), ("waiting", _("Waiting list")),
                   ("closed", _("Closed"))],
    })


@professional_required
def sent(request):
    state = request.GET.get("state", "open")
    state = state if state in ("open", "closed", "all") else "open"
    page = paginate(selectors.outgoing(actor=request.professional, state=state), request.GET.get("page"))
    return render(request, "referrals/sent.html", {
        "page": page, "state": state, "receiver": bool(receiving_organisation_ids(request.professional)),
        "states": [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
    })
