"""Registering, renewing and ending involvement signals, and matching them across organisations."""
import datetime as dt

from django.conf import settings
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from oneplan.access import rules
from oneplan.accounts.models import Organisation, Professional, User
from oneplan.audit.services import record
from oneplan.core import events, locks
from oneplan.core.errors import (
    AccessDenied,
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    refused,
)
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.families.models import Membership
from oneplan.inbox import messages
from oneplan.inbox.models import Notification
from oneplan.inbox.services import notify, notify_many
from oneplan.signals import linkage, notices
from oneplan.signals.identity import Subject, add_months, subject_for
from oneplan.signals.models import Basis, Match, Signal, SignalKey

NOTE_MAX = 1000
_LOCK_NAMESPACE = 0x5167  # advisory locks of the reference index


def signal_months() -> int:
    return int(settings.ONEPLAN.get("SIGNAL_MONTHS", 24))


def _denied(error_cls, message: str, *, actor, action: str, reason: str, obj_type: str, obj_id=""):
    error = error_cls(message)
    refused(error, actor=actor, action=action, reason=reason, object_type=obj_type,
            object_id=str(obj_id)[:64])
    return error


def _require_register_role(actor: Professional | None, action: str) -> None:
    if not rules.can_register_family(actor):
        raise _denied(AccessDenied, "Only practitioners, coordinators and team managers use the "
                      "reference index.", actor=actor, action=action,
                      reason="role may not use the reference index", obj_type="signals.signal")


def _organisation_for(actor: Professional, organisation) -> Organisation:
    if organisation in (None, ""):
        org = actor.primary_organisation
        if org is None:
            raise InvalidInput("You are not in any organisation, so you cannot register signals.",
                               field="organisation")
        return org
    org_id = getattr(organisation, "pk", organisation)
    org = actor.organisations.filter(pk=org_id).first() if valid_id(org_id) else None
    if org is None:
        raise InvalidInput("Choose one of your own organisations.", field="organisation")
    return org


def contact_of(signal: Signal) -> dict:
    """Everything one side of a match learns about the other: how to reach them."""
    pro, org = signal.professional, signal.organisation
    return {"name": pro.name, "organisation": org.name, "phone": pro.phone or org.phone,
            "email": pro.email or org.email}


def _contact_params(contact: dict) -> dict:
    return {"name": contact["name"], "organisation": contact["organisation"],
            "phone": contact["phone"] or "—", "email": contact["email"] or "—"}


def matched_on(match: Match) -> str:
    """What the match was made on, in words for both sides."""
    return _(basis_msgid(match)) % {"checker": match.decided_by.name if match.decided_by_id else ""}


def basis_msgid(match: Match) -> str:
    """The English words (a msgid, translated when read) for what the match was made on."""
    if match.similarity is None:
        if match.first.basis == match.second.basis:
            return messages.msgid(Basis(match.first.basis).label)
        return gettext_noop("name and date of birth")
    if match.decided_by_id:
        return gettext_noop("a similar name and date of birth, checked by %(checker)s")
    return gettext_noop("a similar name and the same date of birth")


def _match_notices(match: Match) -> list[dict]:
    """One notification per side: the other side's contact details and nothing else."""
    first, second = match.first, match.second
    facts = {"_basis": basis_msgid(match),
             "checker": match.decided_by.name if match.decided_by_id else "",
             "_contact": notices.CONTACT}
    common = {"kind": Notification.Kind.MATCH, "link": reverse("signals:match", args=[match.pk])}
    return [
        {**common, "recipient": first.professional, "message": "signal.match_first",
         "params": {**facts, **_contact_params(contact_of(second)), "org": second.organisation.name,
                    "number": first.number}},
        {**common, "recipient": second.professional, "message": "signal.match_second",
         "params": {**facts, **_contact_params(contact_of(first)), "org": first.organisation.name,
                    "number": second.number}},
    ]


