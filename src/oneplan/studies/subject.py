"""What the subject access export lists from studies: every study export that held the family."""
from oneplan.access import subject
from oneplan.access.subject import _date
from oneplan.audit.models import AuditEvent
from oneplan.families.models import Membership
from oneplan.studies.models import Study


def _exports(person):
    families = Membership.objects.filter(person=person).values("family_id")
    events = AuditEvent.objects.filter(action="study.export", family_id__in=families).values(
        "at", "reason").order_by("id")
    titles = {s.pk: s for s in Study.objects.all().only("id", "title", "recipient", "purpose")}
    rows = []
    for event in events:
        study_id = int(event["reason"].split(":", 1)[0].removeprefix("study ")) if event["reason"].startswith("study ") else None
        study = titles.get(study_id)
        rows.append({"when": _date(event["at"]), "study": study.title if study else event["reason"],
                     "recipient": study.recipient if study else "", "purpose": study.purpose if study else ""})
    return rows


def register() -> None:
    subject.register_section("Study exports", "studies.studyexport", _exports, order=135)
