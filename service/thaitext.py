"""Thai text as printed: normalised silently (zero-width characters, doubled or misordered tone marks
and vowels, stray spaces), so that documents never carry invisible slips."""
from __future__ import annotations

import re
import unicodedata

from pythainlp.util import normalize as thai_normalize

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(text: str) -> str:
    """NFC, no zero-width characters, pythainlp's Thai normalisation, single spaces per line."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = thai_normalize(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()
