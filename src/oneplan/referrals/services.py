"""Every change to a referral: draft, send (consent-checked), each status step, warm handoffs."""
import datetime as dt

from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access import consent as consent_rules
from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core import events
from oneplan.core.errors import (
    AccessDenied,
    Conflict,
    ConsentMissing,
    InvalidInput,
    InvalidTransition,
    StaleEdit,
)
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.directory import domains
from oneplan.directory.models import Service
from oneplan.families.models import CareTeamMember, Membership
from oneplan.families.teams import team_event
from oneplan.inbox import messages
from oneplan.inbox.models import Notification
from oneplan.inbox.services import notify_many
from oneplan.referrals import workflow
from oneplan.referrals.models import DeclineReason, Handoff, Referral, ReferralStep, Urgency
from oneplan.referrals.rules import RECEIVER_ROLES, ReferralAccess, referral_access, refused
from oneplan.referrals.workflow import RECEIVER, Status

QUESTION_MAX = 4000
NOTE_MAX = 2000
# Categories a referral may share besides identity (always shared: who is referred).
SHAREABLE = [c for c in Category.values if c not in ("identity", "team")]
# When a status is first reached, its milestone field is set (statistics, queue order).
MILESTONES = {Status.SENT: "sent_at", Status.RECEIVED: "received_at", Status.ACCEPTED: "accepted_at",
              Status.IN_SERVICE: "in_service_at", Status.DECLINED: "closed_at",
              Status.COMPLETED: "closed_at", Status.CANCELLED: "closed_at"}


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


# ---- drafting and sending -------------------------------------------------------------------

@service
def referral_create(*, actor: Professional, family_id: int, service_id, person_ids: list,
                    needs: list[str], question: str, urgency: str = Urgency.ROUTINE,
                    shared_categories: list[str] | None = None) -> Referral:
    """A draft referral from a family's care team to a service; sending is a separate step."""
    access = rules.family_access(actor, family_id, "referral.send")
    family = access.family
    target = Service.objects.select_related("organisation").filter(pk=service_id).first() \
        if valid_id(service_id) else None
    if target is None or not target.accepts_referrals:
        raise InvalidInput(_("This service no longer exists or does not take referrals now. "
                             "Choose another one in the directory."), field="service")
    ids = {int(p) for p in person_ids or [] if valid_id(p)}
    if not ids:
        raise InvalidInput(_("Choose who in the household is referred."), field="persons")
    members = {m.person_id: m.person for m in Membership.objects.filter(
        family=family, person_id__in=ids, ended_on__isnull=True).select_related("person")}
    if len(ids) != len(person_ids) or set(members) != ids:
        raise InvalidInput(_("Only members of this household can be referred."), field="persons")
    known = domains.names()
    needs = list(dict.fromkeys(needs or []))
    if not needs:
        raise InvalidInput(_("Say which needs (life domains) the referral is about."), field="needs")
    if any(n not in known for n in needs):
        raise InvalidInput(_("Choose the needs from the list of life domains."), field="needs")
    if urgency not in Urgency.values:
        raise InvalidInput(_("Choose how urgent the referral is."), field="urgency")
    shared = list(dict.fromkeys(shared_categories or []))
    if any(c not in SHAREABLE for c in shared):
        raise InvalidInput(_("Choose the shared information from the list."), field="shared_categories")
    question = clean_text(question, "question", _("What you ask the service"), limit=QUESTION_MAX)
    if Referral.objects.filter(family=family, service=target, status__in=workflow.OPEN).exists():
        raise Conflict(_("This family already has an open referral to %(service)s. Follow that one "
                         "up instead of sending a second.") % {"service": target.name}, field="service")
    organisation = access.organisation or actor.primary_organisation
    referral = Referral.objects.create(
        family=family, service=target, organisation=target.organisation, referrer=actor,
        referrer_organisation=organisation, needs=needs, urgency=urgency, question=question,
        shared_categories=["identity", *shared])
    referral.persons.set(members.values())
    ReferralStep.objects.create(referral=referral, to_status=Status.DRAFT, actor=actor,
                                organisation=organisation)
    record(actor, "referral.create", referral, family=family, category=Category.IDENTITY,
           organisation=organisation, reason=f"to {target.name} ({target.organisation.name})")
    return referral


