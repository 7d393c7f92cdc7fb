"""Every change to a request for help: asking (public or by an intake worker), the asker's
messages, and the intake behind the door (taking it on, first contact, safety screen, family
members and possible matches, the outcome)."""
import datetime as dt
import hmac
import secrets
import time

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access import services_consent
from oneplan.accounts.models import Organisation, Professional, Role
from oneplan.audit.services import record
from oneplan.core import locks
from oneplan.core.crypto import keyed_hash
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.sms import normalise_number
from oneplan.core.text import clean_text
from oneplan.directory import domains
from oneplan.directory.models import Service
from oneplan.families import services as family_services
from oneplan.families.models import Family, Membership
from oneplan.frontdoor import tell
from oneplan.frontdoor.matching import open_matches
from oneplan.frontdoor.models import (
    MESSAGE_MAX,
    PRIORITY,
    STORY_MAX,
    Asker,
    Channel,
    ClosedReason,
    ContactBy,
    FamilyKnows,
    HelpRequest,
    LookupAttempt,
    Outcome,
    RequestMessage,
    RequestPerson,
    RequestStep,
    Status,
    Urgency,
)
from oneplan.inbox.services import notify
from oneplan.referrals import services as referral_services

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_LOCK_NAMESPACE = 0x4644  # advisory locks of the front door's limits per address
SAFETY_QUESTIONS = ("danger_now", "violence", "child_care")


class TooManyRequests(Conflict):
    status = 429


def _random(n: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(n))


def _code_hash(reference: str, code: str) -> str:
    return keyed_hash(code.strip().upper().replace("-", "").replace(" ", ""), purpose=f"frontdoor:{reference}")


def source_hash(address: str | None) -> str:
    """The source address as a keyed hash: enough to count, never the address itself."""
    return keyed_hash(address or "unknown", purpose="frontdoor-source")


def contact_hash(phone: str, email: str) -> str:
    value = (email or "").strip().casefold() or normalise_number(phone)
    return keyed_hash(value, purpose="frontdoor-contact") if value else ""


# Addresses over their limit, per process, until when: a flood is refused without a query, so it
# costs the professionals' pages as little as possible. Only ever refuses early what the database
# count refused a moment ago; the count decides.
_over_limit: dict[str, float] = {}
_OVER_LIMIT_SECONDS = 60


def _limit_reached(source: str) -> bool:
    limits, now = settings.ONEPLAN["FRONT_DOOR_LIMITS"], timezone.now()
    recent = HelpRequest.objects.filter(source_hash=source)
    reached = (recent.filter(created_at__gte=now - dt.timedelta(hours=1)).count() >= limits["PER_HOUR"]
               or recent.filter(created_at__gte=now - dt.timedelta(days=1)).count() >= limits["PER_DAY"])
    if reached:
        if len(_over_limit) > 10000:
            _over_limit.clear()
        _over_limit[source] = time.monotonic() + _OVER_LIMIT_SECONDS
    return reached


def remembered_over_limit(address: str | None) -> bool:
    """Only this process's memory of addresses over their limit: no query at all."""
    until = _over_limit.get(source_hash(address))
    return until is not None and until > time.monotonic()


def over_limit(address: str | None) -> bool:
    """True when requests from this address are refused now (the form view asks first, before it
    reads the form: a refused request costs no form, no template and mostly no query)."""
    key = source_hash(address)
    until = _over_limit.get(key)
    if until is not None and until > time.monotonic():
        return True
    _over_limit.pop(key, None)
    return _limit_reached(key)


