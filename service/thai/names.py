"""Person names and abbreviations blanked out of text before spell-checking: a name is never a typo.

A name is the one or two Thai words after a title (config/dictionary/titles.txt: คุณ, ดร., ผศ.,
military and police ranks …), or a given name from pythainlp's name lists followed by a listed family name or a word that does
not split into dictionary words.
A title glued to a longer trusted word is that word (คุณภาพ, นายก, ปลัดอำเภอ), not a title.
pythainlp's named-entity tagger is not used: it needs python-crfsuite, which is not installed, and a
model pythainlp looks for in its download folder, so it does not work offline here.
"""
from __future__ import annotations

import re
from functools import lru_cache

from service.thai.lexicon import Lexicon, segment

_WORD = r"[\u0e01-\u0e4e]+"
_ABBREVIATION = re.compile(r"(?<![\u0e01-\u0e4e.])(?:[\u0e01-\u0e2e][\u0e01-\u0e4e]{0,5}\.)+(?!\.)")


@lru_cache(maxsize=4)
def _titled(titles: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(t) for t in titles)
    return re.compile(rf"(?<![\u0e01-\u0e4e])((?:(?:{alternatives})\s*)+)({_WORD})(?:(\s+)({_WORD}))?")


def _starts_with_word(text: str, title: str, lex: Lexicon) -> bool:
    """คุณภาพ, นายก, ปลัดอำเภอ: the title's letters begin a longer trusted word."""
    stem = title.rstrip()
    return not stem.endswith(".") and any(text[:n] in lex.words for n in range(len(stem) + 1, len(text) + 1))


def without_names(text: str, lex: Lexicon) -> str:
    """`text` with names (after a title, or given + family name) and abbreviations blanked out."""
    def blank_titled(m: re.Match[str]) -> str:
        title, given, gap, family = m[1], m[2], m[3], m[4]
        if _starts_with_word(title.replace(" ", "") + given, title, lex):
            return m[0]
        keep = f"{gap}{family}" if family and family not in lex.family_names and family in lex.words else ""
        return " " * (len(m[0]) - len(keep)) + keep

    text = _titled(lex.titles).sub(blank_titled, text) if lex.titles else text
    text = _without_pairs(text, lex)
    return _ABBREVIATION.sub(lambda m: " " * len(m[0]), text)


def _without_pairs(text: str, lex: Lexicon) -> str:
    """Blank "given family": a listed given name, then a listed family name or a word that does not
    split into dictionary words (family names are too many to list). Every adjacent pair is tried, so "มอบหมายให้ สุนันทา นิลกำแหง"
    finds its name although มอบหมายให้ comes first."""
    def unknown(word: str) -> bool:
        return not all(ok for _, ok in segment(word, lex.words, lex.longest))

    runs = list(re.finditer(_WORD, text))
    spans = []
    for a, b in zip(runs, runs[1:]):
        if text[a.end():b.start()].isspace() and a[0] in lex.given_names \
                and (b[0] in lex.family_names or unknown(b[0])):
            spans.append((a.start(), b.end()))
    for start, end in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return text
