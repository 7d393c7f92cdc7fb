"""The family's own voice in the portal: its own score per life domain, and a message to the
coordinator. Every write is audited like any other."""
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.layers import selector, service
from oneplan.families.models import CareTeamMember
from oneplan.inbox import messages
from oneplan.inbox.models import Notification
from oneplan.inbox.services import notify_many
from oneplan.portal.family_services import household_member

MESSAGE_MAX = 2000

messages.register(
    "portal.message", gettext_lazy("Message from %(person)s (%(family)s)"),
    gettext_lazy("%(person)s wrote in the family portal:\n\n%(text)s"))
messages.register(
    "portal.scores", gettext_lazy("%(person)s gave the family's own scores (%(family)s)"),
    gettext_lazy("%(person)s scored %(count)s life domains in the family portal for the assessment "
                 "of %(date)s."))


@dataclass
class DomainScore:
    key: str
    name: str
    options: list  # (score, what it means)
    family_score: int | None
    professional_score: int | None  # shown to the family only once they gave their own


def _latest(family) -> Assessment | None:
    return (Assessment.objects.filter(family=family).select_related("instrument")
            .order_by("-held_on", "-id").first())


@selector
def own_scores(*, user, family_id: int) -> tuple:
    """(family, assessment or None, rows): the latest assessment's family-level domains, with the
    family's and, once the family scored a domain, the professional's score."""
    person, family = household_member(user, family_id)
    assessment = _latest(family)
    if assessment is None:
        return family, None, []
    scores = {s.domain_key: s for s in assessment.scores.filter(person__isnull=True)}
    rows = []
    for domain in assessment.instrument.domains:
        if domain["personal"]:
            continue
        score = scores.get(domain["key"])
        family_score = score.family_score if score else None
        options = [(n, domain["levels"].get(str(n), "")) for n in range(1, 6)]
        rows.append(DomainScore(domain["key"], domain["name"], options, family_score,
                                score.professional_score if score and family_score else None))
    record(user, "portal.scores.read", assessment, family=family, person=person,
           category=Category.ASSESSMENT)
    return family, assessment, rows


@service
def own_scores_set(*, user, family_id: int, assessment_id: int, scores: dict[str, int]) -> int:
    """The family gives its own score (1-5) per domain of an assessment still in progress."""
    person, family = household_member(user, family_id)
    assessment = (Assessment.objects.select_for_update().select_related("instrument")
                  .filter(pk=assessment_id, family=family).first())
    if assessment is None:
        raise NotFound("This assessment does not exist.")
    if assessment.status != Assessment.Status.DRAFT:
        raise Conflict("This assessment is finished; your coordinator asks you again at the next one.")
    keys = {d["key"] for d in assessment.instrument.domains if not d["personal"]}
    chosen = {}
    for key, value in scores.items():
        if key not in keys:
            raise InvalidInput("Choose scores for the life domains shown.")
        if value in (None, ""):
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise InvalidInput("A score is a number from 1 to 5.", field=key)
        if not 1 <= value <= 5:
            raise InvalidInput("A score is a number from 1 to 5.", field=key)
        chosen[key] = value
    if not chosen:
        raise InvalidInput("Choose at least one score.")
    now = timezone.now()
    for key, value in chosen.items():
        score, _created = AssessmentScore.objects.get_or_create(
            assessment=assessment, domain_key=key, person=None,
            defaults={"contributed_by": assessment.created_by, "family_score": value, "updated_at": now})
        if not _created:
            AssessmentScore.objects.filter(pk=score.pk).update(family_score=value, updated_at=now)
    record(user, "portal.scores.set", assessment, family=family, person=person,
           category=Category.ASSESSMENT, reason=", ".join(f"{k}={v}" for k, v in chosen.items()))
    _tell_coordinators(family, "portal.scores", {"person": person.given_name, "family": family.reference,
                                                 "count": len(chosen),
                                                 "date": assessment.held_on.isoformat()},
                       reverse("assessments:detail", args=[assessment.pk]))
    return len(chosen)


@service
def message_send(*, user, family_id: int, text: str) -> int:
    """A message from a family member to the coordinator(s): it arrives in their inbox."""
    person, family = household_member(user, family_id)
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Write your message.", field="text")
    if len(text) > MESSAGE_MAX:
        raise InvalidInput(f"A message can be at most {MESSAGE_MAX} characters.", field="text")
    record(user, "portal.message", family, family=family, person=person, category=Category.NOTES)
    return _tell_coordinators(family, "portal.message",
                              {"person": person.given_name, "family": family.reference, "text": text},
                              reverse("families:file", args=[family.pk]))


def _tell_coordinators(family, message: str, params: dict, link: str) -> int:
    coordinators = [m.professional for m in rules.active_team(family)
                    .filter(role__in=CareTeamMember.COORDINATING).select_related("professional__user")]
    notify_many([{"recipient": pro, "kind": Notification.Kind.OTHER, "message": message,
                  "params": params, "link": link, "family": family} for pro in coordinators])
    return len(coordinators)