def _clean(values: dict) -> dict:
    """The request's own rules, the same for the public form and the intake worker's."""
    v = dict(values)
    if v.get("asker") not in Asker.values:
        raise InvalidInput(_("Say who is asking."), field="asker")
    v["asker_name"] = clean_text(v.get("asker_name"), "asker_name", _("Your name"), limit=120)
    v["story"] = clean_text(v.get("story"), "story", _("What is going on"), limit=STORY_MAX)
    v["domains"] = list(dict.fromkeys(v.get("domains") or []))
    if any(d not in domains.names() for d in v["domains"]):
        raise InvalidInput(_("Choose the subjects from the list."), field="domains")
    if v.get("urgency") not in Urgency.values:
        raise InvalidInput(_("Say how urgent it is."), field="urgency")
    if v.get("contact_by") not in ContactBy.values:
        raise InvalidInput(_("Say how we can contact you."), field="contact_by")
    v["phone"], v["email"] = (v.get("phone") or "").strip(), (v.get("email") or "").strip()
    if v["contact_by"] in (ContactBy.PHONE, ContactBy.SMS) and not normalise_number(v["phone"]):
        raise InvalidInput(_("Give a phone number we can call or text."), field="phone")
    if v["contact_by"] == ContactBy.EMAIL and not v["email"]:
        raise InvalidInput(_("Give an e-mail address."), field="email")
    if v["asker"] == Asker.FAMILY:
        v["family_knows"], v["family_name"] = "", v.get("family_name") or ""
    else:
        if v.get("family_knows") not in FamilyKnows.values:
            raise InvalidInput(_("Say whether the family knows you ask for help."), field="family_knows")
        v["family_name"] = clean_text(v.get("family_name"), "family_name", _("The family's name"), limit=120)
    for field, limit in (("contact_when", 200), ("place", 120), ("children", 200), ("family_name", 120)):
        v[field] = (v.get(field) or "").strip()[:limit]
    if v.get("unsafe_now"):
        v["urgency"] = Urgency.URGENT
    return v


@service
def request_submit(*, actor: Professional | None, values: dict, language: str,
                   source: str | None = None, channel: str = Channel.WEB) -> tuple[HelpRequest, str]:
    """A request for help: from the public form (`actor` None, limited per source address) or
    entered by an intake worker with a family on the phone or at the desk. Returns the request
    and its code, shown once on the receipt."""
    if actor is not None:
        _require_front_door(actor, "helprequest.enter")
        if channel not in Channel.values:
            raise InvalidInput(_("Say how the request came in."), field="channel")
    else:
        channel = Channel.WEB
    v = _clean(values)
    fields = ("asker", "asker_name", "phone", "email", "contact_by", "contact_when", "family_knows",
              "family_name", "place", "children", "story", "domains", "urgency")
    source_key = source_hash(source) if actor is None else ""
    if actor is None:
        locks.hold(_LOCK_NAMESPACE, [source_key])  # two requests at once from one address count each other
    if actor is None and _limit_reached(source_key):
        raise TooManyRequests(_("Many requests were sent from your network in a short time, so this "
                                "one was not sent. Your text is kept on this device: try again in an "
                                "hour, or call us."))
    now = timezone.now()
    contact = contact_hash(v["phone"], v["email"])
    hours = settings.ONEPLAN["FRONT_DOOR_RESPONSE_HOURS"][v["urgency"]]
    code = _random(8)
    reference = _random(8)
    while HelpRequest.objects.filter(reference=reference).exists():
        reference = _random(8)
    item = HelpRequest.objects.create(
        reference=reference, code_hash=_code_hash(reference, code), created_at=now,
        language=language[:10], channel=channel, entered_by=actor, unsafe_now=bool(v.get("unsafe_now")),
        priority=PRIORITY[v["urgency"]], due_at=now + dt.timedelta(hours=hours),
        source_hash=source_key, contact_hash=contact,
        asked_before=bool(contact) and HelpRequest.objects.filter(contact_hash=contact).exists(),
        **{f: v[f] for f in fields})
    RequestStep.objects.create(request=item, actor=actor, kind=RequestStep.Kind.RECEIVED,
                               note=str(Channel(channel).label))
    record(actor, "helprequest.submit", item, category="identity",
           reason=f"{channel}, {v['urgency']}{', someone unsafe now' if item.unsafe_now else ''}")
    tell.received(item)
    return item, f"{code[:4]}-{code[4:]}"


