"""Reads of assessments and scores, with the acting professional."""
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oneplan.access import rules
from oneplan.access.models import Category
from oneplan.accounts.models import Professional
from oneplan.assessments.models import Assessment, AssessmentScore, Instrument, SafetyTask
from oneplan.audit.services import record
from oneplan.core.layers import selector


@dataclass
class DomainRow:
    domain: dict
    visible: bool
    hidden_reasons: list = field(default_factory=list)  # why a person's score is withheld
    rows: list = field(default_factory=list)  # (person or None, score or None)


def _household(family):
    return [m.person for m in family.memberships.filter(ended_on__isnull=True).select_related("person")
            .order_by("person__date_of_birth")]


@selector
def assessment_detail(*, actor: Professional, assessment_id: int):
    access, assessment = rules.family_object(
        actor, Assessment.objects.select_related("instrument", "family", "created_by__user"),
        assessment_id, "family.read")
    scores = {(s.domain_key, s.person_id): s for s in
              assessment.scores.select_related("contributed_by__user", "person")}
    persons = _household(access.family)
    domains = []
    for domain in assessment.instrument.domains:
        targets = persons if domain["personal"] else [None]
        row = DomainRow(domain, False)
        for p in targets:
            visible, reason = rules.category_visible(access, domain["category"], p.pk if p else None)
            if visible:
                row.rows.append((p, scores.get((domain["key"], p.pk if p else None))))
            elif reason not in row.hidden_reasons:
                row.hidden_reasons.append(reason)
        row.visible = bool(row.rows)
        domains.append(row)
    record(actor, "assessment.read", assessment, family=access.family, category=Category.ASSESSMENT)
    return access, assessment, domains


@dataclass
class Series:
    domain: dict
    person: object
    points: list  # (date, professional_score, family_score)


def _series(access, assessments, withheld: dict | None = None) -> list[Series]:
    """Visible scores per (instrument, domain, person); `withheld` collects why the others are
    not shown ({reason: number of scores})."""
    series: dict = {}
    for assessment in reversed(assessments):  # oldest first
        for score in assessment.scores.all():
            domain = assessment.instrument.domain(score.domain_key)
            if domain is None:
                continue
            visible, reason = rules.category_visible(access, domain["category"], score.person_id)
            if not visible:
                if withheld is not None:
                    withheld[reason] = withheld.get(reason, 0) + 1
                continue
            key = (assessment.instrument.key, score.domain_key, score.person_id)
            entry = series.setdefault(key, Series(domain, score.person, []))
            entry.points.append((assessment.held_on, score.professional_score, score.family_score))
    return list(series.values())


def _recent(family, limit=12):
    return list(Assessment.objects.filter(family=family).select_related("instrument")
                .prefetch_related(Prefetch("scores", queryset=AssessmentScore.objects.select_related("person")))
                .order_by("-held_on", "-id")[:limit])


@selector
def domain_scores(*, actor: Professional, family_id: int) -> tuple:
    """Scores per domain and person over time (for the chart), in a fixed number of queries."""
    access = rules.family_access(actor, family_id, "family.read")
    assessments = _recent(access.family)
    record(actor, "assessment.chart.read", family=access.family, category=Category.ASSESSMENT)
    withheld: dict = {}
    series = _series(access, assessments, withheld)
    return access, assessments, series, withheld


def family_summary(access) -> dict:
    """For the family file section (the family file read is audited already)."""
    assessments = _recent(access.family, limit=6)
    tasks = list(SafetyTask.objects.filter(family=access.family, done_at__isnull=True)
                 .select_related("assigned_to__user", "score__person", "score__assessment__instrument"))
    for task in tasks:
        domain = task.score.assessment.instrument.domain(task.score.domain_key) or {}
        task.domain_name = domain.get("name", task.score.domain_key)
    withheld: dict = {}
    series = _series(access, assessments, withheld)
    return {"assessments": assessments, "series": series, "withheld": withheld, "safety_tasks": tasks,
            "instruments": Instrument.objects.filter(is_active=True)}


def score_gaps(access) -> list[str]:
    """Scores of the latest assessment where the family's own score is far from the
    professional's, as agenda lines for the next review (withheld categories left out)."""
    latest = (Assessment.objects.filter(family=access.family).select_related("instrument")
              .order_by("-held_on", "-id").first())
    if latest is None:
        return []
    lines = []
    for score in latest.scores.select_related("person").order_by("id"):
        domain = latest.instrument.domain(score.domain_key)
        if not score.gap or domain is None or not rules.category_visible(
                access, domain["category"], score.person_id)[0]:
            continue
        lines.append(_("%(domain)s%(who)s: the professional scored %(pro)s, the family %(fam)s "
                       "(assessment of %(date)s).") % {
            "domain": domain["name"], "who": f" ({score.person.given_name})" if score.person else "",
            "pro": score.professional_score, "fam": score.family_score,
            "date": date_format(latest.held_on)})
    return lines
