"""Studies: the list, asking for one, the privacy officer's decision, the export and its dictionary."""
from django.contrib import messages
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.accounts.models import Role
from oneplan.core.web import professional_required, save_form
from oneplan.studies import export, forms, selectors, services


@professional_required
def index(request):
    items = selectors.studies(actor=request.professional)
    form = forms.StudyForm(request.POST or None)
    if save_form(request, form, lambda d: services.study_request(actor=request.professional, **d)):
        messages.success(request, _("Study requested: a privacy officer decides on it."))
        return redirect("studies:index")
    return render(request, "studies/index.html", {
        "studies": items, "form": form, "can_request": request.professional.has_role(Role.ANALYST)},
        status=400 if request.method == "POST" else 200)


@professional_required
def detail(request, study_id):
    item = selectors.study(actor=request.professional, study_id=study_id)
    form = forms.DecisionForm(request.POST or None)
    if save_form(request, form, lambda d: services.study_decide(
            actor=request.professional, study_id=item.pk, approve=d["decision"] == "approve", note=d["note"])):
        messages.success(request, _("Decision recorded."))
        return redirect("studies:detail", study_id=item.pk)
    return render(request, "studies/detail.html", {
        "study": item, "form": form, "fields": [export.BY_KEY[k] for k in item.fields],
        "exports": item.exports.select_related("made_by__user"),
        "can_decide": request.professional.has_role(Role.PRIVACY_OFFICER) and item.status == "requested"},
        status=400 if request.method == "POST" else 200)


@professional_required
@require_POST
def download(request, study_id):
    item = selectors.study(actor=request.professional, study_id=study_id)
    study, made = services.study_export_start(actor=request.professional, study_id=item.pk)
    response = StreamingHttpResponse(services.csv_lines(actor=request.professional, study=study, made=made),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="study-{study.pk}-export-{made.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@professional_required
def dictionary(request, study_id):
    item = selectors.study(actor=request.professional, study_id=study_id)
    response = StreamingHttpResponse(services.dictionary_lines(item), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="study-{item.pk}-dictionary.csv"'
    return response
