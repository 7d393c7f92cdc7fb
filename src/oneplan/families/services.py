"""Every change to a family file: registering, household, informal network, care team."""
import datetime as dt
import secrets
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Organisation, Professional
from oneplan.audit.services import record
from oneplan.core import events
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, StaleEdit, refused
from oneplan.core.layers import service
from oneplan.core.national_id import normalise_national_id
from oneplan.families import guard, teams
from oneplan.families.categories import Category
from oneplan.families.duplicates import possible_duplicates
from oneplan.families.models import (
    NAME_MAX,
    CareTeamMember,
    Family,
    Membership,
    NetworkMember,
    Note,
    Person,
)

_REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    # Random, not sequential: a reference says nothing about how many families there are.
    body = "".join(secrets.choice(_REF_ALPHABET) for _ in range(8))
    return f"OP-{body[:4]}-{body[4:]}"


@dataclass
class NewPerson:
    given_name: str
    family_name: str
    date_of_birth: dt.date
    relation: str
    national_id: str = ""
    # The answer to "is this a person oneplan already knows?": a Person id to link, or "new".
    same_person: str = ""


class PossibleDuplicate(Conflict):
    """A person born that day with a name alike is known already: a person decides."""

    def __init__(self, new: NewPerson, candidates: list[Person]):
        super().__init__(_("%(name)s may already be known to oneplan (the same date of birth and a "
                           "name spelt alike). Say whether it is the same person, so that their "
                           "history is not split over two records.") % {
            "name": f"{new.given_name} {new.family_name}"}, field="same_person")
        self.new, self.candidates = new, candidates


def _clean_name(value: str, field: str, label: str) -> str:
    value = " ".join((value or "").split())
    if not value:
        raise InvalidInput(f"{label} is required.", field=field)
    if len(value) > NAME_MAX:
        raise InvalidInput(f"{label} can be at most {NAME_MAX} characters.", field=field)
    return value


def _check_birth_date(value: dt.date | None) -> dt.date:
    if value is None:
        raise InvalidInput("Date of birth is required.", field="date_of_birth")
    if value > timezone.localdate():
        raise InvalidInput("A date of birth cannot be in the future.", field="date_of_birth")
    if value.year < 1900:
        raise InvalidInput("A date of birth before 1900 is not plausible.", field="date_of_birth")
    return value


def _add_person(actor, family: Family, new: NewPerson, started_on: dt.date) -> Membership:
    given = _clean_name(new.given_name, "given_name", "Given name")
    surname = _clean_name(new.family_name, "family_name", "Family name")
    dob = _check_birth_date(new.date_of_birth)
    if new.relation not in Membership.Relation.values:
        raise InvalidInput("Choose how this person belongs to the household.", field="relation")
    person = None
    if new.national_id:
        normalised = normalise_national_id(new.national_id)
        probe = Person()
        probe.set_national_id(normalised)
        # The same national id means the same person: a child in two households is one Person.
        person = Person.objects.filter(national_id_hash=probe.national_id_hash).first()
        if person and (person.date_of_birth != dob):
            raise InvalidInput("This national id belongs to a person with another date of birth.",
                               field="national_id")
    active = family.memberships.filter(ended_on__isnull=True)
    if person is None and new.same_person != "new":
        candidates = possible_duplicates(given=given, family=surname, date_of_birth=dob,
                                         exclude_family=family)
        chosen = next((p for p in candidates if str(p.pk) == str(new.same_person)), None)
        if chosen is None and candidates:
            raise PossibleDuplicate(new, candidates)
        if chosen is not None:
            person = chosen
            record(actor, "person.link", person, family=family, person=person,
                   category=Category.IDENTITY, reason="confirmed as the same person (name and birth date)")
    if person is None:
        twin = active.filter(person__given_name__iexact=given, person__family_name__iexact=surname,
                             person__date_of_birth=dob).exists()
        if twin:
            raise Conflict(f"{given} {surname} ({dob:%d-%m-%Y}) is already in this household.",
                           field="given_name")
        person = Person(given_name=given, family_name=surname, date_of_birth=dob)
        if new.national_id:
            person.set_national_id(normalised)
        person.save()
    elif active.filter(person=person).exists():
        raise Conflict(f"{person.full_name} is already in this household.", field="national_id")
    membership = Membership.objects.create(family=family, person=person, relation=new.relation,
                                           started_on=started_on)
    record(actor, "person.add", membership, family=family, person=person,
           category=Category.IDENTITY)
    return membership


