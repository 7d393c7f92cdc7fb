"""Assessment pages; thin wrappers around services and selectors."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.accounts.models import Role
from oneplan.assessments import charts, selectors, services
from oneplan.assessments.forms import InstrumentUploadForm, SafetyDoneForm, ScoreForm, StartForm
from oneplan.assessments.models import Instrument
from oneplan.core.errors import DomainError, NotFound
from oneplan.core.web import form_error, professional_required
from oneplan.families.selectors import family_file


@professional_required
def start(request, family_id):
    file = family_file(actor=request.professional, family_id=family_id)
    instruments = Instrument.objects.filter(is_active=True)
    form = StartForm(request.POST or None, instruments=instruments,
                     initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=request.professional, family_id=family_id,
                instrument_id=int(form.cleaned_data["instrument"]), held_on=form.cleaned_data["held_on"])
        except DomainError as error:
            form_error(form, error)
        else:
            return redirect("assessments:detail", assessment_id=assessment.pk)
    return render(request, "assessments/start.html", {"form": form, "file": file, "family": file.family},
                  status=400 if request.method == "POST" else 200)


@professional_required
def detail(request, assessment_id):
    access, assessment, domains = selectors.assessment_detail(actor=request.professional,
                                                              assessment_id=assessment_id)
    return render(request, "assessments/detail.html", {
        "assessment": assessment, "domains": domains, "family": access.family,
        "can_edit": access.can("family.edit") and assessment.status == "draft",
        "can_consent": access.can("consent.manage")})


@professional_required
def score(request, assessment_id, domain_key):
    access, assessment, domains = selectors.assessment_detail(actor=request.professional,
                                                              assessment_id=assessment_id)
    row = next((d for d in domains if d.domain["key"] == domain_key), None)
    if row is None:
        raise NotFound("This domain is not part of the instrument.")
    person_id = request.GET.get("person") or request.POST.get("person") or None
    person, current = next(((p, s) for p, s in row.rows if str(p.pk if p else None) == str(person_id)),
                           (None, None))
    initial = {f: getattr(current, f) for f in ("professional_score", "family_score", "family_words",
                                                 "strengths", "concerns", "safety_flag")} if current else {}
    form = ScoreForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_set(actor=request.professional, assessment_id=assessment_id,
                               domain_key=domain_key, person_id=int(person_id) if person_id else None,
                               **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Scores saved."))
            return redirect("assessments:detail", assessment_id=assessment_id)
    return render(request, "assessments/score.html", {
        "form": form, "assessment": assessment, "domain": row.domain, "person": person,
        "family": access.family, "levels": sorted(row.domain["levels"].items())},
        status=400 if request.method == "POST" else 200)


@professional_required
@require_POST
def complete(request, assessment_id):
    try:
        services.assessment_complete(actor=request.professional, assessment_id=assessment_id)
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Assessment completed."))
    return redirect("assessments:detail", assessment_id=assessment_id)


@professional_required
def chart(request, family_id):
    access, assessments, series, withheld = selectors.domain_scores(actor=request.professional,
                                                                   family_id=family_id)
    return render(request, "assessments/chart.html", {
        "family": access.family, "assessments": assessments, "charts": [charts.chart(s) for s in series],
        "withheld": withheld})


@professional_required
def safety_done(request, family_id, task_id):
    file = family_file(actor=request.professional, family_id=family_id)
    form = SafetyDoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_task_done(actor=request.professional, task_id=task_id,
                                      note=form.cleaned_data["note"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Safety task closed."))
            return redirect("families:file", family_id=family_id)
    return render(request, "assessments/safety_done.html", {"form": form, "family": file.family,
                                                           "file": file})


@professional_required
def instruments(request):
    is_admin = request.professional.has_role(Role.NETWORK_ADMIN)
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8")
                instrument, created = services.instrument_upload(
                    actor=request.professional, text=text, source=upload.name)
            except UnicodeDecodeError:
                form.add_error("file", _("The file must be UTF-8 text (YAML)."))
            except DomainError as error:
                if error.status == 403:
                    raise  # audited by the service; shown as the 403 page
                form.add_error("file", error.message)
            else:
                messages.success(request, _("Loaded %(name)s, version %(v)s.") % {
                    "name": instrument.name, "v": instrument.version} if created else
                    _("Nothing changed: this instrument is already loaded."))
                return redirect("assessments:instruments")
    return render(request, "assessments/instruments.html", {
        "instruments": Instrument.objects.all(), "form": form, "is_admin": is_admin},
        status=400 if request.method == "POST" else 200)
