"""Indicator definitions are versioned data: YAML files loaded into the database."""
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from oneplan.audit.models import AuditEvent
from oneplan.core.errors import InvalidInput
from oneplan.insights.loader import load, shipped_files
from oneplan.insights.models import Indicator
from oneplan.insights.registry import SPECS
from tests.insights.factories import definitions

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "oneplan" / "insights" / "indicators"


def _text(key="families_registered", **changes) -> str:
    data = yaml.safe_load((SHIPPED / f"{key}.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True)


def test_every_computation_has_a_shipped_definition_and_every_definition_a_computation():
    shipped = {yaml.safe_load(p.read_text(encoding="utf-8"))["id"] for p in shipped_files()}
    assert shipped == set(SPECS)


def test_migrate_loads_every_shipped_definition_with_english_and_dutch_texts():
    definitions()
    active = Indicator.objects.filter(is_active=True)
    assert active.count() == len(SPECS)
    assert all(i.definition["question"].get("nl") and i.definition["title"].get("nl") for i in active)


def test_an_unchanged_file_makes_no_new_version():
    definitions()
    indicator, created = load(_text(), source="families_registered.yaml")
    assert not created and indicator.version == 1


def test_a_changed_file_becomes_the_next_version_and_the_old_one_retires():
    definitions()
    new, created = load(_text(question={"en": "How many families are new?", "nl": "Hoeveel gezinnen zijn nieuw?"}))
    assert created and new.version == 2 and new.built_at is None
    assert list(Indicator.objects.filter(key="families_registered", is_active=True)) == [new]
    assert AuditEvent.objects.filter(action="indicator.load", object_id=str(new.pk)).exists()


def test_the_files_version_is_a_minimum():
    definitions()
    assert load(_text(version=7))[0].version == 7


def test_an_id_without_a_computation_is_refused():
    with pytest.raises(InvalidInput, match="no computation"):
        load(_text(id="happiness"))


def test_a_definition_must_say_how_it_is_aggregated_as_its_computation_does():
    with pytest.raises(InvalidInput, match="flow"):
        load(_text(aggregation="snapshot"))


def test_an_unknown_breakdown_is_refused():
    with pytest.raises(InvalidInput, match="breakdowns"):
        load(_text(breakdowns=["postcode"]))


def test_a_question_needs_an_english_text():
    with pytest.raises(InvalidInput, match="question"):
        load(_text(question={"nl": "Alleen Nederlands"}))


def test_the_command_loads_a_file_as_a_new_version(tmp_path, capsys):
    definitions()
    path = tmp_path / "mine.yaml"
    path.write_text(_text(title={"en": "New families", "nl": "Nieuwe gezinnen"}), encoding="utf-8")
    call_command("indicators", "load", str(path))
    assert "loaded as families_registered version 2" in capsys.readouterr().out
    assert not Indicator.objects.get(key="families_registered", is_active=True).shipped


def test_a_shipped_file_does_not_replace_an_operators_own_version(tmp_path):
    definitions()
    mine, _ = load(_text(title={"en": "New families"}))
    call_command("indicators", "load")
    assert Indicator.objects.get(key="families_registered", is_active=True) == mine
