"""Subject access: everything oneplan holds on one person, for the privacy officer.

Every model that refers to a Person must appear in SECTIONS (exported) or NOT_EXPORTED
(with the reason); tests/access/test_subject_access.py fails when a new one is in neither.

The export is plain JSON data (codes, ISO dates). Codes and dates are `Coded` and `Moment`
strings: the JSON sees only the string, the HTML page (subject_page.py) also reads the words
or the date behind it, so the two exports cannot drift apart.
"""
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from oneplan.access import rules
from oneplan.access.consent import covers_person, young_children
from oneplan.access.models import Category, Consent
from oneplan.accounts.models import Professional, Role, User
from oneplan.audit.models import AuditEvent
from oneplan.audit.plain import plain_action
from oneplan.audit.services import record
from oneplan.core.errors import DomainError, NotFound
from oneplan.core.layers import selector
from oneplan.families.models import Membership, Note, Person

WHOLE_TEAM = "whole care team"  # the JSON's word for a consent to every organisation on the team


class Coded(str):
    """A code as the JSON keeps it, with `label`: the words a reader sees for it."""

    def __new__(cls, code: str, label):
        text = super().__new__(cls, code)
        text.label = label
        return text


class Moment(str):
    """An ISO date or timestamp as the JSON keeps it, with `value`: the date or datetime itself."""

    def __new__(cls, value):
        text = super().__new__(cls, value.isoformat())
        text.value = value
        return text


def _date(value):
    return Moment(value) if value else None


def _category(code: str) -> Coded:
    return Coded(code, Category(code).label if code in Category.values else code)


def _memberships(person):
    return [{"family": m.family.reference, "family_name": m.family.name, "relation": m.get_relation_display(),
             "from": _date(m.started_on), "until": _date(m.ended_on)}
            for m in Membership.objects.filter(person=person).select_related("family")]


def _notes(person):
    return [{"date": _date(n.created_at), "author": n.author.name, "organisation": n.organisation.name,
             "category": _category(n.category), "visibility": n.get_visibility_display(), "text": n.text}
            for n in Note.objects.filter(about=person).select_related("author__user", "organisation")]


def _consents(person):
    """Consents about the person or given by them, and family-wide consents that cover them
    (consent.covers_person decides: the givers, and children too young to decide)."""
    families = Membership.objects.filter(person=person).values("family_id")
    rows = (Consent.objects.filter(Q(subject=person) | Q(given_by=person)
                                   | Q(subject__isnull=True, family_id__in=families))
            .distinct().select_related("organisation", "family").prefetch_related("given_by"))
    young, listed = {}, []  # young: per family, the children too young to decide
    for c in rows:
        if c.family_id not in young:
            young[c.family_id] = young_children(c.family)
        given = any(p.pk == person.pk for p in c.given_by.all())
        if given or covers_person(c, person.pk, young[c.family_id]):
            listed.append((c, given))
    return [{"family": c.family.reference, "about_this_person": c.subject_id == person.pk,
             "given_by_this_person": given, "family_wide": c.subject_id is None,
             "organisation": c.organisation.name if c.organisation else Coded(
                 WHOLE_TEAM, _("everyone in the care team")),
             "categories": [_category(code) for code in c.categories], "purpose": c.get_purpose_display(),
             "from": _date(c.valid_from), "until": _date(c.valid_until), "withdrawn": _date(c.withdrawn_at)}
            for c, given in listed]


def _goals(person):
    from oneplan.plans.models import Goal

    return [{"family": g.version.plan.family.reference, "plan_version": g.version.number,
             "domain": g.get_domain_display(), "in_own_words": g.family_words,
             "status": Coded(g.status, g.get_status_display())}
            for g in Goal.objects.filter(persons=person).select_related("version__plan__family")]


def _plan_agreements(person):
    from oneplan.plans.models import PlanVersion

    return [{"family": v.plan.family.reference, "version": v.number, "agreed_on": _date(v.agreed_on),
             "how": v.get_agreed_how_display()}
            for v in PlanVersion.objects.filter(agreed_by=person).select_related("plan__family")]


def _actions(person):
    from oneplan.plans.models import Action

    return [{"family": a.family.reference, "what": a.what, "due": _date(a.due_on),
             "status": Coded(a.status, a.get_status_display())}
            for a in Action.objects.filter(person=person).select_related("family")]


def _reviews(person):
    from oneplan.plans.models import Review

    return [{"family": r.plan.family.reference, "held_on": _date(r.held_on), "decisions": r.decisions}
            for r in Review.objects.filter(family_attendees=person).select_related("plan__family")]


def _domain_name(score) -> str:
    return (score.assessment.instrument.domain(score.domain_key) or {}).get("name", score.domain_key)


def _scores(person):
    from oneplan.assessments.models import AssessmentScore

    rows = AssessmentScore.objects.filter(person=person).select_related("assessment__instrument",
                                                                         "assessment__family")
    return [{"family": s.assessment.family.reference, "date": _date(s.assessment.held_on),
             "instrument": s.assessment.instrument.title, "domain": Coded(s.domain_key, _domain_name(s)),
             "professional_score": s.professional_score, "family_score": s.family_score,
             "in_own_words": s.family_words, "strengths": s.strengths, "concerns": s.concerns,
             "safety_concern": s.safety_flag} for s in rows]