@service
def family_register(*, actor: Professional, name: str, members: list[NewPerson],
                    intensity: str = Family.Intensity.MEDIUM, organisation: Organisation | None = None,
                    responsibilities: str = "", coordinator: Professional | None = None,
                    first_note: str = "") -> Family:
    """Register a new family with its household; the registering professional coordinates, or
    the `coordinator` named (the front door registers a family for a coordinator, in the
    coordinator's organisation). `first_note` (the family's own words from a request for help)
    becomes the file's first note, for the whole team."""
    if not guard.can_register_family(actor):
        error = AccessDenied("Your roles do not include registering families.")
        refused(error, actor=actor, action="family.register",
                reason="role may not register families")
        raise error
    name = _clean_name(name, "name", "Family name")
    if not members:
        raise InvalidInput("Add at least one household member.", field="members")
    if intensity not in Family.Intensity.values:
        raise InvalidInput("Choose an intensity.", field="intensity")
    lead = coordinator or actor
    if coordinator is not None and not (coordinator.has_role("coordinator") and coordinator.user.is_active):
        raise InvalidInput("Choose a care coordinator.", field="coordinator")
    organisation = organisation or lead.primary_organisation
    if organisation is None or not lead.organisations.filter(pk=organisation.pk).exists():
        raise InvalidInput("Choose one of your own organisations.", field="organisation")
    today = timezone.localdate()
    family = Family.objects.create(reference=new_reference(), name=name, intensity=intensity,
                                   opened_on=today)
    record(actor, "family.register", family, family=family, category=Category.IDENTITY)
    for new in members:
        _add_person(actor, family, new, today)
    member = CareTeamMember.objects.create(
        family=family, professional=lead, organisation=organisation,
        role=CareTeamMember.Role.COORDINATOR,
        responsibilities=responsibilities.strip() or "Care coordination: one plan with the family, "
        "keeps the team together, first contact for the family.", started_on=today)
    record(actor, "team.add", member, family=family, category=Category.TEAM)
    if first_note.strip():
        note = Note.objects.create(family=family, author=actor, organisation=actor.primary_organisation or organisation,
                                   category=Category.NOTES, text=first_note.strip()[:5000])
        record(actor, "note.add", note, family=family, category=Category.NOTES,
               reason="the family's own words from their request for help")
    teams.team_event(events.TEAM_MEMBER_ADDED, member)
    return family


@service
def person_add(*, actor: Professional, family_id: int, person: NewPerson,
               started_on: dt.date | None = None) -> Membership:
    access = guard.family_access(actor, family_id, "household.edit")
    return _add_person(actor, access.family, person, started_on or timezone.localdate())


@service
def membership_end(*, actor: Professional, membership_id: int, ended_on: dt.date | None = None) -> Membership:
    access, membership = guard.family_object(actor, Membership.objects, membership_id, "household.edit")
    ended_on = ended_on or timezone.localdate()
    if membership.ended_on:
        raise Conflict("This person has already left the household.")
    if ended_on < membership.started_on:
        raise InvalidInput("The end date is before the start date.", field="ended_on")
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    record(actor, "person.leave", membership, family=access.family, person=membership.person_id,
           category=Category.IDENTITY)
    return membership


NETWORK_FIELDS = ("name", "relation", "support", "support_note", "strength", "load",
                  "consent_to_involve", "phone")


