"""Another unit's abbreviation where this unit is meant: text copied from a neighbour's plan.

A registry says which abbreviations a workbook may mention: the unit's own, its parent's, every one
written in its ข้อมูลทั่วไป, and the shipped list of Thai government abbreviations
(config/dictionary/abbreviations.txt: national agencies, ministries, local government, laws, forms,
months). Letters are compared without dots and spaces, so "ทรบ.", "ทรบ" and "ของทรบ." all match.
A unit-style abbreviation (two to five consonants, then a dot) outside the registry is a slip; so is
one written without its dot when it stands where a unit is named (the responsible-unit column, or
right after ของ/หน่วยงาน/โดย). A division the text names itself ("ฝ่ายบริหาร สลช.") is the unit's own. Dotted letter-by-letter forms (ป.ป.ช., พ.ร.บ.) and form numbers
(สขร.1) name national bodies and documents, never the unit, and are not slips.
"""
from __future__ import annotations

import re

from service.thai.lexicon import Lexicon, lexicon

_CONSONANTS = "\u0e01-\u0e2e"
# A dotted abbreviation, possibly a chain (สสจ.ศก.) or a type + place (อบต.หนองแวง); letter-by-letter
# chains (ป.ป.ช.) are caught too and pass because each part is a single letter.
_DOTTED = re.compile(rf"(?<![\u0e01-\u0e4e.])((?:[{_CONSONANTS}]{{1,5}}\.)+)(?:\s?([\u0e01-\u0e4e]{{3,}}))?(?![.\d])")
_AFTER_UNIT_WORD = re.compile(rf"(?:ของ|หน่วยงาน|โดย)\s?([{_CONSONANTS}]{{2,5}})(\.(?![{_CONSONANTS}]{{1,5}}\.)|(?![\u0e01-\u0e4e.]))")
_CELL = re.compile(rf"(?<![\u0e01-\u0e4e.])([{_CONSONANTS}]{{2,5}})\.?(?![\u0e01-\u0e4e.\d])")
# A unit naming one of its own divisions: "ฝ่ายบริหาร สลช.", "สำนักงานเลขานุการกรม (สลก.)".
_SELF_NAMED = re.compile(rf"(?<![\u0e01-\u0e4e])(?:ฝ่าย|กอง|สำนัก|กลุ่ม|ศูนย์|ส่วน|งาน|แผนก)[\u0e01-\u0e4e]+\s?\(?([{_CONSONANTS}]{{2,5}})\.")
_ABBREVIATION_IN = re.compile(rf"[{_CONSONANTS}][\u0e01-\u0e4e.]*\.|[{_CONSONANTS}]{{2,6}}")


def _letters(abbreviation: str) -> str:
    return re.sub(r"[.\s]", "", abbreviation)


def registry(own: str, accepted: str, lex: Lexicon) -> frozenset[str]:
    """Letters of every abbreviation this workbook may mention."""
    names = {_letters(a) for a in lex.abbreviations}
    names.update(_letters(m) for m in _ABBREVIATION_IN.findall(f"{own}\n{accepted}"))
    return frozenset(n for n in names if n)


def foreign_abbreviations(text: str, own: str, accepted: str = "", lex: Lexicon | None = None,
                          responsible: bool = False, known: frozenset[str] | None = None) -> list[str]:
    """Other units' abbreviations in `text` of a workbook whose unit abbreviation is `own`; `accepted`
    is the rest of its ข้อมูลทั่วไป (unit, parent …). `responsible`: the cell names who does the work,
    so a bare consonant cluster there is a unit too. `known`: `registry(own, accepted, lex)` when the
    caller checks many cells of one workbook."""
    lex = lex or lexicon()
    if not _letters(own):
        return []
    known = registry(own, accepted, lex) if known is None else known
    allowed = known | {m[1] for m in _SELF_NAMED.finditer(text)}
    mine = _letters(own.split(".")[0])
    place = own.split(".", 1)[1].strip() if "." in own.strip()[:-1] else ""
    hits: list[str] = []
    for m in _DOTTED.finditer(text):
        chain, after = m[1], m[2] or ""
        parts = chain.rstrip(".").split(".")
        if all(len(p) == 1 for p in parts):
            continue                                         # ป.ป.ช., พ.ร.บ.: national bodies and laws
        if len(parts) == 1 and after and parts[0] == mine and place and not after.startswith(place):
            hits.append(f"{chain}{after}")                   # อบต.หนองแวง in the workbook of อบต.คำเนียม
        elif _letters(chain) not in allowed or _near(_letters(chain), _letters(own)):
            hits.append(chain)
    hits += [m[1] + m[2] for m in _AFTER_UNIT_WORD.finditer(text) if m[1] not in lex.words]
    if responsible:
        hits += [m[1] for m in _CELL.finditer(text) if m[1] not in lex.words]
    found: list[str] = []
    for written in hits:
        letters = _letters(written)
        if (letters not in allowed or _near(letters, _letters(own))) and letters != _letters(own) \
                and not any(_letters(f) == letters for f in found):
            found.append(written)
    return found


def _near(letters: str, own: str) -> bool:
    """One letter off the unit's own abbreviation (สลค. for สลก.): a typing slip even if it names
    another agency."""
    return len(letters) == len(own) >= 3 and sum(a != b for a, b in zip(letters, own)) == 1