def _access_log(person):
    families = Membership.objects.filter(person=person).values("family_id")
    rows = AuditEvent.objects.filter(Q(person_id=person.pk) | Q(family_id__in=families,
                                                                 person_id__isnull=True))
    rows = list(rows.order_by("id")[:10000])
    names = {u.pk: u.display_name for u in User.objects.filter(pk__in={e.actor_id for e in rows})}
    return [{"when": _date(e.at), "who": Coded(e.actor_label, names.get(e.actor_id) or (
                 _("oneplan (automatic)") if e.actor_id is None else e.actor_label)),
             "organisation": e.organisation_label,
             "action": Coded(e.action, plain_action(e.action, e.reason)),
             "category": _category(e.category) if e.category else e.category,
             "outcome": e.outcome}
            for e in rows]


def _portal(person):
    from oneplan.portal.models import FamilyAccount, Invitation

    rows = [{"kind": Coded("portal account", _("Account for the family portal")),
             "user_name": a.user.username, "since": _date(a.created_at)}
            for a in FamilyAccount.objects.filter(person=person).select_related("user")]
    rows += [{"kind": Coded("invitation", _("Invitation to the family portal")), "user_name": "",
              "since": _date(i.created_at)}
             for i in Invitation.objects.filter(person=person)]
    return rows


def _feedback(person):
    from oneplan.portal.models import Feedback

    return [{"family": f.family.reference, "date": _date(f.created_at), "rating": f.rating,
             "comment": f.comment} for f in Feedback.objects.filter(person=person).select_related("family")]


def _progress(person):
    from oneplan.portal.models import GoalProgress

    return [{"family": g.family.reference, "date": _date(g.created_at), "text": g.text}
            for g in GoalProgress.objects.filter(person=person).select_related("family")]


def _signals(person):
    """Reference-index signals hold no person link, only keyed hashes: recompute the person's."""
    from oneplan.signals.identity import subject_for
    from oneplan.signals.models import Signal

    hashes = []
    for identity in ({"given_name": person.given_name, "family_name": person.family_name,
                      "date_of_birth": person.date_of_birth},
                     {"national_id": person.national_id} if person.national_id else None):
        try:
            if identity:
                hashes.append(subject_for(**identity).hash)
        except DomainError:  # an identity the index would refuse cannot be in it either
            pass
    return [{"organisation": s.organisation.name, "matched_on": s.get_basis_display(),
             "registered": _date(s.registered_on), "expires": _date(s.expires_on), "ended": _date(s.ended_on)}
            for s in Signal.objects.filter(subject_hash__in=hashes).select_related("organisation")]


def _categories_text(codes: list[str]) -> Coded:
    return Coded(", ".join(codes), ", ".join(str(_category(code).label) for code in codes))


def _referrals(person):
    from oneplan.referrals.models import Referral

    return [{"family": r.family.reference, "number": r.number, "service": r.service.name,
             "organisation": r.organisation.name, "status": r.get_status_display(),
             "sent": _date(r.sent_at), "shared": _categories_text(r.shared_categories),
             "question": r.question}
            for r in Referral.objects.filter(persons=person).select_related("family", "service", "organisation")
            .order_by("created_at")]


# (title, model label and field, builder): the order is the order of the export.
SECTIONS = [
    ("Households", "families.membership.person", _memberships),
    ("Notes about this person", "families.note.about", _notes),
    ("Consents", "access.consent.subject access.consent.given_by access.consent.withdrawn_by_person", _consents),
    ("Goals", "plans.goal.persons", _goals),
    ("Plan agreements", "plans.planversion.agreed_by", _plan_agreements),
    ("Actions", "plans.action.person", _actions),
    ("Reviews attended", "plans.review.family_attendees", _reviews),
    ("Assessment scores", "assessments.assessmentscore.person", _scores),
    ("Family portal", "portal.familyaccount.person portal.invitation.person", _portal),
    ("Feedback given", "portal.feedback.person", _feedback),
    ("Progress notes on goals", "portal.goalprogress.person", _progress),
    ("Reference index signals", "signals.signal.subject_hash", _signals),
    ("Referrals", "referrals.referral.persons", _referrals),
    ("Who accessed this person's file", "audit.auditevent.person_id", _access_log),
]
NOT_EXPORTED = {
    "plans.reviewscore": "scores goals, not persons (the goals are exported)",
}


@selector
def subject_export(*, actor: Professional, person_id: int) -> dict:
    rules.require_role(actor, Role.PRIVACY_OFFICER, "subject.export")
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound("No such person.")
    record(actor, "subject.export", person, person=person, category="identity",
           reason="subject access request")
    return {
        "person": {"given_name": person.given_name, "family_name": person.family_name,
                   "date_of_birth": _date(person.date_of_birth), "national_id": person.national_id,
                   "phone": person.phone, "email": person.email, "registered": _date(person.created_at)},
        "sections": [{"title": title, "rows": build(person)} for title, _, build in SECTIONS],
    }


@selector
def find_person(*, actor: Professional, bsn: str = "", name: str = "", date_of_birth=None):
    rules.require_role(actor, Role.PRIVACY_OFFICER, "subject.search")
    qs = Person.objects.none()
    if bsn:
        probe = Person()
        probe.set_national_id(bsn)
        qs = Person.objects.filter(national_id_hash=probe.national_id_hash)
    elif name and date_of_birth:
        qs = Person.objects.filter(date_of_birth=date_of_birth).filter(
            Q(family_name__icontains=name) | Q(given_name__icontains=name))
    record(actor, "subject.search", reason="by bsn" if bsn else "by name and date of birth")
    return list(qs[:20])
