"""Subject access: everything oneplan holds on one person, for the privacy officer.

Every model that refers to a Person must appear in sections() (exported) or NOT_EXPORTED
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
from oneplan.core.errors import NotFound
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














# Sections of the export, each (title, "model label.field ...", builder). The apps above access
# register theirs in their AppConfig.ready() (`<app>/subject.py`); `order` is the export's order.
_sections: list[tuple[int, str, str, object]] = []


def register_section(title: str, fields: str, collect, *, order: int) -> None:
    if not any(t == title for _o, t, _f, _c in _sections):
        _sections.append((order, title, fields, collect))


def sections() -> list[tuple[str, str, object]]:
    return [(title, fields, collect) for _o, title, fields, collect in sorted(_sections, key=lambda s: s[0])]


register_section("Households", "families.membership.person", _memberships, order=10)
register_section("Notes about this person", "families.note.about", _notes, order=20)
register_section("Consents", "access.consent.subject access.consent.given_by "
                 "access.consent.withdrawn_by_person", _consents, order=30)
register_section("Who accessed this person's file", "audit.auditevent.person_id", _access_log, order=140)
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
        "sections": [{"title": title, "rows": build(person)} for title, _, build in sections()],
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
