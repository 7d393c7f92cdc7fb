"""Plan pages: thin wrappers around plans.services and plans.selectors."""
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError, InvalidInput, StaleEdit
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required, save_form
from oneplan.families.selectors import family_file
from oneplan.plans import selectors, services
from oneplan.plans.agenda import review_agenda
from oneplan.plans.forms import (
    ActionForm,
    ActionStatusForm,
    AgreeForm,
    DiscussionForm,
    GoalForm,
    LockedForm,
    ReviewForm,
    VisionForm,
)
from oneplan.plans.models import Goal


def _plan(request, family_id):
    return redirect("plans:plan", family_id=family_id)


@professional_required
def plan(request, family_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    return render(request, "plans/plan.html", {
        "page": page, "family": page.family, "file": page, "today": timezone.localdate(),
        "latest_levels": page.latest_levels})


@professional_required
def draft(request, family_id):
    if request.method == "POST":
        services.plan_draft(actor=request.professional, family_id=family_id)
        return redirect("plans:draft", family_id=family_id)
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    if page.draft is None:
        return _plan(request, family_id)
    return _draft_page(request, page)


def _draft_page(request, page, vision_form=None, status=200):
    vision_form = vision_form or VisionForm(initial={"vision": page.draft.vision,
                                                     "lock_version": page.draft.lock_version})
    return render(request, "plans/draft.html", {"page": page, "family": page.family, "file": page,
                                                "draft": page.draft, "vision_form": vision_form},
                  status=status)


def _locked_save(request, family_id, form, template, context, save, success):
    def stale(error) -> bool:
        if isinstance(error, StaleEdit):  # show what changed, and let the next save go through
            form_error(form, error)
            page = selectors.plan_page(actor=request.professional, family_id=family_id)
            form.data = form.data.copy()
            form.data["lock_version"] = page.draft.lock_version if page.draft else 0
            return True
        return False

    if save_form(request, form, save, on_error=stale):
        messages.success(request, success)
        return redirect("plans:draft" if "draft" in template or "goal" in template else "plans:plan",
                        family_id=family_id)
    return render(request, template, {**context, "form": form},
                  status=400 if request.method == "POST" else 200)


@professional_required
@require_POST
def vision(request, family_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    form = VisionForm(request.POST)
    if page.draft is None:
        return _plan(request, family_id)
    if form.is_valid():
        try:
            services.draft_update_vision(actor=request.professional, version_id=page.draft.pk,
                                         lock_version=form.cleaned_data["lock_version"],
                                         vision=form.cleaned_data["vision"])
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Vision saved."))
            return redirect("plans:draft", family_id=family_id)
    return _draft_page(request, page, form, status=400)


@professional_required
def goal(request, family_id, goal_id=None):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    if page.draft is None:
        return _plan(request, family_id)
    household = family_file(actor=request.professional, family_id=family_id).members
    existing = next((g for g in page.draft.goals.all() if g.pk == goal_id), None) if goal_id else None
    initial = {"lock_version": page.draft.lock_version}
    if existing:
        initial.update({f: getattr(existing, f) for f in ("domain", "family_words", "priority",
                        "target_date", "status", *existing.LEVEL_FIELDS)},
                       persons=[p.pk for p in existing.persons.all()])
    form = GoalForm(request.POST or None, initial=initial, household=household)

    def save(d):
        services.goal_save(
            actor=request.professional, version_id=page.draft.pk, lock_version=d["lock_version"],
            goal_id=goal_id, confirm_many=d["confirm_many"], goal=services.GoalInput(
                domain=d["domain"], family_words=d["family_words"], persons=d["persons"],
                priority=d["priority"], target_date=d["target_date"], status=d["status"],
                levels=[d[f] for f in ("level_minus2", "level_minus1", "level_0", "level_plus1",
                                       "level_plus2")]))

    return _locked_save(request, family_id, form, "plans/goal.html",
                        {"page": page, "family": page.family, "file": page, "goal": existing},
                        save, _("Goal saved."))


@professional_required
@require_POST
def goal_remove(request, family_id, goal_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    if page.draft is None:
        return _plan(request, family_id)
    form = LockedForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(form.non_field_errors()[0], field="lock_version")
        services.goal_remove(actor=request.professional, version_id=page.draft.pk,
                             lock_version=form.cleaned_data["lock_version"], goal_id=goal_id)
    except DomainError as error:
        # The draft page again, with what went wrong and the draft as it is now.
        messages.error(request, error.message)
        return _draft_page(request, selectors.plan_page(actor=request.professional,
                                                        family_id=family_id), status=400)
    messages.success(request, _("Goal removed from the draft."))
    return redirect("plans:draft", family_id=family_id)


@professional_required
def agree(request, family_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    if page.draft is None:
        return _plan(request, family_id)
    household = family_file(actor=request.professional, family_id=family_id).members
    form = AgreeForm(request.POST or None, household=household, initial={
        "lock_version": page.draft.lock_version, "agreed_on": timezone.localdate()})

    def save(d):
        services.plan_agree(actor=request.professional, version_id=page.draft.pk,
                            lock_version=d["lock_version"], agreed_by=d["agreed_by"],
                            agreed_how=d["agreed_how"], agreed_on=d["agreed_on"],
                            next_review_on=d["next_review_on"])

    active = sum(1 for g in page.draft.goals.all() if g.status == Goal.Status.ACTIVE)
    return _locked_save(request, family_id, form, "plans/agree.html",
                        {"page": page, "family": page.family, "file": page, "draft": page.draft,
                         "active_goals": active, "goal_limit": settings.ONEPLAN["GOAL_LIMIT"]},
                        save, _("The family agreed to the plan. It is now a fixed version."))


@professional_required
def version(request, family_id, number):
    access, version, previous, changes = selectors.version_detail(
        actor=request.professional, family_id=family_id, number=number)
    return render(request, "plans/version.html", {"family": access.family, "version": version,
                                                  "previous": previous, "changes": changes})


@professional_required
def action_add(request, family_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    file = family_file(actor=request.professional, family_id=family_id)
    goals = page.agreed.goals.all() if page.agreed else []
    form = ActionForm(request.POST or None, file=file, goals=goals,
                      initial={"goal_key": request.GET.get("goal", "")})

    def save(d):
        services.action_add(actor=request.professional, family_id=family_id, what=d["what"],
                            owner=d["owner"], due_on=d["due_on"], goal_key=d["goal_key"] or None)

    return _locked_save(request, family_id, form, "plans/action_add.html",
                        {"page": page, "family": page.family, "file": page}, save, _("Action added."))


@professional_required
@require_POST
def action_status(request, action_id):
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        action = services.action_set_status(actor=request.professional, action_id=action_id,
                                            status=form.cleaned_data["status"])
        messages.success(request, _("Action updated."))
        next_url = request.POST.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("plans:plan", family_id=action.family_id)
    return redirect("plans:my_actions")


@professional_required
def review(request, family_id):
    page = selectors.plan_page(actor=request.professional, family_id=family_id)
    if page.agreed is None:
        messages.error(request, _("Agree a plan with the family before the first review."))
        return _plan(request, family_id)
    file = family_file(actor=request.professional, family_id=family_id)
    goals = [g for g in page.agreed.goals.all() if g.status == "active"]
    form = ReviewForm(request.POST or None, file=file, goals=goals,
                      initial={"held_on": timezone.localdate(), "family_present": True})

    def save(d):
        services.review_record(
            actor=request.professional, family_id=family_id, held_on=d["held_on"],
            levels=form.goal_levels(), decisions=d["decisions"], next_review_on=d["next_review_on"],
            family_present=d["family_present"], family_attendees=d["family_attendees"],
            professionals=d["professionals"])

    return _locked_save(request, family_id, form, "plans/review.html",
                        {"page": page, "family": page.family, "file": page,
                         "agenda": review_agenda(page.access)}, save,
                        _("Review recorded."))


@professional_required
def discussion_list(request, family_id):
    access, items, hidden_reason = selectors.discussions(actor=request.professional, family_id=family_id)
    return render(request, "plans/discussions.html", {"family": access.family, "items": items,
                                                      "hidden_reason": hidden_reason, "file": access})


@professional_required
def discussion_new(request, family_id):
    file = family_file(actor=request.professional, family_id=family_id)
    form = DiscussionForm(request.POST or None, file=file, initial={"held_on": timezone.localdate()})

    def save(d):
        actions = [services.NewAction(d["action_what"], d["action_owner"], d["action_due_on"])] \
            if d["action_what"] else []
        services.discussion_record(
            actor=request.professional, family_id=family_id, kind=d["kind"], held_on=d["held_on"],
            participants=d["participants"], agenda=d["agenda"], notes=d["notes"],
            decisions=d["decisions"], family_took_part=d["family_took_part"], actions=actions)

    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Case discussion recorded."))
            return redirect("plans:discussions", family_id=family_id)
    return render(request, "plans/discussion_new.html", {"form": form, "family": file.family,
                                                         "file": file},
                  status=400 if request.method == "POST" else 200)


@professional_required
def my_actions(request):
    actions = selectors.my_open_actions(actor=request.professional)
    return render(request, "plans/my_actions.html", {
        "page": paginate(actions, request.GET.get("page"), per_page=50),
        "today": timezone.localdate()})