def consent_gaps(referral: Referral) -> list[str]:
    """What the family has not consented to for this referral (empty: it may be sent)."""
    return consent_rules.referral_missing(family=referral.family, organisation=referral.organisation,
                                          categories=referral.shared_categories,
                                          persons=list(referral.persons.all()))


def _refused(error, access: ReferralAccess, action: str, reason: str):
    return refused(error, actor=access.professional, referral_id=access.referral.pk, action=action,
                   reason=reason, family_id=access.referral.family_id)


def _stale(referral_id) -> StaleEdit:
    current = Referral.objects.filter(pk=referral_id).values_list("status", flat=True).first()
    return StaleEdit(_("Someone else changed this referral meanwhile: it is now %(status)s. "
                       "Look at it again before you change it.") % {
        "status": str(Status(current).label).lower()})


def _require_step(access: ReferralAccess, to: str, version=None) -> None:
    """The step is the actor's to take, and they saw the referral as it is now."""
    if version not in (None, "") and int(version) != access.referral.version:
        raise _stale(access.referral.pk)
    if not any(workflow.allowed(access.referral.status, to, side) for side in access.sides):
        message = workflow.refusal(access.referral.status, to)
        raise _refused(InvalidTransition(message), access, f"referral.{to}", message)


def _move(access: ReferralAccess, *, to: str, note: str = "", **fields) -> Referral:
    """One status step, after _require_step: the write (refused if someone changed the referral
    since it was read), its history and its audit event."""
    referral, actor = access.referral, access.professional
    frm = referral.status
    now = timezone.now()
    changes = {"status": to, "status_changed_at": now, "version": F("version") + 1, **fields}
    milestone = MILESTONES.get(to)
    if milestone and getattr(referral, milestone) is None:
        changes[milestone] = now
    updated = Referral.objects.filter(pk=referral.pk, status=frm, version=referral.version).update(**changes)
    if not updated:  # changed between our read and our write
        raise _stale(referral.pk)
    referral.refresh_from_db()
    as_receiver = RECEIVER in access.sides and workflow.allowed(frm, to, RECEIVER)
    side_org = referral.organisation if as_receiver else access.family_access.organisation
    ReferralStep.objects.create(referral=referral, from_status=frm, to_status=to, at=now, actor=actor,
                                organisation=side_org, note=note)
    record(actor, f"referral.{to}", referral, family=referral.family_id, category=Category.IDENTITY,
           organisation=side_org, reason=f"{frm} -> {to}" + (f": {note[:200]}" if note else ""))
    events.publish(events.REFERRAL_STATUS_CHANGED, organisations=_sides(referral),
                   data={**_references(referral), "status": to, "previousStatus": frm})
    return referral


def _sides(referral: Referral) -> list[int]:
    return [referral.referrer_organisation_id, referral.organisation_id]


def _references(referral: Referral) -> dict:
    """What an event says about a referral: references only (docs/interoperability.md, "Webhooks")."""
    return {"referral": events.reference("Task", referral.pk),
            "serviceRequest": events.reference("ServiceRequest", referral.pk),
            "family": events.reference("Group", referral.family_id),
            "requester": events.reference("Organization", referral.referrer_organisation_id),
            "owner": events.reference("Organization", referral.organisation_id)}


def _receivers(referral: Referral) -> list[Professional]:
    """Who at the receiving organisation hears about a referral."""
    if referral.receiving_professional_id:
        return [referral.receiving_professional]
    contacts = [c.professional for c in referral.service.contacts.select_related("professional__user")
                if c.professional_id]
    if contacts:
        return contacts
    staff = (Professional.objects.filter(organisations=referral.organisation, user__is_active=True)
             .select_related("user").order_by("id"))
    leads = [p for p in staff if p.has_role(Role.TEAM_MANAGER) or p.has_role(Role.ORG_ADMIN)]
    return leads or [p for p in staff if any(p.has_role(r) for r in RECEIVER_ROLES)][:10]