def _lock_subject(keys: list[str]) -> None:
    """Serialise registrations of one person, so two organisations at once still match
    (core/locks.py: the exact hashes and the birth-date key)."""
    locks.hold(_LOCK_NAMESPACE, keys)


_SIGNAL_COLUMNS = ["id", "subject_hash", "basis", "organisation_id", "professional_id", "registered_on",
                   "expires_on", "renewed_on", "ended_on", "ended_how", "name_filter", "dob_digest"]
_ORGANISATION_COLUMNS = ["id", "name", "sector", "phone", "email", "website"]
_PROFESSIONAL_COLUMNS = ["id", "user_id", "phone", "language"]
_USER_COLUMNS = ["id", "username", "first_name", "last_name", "email"]


def _candidates_sql(hashes: int, keys: int) -> str:
    """The open signals with one of `hashes` exact hashes (signal_hash_idx) or sharing one of
    `keys` blocking keys (the covering unique (key, signal) index), with their organisation,
    professional and user: one statement, then the signals by primary key."""
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in (Signal, Organisation, Professional, User, SignalKey)]
    signal, organisation, professional, user, signal_key = tables
    columns = ", ".join([f"s.{quote(c)}" for c in _SIGNAL_COLUMNS]
                        + [f"o.{quote(c)}" for c in _ORGANISATION_COLUMNS[1:]]
                        + [f"p.{quote(c)}" for c in _PROFESSIONAL_COLUMNS[1:]]
                        + [f"u.{quote(c)}" for c in _USER_COLUMNS[1:]])
    wanted = f"SELECT h.id FROM {signal} h WHERE h.subject_hash IN ({', '.join(['%s'] * hashes)})"
    if keys:
        wanted += (f" UNION SELECT k.signal_id FROM {signal_key} k "
                   f"WHERE k.{quote('key')} IN ({', '.join(['%s'] * keys)})")
    return (f"SELECT {columns} FROM {signal} s JOIN {organisation} o ON o.id = s.organisation_id "
            f"JOIN {professional} p ON p.id = s.professional_id JOIN {user} u ON u.id = p.user_id "
            f"WHERE s.id IN ({wanted}) AND s.ended_on IS NULL ORDER BY s.registered_on, s.id")


def _signal(row: tuple) -> Signal:
    """A Signal with its organisation and professional (and user) attached, as `select_related`
    would; fields not read (a professional's roles, say) load when touched, as with `.only()`."""
    db, n = connection.alias, len(_SIGNAL_COLUMNS)
    no, np_ = n + len(_ORGANISATION_COLUMNS) - 1, n + len(_ORGANISATION_COLUMNS) + len(_PROFESSIONAL_COLUMNS) - 2
    signal = Signal.from_db(db, _SIGNAL_COLUMNS, row[:n])
    signal.organisation = Organisation.from_db(db, _ORGANISATION_COLUMNS, (signal.organisation_id, *row[n:no]))
    user_id = row[no]
    signal.professional = Professional.from_db(db, _PROFESSIONAL_COLUMNS,
                                               (signal.professional_id, *row[no:np_]))
    signal.professional.user = User.from_db(db, _USER_COLUMNS, (user_id, *row[np_:]))
    return signal


def candidates(subject: Subject, today: dt.date) -> tuple[list[Signal], list[tuple[Signal, linkage.Score]]]:
    """Open signals of the person: (those with one of the subject's exact hashes, expired ones
    included; those similar enough by name and birth date, with their score).

    One statement whatever the size of the index: the signals with an exact hash and those in
    the block (sharing a blocking key), with the contact details a match passes on; the block is
    scored here and only what matches becomes a model instance. Plain SQL on purpose: this runs
    on every registration, and building the equivalent ORM queries cost more than running them
    (docs/benchmarks.md).
    """
    keys = subject.query.keys if subject.query is not None else []
    with connection.cursor() as cursor:
        cursor.execute(_candidates_sql(len(subject.hashes), len(keys)), [*subject.hashes, *keys])
        rows = cursor.fetchall()
    hashes, exact, similar = set(subject.hashes), [], []
    at = {c: i for i, c in enumerate(_SIGNAL_COLUMNS)}
    for row in rows:
        if row[at["subject_hash"]] in hashes:
            exact.append(_signal(row))
        elif row[at["name_filter"]] is not None and row[at["expires_on"]] >= today:
            score = subject.query.score(bytes(row[at["name_filter"]]), bytes(row[at["dob_digest"]]))
            if score.verdict:
                similar.append((_signal(row), score))
    return exact, similar