def _clean_network(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in NETWORK_FIELDS}
    values["name"] = _clean_name(values.get("name", ""), "name", "Name")
    for field, choices in (("relation", NetworkMember.Relation), ("support", NetworkMember.Support),
                           ("strength", NetworkMember.Strength)):
        if values.get(field) not in choices.values:
            raise InvalidInput(f"Choose a valid {field}.", field=field)
    load = values.get("load", 2)
    if not isinstance(load, int) or not 1 <= load <= 5:
        raise InvalidInput("Load is a number from 1 (little) to 5 (too much).", field="load")
    return values


@service
def network_member_add(*, actor: Professional, family_id: int, **values) -> NetworkMember:
    access = guard.family_access(actor, family_id, "network.edit")
    member = NetworkMember.objects.create(family=access.family, **_clean_network(values))
    record(actor, "network.add", member, family=access.family, category=Category.TEAM)
    return member


@service
def network_member_update(*, actor: Professional, network_member_id: int, **values) -> NetworkMember:
    access, member = guard.family_object(actor, NetworkMember.objects, network_member_id, "network.edit")
    for key, value in _clean_network(values).items():
        setattr(member, key, value)
    member.save()
    record(actor, "network.update", member, family=access.family, category=Category.TEAM)
    return member


@service
def network_member_end(*, actor: Professional, network_member_id: int) -> NetworkMember:
    access, member = guard.family_object(actor, NetworkMember.objects.filter(ended_on__isnull=True),
                                         network_member_id, "network.edit")
    member.ended_on = timezone.localdate()
    member.save(update_fields=["ended_on"])
    record(actor, "network.end", member, family=access.family, category=Category.TEAM)
    return member


def _overlapping_coordinator(family: Family, focus: str, exclude_id=None):
    coordinators = teams.active_team(family).filter(role=CareTeamMember.Role.COORDINATOR)
    if exclude_id:
        coordinators = coordinators.exclude(pk=exclude_id)
    for other in coordinators.select_related("professional__user"):
        if CareTeamMember.Focus.WHOLE_FAMILY in (focus, other.focus) or other.focus == focus:
            return other
    return None


@service
def team_member_add(*, actor: Professional, family_id: int, professional_id: int,
                    organisation_id: int, role: str, focus: str, responsibilities: str,
                    started_on: dt.date | None = None) -> CareTeamMember:
    access = guard.family_access(actor, family_id, "team.manage")
    family = access.family
    professional = Professional.objects.filter(pk=professional_id).select_related("user").first()
    if professional is None or not professional.user.is_active:
        raise InvalidInput("Choose an active professional.", field="professional")
    organisation = professional.organisations.filter(pk=organisation_id).first()
    if organisation is None:
        raise InvalidInput(f"{professional.name} does not work for that organisation.",
                           field="organisation")
    if role not in CareTeamMember.Role.values:
        raise InvalidInput("Choose a role.", field="role")
    if focus not in CareTeamMember.Focus.values:
        raise InvalidInput("Choose a focus.", field="focus")
    responsibilities = (responsibilities or "").strip()
    if not responsibilities:
        raise InvalidInput("Write out what this professional is responsible for.",
                           field="responsibilities")
    if len(responsibilities) > 2000:
        raise InvalidInput("Responsibilities can be at most 2000 characters.", field="responsibilities")
    started_on = started_on or timezone.localdate()
    if teams.active_team(family).filter(professional=professional).exists():
        raise Conflict(f"{professional.name} is already on this team.", field="professional")
    if role == CareTeamMember.Role.COORDINATOR:
        other = _overlapping_coordinator(family, focus)
        if other:
            raise Conflict(f"{other.professional.name} already coordinates for "
                           f"{other.get_focus_display().lower()}. A pair of coordinators splits "
                           "parents and children.", field="role")
    member = CareTeamMember.objects.create(
        family=family, professional=professional, organisation=organisation, role=role,
        focus=focus, responsibilities=responsibilities, started_on=started_on)
    record(actor, "team.add", member, family=family, category=Category.TEAM)
    teams.team_event(events.TEAM_MEMBER_ADDED, member)
    return member