def _tell(recipients, referral: Referral, kind: str, message: str, params: dict, actor) -> None:
    """One notice per recipient (never the actor), as a message key (referrals/notices.py)."""
    seen, items = set(), []
    for pro in recipients:
        if pro.pk in seen or pro.pk == actor.pk:
            continue
        seen.add(pro.pk)
        items.append({"recipient": pro, "kind": kind, "message": message, "params": params,
                      "link": _link(referral)})
    if items:
        notify_many(items)


@service
def referral_send(*, actor: Professional, referral_id, version=None) -> Referral:
    """Send a draft: refused, saying which consent is missing, unless the family agreed."""
    access = referral_access(actor, referral_id, "referral.send", for_update=True)
    referral = access.referral
    _require_step(access, Status.SENT, version)
    if not referral.service.accepts_referrals:
        raise InvalidInput(_("%(service)s does not take referrals any more. Cancel this draft and "
                             "choose another service.") % {"service": referral.service.name})
    if referral.status == Status.DRAFT:
        missing = consent_gaps(referral)
        if missing:
            raise _refused(ConsentMissing(" ".join(missing), missing=missing), access, "referral.sent",
                           "consent missing: " + " ".join(missing))
    referral = _move(access, to=Status.SENT)
    persons = len(referral.persons.all())
    _tell(_receivers(referral), referral, Notification.Kind.REFERRAL_INCOMING, "referral.incoming",
          {"number": referral.number, "service": referral.service.name, "who": actor.name,
           "org": referral.referrer_organisation.name, "n": persons,
           "_urgency": messages.msgid(referral.get_urgency_display())}, actor)
    return referral


@service
def referral_step(*, actor: Professional, referral_id, to_status: str, version=None, note: str = "",
                  decline_reason: str = "", receiving_professional_id=None,
                  expected_start_on: dt.date | None = None) -> Referral:
    """Every step after sending: receipt, accept, decline, ask or answer, waiting list, start,
    complete, cancel. The other side is told in their inbox."""
    if to_status == Status.SENT or to_status not in Status.values:
        raise InvalidInput(_("Choose one of the steps offered for this referral."), field="to_status")
    access = referral_access(actor, referral_id, f"referral.{to_status}", for_update=True)
    referral = access.referral
    _require_step(access, to_status, version)
    fields = {}
    note = clean_text(note, "note", _("The note"), limit=NOTE_MAX, required=False)
    if to_status == Status.DECLINED:
        if decline_reason not in DeclineReason.values:
            raise InvalidInput(_("Choose why the referral is declined."), field="decline_reason")
        fields.update(decline_reason=decline_reason, decline_text=note)
    elif to_status == Status.INFO_REQUESTED and not note:
        raise InvalidInput(_("Write what you need to know."), field="note")
    elif to_status == Status.RECEIVED and referral.status == Status.INFO_REQUESTED and not note:
        raise InvalidInput(_("Write the answer to the question."), field="note")
    elif to_status == Status.CANCELLED and not note:
        raise InvalidInput(_("Say why the referral is cancelled."), field="note")
    elif to_status == Status.ACCEPTED:
        fields["receiving_professional"] = _receiving_professional(
            access, receiving_professional_id or actor.pk)
    elif to_status == Status.WAITING_LIST:
        if expected_start_on and expected_start_on < timezone.localdate():
            raise InvalidInput(_("The expected start cannot be in the past."), field="expected_start_on")
        fields["expected_start_on"] = expected_start_on
    elif to_status == Status.IN_SERVICE:
        handoff = Handoff.objects.filter(referral=referral).first()
        fields["started_warm"] = bool(handoff and handoff.state == Handoff.State.HELD)
        if referral.receiving_professional_id is None:
            fields["receiving_professional"] = actor
    referral = _move(access, to=to_status, note=note, **fields)
    _announce(access, referral, note)
    return referral


def _receiving_professional(access: ReferralAccess, professional_id) -> Professional:
    pro = (Professional.objects.filter(pk=professional_id, organisations=access.referral.organisation,
                                       user__is_active=True).select_related("user").first()
           if valid_id(professional_id) else None)
    if pro is None:
        raise InvalidInput(_("Choose a professional of %(org)s.") % {"org": access.referral.organisation.name},
                           field="receiving_professional")
    return pro


