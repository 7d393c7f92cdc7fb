"""The official HSDS 3.0 JSON schemas (copied unchanged into hsds_standard/), as validators with
formats asserted: what oneplan serves is tested against them and what it imports is checked by them.

The schema files carry no `$id` and refer to each other by file name ("phone.json"); the
standard's openapi.json names them under BASE, so each file is registered under BASE + its name
and relative references resolve within the set.
"""
import functools
import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

STANDARD = Path(__file__).parent / "hsds_standard"
SCHEMA_DIR = STANDARD / "schema"
BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name != "openapi.json":
            contents = json.loads(path.read_text(encoding="utf-8"))
            resources.append((BASE + path.name, Resource.from_contents(contents, default_specification=DRAFT202012)))
    return Registry().with_resources(resources)


@functools.lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    """The validator of one schema file ("service", "taxonomy_term", ...), formats asserted."""
    schema = {"$ref": BASE + f"{name}.json"}
    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker())


@functools.lru_cache(maxsize=1)
def openapi() -> dict:
    return json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def table_schemas() -> dict[str, dict]:
    """Tabular file name ("services.csv") -> its schema (the `path` each schema file names)."""
    out = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        if path.name != "openapi.json":
            contents = json.loads(path.read_text(encoding="utf-8"))
            if "path" in contents:
                out[contents["path"]] = contents | {"file": path.stem}
    return out


def problems(instance, name: str) -> list[str]:
    """Readable messages, each with the JSON path of what is wrong ("phones/0/id: ...")."""
    out = []
    for error in sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path)
        out.append(f"{where}: {error.message}" if where else error.message)
    return out