@service
def team_member_end(*, actor: Professional, team_member_id: int, reason: str = "",
                    ended_on: dt.date | None = None) -> CareTeamMember:
    member = (CareTeamMember.objects.select_for_update().filter(pk=team_member_id)
              .select_related("family").first())
    family_id = member.family_id if member else None
    is_self = member is not None and member.professional_id == actor.pk
    access = guard.family_access(actor, family_id, "family.read" if is_self else "team.manage")
    family = access.family
    today = timezone.localdate()
    ended_on = ended_on or today
    if member.ended_on and member.ended_on <= today:
        raise Conflict("This team member has already left the team.")
    if ended_on < member.started_on:
        raise InvalidInput("The end date is before the start date.", field="ended_on")
    if member.is_coordinating and family.is_open:
        remaining = teams.active_team(family).filter(role=CareTeamMember.Role.COORDINATOR).exclude(
            pk=member.pk)
        if member.role == CareTeamMember.Role.COORDINATOR and not remaining.exists():
            raise Conflict("This is the last care coordinator of an open family. Add another "
                           "coordinator first, then end this one.")
    member.ended_on, member.end_reason = ended_on, (reason or "").strip()[:300]
    member.save(update_fields=["ended_on", "end_reason"])
    record(actor, "team.end", member, family=family, category=Category.TEAM, reason=member.end_reason)
    teams.team_event(events.TEAM_MEMBER_ENDED, member)
    return member


ALLOWED_STATUS = {
    Family.Status.INTAKE: {Family.Status.ACTIVE, Family.Status.CLOSED},
    Family.Status.ACTIVE: {Family.Status.SCALING_DOWN, Family.Status.CLOSED},
    Family.Status.SCALING_DOWN: {Family.Status.ACTIVE, Family.Status.CLOSED},
    Family.Status.CLOSED: {Family.Status.ACTIVE},
}


@service
def family_set_status(*, actor: Professional, family_id: int, status: str | None,
                      closure_reason: str = "", closure_note: str = "",
                      intensity: str | None = None, version: int | None = None) -> Family:
    """Change the status (and with it the closure) and/or the intensity; `status` None keeps it.
    `version`: the one the change is based on (the API's If-Match); another one is StaleEdit."""
    access = guard.family_access(actor, family_id, "family.close")
    family = Family.objects.select_for_update().get(pk=access.family.pk)
    if version is not None and version != family.version:
        raise StaleEdit("Someone else changed this family meanwhile. Look at it again before you "
                        "change it.")
    if status is None and intensity is None:
        raise InvalidInput("Say what changes: the status or the intensity.", field="status")
    if status is not None:
        _set_status(family, status, closure_reason, closure_note)
    if intensity is not None:
        if intensity not in Family.Intensity.values:
            raise InvalidInput("Choose an intensity.", field="intensity")
        family.intensity = intensity
    family.version += 1
    family.save()
    record(actor, "family.status", family, family=family, category=Category.IDENTITY,
           reason=family.status)
    return family


def _set_status(family: Family, status: str, closure_reason: str, closure_note: str) -> None:
    if status != family.status and status not in ALLOWED_STATUS.get(family.status, set()):
        raise Conflict(f"A family cannot go from {family.get_status_display()} to "
                       f"{Family.Status(status).label if status in Family.Status.values else status}.",
                       field="status")
    if status == Family.Status.CLOSED:
        if closure_reason not in Family.ClosureReason.values:
            raise InvalidInput("Give the reason for closing.", field="closure_reason")
        family.closed_on, family.closure_reason = timezone.localdate(), closure_reason
        family.closure_note = (closure_note or "").strip()[:2000]
    else:
        family.closed_on, family.closure_reason, family.closure_note = None, "", ""
    family.status = status
