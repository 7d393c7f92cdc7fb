"""Directory pages: search, one service, and keeping a service up to date (organisation admins)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.accounts.models import Organisation, Professional, Role, Sector
from oneplan.core.errors import DomainError
from oneplan.core.ids import valid_id
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required
from oneplan.directory import domains, hsds_import, selectors, services
from oneplan.directory.forms import ImportForm, SearchForm, ServiceForm, WaitForm
from oneplan.directory.models import Language
from oneplan.directory.waits import wait_stats


def _family_param(request) -> str:
    """Searching for a family (from its file): results offer "Refer" for that family."""
    value = request.GET.get("family", "")
    return value if valid_id(value) else ""


@professional_required
def search(request):
    form = SearchForm(request.GET or None)
    params = selectors.Search()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        params = selectors.Search(domain=d["domain"], age=d["age"], area=d["area"], language=d["language"],
                                  text=d["q"])
    page = paginate(selectors.search(params) if not form.errors else selectors.search(selectors.Search()),
                    request.GET.get("page"))
    stats = wait_stats([s.pk for s in page])
    for item in page:
        item.stats = stats[item.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/search.html", {
        "form": form, "page": page, "query": query.urlencode(), "family_id": _family_param(request),
        "areas": selectors.area_names(), "domain_names": domains.names(),
        # Label dictionaries built once: get_FOO_display per card rebuilds the choices each time.
        "language_names": dict(Language.choices), "sector_names": dict(Sector.choices),
        "my_admin_orgs": list(services.editable_organisations(request.professional).order_by("name")[:3]),
    }, status=400 if form.errors else 200)


@professional_required
def detail(request, service_id):
    item = selectors.service_detail(service_id)
    return render(request, "directory/detail.html", {
        "service": item, "stats": wait_stats([item.pk])[item.pk], "domain_names": domains.names(),
        "can_edit": services.may_edit(request.professional, item.organisation_id),
        "wait_form": WaitForm(initial={"wait_weeks": item.wait_weeks}),
        "family_id": _family_param(request),
    })


def _staff(organisation: Organisation):
    return (Professional.objects.filter(organisations=organisation, user__is_active=True)
            .select_related("user").order_by("user__last_name", "user__first_name"))


def _edit(request, organisation: Organisation, item=None):
    initial = ServiceForm.initial_for(item) if item else {"status": "active"}
    form = ServiceForm(request.POST or None, staff=_staff(organisation), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.service_save(actor=request.professional, organisation_id=organisation.pk,
                                          data=form.to_input(), service_id=item.pk if item else None)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form_error(form, error)
        else:
            messages.success(request, _("Service saved."))
            return redirect("directory:detail", service_id=saved.pk)
    return render(request, "directory/edit.html", {"form": form, "organisation": organisation,
                                                   "service": item},
                  status=400 if request.method == "POST" else 200)


@professional_required
def new(request, organisation_id):
    return _edit(request, selectors.editable_organisation(actor=request.professional,
                                                          organisation_id=organisation_id))


@professional_required
def edit(request, service_id):
    item = selectors.editable_service(actor=request.professional, service_id=service_id)
    return _edit(request, item.organisation, item)


@require_POST
@professional_required
def wait(request, service_id):
    form = WaitForm(request.POST)
    if form.is_valid():
        try:
            services.service_wait_update(actor=request.professional, service_id=service_id,
                                         wait_weeks=form.cleaned_data["wait_weeks"])
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Waiting time updated."))
    else:
        messages.error(request, _("Give the waiting time in whole weeks, from 0 to 260."))
    return redirect("directory:detail", service_id=service_id)


@professional_required
def import_file(request):
    """An organisation or network admin brings in services from another HSDS 3.0 directory."""
    selectors.import_page(actor=request.professional)
    form = ImportForm(request.POST or None, request.FILES or None,
                      may_create_organisations=request.professional.has_role(Role.NETWORK_ADMIN))
    report, problems, status = None, [], 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = hsds_import.read(upload.name, upload.read())
            report = services.directory_import(actor=request.professional, parsed=parsed, source=upload.name,
                                               new_organisation_sector=form.cleaned_data.get("sector", ""))
        except hsds_import.ImportRejected as error:
            problems, status = error.problems, 400
        except DomainError as error:
            if error.status == 404:
                raise
            # Refused (audited by the service) or invalid: said on the page, next to the file chosen.
            problems, status = [error.message], error.status
    if request.method == "POST" and form.errors:
        status = 400
    return render(request, "directory/import.html", {"form": form, "report": report, "problems": problems},
                  status=status)
