"""The layer rules that import-linter does not check: no oneplan import inside a function."""
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "oneplan"
# AppConfig.ready() registers hooks and management commands run late: those may import late.
ALLOWED = re.compile(r"/(apps\.py|management/commands/[^/]+\.py|migrations/[^/]+\.py)$")
INNER_IMPORT = re.compile(r"^[ \t]+(from oneplan[\w.]* import |import oneplan)", re.M)
# A type hint's import under `if TYPE_CHECKING:` never runs (import-linter ignores it too).
TYPE_ONLY = re.compile(r"^if TYPE_CHECKING:[^\n]*\n(?:[ \t]+[^\n]*\n?)*", re.M)


def test_no_oneplan_import_hides_inside_a_function():
    offenders = [f"{path.relative_to(SOURCE)}:{text[:match.start()].count(chr(10)) + 1}"
                 for path in SOURCE.rglob("*.py") if not ALLOWED.search(path.as_posix())
                 for text in [TYPE_ONLY.sub(lambda m: "\n" * m.group().count("\n"), path.read_text())]
                 for match in INNER_IMPORT.finditer(text)]
    assert not offenders, ("import at the top of the module (a cycle is broken by a hook "
                           "registered in AppConfig.ready(), docs/architecture.md):\n" + "\n".join(offenders))
