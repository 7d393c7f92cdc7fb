"""Reading and validating instrument files; a changed file becomes a new version."""
import hashlib
import json
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from oneplan.access.models import Category
from oneplan.assessments.models import Instrument
from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput

DEFAULTS = Path(__file__).parent / "instruments"
SCALE = (1, 2, 3, 4, 5)


def parse(text: str, *, source: str = "instrument") -> dict:
    """The instrument as a dict, or InvalidInput naming the file and the domain at fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{source}: not valid YAML ({str(exc).splitlines()[0]}).")
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping with key, name and domains.")
    for field in ("key", "name"):
        if not isinstance(data.get(field), str) or not data[field].strip():
            raise InvalidInput(f"{source}: '{field}' is missing.")
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        raise InvalidInput(f"{source}: 'domains' must be a non-empty list.")
    seen = set()
    for i, domain in enumerate(domains, 1):
        where = f"{source}, domain {i}"
        if not isinstance(domain, dict):
            raise InvalidInput(f"{where}: expected a mapping.")
        key = domain.get("key")
        if not isinstance(key, str) or not key.strip():
            raise InvalidInput(f"{where}: 'key' is missing.")
        where = f"{source}, domain '{key}'"
        if key in seen:
            raise InvalidInput(f"{where}: the key is used twice.")
        seen.add(key)
        if not isinstance(domain.get("name"), str) or not domain["name"].strip():
            raise InvalidInput(f"{where}: 'name' is missing.")
        domain.setdefault("category", Category.ASSESSMENT)
        if domain["category"] not in Category.values:
            raise InvalidInput(f"{where}: category must be one of {', '.join(Category.values)}.")
        if not isinstance(domain.get("personal", False), bool):
            raise InvalidInput(f"{where}: 'personal' must be true or false.")
        levels = domain.get("levels")
        if not isinstance(levels, dict):
            raise InvalidInput(f"{where}: 'levels' must map 1..5 to a description.")
        try:
            numbers = {int(k) for k in levels}
        except (TypeError, ValueError):
            raise InvalidInput(f"{where}: level keys must be the numbers 1 to 5.")
        if numbers - set(SCALE):
            raise InvalidInput(f"{where}: level {sorted(numbers - set(SCALE))[0]} is outside the 1-5 scale.")
        missing = sorted(set(SCALE) - numbers)
        if missing:
            raise InvalidInput(f"{where}: level {missing[0]} is missing.")
        if any(not str(text or "").strip() for text in levels.values()):
            raise InvalidInput(f"{where}: every level needs a description.")
        domain["levels"] = {str(int(k)): str(v).strip() for k, v in levels.items()}
        domain["personal"] = bool(domain.get("personal", False))
        domain["description"] = str(domain.get("description", "")).strip()
    return {"key": data["key"].strip(), "name": data["name"].strip(),
            "description": str(data.get("description", "")).strip(), "domains": domains,
            "translations": _translations(data.get("translations"), seen, source)}


def _translations(value, keys: set, source: str) -> dict:
    """{language: {name, description, domains: {key: {name, description, levels}}}}: the
    instrument's texts in other languages; every key must be a domain of the instrument."""
    if value in (None, {}):
        return {}
    languages = {code for code, _name in settings.LANGUAGES}
    if not isinstance(value, dict):
        raise InvalidInput(f"{source}: 'translations' must map a language code to texts.")
    out = {}
    for language, texts in value.items():
        where = f"{source}, translations '{language}'"
        if language not in languages:
            raise InvalidInput(f"{where}: not a language of this installation "
                               f"({', '.join(sorted(languages))}).")
        if not isinstance(texts, dict) or not isinstance(texts.get("domains", {}), dict):
            raise InvalidInput(f"{where}: expected name, description and domains.")
        domains = {}
        for key, own in (texts.get("domains") or {}).items():
            if key not in keys:
                raise InvalidInput(f"{where}: domain '{key}' is not in the instrument.")
            if not isinstance(own, dict):
                raise InvalidInput(f"{where}, domain '{key}': expected name and levels.")
            levels = own.get("levels") or {}
            if not isinstance(levels, dict) or {str(k) for k in levels} - {str(n) for n in SCALE}:
                raise InvalidInput(f"{where}, domain '{key}': levels must be numbered 1 to 5.")
            domains[key] = {"name": str(own.get("name", "")).strip(),
                            "description": str(own.get("description", "")).strip(),
                            "levels": {str(int(k)): str(v).strip() for k, v in levels.items()}}
        out[language] = {"name": str(texts.get("name", "")).strip(),
                         "description": str(texts.get("description", "")).strip(),
                         "domains": domains}
    return out


@transaction.atomic
def load(text: str, *, source: str = "instrument", loaded_by=None):
    """Load an instrument; returns (instrument, created). Unchanged content makes no version."""

    data = parse(text, source=source)
    checksum = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    latest = Instrument.objects.select_for_update().filter(key=data["key"]).order_by("-version").first()
    if latest and latest.checksum == checksum:
        return latest, False
    instrument = Instrument.objects.create(
        key=data["key"], version=(latest.version + 1) if latest else 1, name=data["name"],
        description=data["description"],
        definition={"domains": data["domains"], "translations": data["translations"]}, checksum=checksum,
        loaded_by=loaded_by)
    Instrument.objects.filter(key=data["key"]).exclude(pk=instrument.pk).update(is_active=False)
    record(loaded_by, "instrument.load", instrument, reason=f"{data['key']} v{instrument.version}")
    return instrument, True


def load_defaults() -> list:
    return [load(path.read_text(), source=path.name) for path in sorted(DEFAULTS.glob("*.yaml"))]


def load_defaults_once(**kwargs) -> None:
    """post_migrate: ship the default instruments with every installation."""

    if not Instrument.objects.exists():
        load_defaults()
    else:  # a shipped file that changed (new texts, a translation) becomes the next version
        # Only where the current version is a shipped one: a version an administrator loaded
        # (loaded_by set) is theirs and stays current.
        for path in sorted(DEFAULTS.glob("*.yaml")):
            key = (yaml.safe_load(path.read_text()) or {}).get("key")
            current = Instrument.objects.filter(key=key, is_active=True).first()
            if current is not None and current.loaded_by_id is None:
                load(path.read_text(), source=path.name)