def _announce(access: ReferralAccess, referral: Referral, note: str) -> None:
    kind = Notification.Kind.REFERRAL_STATUS
    message = "referral.status_note" if note else "referral.status"
    params = {"number": referral.number, "service": referral.service.name,
              "organisation": referral.organisation.name, "note": note,
              "_status": messages.msgid(referral.get_status_display())}
    if RECEIVER in access.sides and not access.is_referrer:
        _tell([referral.referrer], referral, kind, message, params, access.professional)
    elif RECEIVER in access.sides:  # on both sides (an internal referral): tell both
        _tell([referral.referrer, *_receivers(referral)], referral, kind, message, params,
              access.professional)
    elif referral.status != Status.CANCELLED or referral.sent_at:
        _tell(_receivers(referral), referral, kind, message, params, access.professional)


# ---- warm handoffs --------------------------------------------------------------------------

HANDOFF_STATUSES = (Status.ACCEPTED, Status.WAITING_LIST, Status.IN_SERVICE)
# The family's coordinator stays who they are; a new professional joins beside them.
HANDOFF_ROLES = (CareTeamMember.Role.MEMBER, CareTeamMember.Role.CONSULTANT,
                 CareTeamMember.Role.CO_COORDINATOR)


def _default_focus(referral: Referral) -> str:
    kinds = {m.is_child for m in Membership.objects.filter(
        family=referral.family_id, person__in=referral.persons.all(), ended_on__isnull=True)}
    if kinds == {True}:
        return CareTeamMember.Focus.CHILDREN
    if kinds == {False}:
        return CareTeamMember.Focus.PARENTS
    return CareTeamMember.Focus.WHOLE_FAMILY


def accepted_professional_id(referral: Referral, steps: list[ReferralStep] | None = None) -> int | None:
    """Who took the referral on: the professional the acceptance named, else (a referral accepted
    without one) whoever accepted it, from the history; None when neither is known."""
    if referral.receiving_professional_id:
        return referral.receiving_professional_id
    if steps is None:
        steps = list(ReferralStep.objects.filter(referral=referral, to_status=Status.ACCEPTED)
                     .order_by("at", "id"))
    accepted = [s.actor_id for s in steps if s.to_status == Status.ACCEPTED and s.actor_id]
    return accepted[-1] if accepted else None


def handoff_defaults(referral: Referral) -> dict:
    """Role, focus and responsibilities for the receiving professional, from the referral.

    The responsibilities go into the care team, which the family reads in its portal: a short
    line of service and needs, never the referral question (written to the service, not to them)."""
    needs = ", ".join(domains.names().get(n, n) for n in referral.needs)
    return {"role": CareTeamMember.Role.MEMBER, "focus": _default_focus(referral),
            "responsibilities": (_("%(service)s (%(organisation)s): %(needs)s") % {
                "service": referral.service.name, "organisation": referral.organisation.name,
                "needs": needs.lower()})[:2000]}


@service
def handoff_plan(*, actor: Professional, referral_id, planned_for: dt.datetime, mode: str,
                 place: str = "", receiving_professional_id=None, role: str | None = None,
                 focus: str | None = None, responsibilities: str | None = None) -> Handoff:
    """Plan (or re-plan) the joint meeting of referrer, receiving professional and family."""
    access = referral_access(actor, referral_id, "referral.handoff_plan", for_update=True)
    referral = access.referral
    if referral.status not in HANDOFF_STATUSES:
        raise InvalidTransition(_("A warm handoff is planned once the referral is accepted."))
    existing = Handoff.objects.filter(referral=referral).first()
    if existing and existing.state == Handoff.State.HELD:
        raise Conflict(_("The warm handoff was held already."))
    if planned_for is None:
        raise InvalidInput(_("Say when the meeting is."), field="planned_for")
    if mode not in Handoff.Mode.values:
        raise InvalidInput(_("Say how the meeting takes place."), field="mode")
    defaults = handoff_defaults(referral)
    role = role or defaults["role"]
    focus = focus or defaults["focus"]
    if role not in HANDOFF_ROLES or focus not in CareTeamMember.Focus.values:
        raise InvalidInput(_("Choose a role and focus from the lists."), field="role")
    receiver = _receiving_professional(access, receiving_professional_id
                                       or accepted_professional_id(referral) or actor.pk)
    values = {"planned_for": planned_for, "mode": mode,
              "place": clean_text(place, "place", _("Where"), limit=200, required=False),
              "receiving_professional": receiver, "role": role, "focus": focus,
              "responsibilities": clean_text(responsibilities or defaults["responsibilities"],
                                             "responsibilities", _("Responsibilities"), limit=2000),
              "state": Handoff.State.PLANNED}
    if existing:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save()
        handoff = existing
    else:
        handoff = Handoff.objects.create(referral=referral, planned_by=actor, **values)
    record(actor, "referral.handoff_plan", handoff, family=referral.family_id,
           category=Category.TEAM, reason=f"{referral.number} on {planned_for:%Y-%m-%d %H:%M}")
    when = timezone.localtime(planned_for).strftime("%d-%m-%Y %H:%M")
    _tell([referral.referrer, receiver], referral, Notification.Kind.HANDOFF, "referral.handoff_planned",
          {"number": referral.number, "when": when, "_how": messages.msgid(handoff.get_mode_display()),
           "where": f", {handoff.place}" if handoff.place else "",
           "referrer": referral.referrer.name, "receiver": receiver.name}, actor)
    return handoff


