"""Thai text as printed: normalised silently (zero-width characters, doubled or misordered tone marks
and vowels, stray spaces), so that documents never carry invisible slips."""
from __future__ import annotations

import re
import unicodedata

from pythainlp.util import normalize as thai_normalize

from service.thai.numbers import to_arabic

# Invisible characters that only get in the way of comparing or printing text.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_ANY_SPACE = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """NFC, no zero-width characters, pythainlp's Thai normalisation, single spaces per line."""
    text = unicodedata.normalize("NFC", text).translate(ZERO_WIDTH)
    text = thai_normalize(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")
_INVISIBLE = dict.fromkeys(map(ord, " \t\n\r\u00a0\u3000"), None) | ZERO_WIDTH


def _signature(text: str) -> list[tuple[str, frozenset[str]]]:
    """What a reader sees: each letter with the set of marks above/below it, repeated letters once.
    Order of marks, doubled marks, doubled vowels and spacing do not count."""
    clusters: list[tuple[str, frozenset[str]]] = []
    marks: set[str] = set()
    base = ""
    # ำ copied out of a PDF arrives as its two halves (ํ + า): the same letter to a reader.
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).replace("เเ", "แ").replace("\u0e4d\u0e32", "ำ")
    for ch in text:
        if ch in _MARKS:
            marks.add(ch)
            continue
        if base or marks:
            clusters.append((base, frozenset(marks)))
        base, marks = ch, set()
    clusters.append((base, frozenset(marks)))
    return [c for i, c in enumerate(clusters) if i == 0 or c != clusters[i - 1]]


def meaning_may_change(raw: str, cleaned: str) -> bool:
    """True when normalisation dropped a mark that was not a mere repeat, e.g. two different tone
    marks on one letter (ก่้า → ก้า): the officer should look at what will be printed."""
    return _signature(raw) != _signature(cleaned)


def normalise_header(text: object) -> str:
    """Header text as compared: NFC, no zero-width characters, single spaces, case-folded, ำ whole (a
    label pasted from a PDF, or typed through anything that applies NFKC, has it as ํ + า)."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFC", str(text)).translate(ZERO_WIDTH).replace("\u0e4d\u0e32", "\u0e33")
    return _ANY_SPACE.sub(" ", s).strip().casefold()


def code_key(code: str) -> str:
    """The one canonical form of a code typed by hand, for every comparison (checks and progress alike):
    "๑.๑", " 1.1" and "1. 1" are one activity. Codes are printed as typed."""
    return normalise_header(to_arabic(code)).replace(" ", "")