def _already_registered(existing: Signal, actor: Professional) -> Conflict:
    who = _("you") if existing.professional_id == actor.pk else existing.professional.name
    return Conflict(_("Your organisation already registered this person (signal %(number)s by "
                      "%(who)s, until %(until)s). Renew that signal instead of registering again.")
                    % {"number": existing.number, "who": who, "until": date_format(existing.expires_on)})


def _exact_others(subject: Subject, exact: list[Signal], organisation: Organisation, actor,
                  today) -> list[Signal]:
    """Of the signals with one of the subject's exact hashes, other organisations' active ones."""
    others = {}
    # The BSN's own hash first: of one organisation's signals, that one is the match.
    for existing in sorted(exact, key=lambda s: s.subject_hash != subject.hash):
        if existing.organisation_id != organisation.pk:
            if existing.expires_on >= today:  # expired signals no longer match
                others.setdefault(existing.organisation_id, existing)
        elif existing.expires_on >= today:
            raise _already_registered(existing, actor)  # one organisation never matches itself
        else:  # expired, not yet ended by `oneplan tick`: end it and register afresh
            Signal.objects.filter(pk=existing.pk).update(ended_on=today,
                                                         ended_how=Signal.EndedHow.EXPIRED)
    return sorted(others.values(), key=lambda s: (s.registered_on, s.pk))


def _similar_others(subject: Subject, similar: list[tuple[Signal, linkage.Score]],
                    organisation: Organisation, actor) -> list[tuple[Signal, linkage.Score]]:
    """Other organisations' signals with a similar name and date of birth (certain or possible)."""
    found = []
    for signal, score in similar:
        if subject.basis == Basis.NATIONAL_ID and signal.basis == Basis.NATIONAL_ID:
            continue  # two different BSNs are two different people, however alike their names
        if signal.organisation_id == organisation.pk:
            if score.verdict == linkage.CERTAIN:
                raise _already_registered(signal, actor)
            continue
        found.append((signal, score))
    return found


def _one_per_organisation(exact: list[Signal], similar: list[tuple[Signal, linkage.Score]]):
    """At most one match per other organisation: an exact one, else its best similar one."""
    taken = {s.organisation_id for s in exact}
    best: dict[int, tuple[Signal, linkage.Score]] = {}
    rank = {linkage.CERTAIN: 1, linkage.POSSIBLE: 0}
    for signal, score in similar:
        if signal.organisation_id in taken:
            continue
        held = best.get(signal.organisation_id)
        if held is None or (rank[score.verdict], score.total) > (rank[held[1].verdict], held[1].total):
            best[signal.organisation_id] = (signal, score)
    return list(best.values())


def _evidence(score: linkage.Score) -> dict:
    return {"given": score.given, "family": score.family, "dob": score.dob, "swapped": score.swapped,
            "verdict": score.verdict}


def _publish_match(match: Match) -> None:
    """Both organisations hear of a match (core/events.py): ids only, nothing about the person."""
    events.publish(events.SIGNAL_MATCHED, organisations=[match.first.organisation_id,
                                                         match.second.organisation_id],
                   data={"match": match.pk, "signals": [events.reference("Flag", match.first_id),
                                                        events.reference("Flag", match.second_id)],
                         "organizations": [events.reference("Organization", match.first.organisation_id),
                                           events.reference("Organization", match.second.organisation_id)],
                         "basis": match.second.basis})


