"""Helpers that build plans through the services, the way professionals do."""
import datetime as dt

from django.utils import timezone

from oneplan.plans import services
from oneplan.plans.services import GoalInput

LEVELS = ["Still no overview of debts", "Overview, no plan", "Payment plan agreed",
          "Payment plan kept two months", "All debts in one settlement"]


def goal_input(family, **kw) -> GoalInput:
    person = family.memberships.first().person_id
    return GoalInput(**{"domain": "finances_debts", "family_words": "We want our debts under control",
                        "levels": list(LEVELS), "persons": [person], **kw})


def agreed_plan(actor, family, *, goals=1, vision="Calm at home and no more debt letters"):
    draft = services.plan_draft(actor=actor, family_id=family.pk)
    draft = services.draft_update_vision(actor=actor, version_id=draft.pk,
                                         lock_version=draft.lock_version, vision=vision)
    for i in range(goals):
        draft.refresh_from_db()
        services.goal_save(actor=actor, version_id=draft.pk, lock_version=draft.lock_version,
                           goal=goal_input(family, family_words=f"Goal {i + 1}", priority=i + 1),
                           confirm_many=True)
    draft.refresh_from_db()
    return services.plan_agree(
        actor=actor, version_id=draft.pk, lock_version=draft.lock_version, agreed_how="meeting",
        agreed_by=[family.memberships.first().person_id],
        next_review_on=timezone.localdate() + dt.timedelta(days=90))
