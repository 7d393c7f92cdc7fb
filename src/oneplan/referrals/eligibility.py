"""Eligibility rules a referral's persons do not meet: warnings shown before sending, never a block."""
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from oneplan.assessments.models import Assessment, AssessmentScore
from oneplan.directory import domains
from oneplan.directory.models import Service


def latest_scores(family_id: int, domain_keys: list[str]) -> dict[tuple[str, int | None], tuple]:
    """{(domain, person_id or None): (professional's score, assessment status, held on)} from the
    newest assessment that scored each, a draft (in progress) included: the team sees drafts too,
    and an older completed score would contradict what the referrer just scored. One query."""
    scores = {}
    rows = (AssessmentScore.objects.filter(assessment__family_id=family_id, domain_key__in=domain_keys,
                                           professional_score__isnull=False)
            .order_by("-assessment__held_on", "-assessment_id")
            .values_list("domain_key", "person_id", "professional_score", "assessment__status",
                         "assessment__held_on"))
    for domain, person_id, score, status, held_on in rows:
        scores.setdefault((domain, person_id), (score, status, held_on))
    return scores


def warnings(*, service: Service, persons: list, needs: list[str], family_id: int,
             can_see=lambda category: True) -> list[str]:
    """Readable lines, one per rule not met (or not checkable); empty when all rules are met."""
    found = []
    names = domains.names()
    for person in persons:
        age = person.age
        if service.minimum_age is not None and age < service.minimum_age:
            found.append(_("%(name)s (%(age)d) is younger than the minimum age of %(min)d.")
                         % {"name": person.full_name, "age": age, "min": service.minimum_age})
        if service.maximum_age is not None and age > service.maximum_age:
            found.append(_("%(name)s (%(age)d) is older than the maximum age of %(max)d.")
                         % {"name": person.full_name, "age": age, "max": service.maximum_age})
    offered = {d.domain for d in service.domains.all()}
    if offered and needs and not offered & set(needs):
        found.append(_("The service does not work on %(needs)s.") % {
            "needs": ", ".join(names.get(n, n).lower() for n in needs)})
    rules = list(service.rules.all())
    scores = latest_scores(family_id, [r.domain for r in rules]) if rules else {}
    for rule in rules:
        label = names.get(rule.domain, rule.domain)
        if not can_see(domains.category_of(rule.domain) or "assessment"):
            found.append(_("%(domain)s: not checked, your organisation has no consent to see these "
                           "scores.") % {"domain": label})
            continue
        # Personal domains are scored per person; family domains once for the household.
        seen = [(p, scores[(rule.domain, p.pk)]) for p in persons if (rule.domain, p.pk) in scores]
        if not seen and (rule.domain, None) in scores:
            seen = [(None, scores[(rule.domain, None)])]
        if not seen:
            found.append(_("%(domain)s: not checked, no assessment has scored it yet.") % {"domain": label})
        for person, (score, status, held_on) in seen:
            if (rule.min_score and score < rule.min_score) or (rule.max_score and score > rule.max_score):
                found.append(_score_warning(label, rule, score, status, held_on, person))
    return found


def _score_warning(label: str, rule, score: int, status: str, held_on, person) -> str:
    """Which assessment the score came from, so a draft is never taken for a completed one."""
    values = {"domain": label, "range": _score_range(rule), "score": score,
              "who": f" ({person.full_name})" if person else "", "date": date_format(held_on, "j M Y")}
    if status == Assessment.Status.DRAFT:
        return _("%(domain)s: the service is for scores %(range)s; scored %(score)d%(who)s in a draft "
                 "assessment of %(date)s (not completed yet).") % values
    return _("%(domain)s: the service is for scores %(range)s; scored %(score)d%(who)s in the completed "
             "assessment of %(date)s.") % values


def _score_range(rule) -> str:
    low, high = rule.min_score or 1, rule.max_score or 5
    return f"{low}–{high}"
