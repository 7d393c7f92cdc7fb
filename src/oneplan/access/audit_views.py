"""The audit log search page for privacy officers."""
from django.shortcuts import render

from oneplan.access import audit_log as selectors
from oneplan.access.audit_forms import AuditSearchForm
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
    return render(request, "audit/search.html", {"form": form, "page": page})
