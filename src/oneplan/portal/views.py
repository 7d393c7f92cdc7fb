"""The family portal: phone first, plain language."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required
from oneplan.portal import selectors, services
from oneplan.portal.forms import AcceptForm


def accept(request, token):
    try:
        invitation = services.invitation_for(token)
    except DomainError as error:
        return render(request, "portal/invitation_invalid.html", {"message": error.message},
                      status=error.status)
    form = AcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, username=form.cleaned_data["username"],
                                              password=form.cleaned_data["password1"])
        except DomainError as error:
            form_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome. This is your family's page."))
            return redirect("portal:home")
    return render(request, "portal/accept.html", {"form": form, "person": invitation.person},
                  status=400 if request.method == "POST" else 200)


def home(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    families = selectors.my_families(user=request.user)
    if len(families) == 1:
        return redirect("portal:family", family_id=families[0].pk)
    return render(request, "portal/home.html", {"families": families})


def family(request, family_id):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    page = selectors.portal_family(user=request.user, family_id=family_id)
    return render(request, "portal/family.html", {"page": page, "family": page.family})


@professional_required
@require_POST
def invite(request, family_id, person_id):
    invitation, token = services.invitation_create(actor=request.professional, family_id=family_id,
                                                   person_id=person_id)
    link = request.build_absolute_uri(f"/portal/invite/{token}/")
    return render(request, "portal/invited.html", {"link": link, "invitation": invitation,
                                                   "family": invitation.family})
