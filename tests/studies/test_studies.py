"""Studies: asking, the privacy officer's decision, the pseudonymised export and its traces."""
import csv
import datetime as dt
import io

import pytest

from oneplan.access.subject import subject_export
from oneplan.audit.models import AuditEvent
from oneplan.core.errors import AccessDenied, Conflict, InvalidInput
from oneplan.studies import export, services
from oneplan.studies.models import Study, StudyExport, StudyExportFamily
from tests.factories import ProfessionalFactory, family_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst():
    return ProfessionalFactory(roles=["analyst"])


@pytest.fixture
def officer():
    return ProfessionalFactory(roles=["privacy_officer"])


def _study(analyst, **kwargs) -> Study:
    values = {"title": "Integrated care against care as usual", "purpose": "Compare outcomes by intensity.",
              "period_start": dt.date(2026, 1, 1), "period_end": dt.date(2026, 12, 31),
              "fields": ["intensity", "coordinator_at_end", "children_4_11"],
              "recipient": "University of Utrecht, dr. A. Bakker", **kwargs}
    return services.study_request(actor=analyst, **values)


def _export(actor, study) -> list[dict]:
    study, made = services.study_export_start(actor=actor, study_id=study.pk)
    text = "".join(services.csv_lines(actor=actor, study=study, made=made))
    return list(csv.DictReader(io.StringIO(text)))


def test_an_analyst_asks_and_it_waits_for_the_privacy_officer(analyst):
    study = _study(analyst)
    assert study.status == Study.Status.REQUESTED


def test_a_practitioner_cannot_ask_and_the_refusal_is_audited():
    practitioner = ProfessionalFactory(roles=["practitioner"])
    with pytest.raises(AccessDenied):
        _study(practitioner)
    assert AuditEvent.objects.filter(action="study.request", outcome="denied").exists()


def test_unknown_fields_are_refused(analyst):
    with pytest.raises(InvalidInput):
        _study(analyst, fields=["given_name"])


def test_an_unapproved_study_cannot_be_exported(analyst, officer):
    study = _study(analyst)
    with pytest.raises(Conflict):
        services.study_export_start(actor=officer, study_id=study.pk)


def test_only_a_privacy_officer_decides(analyst):
    study = _study(analyst)
    with pytest.raises(AccessDenied):
        services.study_decide(actor=analyst, study_id=study.pk, approve=True)


def test_a_rejection_needs_a_reason(analyst, officer):
    study = _study(analyst)
    with pytest.raises(InvalidInput):
        services.study_decide(actor=officer, study_id=study.pk, approve=False, note="")


def test_the_export_has_one_pseudonymised_row_per_family_and_no_names(analyst, officer):
    families = [family_with_team(name=f"Jansen {i}") for i in range(3)]
    study = _study(analyst)
    services.study_decide(actor=officer, study_id=study.pk, approve=True)
    rows = _export(officer, study)
    assert len(rows) == 3 and set(rows[0]) == {"pseudonym", "period", "intensity", "coordinator_at_end",
                                               "children_4_11"}
    assert not any(f.name in str(rows) or f.reference in str(rows) for f in families)


def test_two_studies_give_the_same_family_different_pseudonyms(analyst, officer):
    family = family_with_team()
    one, two = _study(analyst), _study(analyst)
    assert export.pseudonym(one.key, family.pk) != export.pseudonym(two.key, family.pk)


def test_an_export_is_audited_and_remembers_its_families(analyst, officer):
    family = family_with_team()
    study = _study(analyst)
    services.study_decide(actor=officer, study_id=study.pk, approve=True)
    _export(officer, study)
    made = StudyExport.objects.get(study=study)
    assert AuditEvent.objects.filter(action="study.export", object_id=str(study.pk)).exists()
    assert made.families == 1
    assert list(StudyExportFamily.objects.filter(export=made).values_list("family_id", flat=True)) == [family.pk]


def test_the_subject_access_export_lists_the_study(analyst, officer):
    family = family_with_team()
    study = _study(analyst)
    services.study_decide(actor=officer, study_id=study.pk, approve=True)
    _export(officer, study)
    person = family.memberships.first().person
    sections = subject_export(actor=officer, person_id=person.pk)["sections"]
    rows = next(s["rows"] for s in sections if s["title"] == "Study exports")
    assert rows[0]["study"] == study.title


def test_families_outside_the_period_are_left_out(analyst, officer):
    family_with_team(opened_on=dt.date(2027, 3, 1))
    study = _study(analyst)
    services.study_decide(actor=officer, study_id=study.pk, approve=True)
    assert _export(officer, study) == []


def test_the_export_streams_in_chunks(analyst, officer, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    for _ in range(5):
        family_with_team()
    study = _study(analyst)
    chunks = list(export.rows(key=study.key, fields=study.fields, start=study.period_start,
                              end=study.period_end, chunk=2))
    assert [len(c) for c, _ids in chunks] == [2, 2, 1]
