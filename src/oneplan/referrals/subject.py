"""What the subject access export lists from the referrals app (registered in its AppConfig.ready)."""
from oneplan.access import subject
from oneplan.access.subject import Coded, _category, _date
from oneplan.referrals.models import Referral


def _categories_text(codes: list[str]) -> Coded:
    return Coded(", ".join(codes), ", ".join(str(_category(code).label) for code in codes))


def _referrals(person):
    return [{"family": r.family.reference, "number": r.number, "service": r.service.name,
             "organisation": r.organisation.name, "status": r.get_status_display(),
             "sent": _date(r.sent_at), "shared": _categories_text(r.shared_categories),
             "question": r.question}
            for r in Referral.objects.filter(persons=person).select_related("family", "service", "organisation")
            .order_by("created_at")]


def register() -> None:
    subject.register_section("Referrals", "referrals.referral.persons", _referrals, order=130)
