"""Self-evaluation rounds: opening one (every professional of the members gets a personal link),
inviting family representatives and policymakers without an account, answering, closing.

Anonymity: a link's token is stored only as a keyed hash. Answering marks the invitation used
and stores the answers apart, with the stakeholder group only: no token, no invitation, no time,
a random key. Each answer rewrites all used invitations and all responses of the round, so even
the database's own row versions (PostgreSQL's xmin) do not pair an invitation with its answers.
The audit log records that a response arrived, without an actor."""
import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core import email
from oneplan.core.crypto import keyed_hash
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.core.web import absolute_url
from oneplan.partnership import questionnaire, rules
from oneplan.partnership.models import Group, Invitation, Partnership, Response, Round

MANAGER_ROLES = (Role.TEAM_MANAGER, Role.ORG_ADMIN, Role.NETWORK_ADMIN)
EXTERNAL_GROUPS = (Group.FAMILY, Group.POLICYMAKER)
MAX_ROUND_DAYS = 120


def token_hash(token: str) -> str:
    return keyed_hash(token or "", purpose="partnership-evaluation")


def respond_link(token: str) -> str:
    return absolute_url(reverse("partnership:respond", args=[token]))


def _new_invitation(item: Round, **fields) -> tuple[Invitation, str]:
    token = secrets.token_urlsafe(32)
    return Invitation(round=item, token_hash=token_hash(token), **fields), token


def _email(invitation: Invitation, token: str, address: str, partnership: Partnership) -> None:
    with translation.override(invitation.language):
        context = {"name": invitation.name or (invitation.professional.name if invitation.professional else ""),
                   "partnership": partnership.name, "link": respond_link(token),
                   "closes_on": invitation.round.closes_on,
                   "count": len(invitation.round.questionnaire.question_keys())}
        email.send(to=address, subject=_("[oneplan] How is our partnership doing? %(partnership)s")
                   % {"partnership": partnership.name},
                   text=render_to_string("partnership/email/invitation.txt", context),
                   html=render_to_string("partnership/email/invitation.html", context))


def _member_professionals(partnership: Partnership) -> list[Professional]:
    """The professionals of the active members, and the coordinator."""
    orgs = partnership.members.filter(left_on__isnull=True).values("organisation_id")
    people = {p.pk: p for p in Professional.objects.filter(
        organisations__in=orgs, acting_for__isnull=True, user__is_active=True).select_related("user")}
    if partnership.coordinator_id and partnership.coordinator.user.is_active:
        people.setdefault(partnership.coordinator_id, partnership.coordinator)
    return sorted(people.values(), key=lambda p: p.pk)


def _group_of(pro: Professional) -> str:
    return Group.MANAGER if any(pro.has_role(r) for r in MANAGER_ROLES) else Group.PROFESSIONAL


@service
def round_open(*, actor: Professional, partnership_id, closes_on: dt.date) -> Round:
    """A new round with the current questionnaire; every professional of the members is invited
    (by e-mail, and on the partnership page)."""
    item = rules.get_visible(actor, partnership_id, "partnership.evaluation.open", for_update=True)
    rules.require_manage(actor, item, "partnership.evaluation.open")
    today = timezone.localdate()
    if closes_on is None or not today < closes_on <= today + dt.timedelta(days=MAX_ROUND_DAYS):
        raise InvalidInput(_("The round closes after today and within %(n)d days.") % {"n": MAX_ROUND_DAYS},
                           field="closes_on")
    if item.rounds.filter(status=Round.Status.OPEN).exists():
        raise Conflict(_("A round is open already: close it first."))
    form = questionnaire.current()
    if form is None:
        raise Conflict(_("No self-evaluation questionnaire is loaded."))
    last = item.rounds.order_by("-number").first()
    current = Round.objects.create(partnership=item, questionnaire=form, number=last.number + 1 if last else 1,
                                   opened_on=today, closes_on=closes_on, created_by=actor)
    people = _member_professionals(item)
    made = [_new_invitation(current, group=_group_of(p), professional=p,
                            language=p.language or settings.LANGUAGE_CODE) for p in people]
    Invitation.objects.bulk_create([invitation for invitation, _token in made])
    for invitation, token in made:
        if invitation.professional.email:
            _email(invitation, token, invitation.professional.email, item)
    record(actor, "partnership.evaluation.open", current,
           reason=f"{item.name}: round {current.number}, {len(made)} professionals invited")
    return current


def _open_round(actor: Professional, round_id, action: str) -> Round:
    current = Round.objects.select_related("partnership__coordinator__user", "questionnaire") \
        .filter(pk=round_id).first() if valid_id(round_id) else None
    if current is None:
        raise NotFound(_("No such self-evaluation round."))
    rules.get_visible(actor, current.partnership_id, action)
    return current


