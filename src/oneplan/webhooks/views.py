"""Webhook pages for organisation admins: the endpoints, registering one, the deliveries."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required
from oneplan.webhooks import selectors, services
from oneplan.webhooks.forms import EVENT_LABELS, EndpointForm


@professional_required
def index(request):
    organisations = selectors.managed_organisations(actor=request.professional)
    return render(request, "webhooks/index.html", {"organisations": organisations,
                                                   "event_labels": EVENT_LABELS})


@professional_required
def new(request):
    organisations = selectors.managed_organisations(actor=request.professional)
    form = EndpointForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            endpoint, secret = services.endpoint_create(
                actor=request.professional, organisation_id=d["organisation"], url=d["url"],
                event_types=d["events"])
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form_error(form, error)
        else:
            # The secret is in this one answer and nowhere else: not in a redirect, not in a log.
            response = render(request, "webhooks/created.html", {"endpoint": endpoint, "secret": secret,
                                                                 "event_labels": EVENT_LABELS})
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "webhooks/new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@professional_required
def endpoint(request, endpoint_id):
    item = selectors.endpoint_detail(actor=request.professional, endpoint_id=endpoint_id)
    return render(request, "webhooks/endpoint.html", {
        "endpoint": item, "page": paginate(selectors.deliveries(item), request.GET.get("page")),
        "event_labels": EVENT_LABELS})


@require_POST
@professional_required
def deactivate(request, endpoint_id):
    try:
        services.endpoint_deactivate(actor=request.professional, endpoint_id=endpoint_id)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Endpoint deactivated. oneplan sends nothing more to it."))
    return redirect("webhooks:endpoint", endpoint_id=endpoint_id)


@require_POST
@professional_required
def resend(request, delivery_id):
    try:
        item = services.delivery_resend(actor=request.professional, delivery_id=delivery_id)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return redirect("webhooks:index")
    messages.success(request, _("The delivery is on its way again."))
    return redirect("webhooks:endpoint", endpoint_id=item.endpoint_id)
