"""The self-evaluation questionnaire as versioned data, in English and Dutch."""
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from oneplan.core.errors import InvalidInput
from oneplan.partnership import questionnaire
from oneplan.partnership.models import Questionnaire

pytestmark = pytest.mark.django_db
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "oneplan" / "partnership" / "questionnaires" \
    / "partnership-self-evaluation.yaml"


def test_the_shipped_questionnaire_covers_the_four_aspects_and_the_relationships():
    assert [a["key"] for a in questionnaire.current().definition["aspects"]] == [
        "shared_vision", "roles", "monitoring", "funding", "relationships"]


def test_every_question_and_scale_point_has_a_dutch_text():
    current = questionnaire.current()
    with translation.override("en"):
        english = [q["text"] for a in current.aspects for q in a["questions"]] + [t for _n, t in current.scale]
    with translation.override("nl"):
        dutch = [q["text"] for a in current.aspects for q in a["questions"]] + [t for _n, t in current.scale]
    assert all(nl != en for nl, en in zip(dutch, english)) and len(dutch) == len(english)


def test_an_unchanged_file_makes_no_new_version():
    before = Questionnaire.objects.count()
    _item, created = questionnaire.load(SHIPPED.read_text(encoding="utf-8"))
    assert (created, Questionnaire.objects.count()) == (False, before)


def test_a_changed_file_becomes_the_next_version_and_the_current_one():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["aspects"][0]["questions"][0]["text"] = "We share one vision."
    item, created = questionnaire.load(yaml.safe_dump(data))
    assert (created, item.version, questionnaire.current()) == (True, 2, item)


def test_a_question_key_used_twice_is_refused():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["aspects"][1]["questions"][0]["key"] = "vision_shared"
    with pytest.raises(InvalidInput, match="used twice"):
        questionnaire.parse(yaml.safe_dump(data))


def test_a_scale_without_five_points_is_refused():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    del data["scale"][5]
    with pytest.raises(InvalidInput, match="scale"):
        questionnaire.parse(yaml.safe_dump(data))


def test_a_translation_of_an_unknown_question_is_refused():
    data = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    data["translations"]["nl"]["aspects"]["roles"]["questions"]["nonsense"] = "Onzin"
    with pytest.raises(InvalidInput, match="not in the questionnaire"):
        questionnaire.parse(yaml.safe_dump(data))