@service
def handoff_record(*, actor: Professional, referral_id, held_on: dt.date, family_present: bool = True,
                   notes: str = "") -> Handoff:
    """The meeting was held: the receiving professional joins the family's care team."""
    access = referral_access(actor, referral_id, "referral.handoff_record", for_update=True)
    referral = access.referral
    handoff = Handoff.objects.select_related("receiving_professional__user").filter(referral=referral).first()
    if handoff is None or handoff.state != Handoff.State.PLANNED:
        raise InvalidTransition(_("There is no planned warm handoff to record."))
    if access.is_receiver and not access.is_referrer and actor.pk != handoff.receiving_professional_id:
        raise _refused(AccessDenied(_("The referring professional or %(name)s records the handoff.")
                                    % {"name": handoff.receiving_professional.name}),
                       access, "referral.handoff_record", "not the receiving professional")
    if held_on is None or held_on > timezone.localdate():
        raise InvalidInput(_("The meeting date cannot be in the future."), field="held_on")
    handoff.state, handoff.held_on, handoff.family_present = Handoff.State.HELD, held_on, family_present
    handoff.notes, handoff.recorded_by = clean_text(notes, "notes", _("What was agreed"), limit=2000,
                                                              required=False), actor
    handoff.team_member = _join_team(actor, referral, handoff)
    handoff.save()
    record(actor, "referral.handoff_record", handoff, family=referral.family_id, category=Category.TEAM,
           reason=f"{referral.number}: {handoff.receiving_professional.name} joins the team")
    events.publish(events.HANDOFF_HELD, organisations=_sides(referral),
                   data={**_references(referral), "handoff": handoff.pk,
                         "heldOn": handoff.held_on.isoformat(), "familyPresent": handoff.family_present,
                         "careTeamMember": handoff.team_member_id})
    coordinators = [m.professional for m in rules.active_team(referral.family_id)
                    .filter(role__in=CareTeamMember.COORDINATING).select_related("professional__user")]
    _tell([*coordinators, referral.referrer, handoff.receiving_professional], referral,
          Notification.Kind.HANDOFF, "referral.handoff_joined",
          {"name": handoff.receiving_professional.name, "family": referral.family.reference,
           "number": referral.number, "service": referral.service.name}, actor)
    return handoff


def _join_team(actor, referral: Referral, handoff: Handoff) -> CareTeamMember:
    current = rules.active_team(referral.family_id).filter(
        professional=handoff.receiving_professional).first()
    if current:
        return current
    member = CareTeamMember.objects.create(
        family_id=referral.family_id, professional=handoff.receiving_professional,
        organisation=referral.organisation, role=handoff.role, focus=handoff.focus,
        responsibilities=handoff.responsibilities, started_on=timezone.localdate())
    record(actor, "team.add", member, family=referral.family_id, category=Category.TEAM,
           reason=f"warm handoff of {referral.number}")
    team_event(events.TEAM_MEMBER_ADDED, member)
    return member
