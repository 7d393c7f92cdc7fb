"""The audit log search page for privacy officers, with a proof of each event and a proof check."""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render

from oneplan.access import audit_log as selectors
from oneplan.access.audit_forms import AuditSearchForm, ProofCheckForm
from oneplan.audit import proofs
from oneplan.core.pagination import paginate
from oneplan.core.web import professional_required


@professional_required
def search(request):
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        d = form.cleaned_data
        events = selectors.audit_search(
            actor=request.professional, family_reference=d["family"], person_bsn=d["person_bsn"],
            professional=d["professional"], date_from=d["date_from"], date_to=d["date_to"],
            outcome=d["outcome"])
        page = paginate(events, request.GET.get("page"), per_page=50)
    elif not form.is_bound:
        page = paginate(selectors.audit_search(actor=request.professional), 1, per_page=50)
    return render(request, "audit/search.html", {"form": form, "page": page, "covered": proofs.covered()})


@professional_required
def proof(request, event_id: int):
    """The event's inclusion proof as a file to keep or hand on."""
    try:
        data = selectors.audit_proof(actor=request.professional, event_id=event_id)
    except proofs.ProofUnavailable as error:
        messages.error(request, str(error))
        return redirect("audit:search")
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="audit-proof-{event_id}.json"'
    return response


@professional_required
def check_proof(request):
    form = ProofCheckForm(request.POST or None, request.FILES or None)
    uploaded = form.cleaned_data["proof"] if request.method == "POST" and form.is_valid() else None
    result = selectors.proof_check(actor=request.professional, proof=uploaded)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "audit/check_proof.html", {"form": form, "result": result}, status=status)