def _possible_notice(match: Match) -> dict:
    """To the registering professional only: a possible match to check; nothing about the other."""
    return {"kind": Notification.Kind.MATCH, "recipient": match.second.professional,
            "link": reverse("signals:match", args=[match.pk]), "message": "signal.possible",
            "params": {"number": match.second.number}}


def _register(actor: Professional, subject: Subject, organisation: Organisation, today: dt.date, *,
              family=None, person=None) -> Signal:
    encoding = subject.query.encoding if subject.query else None
    _lock_subject(subject.hashes + ([subject.query.dob_key] if subject.query else []))
    exact, similar = candidates(subject, today)
    exact = _exact_others(subject, exact, organisation, actor, today)
    similar = _one_per_organisation(exact, _similar_others(subject, similar, organisation, actor))
    signal = Signal(subject_hash=subject.hash, basis=subject.basis, organisation=organisation,
                    professional=actor, registered_on=today,
                    expires_on=add_months(today, signal_months()),
                    name_filter=encoding.names if encoding else None,
                    dob_digest=encoding.dob if encoding else None)
    try:
        signal.save()
    except IntegrityError:  # the unique constraint is the safety net behind the lock
        raise Conflict(_("Your organisation registered this person a moment ago."))
    if encoding:
        SignalKey.objects.bulk_create([SignalKey(signal=signal, key=k) for k in encoding.keys])
    now = timezone.now()
    matches = [Match(first=other, second=signal, created_at=now) for other in exact] + [
        Match(first=other, second=signal, created_at=now, similarity=score.total,
              evidence=_evidence(score),
              state=Match.State.MATCHED if score.verdict == linkage.CERTAIN else Match.State.POSSIBLE)
        for other, score in similar]
    Match.objects.bulk_create(matches)  # one INSERT, however many organisations match
    signal.new_matches = [m for m in matches if m.state == Match.State.MATCHED]
    signal.possible_matches = [m for m in matches if m.state == Match.State.POSSIBLE]
    reason = "; ".join(
        [f"match {m.number} with {m.first.number}" for m in signal.new_matches]
        + [f"possible match {m.number} with {m.first.number}, to check" for m in signal.possible_matches])
    record(actor, "signal.register", signal, organisation=organisation, family=family, person=person,
           reason=reason)
    for match in signal.new_matches:
        _publish_match(match)
    notices = [notice for match in signal.new_matches for notice in _match_notices(match)]
    notices += [_possible_notice(m) for m in signal.possible_matches]
    if notices:
        notify_many(notices)
    return signal


@service
def signal_register(*, actor: Professional, national_id: str = "", given_name: str = "",
                    family_name: str = "", date_of_birth: dt.date | None = None,
                    organisation: Organisation | int | None = None,
                    today: dt.date | None = None) -> Signal:
    """Register the actor's organisation's involvement with a person (national id, else name + dob).

    Returns the new Signal; `signal.new_matches` lists the matches it made (each already notified).
    """
    _require_register_role(actor, "signal.register")
    org = _organisation_for(actor, organisation)
    subject = subject_for(national_id=national_id, given_name=given_name, family_name=family_name,
                          date_of_birth=date_of_birth)
    return _register(actor, subject, org, today or timezone.localdate())


@service
def signal_register_person(*, actor: Professional, family_id: int, person_id: int,
                           today: dt.date | None = None) -> Signal:
    """Register a household member of a family file, with their stored national id or name + dob."""
    access = rules.family_access(actor, family_id, "family.edit")
    _require_register_role(actor, "signal.register")
    membership = (Membership.objects.select_related("person")
                  .filter(family=access.family, person_id=person_id, ended_on__isnull=True).first()
                  if valid_id(person_id) else None)
    if membership is None:
        raise NotFound("This person is not in this household.")
    person = membership.person
    if person.erased_at:
        raise Conflict("This person's data was erased; they cannot be registered.")
    org = access.organisation
    if org is None:
        raise InvalidInput("You are not in any organisation, so you cannot register signals.")
    subject = subject_for(national_id=person.national_id, given_name=person.given_name,
                          family_name=person.family_name, date_of_birth=person.date_of_birth)
    return _register(actor, subject, org, today or timezone.localdate(), family=access.family,
                     person=person)


