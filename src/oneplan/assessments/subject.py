"""What the subject access export lists from the assessments app (registered in its AppConfig.ready)."""
from oneplan.access import erasure, subject
from oneplan.access.subject import Coded, _date
from oneplan.assessments.models import AssessmentScore


def _domain_name(score) -> str:
    return (score.assessment.instrument.domain(score.domain_key) or {}).get("name", score.domain_key)


def _scores(person):
    rows = AssessmentScore.objects.filter(person=person).select_related("assessment__instrument",
                                                                         "assessment__family")
    return [{"family": s.assessment.family.reference, "date": _date(s.assessment.held_on),
             "instrument": s.assessment.instrument.title, "domain": Coded(s.domain_key, _domain_name(s)),
             "professional_score": s.professional_score, "family_score": s.family_score,
             "in_own_words": s.family_words, "strengths": s.strengths, "concerns": s.concerns,
             "safety_concern": s.safety_flag} for s in rows]


def register() -> None:
    erasure.ERASERS.append(erase)
    subject.register_section("Assessment scores", "assessments.assessmentscore.person", _scores, order=80)


def erase(person) -> None:
    """Erasure: the free text scored about the person goes; the scores stay for the statistics."""
    AssessmentScore.objects.filter(person=person).update(family_words="", strengths="", concerns="")