@service
def invitation_external(*, actor: Professional, round_id, group: str, name: str = "", email_to: str = "",
                        language: str = "") -> tuple[Invitation, str]:
    """A personal link for someone without an account (a family representative, a policymaker):
    shown once to copy, and e-mailed when an address is given."""
    current = _open_round(actor, round_id, "partnership.evaluation.invite")
    rules.require_manage(actor, current.partnership, "partnership.evaluation.invite")
    if not current.is_open:
        raise Conflict(_("This round has closed."))
    if group not in EXTERNAL_GROUPS:
        raise InvalidInput(_("Choose family representative or policymaker."), field="group")
    email_to = (email_to or "").strip()
    if email_to:
        try:
            validate_email(email_to)
        except ValidationError:
            raise InvalidInput(_("This is not an e-mail address."), field="email_to") from None
    languages = {code for code, _label in settings.LANGUAGES}
    invitation, token = _new_invitation(
        current, group=group, name=clean_text(name, "name", _("Name"), limit=150, required=False),
        email=email_to, language=language if language in languages else settings.LANGUAGE_CODE)
    invitation.save()
    if invitation.email:
        _email(invitation, token, invitation.email, current.partnership)
    record(actor, "partnership.evaluation.invite", invitation,
           reason=f"round {current.number}: {group}, {'e-mailed' if invitation.email else 'link shown'}")
    return invitation, token


def _answers(current: Round, answers: dict) -> dict:
    """{question: 1..5 or None (don't know)}: every question answered, one way or the other."""
    out = {}
    for key in current.questionnaire.question_keys():
        value = str((answers or {}).get(key, "")).strip()
        if value == "dk":
            out[key] = None
        elif value in ("1", "2", "3", "4", "5"):
            out[key] = int(value)
        else:
            raise InvalidInput(_("Answer every question (or choose \"don't know\")."), field=key)
    return out


def _store(invitation: Invitation, answers: dict) -> Round:
    current = invitation.round
    if invitation.used:
        raise Conflict(_("This link has been used already: your answers are in. Thank you."))
    if not current.is_open or current.closes_on < timezone.localdate():
        raise Conflict(_("This self-evaluation has closed. Thank you for wanting to take part."))
    values = _answers(current, answers)
    Invitation.objects.filter(pk=invitation.pk).update(used=True)
    Response.objects.create(round=current, group=invitation.group, answers=values)
    # Every used invitation and every response of the round gets the same row version.
    Invitation.objects.filter(round=current, used=True).update(used=True)
    Response.objects.filter(round=current).update(group=F("group"))
    record(None, "partnership.evaluation.respond", current, reason=f"round {current.number}: answers received")
    return current


def invitation_for(token: str) -> Invitation:
    """The invitation behind a personal link (the form shows only what it needs)."""
    invitation = Invitation.objects.select_related("round__questionnaire", "round__partnership") \
        .filter(token_hash=token_hash(token)).first() if token else None
    if invitation is None:
        raise NotFound(_("This link is not valid. Ask the partnership's coordinator for a new one."))
    return invitation


@service
def response_submit(*, token: str, answers: dict) -> Round:
    """Answers through a personal link, without logging in."""
    invitation = invitation_for(token)
    Invitation.objects.select_for_update().filter(pk=invitation.pk).first()
    invitation.refresh_from_db(fields=["used"])
    return _store(invitation, answers)


def my_invitation(actor: Professional, current: Round) -> Invitation | None:
    return Invitation.objects.filter(round=current, professional=actor).first()


@service
def response_submit_mine(*, actor: Professional, round_id, answers: dict) -> Round:
    """A professional of a member answers from the partnership page (their own invitation)."""
    current = _open_round(actor, round_id, "partnership.evaluation.respond")
    invitation = Invitation.objects.select_for_update().filter(round=current, professional=actor).first()
    if invitation is None:
        raise Conflict(_("You were not invited to this round: it went to the professionals of the "
                         "members when it opened."))
    invitation.round = current
    return _store(invitation, answers)


def _close(current: Round) -> None:
    current.status, current.closed_at = Round.Status.CLOSED, timezone.now()
    current.save(update_fields=["status", "closed_at"])
    # Names and addresses were only needed to send the links.
    current.invitations.filter(professional__isnull=True).update(name="", email="")


@service
def round_close(*, actor: Professional, round_id) -> Round:
    current = _open_round(actor, round_id, "partnership.evaluation.close")
    rules.require_manage(actor, current.partnership, "partnership.evaluation.close")
    if not current.is_open:
        raise Conflict(_("This round has closed already."))
    _close(current)
    record(actor, "partnership.evaluation.close", current,
           reason=f"round {current.number}: {current.responses.count()} responses")
    return current


@service
def close_due() -> str:
    """`oneplan tick`: rounds past their closing date are closed."""
    due = list(Round.objects.filter(status=Round.Status.OPEN, closes_on__lt=timezone.localdate()))
    for current in due:
        _close(current)
        record(None, "partnership.evaluation.close", current,
               reason=f"round {current.number}: closing date passed, {current.responses.count()} responses")
    return f"{len(due)} self-evaluation rounds closed"
