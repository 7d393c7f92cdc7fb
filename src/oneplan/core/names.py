"""Folding names for matching, the Dutch way: case, accents, ø/æ/ß, apostrophes, ij/y and
tussenvoegsels ("van der Berg", "Berg, van den" and "v.d. Berg" are one family name). Used by
the reference index (signals/linkage.py) and by the duplicate check on oneplan's own persons
(families/duplicates.py)."""
import re
import unicodedata

# Tussenvoegsels and their foreign cousins: not part of the name for matching, because
# registrations differ in whether (and how) they write them ("Berg, van den", "v.d. Berg").
PREFIXES = frozenset({"van", "der", "den", "de", "het", "t", "s", "ter", "ten", "te", "op", "in",
    "onder", "over", "aan", "bij", "uit", "tot", "voor", "vd", "vder", "vden", "v", "d", "vant",
    "la", "le", "les", "du", "des", "l", "di", "da", "del", "della", "dos", "das", "do", "von",
    "vom", "zu", "zum", "zur", "am", "auf", "el", "al", "ben", "bin", "ibn", "bou", "abu"})
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d",
                       "þ": "th", "ı": "i", "ŋ": "ng", "ħ": "h"})
_APOSTROPHES = re.compile(r"['’‘`´ʼʻ]")
_NOT_LETTER = re.compile(r"[^a-z]+")


def fold(value: str) -> str:
    """Lower case ASCII letters and single spaces: accents, ø/æ/ß, apostrophes, hyphens and
    dots folded; anything else that is not a letter becomes a space."""
    value = unicodedata.normalize("NFKC", value or "").casefold().translate(_FOLD)
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    value = _APOSTROPHES.sub("", value.translate(_FOLD))
    return " ".join(_NOT_LETTER.sub(" ", value).split())


def _ij(word: str) -> str:
    # "ij" and "y" are written for one another (Bijl / Byl, Marijke / Maryke).
    return word.replace("ij", "y")


def family_core(family_name: str) -> str:
    """The family name without tussenvoegsels, in one word: "van der Berg", "Berg, van den",
    "v.d. Berg" and "Berg" all give "berg"; "Jansen-de Vries" gives "jansendevries"."""
    words = fold(family_name.replace(",", " , ")).split()
    if "," in family_name:  # "Berg, van den": what follows the comma is the prefix
        before = fold(family_name.split(",", 1)[0]).split()
        words = before or words
    core = list(words)
    while len(core) > 1 and core[0] in PREFIXES:
        core.pop(0)
    while len(core) > 1 and core[-1] in PREFIXES:
        core.pop()
    return _ij("".join(core))


def given_core(given_name: str) -> str:
    """The first given name, folded: "Jan-Peter" gives "jan", "J.P." gives "j". Leading
    tussenvoegsels go, so a family name written as given name ("van der Berg") gives "berg"."""
    words = fold(given_name).split()
    while len(words) > 1 and words[0] in PREFIXES:
        words.pop(0)
    return _ij(words[0]) if words else ""
