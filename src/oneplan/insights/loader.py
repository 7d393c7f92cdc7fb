"""Reading and validating indicator definitions (YAML); a changed file becomes a new version."""
import hashlib
import json
from pathlib import Path

import yaml
from django.db import transaction

from oneplan.audit.services import record
from oneplan.core.errors import InvalidInput
from oneplan.insights.aggregates import BREAKDOWNS
from oneplan.insights.models import Indicator
from oneplan.insights.registry import SPECS

DEFAULTS = Path(__file__).parent / "indicators"
UNITS = ("count", "percent", "days", "hours", "score", "rating")
STATISTICS = ("count", "share", "mean", "median")
BETTER = ("higher", "lower", "neither")
KINDS = ("process", "outcome", "experience")
THEMES = ("start", "plans", "network", "outcomes", "experience", "frontdoor")
TEXTS = ("title", "question", "numerator", "denominator")


def _text(data: dict, field: str, source: str, *, required: bool = True) -> dict:
    value = data.get(field)
    if value is None and not required:
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, dict) or not str(value.get("en") or "").strip():
        raise InvalidInput(f"{source}: '{field}' needs at least an English text (en).")
    return {str(lang): " ".join(str(text).split()) for lang, text in value.items() if str(text or "").strip()}


def _choice(data: dict, field: str, allowed: tuple, source: str) -> str:
    value = data.get(field)
    if value not in allowed:
        raise InvalidInput(f"{source}: '{field}' must be one of {', '.join(allowed)}.")
    return value


def parse(text: str, *, source: str = "indicator") -> dict:
    """The definition as a dict, or InvalidInput naming the file and the field at fault."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{source}: not valid YAML ({str(exc).splitlines()[0]}).")
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping with id, version, question, ...")
    key = data.get("id")
    if not isinstance(key, str) or not key.strip():
        raise InvalidInput(f"{source}: 'id' is missing.")
    key = key.strip()
    spec = SPECS.get(key)
    if spec is None:
        raise InvalidInput(f"{source}: no computation is registered for '{key}' (insights/compute/).")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(f"{source}: 'version' must be a whole number from 1.")
    definition = {field: _text(data, field, source) for field in TEXTS}
    definition["caveats"] = _text(data, "caveats", source, required=False)
    definition["unit"] = _choice(data, "unit", UNITS, source)
    definition["statistic"] = _choice(data, "statistic", STATISTICS, source)
    definition["better"] = _choice(data, "better", BETTER, source)
    definition["kind"] = _choice(data, "kind", KINDS, source)
    definition["theme"] = _choice(data, "theme", THEMES, source)
    aggregation = _choice(data, "aggregation", ("flow", "snapshot"), source)
    if (aggregation == "snapshot") != spec.snapshot:
        raise InvalidInput(f"{source}: '{key}' is computed as a {'snapshot' if spec.snapshot else 'flow'}.")
    definition["aggregation"] = aggregation
    if definition["statistic"] == "median" and spec.resolution is None:
        raise InvalidInput(f"{source}: '{key}' keeps no histogram, so it has no median.")
    breakdowns = data.get("breakdowns") or []
    if not isinstance(breakdowns, list) or any(b not in BREAKDOWNS for b in breakdowns):
        raise InvalidInput(f"{source}: 'breakdowns' must be a list of {', '.join(BREAKDOWNS)}.")
    definition["breakdowns"] = list(dict.fromkeys(breakdowns))
    return {"key": key, "version": version, "definition": definition}


@transaction.atomic
def load(text: str, *, source: str = "indicator", shipped: bool = False):
    """Load a definition; returns (indicator, created). Unchanged content makes no version.
    The file's version is a minimum: a changed definition always gets the next number."""
    data = parse(text, source=source)
    checksum = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    latest = Indicator.objects.select_for_update().filter(key=data["key"]).order_by("-version").first()
    if latest and latest.checksum == checksum:
        return latest, False
    version = max(data["version"], latest.version + 1 if latest else 1)
    indicator = Indicator.objects.create(key=data["key"], version=version, definition=data["definition"],
                                         checksum=checksum, shipped=shipped)
    Indicator.objects.filter(key=data["key"]).exclude(pk=indicator.pk).update(is_active=False)
    record(None, "indicator.load", indicator, reason=f"{data['key']} v{version} from {source}")
    return indicator, True


def shipped_files() -> list[Path]:
    return sorted(DEFAULTS.glob("*.yaml"))


def load_defaults() -> list:
    """The shipped definitions, except where an operator loaded their own version of one."""
    out = []
    for path in shipped_files():
        key = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("id")
        current = Indicator.objects.filter(key=key, is_active=True).first()
        if current is None or current.shipped:
            out.append(load(path.read_text(encoding="utf-8"), source=path.name, shipped=True))
    return out


def load_defaults_on_migrate(**kwargs) -> None:
    """post_migrate: every installation has the shipped definitions (a changed file: a new version)."""
    load_defaults()
