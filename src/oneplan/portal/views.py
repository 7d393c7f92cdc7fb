"""The family portal: phone first, plain language."""
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required
from oneplan.families.selectors import family_file
from oneplan.portal import family_services, selectors, services, voice
from oneplan.portal.forms import AcceptForm, FeedbackForm, GiveConsentForm, InviteForm, MessageForm


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
    return _family_page(request, page)


def _family_page(request, page, *, feedback_form=None, consent_form=None, message_form=None,
                 status=200):
    reviews = page.plan.reviews.all()[:5] if page.plan else []
    return render(request, "portal/family.html", {
        "page": page, "family": page.family,
        "feedback_form": feedback_form or FeedbackForm(team=page.team, reviews=reviews),
        "consent_form": consent_form or GiveConsentForm(team=page.team),
        "message_form": message_form or MessageForm(auto_id="msg_%s")}, status=status)


def _logged_in(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)
    return wrapper


@_logged_in
def who_looked(request, family_id):
    family, timeline = selectors.who_looked(user=request.user, family_id=family_id,
                                            before=request.GET.get("before", ""))
    return render(request, "portal/who_looked.html", {"family": family, "timeline": timeline})


@_logged_in
@require_POST
def feedback(request, family_id):
    page = selectors.portal_family(user=request.user, family_id=family_id)
    reviews = page.plan.reviews.all()[:5] if page.plan else []
    form = FeedbackForm(request.POST, team=page.team, reviews=reviews)
    if form.is_valid():
        kind, _sep, ref = form.cleaned_data["about"].partition(":")
        try:
            family_services.feedback_give(
                user=request.user, family_id=family_id, rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"], professional_id=int(ref) if kind == "pro" else None,
                review_id=int(ref) if kind == "review" else None)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you. Your coordinator will read it."))
            return redirect("portal:family", family_id=family_id)
    return _family_page(request, page, feedback_form=form, status=400)


@_logged_in
@require_POST
def consent_give(request, family_id):
    page = selectors.portal_family(user=request.user, family_id=family_id)
    form = GiveConsentForm(request.POST, team=page.team)
    if form.is_valid():
        try:
            family_services.portal_consent_give(
                user=request.user, family_id=family_id, categories=form.cleaned_data["categories"],
                organisation_id=int(form.cleaned_data["organisation"]) if form.cleaned_data["organisation"] else None)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Thank you. Your team can now see what you allowed."))
            return redirect("portal:family", family_id=family_id)
    return _family_page(request, page, consent_form=form, status=400)


@_logged_in
def consent_withdraw(request, family_id, consent_id):
    """Asks first: what is withdrawn and what it means, then withdraws on the second step."""
    page = selectors.portal_family(user=request.user, family_id=family_id)
    consent = next((c for c in page.consents if c.pk == consent_id), None)
    if consent is None:
        raise Http404
    if consent.withdrawn_at:
        messages.info(request, _("This consent was withdrawn already."))
        return redirect("portal:family", family_id=family_id)
    if request.method == "POST":
        try:
            family_services.portal_consent_withdraw(user=request.user, family_id=family_id,
                                                    consent_id=consent_id)
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Withdrawn. From now on your team can no longer see this."))
        return redirect("portal:family", family_id=family_id)
    return render(request, "portal/consent_withdraw.html", {"page": page, "family": page.family,
                                                            "consent": consent})


@professional_required
def invite(request, family_id, person_id):
    """Ask for the family member's e-mail address (optional), then make the one-time link:
    e-mailed when an address was given, and shown once with a button to copy it."""
    file = family_file(actor=request.professional, family_id=family_id)
    member = next((m for m in file.members if m.person_id == person_id), None)
    if member is None:
        raise Http404
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                actor=request.professional, family_id=family_id, person_id=person_id,
                email_to=form.cleaned_data["email"])
        except DomainError as error:
            form_error(form, error)
        else:
            return render(request, "portal/invited.html", {
                "link": services.invitation_link(token), "invitation": invitation,
                "family": invitation.family, "emailed_to": form.cleaned_data["email"]})
    return render(request, "portal/invite.html", {"form": form, "family": file.family,
                                                  "person": member.person},
                  status=400 if request.method == "POST" else 200)


@_logged_in
@require_POST
def progress(request, family_id, goal_key):
    try:
        family_services.goal_progress_add(user=request.user, family_id=family_id, goal_key=str(goal_key),
                                          text=request.POST.get("text", ""))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. Your team can read how it is going."))
    return redirect("portal:family", family_id=family_id)


@_logged_in
@require_POST
def agree(request, family_id, version_id):
    try:
        family_services.portal_plan_agree(user=request.user, family_id=family_id, version_id=version_id,
                                          lock_version=request.POST.get("lock_version", -1))
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you. This is now your family's plan."))
    return redirect("portal:family", family_id=family_id)


@_logged_in
def scores(request, family_id):
    """The family's own score per life domain; the professional's appears once they gave theirs."""
    if request.method == "POST":
        values = {key[len("score_"):]: value for key, value in request.POST.items()
                  if key.startswith("score_")}
        try:
            voice.own_scores_set(user=request.user, family_id=family_id,
                                 assessment_id=request.POST.get("assessment", ""), scores=values)
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you. Your scores are next to your team's now."))
            return redirect("portal:scores", family_id=family_id)
    family, assessment, rows = voice.own_scores(user=request.user, family_id=family_id)
    return render(request, "portal/scores.html", {"family": family, "assessment": assessment,
                                                  "rows": rows},
                  status=400 if request.method == "POST" else 200)


@_logged_in
@require_POST
def message(request, family_id):
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            voice.message_send(user=request.user, family_id=family_id, text=form.cleaned_data["text"])
        except DomainError as error:
            if error.status == 404:
                raise
            form_error(form, error)
        else:
            messages.success(request, _("Your message was sent to your coordinator."))
            return redirect("portal:family", family_id=family_id)
    page = selectors.portal_family(user=request.user, family_id=family_id)
    return _family_page(request, page, message_form=form, status=400)
