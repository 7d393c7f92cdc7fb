"""Studies: an analyst asks, a privacy officer decides, an approved study's export is made
(audited in every family's log, so each family's subject access export lists it)."""
import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from oneplan.access import rules
from oneplan.accounts.models import Professional, Role
from oneplan.audit.services import record
from oneplan.core.errors import Conflict, InvalidInput, NotFound
from oneplan.core.ids import valid_id
from oneplan.core.layers import service
from oneplan.core.text import clean_text
from oneplan.studies import export
from oneplan.studies.models import Study, StudyExport, StudyExportFamily


def _study(study_id, *, lock: bool = False) -> Study:
    qs = Study.objects.select_for_update() if lock else Study.objects
    study = qs.filter(pk=study_id).first() if valid_id(study_id) else None
    if study is None:
        raise NotFound(_("No such study."))
    return study


@service
def study_request(*, actor: Professional, title: str, purpose: str, period_start: dt.date,
                  period_end: dt.date, fields: list[str], recipient: str) -> Study:
    rules.require_role(actor, Role.ANALYST, "study.request")
    title = clean_text(title, "title", _("Title"), limit=200)
    purpose = clean_text(purpose, "purpose", _("Purpose"), limit=3000)
    recipient = clean_text(recipient, "recipient", _("Who receives the export"), limit=300)
    if period_start is None or period_end is None or period_end < period_start:
        raise InvalidInput(_("The period ends before it starts."), field="period_end")
    fields = list(dict.fromkeys(fields or []))
    if not fields or any(f not in {x.key for x in export.FIELDS} for f in fields):
        raise InvalidInput(_("Choose the fields the study needs from the list."), field="fields")
    study = Study.objects.create(title=title, purpose=purpose, period_start=period_start, period_end=period_end,
                                 fields=fields, recipient=recipient, requested_by=actor)
    record(actor, "study.request", study, reason=title)
    return study


@service
def study_decide(*, actor: Professional, study_id, approve: bool, note: str = "") -> Study:
    """The privacy officer approves (purpose, period, fields and recipient as asked) or rejects."""
    rules.require_role(actor, Role.PRIVACY_OFFICER, "study.decide")
    study = _study(study_id, lock=True)
    if study.status != Study.Status.REQUESTED:
        raise Conflict(_("This study was decided already."))
    note = clean_text(note, "note", _("Note"), limit=2000, required=not approve)
    study.status = Study.Status.APPROVED if approve else Study.Status.REJECTED
    study.decided_by, study.decided_at, study.decision_note = actor, timezone.now(), note
    study.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(actor, "study.approve" if approve else "study.reject", study, reason=note[:500])
    return study


def _may_export(actor: Professional, study: Study) -> None:
    if not (actor.has_role(Role.PRIVACY_OFFICER) or (actor.has_role(Role.ANALYST) and study.requested_by_id == actor.pk)):
        rules.require_role(actor, Role.PRIVACY_OFFICER, "study.export")
    if study.status != Study.Status.APPROVED:
        raise Conflict(_("Only an approved study can be exported."))


@service
def study_export_start(*, actor: Professional, study_id) -> tuple[Study, StudyExport]:
    study = _study(study_id)
    _may_export(actor, study)
    made = StudyExport.objects.create(study=study, made_by=actor)
    record(actor, "study.export", study, reason=f"export {made.pk}: {study.title}")
    return study, made


def csv_lines(*, actor: Professional, study: Study, made: StudyExport) -> Iterator[str]:
    """The export as CSV text, a chunk of families at a time. Each chunk records which families it
    held (one INSERT), so each family's subject access export lists the study."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f.key for f in export.BASE] + study.fields)
    yield buffer.getvalue()
    total = 0
    for chunk, ids in export.rows(key=study.key, fields=study.fields, start=study.period_start,
                                  end=study.period_end):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([["" if v is None else ("yes" if v is True else "no" if v is False else v) for v in row]
                          for row in chunk])
        StudyExportFamily.objects.bulk_create([StudyExportFamily(export=made, family_id=i) for i in ids],
                                              batch_size=5000)
        total += len(ids)
        yield buffer.getvalue()
    StudyExport.objects.filter(pk=made.pk).update(families=total)


def dictionary_lines(study: Study) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["field", "label", "meaning", "kind"])
    for field in export.BASE + [export.BY_KEY[k] for k in study.fields]:
        writer.writerow([field.key, str(field.label), str(field.meaning), field.kind])
    return iter([buffer.getvalue()])
