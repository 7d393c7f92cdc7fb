"""Learning sessions and their actions, followed up until done."""
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.accounts.models import Professional
from oneplan.audit.services import record
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput, NotFound, refused
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.partnership import rules
from oneplan.partnership.models import LearningAction, LearningSession, Partnership


def _people(partnership: Partnership, ids, field: str) -> list[Professional]:
    """Professionals of the active members (or the coordinator): who may take part or own an action."""
    wanted = {int(i) for i in ids or [] if valid_id(i)}
    if len(wanted) != len(set(ids or [])):
        raise InvalidInput(_("Choose people from the list."), field=field)
    orgs = partnership.members.filter(left_on__isnull=True).values("organisation_id")
    found = set(Professional.objects.filter(pk__in=wanted, organisations__in=orgs).values_list("pk", flat=True))
    if partnership.coordinator_id in wanted:
        found.add(partnership.coordinator_id)
    if found != wanted:
        raise InvalidInput(_("Choose professionals of the member organisations."), field=field)
    return list(Professional.objects.filter(pk__in=found))


@service
def session_record(*, actor: Professional, partnership_id, held_on: dt.date, title: str,
                   participant_ids: list, others: str, learned: str) -> LearningSession:
    item = rules.get_visible(actor, partnership_id, "partnership.learning.record")
    rules.require_manage(actor, item, "partnership.learning.record")
    if held_on is None or held_on > timezone.localdate():
        raise InvalidInput(_("Give the date the session was held, today or earlier."), field="held_on")
    people = _people(item, participant_ids, "participants")
    others = clean_text(others, "others", _("Other participants"), limit=500, required=False)
    if not people and not others:
        raise InvalidInput(_("Say who took part."), field="participants")
    session = LearningSession.objects.create(
        partnership=item, held_on=held_on, title=clean_text(title, "title", _("Subject"), limit=200),
        others=others, learned=clean_text(learned, "learned", _("What we learned"), limit=4000),
        recorded_by=actor)
    session.participants.set(people)
    record(actor, "partnership.learning.record", session, reason=f"{item.name}: {session.title}")
    return session


@service
def action_add(*, actor: Professional, session_id, text: str, owner_id, due_on: dt.date) -> LearningAction:
    session = LearningSession.objects.select_related("partnership").filter(pk=session_id).first() \
        if valid_id(session_id) else None
    if session is None:
        raise NotFound(_("No such learning session."))
    item = rules.get_visible(actor, session.partnership_id, "partnership.learning.action")
    rules.require_manage(actor, item, "partnership.learning.action")
    if due_on is None:
        raise InvalidInput(_("Give a due date."), field="due_on")
    owner = _people(item, [owner_id] if owner_id else [], "owner")
    if not owner:
        raise InvalidInput(_("Choose who owns the action."), field="owner")
    action = LearningAction.objects.create(session=session, owner=owner[0], due_on=due_on,
                                           text=clean_text(text, "text", _("Action"), limit=500))
    record(actor, "partnership.learning.action", action, reason=f"{owner[0].name}, due {due_on}")
    return action


@service
def action_done(*, actor: Professional, action_id, note: str = "") -> LearningAction:
    """Its owner or a manager of the partnership marks an action done."""
    action = LearningAction.objects.select_related("session__partnership").select_for_update(of=("self",)) \
        .filter(pk=action_id).first() if valid_id(action_id) else None
    if action is None:
        raise NotFound(_("No such action."))
    item = rules.get_visible(actor, action.session.partnership_id, "partnership.learning.done")
    if action.owner_id != actor.pk and not rules.may_manage(actor, item):
        raise refused(AccessDenied(_("Only the action's owner or the partnership's coordinator marks it done.")),
                      actor=actor, action="partnership.learning.done", reason="not the owner nor a manager",
                      object_type="partnership.learningaction", object_id=action.pk)
    if not action.is_open:
        raise Conflict(_("This action is done already."))
    action.done_on, action.done_by = timezone.localdate(), actor
    action.done_note = clean_text(note, "note", _("How it was done"), limit=500, required=False)
    action.save(update_fields=["done_on", "done_by", "done_note"])
    record(actor, "partnership.learning.done", action, reason=action.text[:100])
    return action
