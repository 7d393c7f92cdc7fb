"""The partnership's pages: the list, the partnership page, members, vision, roles and agreements
(funding, self-evaluation and learning are in views_work.py)."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.accounts.models import Organisation, Professional
from oneplan.core import smallnumbers
from oneplan.core.web import professional_required, save_form
from oneplan.partnership import extensions, forms, rules, selectors, services


def render_tab(request, template: str, access, tab: str, status: int = 200, **context):
    return render(request, template, {"p": access.partnership, "access": access, "tab": tab,
                                      "small": smallnumbers.threshold(), **context}, status=status)


def form_status(request, form) -> int:
    return 400 if request.method == "POST" and form.errors else 200


def _professionals():
    return Professional.objects.filter(acting_for__isnull=True, user__is_active=True) \
        .select_related("user").prefetch_related("organisations").order_by("user__last_name", "user__first_name")


@professional_required
def index(request):
    rows = selectors.partnership_list(actor=request.professional)
    return render(request, "partnership/index.html", {"rows": rows, "is_admin": rules.is_admin(request.professional)})


@professional_required
def create(request):
    form = forms.PartnershipForm(request.POST or None, professionals=selectors.creating(actor=request.professional))
    made = {}
    if save_form(request, form, lambda d: made.update(item=services.partnership_create(
            actor=request.professional, name=d["name"], purpose=d["purpose"], area=d["area"],
            coordinator_id=d["coordinator"] or None))):
        messages.success(request, _("Partnership created. Add its member organisations."))
        return redirect("partnership:members", pk=made["item"].pk)
    return render(request, "partnership/create.html", {"form": form}, status=form_status(request, form))


@professional_required
def page(request, pk):
    view = selectors.overview(actor=request.professional, partnership_id=pk)
    return render_tab(request, "partnership/page.html", view.access, "overview", o=view,
                 panels=extensions.render_panels(request, view.access.partnership))


# ---- members -----------------------------------------------------------------------------------

def _members_page(request, pk, status=200, **bound):
    view = selectors.members(actor=request.professional, partnership_id=pk)
    access = view.access
    present = {m.organisation_id for m in view.members}
    context = {"members": view.members, "member_forms": {}}
    if access.is_admin:
        context["add_form"] = bound.get("add") or forms.MemberAddForm(
            organisations=Organisation.objects.exclude(pk__in=present).order_by("name"))
        context["coordinator_form"] = bound.get("coordinator") or forms.CoordinatorForm(
            professionals=_professionals(), initial={"coordinator": access.partnership.coordinator_id})
        for member in view.members:
            context["member_forms"][member.pk] = bound.get(f"rep{member.pk}") or forms.RepresentativeForm(
                professionals=view.staff.get(member.organisation_id, []), member_id=member.pk)
    return render_tab(request, "partnership/members.html", access, "members", status=status, **context)


@professional_required
def members(request, pk):
    return _members_page(request, pk)


@professional_required
@require_POST
def member_add(request, pk):
    form = forms.MemberAddForm(request.POST, organisations=Organisation.objects.all())
    if save_form(request, form, lambda d: services.member_add(
            actor=request.professional, partnership_id=pk, organisation_id=d["organisation"])):
        messages.success(request, _("Member added."))
        return redirect("partnership:members", pk=pk)
    return _members_page(request, pk, status=400, add=form)


@professional_required
@require_POST
def member_end(request, pk, member_id):
    services.member_end(actor=request.professional, member_id=member_id)
    messages.success(request, _("The organisation has left the partnership."))
    return redirect("partnership:members", pk=pk)


@professional_required
@require_POST
def coordinator(request, pk):
    form = forms.CoordinatorForm(request.POST, professionals=_professionals())
    if save_form(request, form, lambda d: services.coordinator_set(
            actor=request.professional, partnership_id=pk, professional_id=d["coordinator"])):
        messages.success(request, _("Coordinator set."))
        return redirect("partnership:members", pk=pk)
    return _members_page(request, pk, status=400, coordinator=form)


@professional_required
@require_POST
def representative_add(request, pk, member_id):
    form = forms.RepresentativeForm(request.POST, professionals=_professionals(), member_id=member_id)
    if save_form(request, form, lambda d: services.representative_add(
            actor=request.professional, member_id=member_id, professional_id=d["professional"])):
        messages.success(request, _("Representative added."))
        return redirect("partnership:members", pk=pk)
    return _members_page(request, pk, status=400, **{f"rep{member_id}": form})


@professional_required
@require_POST
def representative_remove(request, pk, member_id, professional_id):
    services.representative_remove(actor=request.professional, member_id=member_id, professional_id=professional_id)
    messages.success(request, _("Representative removed."))
    return redirect("partnership:members", pk=pk)


# ---- vision ------------------------------------------------------------------------------------

@professional_required
def vision(request, pk, number=None):
    access, view = selectors.vision(actor=request.professional, partnership_id=pk, number=number)
    form = None
    if access.may_manage and number is None:
        form = forms.VisionForm(request.POST or None, initial={"text": view.version.text if view.version else ""})
        if save_form(request, form, lambda d: services.vision_propose(
                actor=request.professional, partnership_id=pk, text=d["text"], note=d["note"])):
            messages.success(request, _("New version of the vision saved. Every member agrees it anew."))
            return redirect("partnership:vision", pk=pk)
    elif request.method == "POST":
        return redirect("partnership:vision", pk=pk)
    if number is not None and view.version is None:
        return render(request, "core/error.html", {"title": _("Not found"),
                      "message": _("No such version of the vision.")}, status=404)
    return render_tab(request, "partnership/vision.html", access, "vision", status=form_status(request, form) if form else 200,
                 v=view, form=form)


@professional_required
@require_POST
def vision_agree(request, pk, version_id):
    services.vision_agree(actor=request.professional, version_id=version_id, member_id=request.POST.get("member"))
    messages.success(request, _("Agreed. Thank you."))
    return redirect("partnership:vision", pk=pk)


# ---- roles -------------------------------------------------------------------------------------

@professional_required
def roles(request, pk):
    access, view = selectors.roles(actor=request.professional, partnership_id=pk)
    return render_tab(request, "partnership/roles.html", access, "roles", r=view)


@professional_required
def role_edit(request, pk, member_id):
    access, member, offered = selectors.role_form(actor=request.professional, partnership_id=pk, member_id=member_id)
    form = forms.RoleForm(request.POST or None, services=offered, initial={
        "role": member.role, "lead_domains": member.lead_domains,
        "services": [s.pk for s in member.services.all()]})
    if save_form(request, form, lambda d: services.member_role_save(
            actor=request.professional, member_id=member.pk, role=d["role"], lead_domains=d["lead_domains"],
            service_ids=d["services"])):
        messages.success(request, _("Role saved."))
        return redirect("partnership:roles", pk=member.partnership_id)
    return render_tab(request, "partnership/role_edit.html", access, "roles", status=form_status(request, form),
                 member=member, form=form)


# ---- agreements --------------------------------------------------------------------------------

@professional_required
def agreements(request, pk):
    access, measures, ended = selectors.agreements(actor=request.professional, partnership_id=pk)
    return render_tab(request, "partnership/agreements.html", access, "agreements", measures=measures, ended=ended,
                 may_add=access.may_manage or bool(access.represented))


@professional_required
def agreement(request, pk, agreement_id):
    access, result = selectors.agreement(actor=request.professional, partnership_id=pk, agreement_id=agreement_id)
    return render_tab(request, "partnership/agreement.html", access, "agreements", m=result,
                 may_change=selectors.may_change_agreement(request.professional, access, result.agreement))


def _agreement_initial(item) -> dict:
    return {"from_organisation": item.from_organisation_id or "", "from_sector": item.from_sector,
            "to_organisation": item.to_organisation_id or "", "to_sector": item.to_sector, "need": item.need,
            "response_days": item.response_days, "from_contact": item.from_contact_id or "",
            "to_contact": item.to_contact_id or "", "note": item.note, "valid_from": item.valid_from}


@professional_required
def agreement_edit(request, pk, agreement_id=None):
    if agreement_id:
        access, result = selectors.agreement(actor=request.professional, partnership_id=pk,
                                             agreement_id=agreement_id)
        initial = _agreement_initial(result.agreement)
    else:
        access, _measures, _ended = selectors.agreements(actor=request.professional, partnership_id=pk)
        initial = {}
    members = selectors.members(actor=request.professional, partnership_id=pk)
    form = forms.AgreementForm(request.POST or None, initial=initial,
                               organisations=[m.organisation for m in members.members],
                               professionals=selectors.member_professionals(access.partnership))
    made = {}
    if save_form(request, form, lambda d: made.update(item=services.agreement_save(
            actor=request.professional, partnership_id=pk, agreement_id=agreement_id,
            need=d["need"], response_days=d["response_days"],
            from_organisation_id=d["from_organisation"] or None, from_sector=d["from_sector"],
            to_organisation_id=d["to_organisation"] or None, to_sector=d["to_sector"],
            from_contact_id=d["from_contact"] or None, to_contact_id=d["to_contact"] or None,
            note=d["note"], valid_from=d["valid_from"]))):
        messages.success(request, _("Agreement saved."))
        return redirect("partnership:agreement", pk=pk, agreement_id=made["item"].pk)
    return render_tab(request, "partnership/agreement_edit.html", access, "agreements", status=form_status(request, form),
                 form=form, editing=bool(agreement_id))


@professional_required
@require_POST
def agreement_end(request, pk, agreement_id):
    services.agreement_end(actor=request.professional, agreement_id=agreement_id)
    messages.success(request, _("Agreement ended."))
    return redirect("partnership:agreements", pk=pk)
