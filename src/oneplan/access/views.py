"""Break-glass access for professionals and the privacy officer's review queue."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.access import selectors, services
from oneplan.access.erasure import person_erase
from oneplan.access.forms import (
    BreakGlassForm,
    ConsentForm,
    ConsentWithdrawForm,
    EraseForm,
    ReviewForm,
    SubjectSearchForm,
)
from oneplan.access.models import AccessGrant
from oneplan.access.services_consent import consent_record, not_covered
from oneplan.access.services_consent import consent_withdraw as withdraw
from oneplan.access.subject import find_person, subject_export
from oneplan.access.subject_page import subject_page
from oneplan.accounts.models import Organisation
from oneplan.core.errors import DomainError
from oneplan.core.ids import valid_id
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required
from oneplan.families.selectors import family_file


@professional_required
def break_glass(request):
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.break_glass_open(actor=request.professional, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.warning(request, _("Emergency access granted. It is logged and will be reviewed."))
            return redirect("families:file", family_id=grant.family_id)
    return render(request, "access/break_glass.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@professional_required
def reviews(request):
    status = request.GET.get("status", AccessGrant.Review.PENDING)
    if status not in AccessGrant.Review.values and status != "":
        status = AccessGrant.Review.PENDING
    grants = selectors.review_queue(actor=request.professional, status=status)
    return render(request, "access/reviews.html", {
        "page": paginate(grants, request.GET.get("page")), "status": status,
        "statuses": AccessGrant.Review.choices})


@professional_required
def review(request, grant_id):
    grant = selectors.grant_detail(actor=request.professional, grant_id=grant_id)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_review(actor=request.professional, grant_id=grant_id,
                                  justified=form.cleaned_data["verdict"] == "justified",
                                  note=form.cleaned_data["note"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Review saved."))
            return redirect("access:reviews")
    return render(request, "access/review.html", {"grant": grant, "form": form},
                  status=400 if request.method == "POST" else 200)


def _organisation_param(request):
    """The organisation a referral consent is for (any organisation, from the link or the form)."""

    value = request.POST.get("organisation") or request.GET.get("organisation", "")
    return Organisation.objects.filter(pk=value).first() if valid_id(value) else None


@professional_required
def consent_new(request, family_id):

    file = family_file(actor=request.professional, family_id=family_id)
    initial = {"valid_from": timezone.localdate(), "how": "in_person",
               "categories": request.GET.getlist("category"),
               "organisation": request.GET.get("organisation", ""),
               "purpose": request.GET.get("purpose", "care_coordination")}
    form = ConsentForm(request.POST or None, file=file, initial=initial,
                       extra_organisation=_organisation_param(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = consent_record(actor=request.professional, family_id=family_id, categories=d["categories"],
                           given_by=[int(p) for p in d["given_by"]], how=d["how"], purpose=d["purpose"],
                           organisation_id=int(d["organisation"]) if d["organisation"] else None,
                           subject_id=int(d["subject"]) if d["subject"] else None,
                           valid_from=d["valid_from"], valid_until=d["valid_until"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Consent recorded."))
            for person, why in not_covered(item):
                messages.warning(request, _(
                    "This consent does not cover %(name)s's own information: %(why)s. Record a "
                    "consent about %(name)s for that.") % {"name": person.full_name, "why": why})
            back = request.GET.get("next", "")
            if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
                return redirect(back)
            return redirect("families:file", family_id=family_id)
    from django.conf import settings

    ages = dict(settings.ONEPLAN["CONSENT_AGES"], JOINT_UNTIL=settings.ONEPLAN["CONSENT_AGES"]["ALONE"] - 1)
    return render(request, "access/consent_new.html", {"form": form, "file": file, "family": file.family,
                                                       "ages": ages},
                  status=400 if request.method == "POST" else 200)


@professional_required
def consent_withdraw(request, family_id, consent_id):

    file = family_file(actor=request.professional, family_id=family_id)
    form = ConsentWithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(actor=request.professional, consent_id=consent_id, how=form.cleaned_data["how"],
                     reason=form.cleaned_data["reason"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Consent withdrawn. Access that depended on it has ended."))
            return redirect("families:file", family_id=family_id)
    return render(request, "access/consent_withdraw.html", {"form": form, "file": file,
                                                           "family": file.family},
                  status=400 if request.method == "POST" else 200)


@professional_required
def subjects(request):

    form = SubjectSearchForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        found = find_person(actor=request.professional, bsn=d["bsn"], name=d["name"],
                            date_of_birth=d["date_of_birth"])
    elif not form.is_bound:
        find_person(actor=request.professional)  # the role check, audited; nothing to find yet
    return render(request, "access/subjects.html", {"form": form, "found": found})


@professional_required
def subject(request, person_id):

    export = subject_export(actor=request.professional, person_id=person_id)
    return render(request, "access/subject.html", {"page": subject_page(export), "person_id": person_id,
                                                   "made_on": timezone.localdate(), "erase_form": EraseForm()})


@professional_required
@require_POST
def subject_erase(request, person_id):

    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            person_erase(actor=request.professional, person_id=person_id,
                         legal_basis=form.cleaned_data["legal_basis"])
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("The person's identifying data was erased; the audit trail remains."))
    else:
        messages.error(request, _("Give the legal basis and confirm the erasure."))
    return redirect("access:subject", person_id=person_id)


@professional_required
def subject_json(request, person_id):
    import json

    from django.http import HttpResponse


    export = subject_export(actor=request.professional, person_id=person_id)
    response = HttpResponse(json.dumps(export, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{person_id}.json"'
    return response