def _failed_lookups(source: str) -> int:
    since = timezone.now() - dt.timedelta(hours=1)
    return LookupAttempt.objects.filter(source_hash=source, at__gte=since).count()


def request_lookup(*, reference: str, code: str, source: str | None) -> HelpRequest:
    """The asker's own request by reference and code; guessing is slowed to nothing per address."""
    key = source_hash(source)
    if _failed_lookups(key) >= settings.ONEPLAN["FRONT_DOOR_LIMITS"]["LOOKUP_FAILURES_PER_HOUR"]:
        raise TooManyRequests(_("Too many wrong tries from your network. Try again in an hour, or call us."))
    reference = (reference or "").strip().upper().replace(" ", "")
    if len(reference) == 9 and reference[4] == "-":
        reference = reference[:4] + reference[5:]
    item = HelpRequest.objects.filter(reference=reference).first() if reference else None
    if item is None or not hmac.compare_digest(item.code_hash, _code_hash(reference, code or "")):
        LookupAttempt.objects.create(source_hash=key)
        raise NotFound(_("No request has this reference and code. Check both on your receipt."))
    return item


@service
def asker_message_add(*, reference: str, code: str, source: str | None, text: str) -> RequestMessage:
    """The person who asked adds a message on the status page."""
    item = request_lookup(reference=reference, code=code, source=source)
    if item.pseudonymised_at:
        raise Conflict(_("This request was closed and its details were removed. Send a new request."))
    text = clean_text(text, "text", _("Your message"), limit=MESSAGE_MAX)
    last = item.messages.filter(from_asker=True).last()
    if last and last.text == text and timezone.now() - last.at < dt.timedelta(minutes=10):
        return last  # the page was sent twice (reload): keep one
    message = RequestMessage.objects.create(request=item, from_asker=True, text=text)
    HelpRequest.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    RequestStep.objects.create(request=item, kind=RequestStep.Kind.MESSAGE, note=_("From the person who asked"))
    record(None, "helprequest.asker_message", item, category="identity", reason="on the status page")
    tell.asker_wrote(item)
    return message


# ---- the intake behind the door ----------------------------------------------------------------

def is_front_door(actor) -> bool:
    return actor is not None and actor.has_role(Role.FRONT_DOOR) and not actor.is_system_client


def _require_front_door(actor: Professional, action: str, item: HelpRequest | None = None) -> None:
    if not is_front_door(actor):
        error = AccessDenied(_("This is for the front-door team."))
        raise refused(error, actor=actor, action=action, reason="not on the front-door team",
                      object_type="frontdoor.helprequest", object_id=item.pk if item else "")


def _open_request(actor: Professional, request_id, action: str, *, open_only: bool = True) -> HelpRequest:
    item = HelpRequest.objects.select_for_update().filter(pk=request_id).first() \
        if valid_id(request_id) else None
    if item is None:
        raise NotFound(_("No such request."))
    _require_front_door(actor, action, item)
    if open_only and not item.is_open:
        raise Conflict(_("This request has its outcome already."))
    if item.pseudonymised_at:
        raise Conflict(_("This request's details were removed after the retention period."))
    return item


def _step(item: HelpRequest, actor, kind: str, note: str = "") -> None:
    RequestStep.objects.create(request=item, actor=actor, kind=kind, note=note[:500])


def _touch(item: HelpRequest, **fields) -> None:
    for name, value in fields.items():
        setattr(item, name, value)
    item.version = F("version") + 1
    item.save(update_fields=[*fields, "version", "updated_at"])
    item.refresh_from_db(fields=["version"])


@service
def request_take(*, actor: Professional, request_id) -> HelpRequest:
    """The intake worker takes the request on: she is the one who contacts the person."""
    item = _open_request(actor, request_id, "helprequest.take")
    _touch(item, handler=actor)
    _step(item, actor, RequestStep.Kind.TAKEN)
    record(actor, "helprequest.take", item, category="identity")
    return item


