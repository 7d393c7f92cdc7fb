"""The professional's own account pages: personal API tokens."""
from django import forms
from django.contrib import messages
from django.db.models import F
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oneplan.accounts import services
from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=services.TOKEN_NAME_MAX,
                           help_text=gettext_lazy("What will use it, for example "
                                                  "'case management sync'."))


@professional_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, new_key = services.token_create(actor_user=request.user,
                                                       name=form.cleaned_data["name"])
        except DomainError as error:
            form_error(form, error)
        else:
            form = TokenForm()
    # Not family data: a professional's own tokens, newest first, revoked ones last.
    token_list = request.user.api_tokens.order_by(F("revoked_at").desc(nulls_first=True),
                                                  "-created_at")
    return render(request, "accounts/tokens.html", {
        "form": form, "tokens": token_list, "new_token": new_token, "new_key": new_key,
    }, status=400 if form.errors else 200)


@professional_required
@require_POST
def token_revoke(request, token_id):
    try:
        token = services.token_revoke(actor_user=request.user, token_id=token_id)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Token “%(name)s” revoked. Programs using it can no longer "
                                    "connect.") % {"name": token.name})
    return redirect("accounts:tokens")
