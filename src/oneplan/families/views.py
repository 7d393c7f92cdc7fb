"""Caseload and family file pages; thin: forms in, services and selectors do the work."""
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oneplan.core.errors import DomainError
from oneplan.core.pagination import paginate
from oneplan.core.web import form_error, professional_required, save_form
from oneplan.families import ecomap, extensions, guard, selectors, services
from oneplan.families.forms import (
    FamilyRegisterForm,
    FamilyStatusForm,
    NetworkMemberForm,
    NoteForm,
    PersonForm,
    PersonFormSet,
    TeamMemberEndForm,
    TeamMemberForm,
)
from oneplan.families.models import Family
from oneplan.families.notes import note_add as add


@professional_required
def caseload(request):
    status = request.GET.get("status", "open")
    query = request.GET.get("q", "").replace("\x00", "")  # PostgreSQL text cannot hold NUL
    families = selectors.caseload(actor=request.professional, status=status, query=query)
    page = paginate(families, request.GET.get("page"))
    extra_flags = extensions.flags_for_families(request.professional, [f.pk for f in page])
    for family in page:
        family.flags = selectors.flags_for(family)
        family.extra_flags = extra_flags.get(family.pk, [])
        family.my_role = family.my_membership[0] if family.my_membership else None
    return render(request, "families/caseload.html", {
        "page": page, "status": status, "query": query,
        "statuses": [("open", _("Open"))] + list(Family.Status.choices),
        "can_register": guard.can_register_family(request.professional),
    })


@professional_required
def register(request):
    actor = request.professional
    organisations = list(actor.organisations.all())
    form = FamilyRegisterForm(request.POST or None, organisations=organisations)
    formset = PersonFormSet(request.POST or None, prefix="person")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        filled = [f for f in formset if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        members = [services.NewPerson(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
                   for f in filled]
        org = next((o for o in organisations if str(o.pk) == form.cleaned_data["organisation"]), None)
        try:
            family = services.family_register(
                actor=actor, name=form.cleaned_data["name"], members=members,
                intensity=form.cleaned_data["intensity"], organisation=org,
                responsibilities=form.cleaned_data["responsibilities"])
        except services.PossibleDuplicate as error:
            asked = filled[members.index(error.new)]
            asked.ask_same_person(error.candidates)
            asked.add_error("same_person", error.message)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Family registered. You are its care coordinator."))
            return redirect("families:file", family_id=family.pk)
    return render(request, "families/register.html", {"form": form, "formset": formset},
                  status=400 if request.method == "POST" else 200)


@professional_required
def family_file(request, family_id):
    file = selectors.family_file(actor=request.professional, family_id=family_id)
    return render(request, "families/family_file.html", {
        "file": file, "family": file.family, "ecomap": ecomap.layout(file.network),
        "sections": extensions.render_sections(request, file),
    })


def _family_form_page(request, family_id, form, template, save, success_message):
    """Shared POST handling: validate, call the service, map domain errors onto the form."""
    def possible_duplicate(error) -> bool:
        if isinstance(error, services.PossibleDuplicate):
            form.ask_same_person(error.candidates)
            form.add_error("same_person", error.message)
            return True
        return False

    if save_form(request, form, save, on_error=possible_duplicate):
        messages.success(request, success_message)
        return redirect("families:file", family_id=family_id)
    file = selectors.family_file(actor=request.professional, family_id=family_id)
    return render(request, template, {"form": form, "file": file, "family": file.family},
                  status=400 if request.method == "POST" else 200)


@professional_required
def person_add(request, family_id):
    def save(data):
        services.person_add(actor=request.professional, family_id=family_id,
                            person=services.NewPerson(**data))

    return _family_form_page(request, family_id, PersonForm(request.POST or None),
                             "families/person_add.html", save, _("Household member added."))


@professional_required
@require_POST
def membership_end(request, family_id, membership_id):
    services.membership_end(actor=request.professional, membership_id=membership_id)
    messages.success(request, _("The person is no longer in this household."))
    return redirect("families:file", family_id=family_id)


@professional_required
def network_add(request, family_id):
    def save(data):
        services.network_member_add(actor=request.professional, family_id=family_id, **data)

    return _family_form_page(request, family_id, NetworkMemberForm(request.POST or None),
                             "families/network_add.html", save, _("Network member added."))


@professional_required
@require_POST
def network_end(request, family_id, member_id):
    services.network_member_end(actor=request.professional, network_member_id=member_id)
    messages.success(request, _("Removed from the informal network."))
    return redirect("families:file", family_id=family_id)


@professional_required
def team_add(request, family_id):
    candidates = selectors.team_candidates(actor=request.professional, family_id=family_id,
                                           query=request.GET.get("q", "").replace("\x00", ""))
    form = TeamMemberForm(request.POST or None, candidates=candidates[:200])

    def save(data):
        professional_id, organisation_id = data["professional"]
        services.team_member_add(
            actor=request.professional, family_id=family_id, professional_id=professional_id,
            organisation_id=organisation_id, role=data["role"], focus=data["focus"],
            responsibilities=data["responsibilities"])

    return _family_form_page(request, family_id, form, "families/team_add.html", save,
                             _("Team member added."))


@professional_required
def team_end(request, family_id, member_id):
    def save(data):
        services.team_member_end(actor=request.professional, team_member_id=member_id,
                                 reason=data["reason"])

    return _family_form_page(request, family_id, TeamMemberEndForm(request.POST or None),
                             "families/team_end.html", save, _("Team member has left the team."))


@professional_required
def status(request, family_id):
    def save(data):
        services.family_set_status(actor=request.professional, family_id=family_id, **data)

    form = FamilyStatusForm(request.POST or None)
    return _family_form_page(request, family_id, form, "families/status.html", save,
                             _("Family status updated."))


@professional_required
def note_add(request, family_id):

    file = selectors.family_file(actor=request.professional, family_id=family_id)
    form = NoteForm(request.POST or None, members=file.members)

    def save(data):
        add(actor=request.professional, family_id=family_id, text=data["text"], category=data["category"],
            visibility=data["visibility"], about_id=int(data["about"]) if data["about"] else None)

    return _family_form_page(request, family_id, form, "families/note_add.html", save, _("Note saved."))