@service
def contact_record(*, actor: Professional, request_id, at: dt.datetime, how: str, note: str = "") -> HelpRequest:
    """A contact with the person who asked: the first one stops the response clock."""
    item = _open_request(actor, request_id, "helprequest.contact")
    if how not in ContactBy.values and how != "visit":
        raise InvalidInput(_("Say how you were in contact."), field="how")
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(_("A contact cannot be in the future."), field="at")
    if at < item.created_at - dt.timedelta(minutes=5):
        raise InvalidInput(_("A contact cannot be before the request came in."), field="at")
    note = clean_text(note, "note", _("Note"), limit=500, required=False)
    changes = {"status": Status.IN_CONTACT, "handler": item.handler or actor}
    if item.first_contact_at is None:
        changes.update(first_contact_at=at, first_contact_how=how, first_contact_by=actor)
    _touch(item, **changes)
    _step(item, actor, RequestStep.Kind.CONTACTED, note)
    record(actor, "helprequest.contact", item, category="identity", reason=how)
    return item


@service
def safety_record(*, actor: Professional, request_id, answers: dict, note: str = "") -> HelpRequest:
    """The short safety screen: any yes makes the request urgent."""
    item = _open_request(actor, request_id, "helprequest.safety")
    if set(answers) != set(SAFETY_QUESTIONS) or any(a not in (True, False) for a in answers.values()):
        raise InvalidInput(_("Answer every question of the safety screen."), field="danger_now")
    note = clean_text(note, "note", _("Note"), limit=500, required=False)
    changes = {"safety": {**answers, "note": note}, "safety_at": timezone.now()}
    if any(answers.values()) and item.priority > 0:
        changes.update(priority=0, urgency=Urgency.URGENT,
                       due_at=min(item.due_at, timezone.now() + dt.timedelta(
                           hours=settings.ONEPLAN["FRONT_DOOR_RESPONSE_HOURS"]["urgent"])))
    _touch(item, **changes)
    worries = [q for q in SAFETY_QUESTIONS if answers[q]]
    _step(item, actor, RequestStep.Kind.SAFETY, ", ".join(worries) or "no safety worries")
    record(actor, "helprequest.safety", item, category="safety", reason=", ".join(worries) or "none")
    return item


@service
def person_note(*, actor: Professional, request_id, given_name: str, family_name: str,
                date_of_birth: dt.date, relation: str) -> RequestPerson:
    """A member of the family, learnt in the first contact (for a possible match and the file)."""
    item = _open_request(actor, request_id, "helprequest.person")
    given = clean_text(given_name, "given_name", _("Given name"), limit=100)
    surname = clean_text(family_name, "family_name", _("Family name"), limit=100)
    if date_of_birth is None or date_of_birth > timezone.localdate() or date_of_birth.year < 1900:
        raise InvalidInput(_("Give a real date of birth."), field="date_of_birth")
    if relation not in Membership.Relation.values:
        raise InvalidInput(_("Choose how this person belongs to the household."), field="relation")
    person = RequestPerson.objects.create(request=item, given_name=given, family_name=surname,
                                          date_of_birth=date_of_birth, relation=relation)
    _step(item, actor, RequestStep.Kind.PERSON, f"{given} {surname}")
    record(actor, "helprequest.person", item, category="identity")
    return person


@service
def match_decide(*, actor: Professional, request_person_id, person_id, same: bool) -> RequestPerson:
    """The worker says whether a possible match is the same person: linked, or ruled out. Never
    decided by oneplan itself."""
    member = RequestPerson.objects.select_related("request").filter(pk=request_person_id).first() \
        if valid_id(request_person_id) else None
    if member is None:
        raise NotFound(_("No such family member."))
    _open_request(actor, member.request_id, "helprequest.match")
    candidates = {p.pk: p for p in open_matches(member, include_ruled_out=True)}
    if not valid_id(person_id) or int(person_id) not in candidates:
        raise InvalidInput(_("This person is not a possible match any more."), field="person")
    person = candidates[int(person_id)]
    if same:
        member.person = person
        member.save(update_fields=["person"])
        kind, reason = RequestStep.Kind.MATCHED, "confirmed as the same person"
    else:
        member.not_the_same = sorted({*member.not_the_same, person.pk})
        member.save(update_fields=["not_the_same"])
        kind, reason = RequestStep.Kind.NOT_MATCHED, "ruled out as the same person"
    _step(member.request, actor, kind, member.full_name)
    record(actor, "helprequest.match", member.request, person=person, category="identity", reason=reason)
    return member


