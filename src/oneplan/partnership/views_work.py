"""The partnership's working pages: funding, self-evaluation (and the personal answer link, no
login needed) and learning sessions."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.web import form_error, professional_required, save_form
from oneplan.partnership import (
    forms,
    selectors,
    services_evaluation,
    services_funding,
    services_learning,
)
from oneplan.partnership.models import MIN_RESPONDENTS
from oneplan.partnership.views import form_status, render_tab

# ---- funding -----------------------------------------------------------------------------------


def _year(value) -> int:
    this = timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        return this
    return year if this - 10 <= year <= this + 5 else this


def _funding_page(request, pk, year: int, status: int = 200, **bound):
    access, summary = selectors.funding_year(actor=request.professional, partnership_id=pk, year=year)
    members = selectors.members(actor=request.professional, partnership_id=pk).members
    mine = members if access.may_manage else access.represented
    context = {"f": summary, "year": year, "years": sorted(set(summary.years) | {year, timezone.localdate().year})}
    if mine:
        context["contribution_form"] = bound.get("contribution") or forms.ContributionForm(
            members=mine, initial={"year": year})
    if access.may_manage:
        context["budget_form"] = bound.get("budget") or forms.BudgetLineForm(initial={"year": year})
        context["spending_form"] = bound.get("spending") or forms.SpendingForm()
    return render_tab(request, "partnership/funding.html", access, "funding", status=status, **context)


@professional_required
def funding(request, pk):
    return _funding_page(request, pk, _year(request.GET.get("year")))


def _funding_post(which: str, make_form, call, done):
    @professional_required
    @require_POST
    def view(request, pk):
        form = make_form(request, pk)
        if save_form(request, form, lambda d: call(request.professional, pk, d)):
            messages.success(request, done)
            year = form.cleaned_data.get("year") or form.cleaned_data.get("spent_on").year
            return redirect(reverse("partnership:funding", kwargs={"pk": pk}) + f"?year={year}")
        return _funding_page(request, pk, _year(request.POST.get("year")), status=400, **{which: form})

    return view


def _contribution_form(request, pk):
    members = selectors.members(actor=request.professional, partnership_id=pk).members
    return forms.ContributionForm(request.POST, members=members)


contribution = _funding_post("contribution", _contribution_form, lambda actor, pk, d: services_funding.contribution_save(
    actor=actor, member_id=d["member"], year=d["year"], purpose=d["purpose"], money=d["money"] or 0,
    staff_hours=d["staff_hours"] or 0, note=d["note"]), _l("Contribution saved."))
budget = _funding_post("budget", lambda request, pk: forms.BudgetLineForm(request.POST),
                       lambda actor, pk, d: services_funding.budget_line_save(
                           actor=actor, partnership_id=pk, year=d["year"], category=d["category"], amount=d["amount"]),
                       _l("Budget saved."))
spending = _funding_post("spending", lambda request, pk: forms.SpendingForm(request.POST),
                         lambda actor, pk, d: services_funding.spending_record(
                             actor=actor, partnership_id=pk, category=d["category"], amount=d["amount"],
                             spent_on=d["spent_on"], description=d["description"]), _l("Spending recorded."))


# ---- self-evaluation ---------------------------------------------------------------------------

@professional_required
def evaluation(request, pk):
    access, view = selectors.evaluation(actor=request.professional, partnership_id=pk)
    form = None
    if access.may_manage and view.open_round is None:
        form = forms.RoundForm(request.POST or None)
        made = {}
        if save_form(request, form, lambda d: made.update(item=services_evaluation.round_open(
                actor=request.professional, partnership_id=pk, closes_on=d["closes_on"]))):
            messages.success(request, _("Round opened: every professional of the members has a personal link."))
            return redirect("partnership:round", pk=pk, round_id=made["item"].pk)
    elif request.method == "POST":
        return redirect("partnership:evaluation", pk=pk)
    return render_tab(request, "partnership/evaluation.html", access, "evaluation",
                 status=form_status(request, form) if form else 200, e=view, form=form)


def _round_page(request, pk, round_id, status=200, invite_form=None):
    access, item, result = selectors.round_detail(actor=request.professional, partnership_id=pk, round_id=round_id)
    if invite_form is None and access.may_manage and item.is_open:
        invite_form = forms.ExternalInviteForm(initial={"language": request.LANGUAGE_CODE})
    invitation = services_evaluation.my_invitation(request.professional, item)
    return render_tab(request, "partnership/round.html", access, "evaluation", status=status, item=item, res=result,
                 invite_form=invite_form, may_answer=item.is_open and invitation is not None and not invitation.used)


@professional_required
def round_view(request, pk, round_id):
    return _round_page(request, pk, round_id)


@professional_required
@require_POST
def round_invite(request, pk, round_id):
    form = forms.ExternalInviteForm(request.POST)
    made = {}
    if save_form(request, form, lambda d: made.update(pair=services_evaluation.invitation_external(
            actor=request.professional, round_id=round_id, group=d["group"], name=d["name"],
            email_to=d["email_to"], language=d["language"]))):
        invitation, token = made["pair"]
        access, item, _result = selectors.round_detail(actor=request.professional, partnership_id=pk,
                                                       round_id=round_id)
        response = render_tab(request, "partnership/invited.html", access, "evaluation", status=201, item=item,
                         invitation=invitation, link=services_evaluation.respond_link(token))
        response["Cache-Control"] = "no-store"
        return response
    return _round_page(request, pk, round_id, status=400, invite_form=form)


@professional_required
@require_POST
def round_close(request, pk, round_id):
    services_evaluation.round_close(actor=request.professional, round_id=round_id)
    messages.success(request, _("Round closed."))
    return redirect("partnership:round", pk=pk, round_id=round_id)


def _answer_page(request, template: str, item, form, status: int, **context):
    return render(request, template, {"item": item, "form": form, "questionnaire": item.questionnaire,
                                      "partnership": item.partnership, "min": MIN_RESPONDENTS, **context},
                  status=status)


@professional_required
def answer(request, pk, round_id):
    """A professional of a member answers from the partnership pages (their own invitation)."""
    access, item, invitation = selectors.round_to_answer(actor=request.professional, partnership_id=pk,
                                                        round_id=round_id)
    form = forms.AnswersForm(request.POST or None, questionnaire=item.questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            services_evaluation.response_submit_mine(actor=request.professional, round_id=item.pk,
                                                     answers=form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return _answer_page(request, "partnership/answered.html", item, None, 201, p=access.partnership)
    gone = invitation is None or invitation.used or not item.is_open
    return _answer_page(request, "partnership/answer.html", item, form,
                        400 if request.method == "POST" else 200, p=access.partnership, gone=gone,
                        used=invitation is not None and invitation.used)


@never_cache
def respond(request, token):
    """The personal link: no login; the answers are stored without the link."""
    try:
        invitation = services_evaluation.invitation_for(token)
    except DomainError as error:
        return _public(render(request, "core/error.html", {"title": error.title, "message": error.message},
                              status=error.status))
    item = invitation.round
    form = forms.AnswersForm(request.POST or None, questionnaire=item.questionnaire)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services_evaluation.response_submit(token=token, answers=form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            return _public(_answer_page(request, "partnership/answered.html", item, None, 201))
    if request.method == "POST":
        status = 400
    gone = invitation.used or not item.is_open or item.closes_on < timezone.localdate()
    return _public(_answer_page(request, "partnership/answer.html", item, form, status, gone=gone,
                                used=invitation.used, public=True))


def _public(response):
    # The link is personal: never cached. It is never sent on to another site either: every page has
    # Referrer-Policy same-origin (core/middleware.py); "no-referrer" would make the browser send
    # "Origin: null" with the form, which the CSRF check rightly refuses.
    response["Cache-Control"] = "no-store"
    return response


# ---- learning ----------------------------------------------------------------------------------

@professional_required
def learning(request, pk):
    access, view = selectors.learning(actor=request.professional, partnership_id=pk)
    return render_tab(request, "partnership/learning.html", access, "learning", l=view, today=timezone.localdate())


@professional_required
def session_new(request, pk):
    access, _view = selectors.learning(actor=request.professional, partnership_id=pk)
    form = forms.SessionForm(request.POST or None,
                             professionals=selectors.member_professionals(access.partnership))
    made = {}
    if save_form(request, form, lambda d: made.update(item=services_learning.session_record(
            actor=request.professional, partnership_id=pk, held_on=d["held_on"], title=d["title"],
            participant_ids=d["participants"], others=d["others"], learned=d["learned"]))):
        messages.success(request, _("Learning session recorded. Add its actions."))
        return redirect("partnership:session", pk=pk, session_id=made["item"].pk)
    return render_tab(request, "partnership/session_new.html", access, "learning", status=form_status(request, form),
                 form=form)


@professional_required
def session(request, pk, session_id):
    access, item = selectors.session_detail(actor=request.professional, partnership_id=pk, session_id=session_id)
    form = None
    if access.may_manage:
        form = forms.ActionForm(request.POST or None,
                                professionals=selectors.member_professionals(access.partnership))
        if save_form(request, form, lambda d: services_learning.action_add(
                actor=request.professional, session_id=item.pk, text=d["text"], owner_id=d["owner"],
                due_on=d["due_on"])):
            messages.success(request, _("Action added."))
            return redirect("partnership:session", pk=pk, session_id=item.pk)
    elif request.method == "POST":
        return redirect("partnership:session", pk=pk, session_id=item.pk)
    return render_tab(request, "partnership/session.html", access, "learning",
                 status=form_status(request, form) if form else 200, s=item, form=form, today=timezone.localdate(),
                 done_form=forms.ActionDoneForm())


@professional_required
@require_POST
def action_done(request, pk, action_id):
    form = forms.ActionDoneForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services_learning.action_done(actor=request.professional, action_id=action_id, note=note)
    messages.success(request, _("Action marked done."))
    return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/partnership/")
                    else reverse("partnership:learning", kwargs={"pk": pk}))
