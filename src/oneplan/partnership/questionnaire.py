"""The self-evaluation questionnaire as data: read and check its YAML file; a changed file becomes
the next version (rounds keep the version they were sent with)."""
import hashlib
import json
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput
from oneplan.partnership.models import Questionnaire

DEFAULTS = Path(__file__).parent / "questionnaires"
SCALE = ("1", "2", "3", "4", "5")


def _text(value) -> str:
    return str(value or "").strip()


def _scale(value, where: str, *, partial: bool = False) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput(f"{where}: 'scale' must map 1..5 to a label.")
    scale = {str(k): _text(v) for k, v in value.items()}
    if set(scale) - set(SCALE) or (not partial and set(scale) != set(SCALE)):
        raise InvalidInput(f"{where}: the scale is numbered 1 to 5.")
    if any(not label for label in scale.values()):
        raise InvalidInput(f"{where}: every point of the scale needs a label.")
    return scale


def _aspects(value, source: str) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise InvalidInput(f"{source}: 'aspects' must be a non-empty list.")
    aspects, seen = [], set()
    for i, aspect in enumerate(value, 1):
        if not isinstance(aspect, dict) or not _text(aspect.get("key")) or not _text(aspect.get("name")):
            raise InvalidInput(f"{source}, aspect {i}: 'key' and 'name' are required.")
        where = f"{source}, aspect '{aspect['key']}'"
        questions = aspect.get("questions")
        if not isinstance(questions, list) or not questions:
            raise InvalidInput(f"{where}: 'questions' must be a non-empty list.")
        keys = [aspect["key"]]
        for question in questions:
            if not isinstance(question, dict) or not _text(question.get("key")) or not _text(question.get("text")):
                raise InvalidInput(f"{where}: every question needs a key and a text.")
            keys.append(question["key"])
        if seen & set(keys) or len(set(keys)) != len(keys):
            raise InvalidInput(f"{where}: a key is used twice.")
        seen.update(keys)
        aspects.append({"key": _text(aspect["key"]), "name": _text(aspect["name"]),
                        "questions": [{"key": _text(q["key"]), "text": _text(q["text"])} for q in questions]})
    return aspects


def _translations(value, aspects: list[dict], source: str) -> dict:
    """{language: {name, description, scale, aspects: {key: {name, questions: {key: text}}}}}."""
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise InvalidInput(f"{source}: 'translations' must map a language code to texts.")
    languages = {code for code, _name in settings.LANGUAGES}
    questions = {a["key"]: {q["key"] for q in a["questions"]} for a in aspects}
    out = {}
    for language, texts in value.items():
        where = f"{source}, translations '{language}'"
        if language not in languages:
            raise InvalidInput(f"{where}: not a language of this installation.")
        if not isinstance(texts, dict) or not isinstance(texts.get("aspects", {}), dict):
            raise InvalidInput(f"{where}: expected name, scale and aspects.")
        own = {}
        for key, aspect in (texts.get("aspects") or {}).items():
            if key not in questions or not isinstance(aspect, dict):
                raise InvalidInput(f"{where}: aspect '{key}' is not in the questionnaire.")
            texts_q = aspect.get("questions") or {}
            if not isinstance(texts_q, dict) or set(texts_q) - questions[key]:
                raise InvalidInput(f"{where}, aspect '{key}': a question is not in the questionnaire.")
            own[key] = {"name": _text(aspect.get("name")),
                        "questions": {k: _text(v) for k, v in texts_q.items()}}
        out[language] = {"name": _text(texts.get("name")), "description": _text(texts.get("description")),
                         "scale": _scale(texts["scale"], where, partial=True) if texts.get("scale") else {},
                         "aspects": own}
    return out


def parse(text: str, *, source: str = "questionnaire") -> dict:
    """The questionnaire as a dict, or InvalidInput naming the file and the place at fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{source}: not valid YAML ({str(exc).splitlines()[0]}).")
    if not isinstance(data, dict) or not _text(data.get("key")) or not _text(data.get("name")):
        raise InvalidInput(f"{source}: expected a mapping with key, name, scale and aspects.")
    aspects = _aspects(data.get("aspects"), source)
    return {"key": _text(data["key"]), "name": _text(data["name"]),
            "description": _text(data.get("description")), "scale": _scale(data.get("scale"), source),
            "aspects": aspects, "translations": _translations(data.get("translations"), aspects, source)}


@transaction.atomic
def load(text: str, *, source: str = "questionnaire") -> tuple[Questionnaire, bool]:
    """Load a questionnaire file; (questionnaire, created). Unchanged content makes no version."""
    data = parse(text, source=source)
    checksum = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    latest = Questionnaire.objects.select_for_update().filter(key=data["key"]).order_by("-version").first()
    if latest and latest.checksum == checksum:
        return latest, False
    item = Questionnaire.objects.create(
        key=data["key"], version=latest.version + 1 if latest else 1, name=data["name"], checksum=checksum,
        definition={k: data[k] for k in ("description", "scale", "aspects", "translations")})
    Questionnaire.objects.filter(key=data["key"]).exclude(pk=item.pk).update(is_active=False)
    record(None, "questionnaire.load", item, reason=f"{data['key']} v{item.version}")
    return item, True


def load_defaults(**kwargs) -> None:
    """post_migrate: the shipped questionnaire, as a new version whenever its file changed."""
    for path in sorted(DEFAULTS.glob("*.yaml")):
        load(path.read_text(encoding="utf-8"), source=path.name)


def current() -> Questionnaire | None:
    return Questionnaire.objects.filter(is_active=True).order_by("key", "-version").first()