@service
def team_message(*, actor: Professional, request_id, text: str) -> RequestMessage:
    """A message to the person who asked, read on the status page (they are told a message waits)."""
    item = _open_request(actor, request_id, "helprequest.message", open_only=False)
    text = clean_text(text, "text", _("Message"), limit=MESSAGE_MAX)
    message = RequestMessage.objects.create(request=item, from_asker=False, author=actor, text=text)
    _touch(item)
    _step(item, actor, RequestStep.Kind.MESSAGE, _("To the person who asked"))
    record(actor, "helprequest.message", item, category="identity")
    tell.message_waiting(item)
    return message


# ---- outcomes ----------------------------------------------------------------------------------

def _finish(item: HelpRequest, actor: Professional, outcome: str, note: str = "", **fields) -> HelpRequest:
    _touch(item, status=Status.DONE, outcome=outcome, outcome_at=timezone.now(), outcome_by=actor,
           outcome_note=note, handler=item.handler or actor, **fields)
    _step(item, actor, RequestStep.Kind.OUTCOME, str(Outcome(outcome).label))
    record(actor, "helprequest.outcome", item, family=item.family, category="identity", reason=outcome)
    tell.handled(item)
    return item


@service
def outcome_advice(*, actor: Professional, request_id, note: str, service_ids: list) -> HelpRequest:
    """Advice given, with the directory services suggested (shown on the status page)."""
    item = _open_request(actor, request_id, "helprequest.outcome")
    note = clean_text(note, "note", _("The advice"), limit=MESSAGE_MAX)
    ids = {int(s) for s in service_ids or [] if valid_id(s)}
    services = list(Service.objects.filter(pk__in=ids, status=Service.Status.ACTIVE))
    if len(services) != len(set(service_ids or [])):
        raise InvalidInput(_("Choose active services from the directory."), field="services")
    _finish(item, actor, Outcome.ADVICE, note)
    item.services.set(services)
    return item


def _members(item: HelpRequest) -> list[family_services.NewPerson]:
    persons = list(item.persons.all())
    if not persons:
        raise InvalidInput(_("Note at least one member of the family first."), field="persons")
    for member in persons:
        if member.person_id is None and open_matches(member):
            raise Conflict(_("Say first whether %(name)s is the person oneplan may know already.")
                           % {"name": member.full_name}, field="persons")
    return [family_services.NewPerson(
        given_name=m.given_name, family_name=m.family_name, date_of_birth=m.date_of_birth,
        relation=m.relation, same_person=str(m.person_id) if m.person_id else "new") for m in persons]


def _link_persons(item: HelpRequest, family: Family) -> None:
    """The family members noted in the intake are now persons of the file (subject access and
    erasure find the request through them)."""
    members = list(family.memberships.order_by("id").values_list("person_id", flat=True))
    for noted, person_id in zip(item.persons.all(), members, strict=True):
        noted.person_id = person_id
        noted.save(update_fields=["person"])


def _family_name(item: HelpRequest) -> str:
    first = item.persons.first()
    return item.family_name or (first.family_name if first else item.asker_name)