def _own_signal(actor: Professional, signal_id, action: str) -> Signal:
    _require_register_role(actor, action)
    signal = (Signal.objects.select_for_update().filter(pk=signal_id).first()
              if valid_id(signal_id) else None)
    if signal is None or not actor.organisations.filter(pk=signal.organisation_id).exists():
        reason = "no such signal" if signal is None else "signal of another organisation"
        raise _denied(NotFound, "This signal does not exist or is not your organisation's.",
                      actor=actor, action=action, reason=reason, obj_type="signals.signal",
                      obj_id=signal_id)
    return signal


@service
def signal_renew(*, actor: Professional, signal_id: int, today: dt.date | None = None) -> Signal:
    """Still involved: the signal runs for the full period again from today."""
    today = today or timezone.localdate()
    signal = _own_signal(actor, signal_id, "signal.renew")
    if signal.ended_on:
        raise InvalidTransition(_("Signal %(number)s was ended on %(day)s. Register the person again "
                                  "if you are involved again.")
                                % {"number": signal.number, "day": date_format(signal.ended_on)})
    if signal.expires_on < today:
        raise InvalidTransition(_("Signal %(number)s expired on %(day)s and no longer matches. Register "
                                  "the person again if you are still involved.")
                                % {"number": signal.number, "day": date_format(signal.expires_on)})
    signal.renewed_on = today
    signal.expires_on = add_months(today, signal_months())
    signal.save(update_fields=["renewed_on", "expires_on"])
    record(actor, "signal.renew", signal, organisation=signal.organisation)
    return signal


@service
def signal_end(*, actor: Professional, signal_id: int, today: dt.date | None = None) -> Signal:
    """No longer involved: the signal stops matching at once."""
    today = today or timezone.localdate()
    signal = _own_signal(actor, signal_id, "signal.end")
    if signal.ended_on:
        raise InvalidTransition(_("Signal %(number)s was already ended on %(day)s.")
                                % {"number": signal.number, "day": date_format(signal.ended_on)})
    signal.ended_on, signal.ended_how = today, Signal.EndedHow.ENDED
    signal.save(update_fields=["ended_on", "ended_how"])
    record(actor, "signal.end", signal, organisation=signal.organisation)
    return signal


def visible_match(actor: Professional, match_id, action: str, *, lock: bool = False) -> Match:
    """The match if one of its two organisations is the actor's; otherwise NotFound (audited)."""
    qs = Match.objects.select_related("first__organisation", "first__professional__user",
                                      "second__organisation", "second__professional__user")
    if lock:
        qs = qs.select_for_update(of=("self",))
    match = qs.filter(pk=match_id).first() if valid_id(match_id) else None
    mine = set(actor.organisations.values_list("pk", flat=True)) if actor else set()
    # A possible (or rejected) match exists only for the side that registered second: the
    # first organisation must not learn that someone like its client was registered.
    sides = ({match.first.organisation_id, match.second.organisation_id}
             if match and match.state == Match.State.MATCHED else
             {match.second.organisation_id} if match else set())
    if match is None or not mine & sides:
        reason = ("no such match" if match is None else "match of other organisations"
                  if mine.isdisjoint({match.first.organisation_id, match.second.organisation_id})
                  else "unconfirmed match of another organisation's registration")
        raise _denied(NotFound, "This match does not exist or is not your organisation's.",
                      actor=actor, action=action, reason=reason, obj_type="signals.match",
                      obj_id=match_id)
    match.my_organisation_ids = mine
    return match


