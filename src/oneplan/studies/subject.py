"""What the subject access export lists from studies: every study export that held the family."""
from oneplan.access import subject
from oneplan.access.subject import _date
from oneplan.families.models import Membership
from oneplan.studies.models import StudyExportFamily


def _exports(person):
    families = Membership.objects.filter(person=person).values("family_id")
    held = (StudyExportFamily.objects.filter(family_id__in=families).select_related("export__study")
            .order_by("export_id").distinct())
    seen, rows = set(), []
    for item in held:
        if item.export_id in seen:
            continue
        seen.add(item.export_id)
        study = item.export.study
        rows.append({"when": _date(item.export.made_at), "study": study.title, "recipient": study.recipient,
                     "purpose": study.purpose})
    return rows


def register() -> None:
    subject.register_section("Study exports", "studies.studyexportfamily.family_id", _exports, order=135)
