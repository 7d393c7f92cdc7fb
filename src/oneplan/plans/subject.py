"""What the subject access export lists from the plans app (registered in its AppConfig.ready)."""
from oneplan.access import subject
from oneplan.access.subject import Coded, _date
from oneplan.plans.models import Action, Goal, PlanVersion, Review


def _goals(person):
    return [{"family": g.version.plan.family.reference, "plan_version": g.version.number,
             "domain": g.get_domain_display(), "in_own_words": g.family_words,
             "status": Coded(g.status, g.get_status_display())}
            for g in Goal.objects.filter(persons=person).select_related("version__plan__family")]


def _plan_agreements(person):
    return [{"family": v.plan.family.reference, "version": v.number, "agreed_on": _date(v.agreed_on),
             "how": v.get_agreed_how_display()}
            for v in PlanVersion.objects.filter(agreed_by=person).select_related("plan__family")]


def _actions(person):
    return [{"family": a.family.reference, "what": a.what, "due": _date(a.due_on),
             "status": Coded(a.status, a.get_status_display())}
            for a in Action.objects.filter(person=person).select_related("family")]


def _reviews(person):
    return [{"family": r.plan.family.reference, "held_on": _date(r.held_on), "decisions": r.decisions}
            for r in Review.objects.filter(family_attendees=person).select_related("plan__family")]


def register() -> None:
    subject.register_section("Goals", "plans.goal.persons", _goals, order=40)
    subject.register_section("Plan agreements", "plans.planversion.agreed_by", _plan_agreements, order=50)
    subject.register_section("Actions", "plans.action.person", _actions, order=60)
    subject.register_section("Reviews attended", "plans.review.family_attendees", _reviews, order=70)