@service
def match_acknowledge(*, actor: Professional, match_id: int, coordinator_id: int,
                      note: str = "") -> Match:
    """Record that the two professionals spoke and agreed who coordinates."""
    match = visible_match(actor, match_id, "match.acknowledge", lock=True)
    if match.state != Match.State.MATCHED:
        raise InvalidTransition(_("Match %(number)s is not confirmed: there is nothing to agree.")
                                % {"number": match.number})
    if match.acknowledged_at:
        raise Conflict(_("%(who)s already recorded the agreement on %(day)s.")
                       % {"who": match.acknowledged_by.name if match.acknowledged_by else "?",
                          "day": date_format(timezone.localtime(match.acknowledged_at).date())})
    sides = {match.first.professional_id: match.first, match.second.professional_id: match.second}
    try:
        coordinator_id = int(coordinator_id)
    except (TypeError, ValueError):
        coordinator_id = None
    if coordinator_id not in sides:
        raise InvalidInput("Choose one of the two professionals as coordinator.", field="coordinator")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"The note can be at most {NOTE_MAX} characters.", field="note")
    match.acknowledged_at, match.acknowledged_by = timezone.now(), actor
    match.coordinator = sides[coordinator_id].professional
    match.note = note
    match.save(update_fields=["acknowledged_at", "acknowledged_by", "coordinator", "note"])
    record(actor, "match.acknowledge", match)
    coordinating = sides[coordinator_id]
    for signal in (match.first, match.second):
        if signal.professional_id != actor.pk:
            notify(recipient=signal.professional, kind=Notification.Kind.MATCH,
                   message="signal.coordination", link=reverse("signals:match", args=[match.pk]),
                   params={"who": actor.name, "match": match.number,
                           "coordinator": coordinating.professional.name,
                           "org": coordinating.organisation.name})
    return match


def _possible_match(actor: Professional, match_id, action: str) -> Match:
    _require_register_role(actor, action)
    match = visible_match(actor, match_id, action, lock=True)
    if match.state != Match.State.POSSIBLE:
        raise InvalidTransition(_("Match %(number)s was already checked (%(state)s).")
                                % {"number": match.number, "state": match.get_state_display()})
    return match


@service
def match_confirm(*, actor: Professional, match_id: int) -> Match:
    """The registering side checked a possible match and says it is the same person: from now on
    it is a match like any other, and both sides get each other's contact details."""
    match = _possible_match(actor, match_id, "match.confirm")
    match.state, match.decided_at, match.decided_by = Match.State.MATCHED, timezone.now(), actor
    match.save(update_fields=["state", "decided_at", "decided_by"])
    record(actor, "match.confirm", match, organisation=match.second.organisation,
           reason=f"possible match with {match.first.number} confirmed")
    _publish_match(match)
    notify_many(_match_notices(match))
    return match


@service
def match_reject(*, actor: Professional, match_id: int) -> Match:
    """Not the same person: the match is closed and nobody is told anything."""
    match = _possible_match(actor, match_id, "match.reject")
    match.state, match.decided_at, match.decided_by = Match.State.REJECTED, timezone.now(), actor
    match.save(update_fields=["state", "decided_at", "decided_by"])
    record(actor, "match.reject", match, organisation=match.second.organisation,
           reason=f"possible match with {match.first.number} rejected")
    return match


def expire_signals(*, today: dt.date | None = None) -> int:
    """End every signal past its expiry date (run by `oneplan tick`); returns how many."""
    today = today or timezone.localdate()
    count = Signal.objects.filter(ended_on__isnull=True, expires_on__lt=today).update(
        ended_on=today, ended_how=Signal.EndedHow.EXPIRED)
    if count:
        record(None, "signal.expire", object_type="signals.signal", reason=f"{count} signals expired")
    return count


def tick_job() -> str:
    """The line `oneplan tick` prints for this job."""
    return f"ended {expire_signals()} expired reference index signals"
