"""Every string marked for translation in a template or in the code has its Dutch text."""
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

SOURCE = Path(__file__).resolve().parents[2] / "src" / "oneplan"


def _untranslated(po: Path) -> list[str]:
    """msgids without a Dutch text, or only a fuzzy guess (gettext's msgattrib decides)."""
    out = []
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(["msgattrib", flag, "--no-wrap", "--no-obsolete", str(po)],
                                capture_output=True, text=True, check=True)
        out += [msgid for msgid in _msgids(result.stdout) if msgid]  # "" is the header
    return out


def _msgids(po_text: str) -> list[str]:
    msgids, current = [], None
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current = [line[len('msgid "'):-1]]
        elif current is not None and line.startswith('"'):
            current.append(line[1:-1])
        elif current is not None:
            msgids.append("".join(current))
            current = None
    return msgids


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_every_message_has_a_dutch_translation(tmp_path, monkeypatch):
    copy = tmp_path / "oneplan"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["nl"], no_obsolete=True, verbosity=0)
    missing = _untranslated(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    assert not missing, ("no Dutch translation (add it to src/oneplan/locale/nl/LC_MESSAGES/django.po, "
                         "then `make messages`):\n" + "\n".join(missing))


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_every_dutch_translation_keeps_the_placeholders_of_its_english():
    po = SOURCE / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