@service
def outcome_family_file(*, actor: Professional, request_id, coordinator_id,
                        intensity: str = Family.Intensity.MEDIUM) -> HelpRequest:
    """The integrated track: a new family file with a coordinator; the family's own words are
    its first note."""
    item = _open_request(actor, request_id, "helprequest.outcome")
    coordinator = Professional.objects.filter(pk=coordinator_id).first() if valid_id(coordinator_id) else None
    if coordinator is None or not coordinator.has_role(Role.COORDINATOR) or coordinator.is_system_client:
        raise InvalidInput(_("Choose a care coordinator."), field="coordinator")
    family = family_services.family_register(
        actor=actor, name=_family_name(item), members=_members(item), intensity=intensity,
        coordinator=coordinator, first_note=item.story,
        responsibilities=_("Care coordination from the front door (request %(ref)s).") % {"ref": item.reference})
    _link_persons(item, family)
    notify(recipient=coordinator, kind="other", message="frontdoor.family_file",
           params={"ref": tell.display_reference(item.reference), "family": family.reference},
           link=reverse("families:file", args=[family.pk]), family=family)
    return _finish(item, actor, Outcome.FAMILY_FILE, family=family)


@service
def outcome_referral(*, actor: Professional, request_id, service_id, needs: list[str], question: str,
                     shared_categories: list[str], consent_given_by: list, consent_how: str) -> HelpRequest:
    """A referral to one service: a light family file with the intake worker as coordinator
    until the warm handoff, the family's consent for the receiving organisation recorded first,
    then the closed-loop referral sent."""
    item = _open_request(actor, request_id, "helprequest.outcome")
    target = Service.objects.select_related("organisation").filter(pk=service_id).first() \
        if valid_id(service_id) else None
    if target is None or not target.accepts_referrals:
        raise InvalidInput(_("Choose a service that takes referrals."), field="service")
    givers = {int(g) for g in consent_given_by or [] if valid_id(g)}
    if not givers:
        raise InvalidInput(_("Say who in the family agreed to share this with the service."),
                           field="consent_given_by")
    members = _members(item)
    family = family_services.family_register(
        actor=actor, name=_family_name(item), members=members, intensity=Family.Intensity.LIGHT,
        first_note=item.story)
    _link_persons(item, family)
    by_request_person = dict(item.persons.values_list("pk", "person_id"))
    if not givers <= set(by_request_person):
        raise InvalidInput(_("Only members of the family can agree."), field="consent_given_by")
    persons = list(by_request_person.values())
    services_consent.consent_record(
        actor=actor, family_id=family.pk, categories=["identity", *shared_categories],
        given_by=[by_request_person[g] for g in givers], how=consent_how,
        organisation_id=target.organisation_id, purpose="referral")
    referral = referral_services.referral_create(
        actor=actor, family_id=family.pk, service_id=target.pk, person_ids=persons, needs=needs,
        question=question, shared_categories=shared_categories)
    referral = referral_services.referral_send(actor=actor, referral_id=referral.pk)
    return _finish(item, actor, Outcome.REFERRAL, family=family, referral=referral)


@service
def outcome_passed_on(*, actor: Professional, request_id, organisation_id, note: str) -> HelpRequest:
    """Passed to another team (Safe at Home, another municipality's front door): the worker
    hands it over in person; the note says to whom and how."""
    item = _open_request(actor, request_id, "helprequest.outcome")
    organisation = Organisation.objects.filter(pk=organisation_id).first() if valid_id(organisation_id) else None
    if organisation is None:
        raise InvalidInput(_("Choose the organisation the request goes to."), field="organisation")
    note = clean_text(note, "note", _("Handed over to whom, and how"), limit=MESSAGE_MAX)
    return _finish(item, actor, Outcome.PASSED_ON, note, passed_to=organisation)


@service
def outcome_close(*, actor: Professional, request_id, reason: str, note: str = "") -> HelpRequest:
    item = _open_request(actor, request_id, "helprequest.outcome")
    if reason not in ClosedReason.values:
        raise InvalidInput(_("Choose a reason."), field="reason")
    note = clean_text(note, "note", _("Note"), limit=MESSAGE_MAX, required=reason == ClosedReason.OTHER)
    return _finish(item, actor, Outcome.CLOSED, note, closed_reason=reason)
