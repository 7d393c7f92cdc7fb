"""Every change to an assessment: starting, scoring, completing, acting on safety concerns."""
from django.utils import timezone

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional, Role
from oneplan.assessments.loader import SCALE, load
from oneplan.assessments.models import Assessment, AssessmentScore, Instrument, SafetyTask
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput
from oneplan.core.layers import service
from oneplan.families.models import CareTeamMember


@service
def assessment_start(*, actor: Professional, family_id: int, instrument_id: int,
                     held_on=None) -> Assessment:
    access = rules.family_access(actor, family_id, "family.edit")
    instrument = Instrument.objects.filter(pk=instrument_id, is_active=True).first()
    if instrument is None:
        raise InvalidInput("Choose an instrument.", field="instrument")
    held_on = held_on or timezone.localdate()
    if held_on > timezone.localdate():
        raise InvalidInput("An assessment cannot be dated in the future.", field="held_on")
    assessment = Assessment.objects.create(family=access.family, instrument=instrument,
                                           held_on=held_on, created_by=actor)
    record(actor, "assessment.start", assessment, family=access.family, category=Category.ASSESSMENT)
    return assessment


def _score(value, field) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise InvalidInput("A score is a whole number from 1 to 5.", field=field)
    if value not in SCALE:
        raise InvalidInput(f"A score runs from {SCALE[0]} to {SCALE[-1]} on this instrument.", field=field)
    return value


def _text(value, field) -> str:
    value = (value or "").strip()
    if len(value) > 2000:
        raise InvalidInput("At most 2000 characters.", field=field)
    return value


@service
def score_set(*, actor: Professional, assessment_id: int, domain_key: str, person_id: int | None = None,
              professional_score=None, family_score=None, family_words: str = "",
              strengths: str = "", concerns: str = "", safety_flag: bool = False) -> AssessmentScore:
    """Set one domain's scores; several professionals may contribute to one assessment."""
    access, assessment = rules.family_object(actor, Assessment.objects.select_related("instrument"),
                                             assessment_id, "family.edit")
    domain = assessment.instrument.domain(domain_key)
    if domain is None:
        raise InvalidInput("This domain is not part of the instrument.", field="domain_key")
    if assessment.status == Assessment.Status.COMPLETED:
        raise Conflict("This assessment is completed; start a new round to score again.")
    if domain["personal"]:
        if not person_id or not access.family.memberships.filter(person_id=person_id,
                                                                 ended_on__isnull=True).exists():
            raise InvalidInput("Score this domain for a person of the household.", field="person")
    elif person_id:
        raise InvalidInput("This domain is scored for the family as a whole.", field="person")
    rules.require_category(access, domain["category"], "assessment.score", person_id=person_id or None)
    values = {
        "professional_score": _score(professional_score, "professional_score"),
        "family_score": _score(family_score, "family_score"),
        "family_words": _text(family_words, "family_words"), "strengths": _text(strengths, "strengths"),
        "concerns": _text(concerns, "concerns"), "safety_flag": bool(safety_flag),
        "contributed_by": actor, "updated_at": timezone.now(),
    }
    score = AssessmentScore.objects.filter(assessment=assessment, domain_key=domain_key,
                                           person_id=person_id or None).first()
    newly_flagged = values["safety_flag"] and not (score and score.safety_flag)
    if score is None:
        score = AssessmentScore.objects.create(assessment=assessment, domain_key=domain_key,
                                               person_id=person_id or None, **values)
    else:
        for key, value in values.items():
            setattr(score, key, value)
        score.save()
    record(actor, "assessment.score", score, family=access.family, person=person_id,
           category=domain["category"])
    if newly_flagged:
        _safety_tasks(actor, access.family, score, domain)
    return score


def _safety_tasks(actor, family, score, domain) -> None:
    coordinators = list(rules.active_team(family).filter(role__in=CareTeamMember.COORDINATING)
                        .values_list("professional_id", flat=True)) or [actor.pk]
    for professional_id in coordinators:
        task = SafetyTask.objects.create(family=family, score=score, assigned_to_id=professional_id)
        record(actor, "assessment.safety_flag", task, family=family, person=score.person_id,
               category=Category.SAFETY, reason=domain["name"])


@service
def assessment_complete(*, actor: Professional, assessment_id: int) -> Assessment:
    access, assessment = rules.family_object(actor, Assessment.objects, assessment_id, "family.edit")
    if assessment.status == Assessment.Status.COMPLETED:
        raise Conflict("This assessment is completed already.")
    if not assessment.scores.exists():
        raise InvalidInput("Score at least one domain before completing the assessment.")
    assessment.status, assessment.completed_at = Assessment.Status.COMPLETED, timezone.now()
    assessment.save(update_fields=["status", "completed_at"])
    record(actor, "assessment.complete", assessment, family=access.family, category=Category.ASSESSMENT)
    return assessment


@service
def safety_task_done(*, actor: Professional, task_id: int, note: str) -> SafetyTask:
    access, task = rules.family_object(actor, SafetyTask.objects, task_id, "family.edit", lock=True)
    if task.done_at:
        raise Conflict("This task is done already.")
    note = _text(note, "note")
    if not note:
        raise InvalidInput("Say what was done about the safety concern.", field="note")
    task.done_at, task.done_by, task.note = timezone.now(), actor, note
    task.save(update_fields=["done_at", "done_by", "note"])
    record(actor, "assessment.safety_task.done", task, family=access.family, category=Category.SAFETY)
    return task


@service
def instrument_upload(*, actor: Professional, text: str, source: str) -> tuple[Instrument, bool]:
    """A network admin loads a new instrument (version) from a YAML file."""
    rules.require_role(actor, Role.NETWORK_ADMIN, "instrument.load")
    if len(text) > 200_000:
        raise InvalidInput("An instrument file is at most 200 kB.", field="file")
    return load(text, source=source, loaded_by=actor)
