"""Thai spelling checks on free text: catch officers' real misspellings, stay silent on correct text.

A warning an officer cannot trust is worse than none, so a word is reported only when:
- it is a known misspelling (config/dictionary/misspellings.txt, each with its source), even where it
  splits into real words (งบประมาน = งบ|ประมาน);
- it is out of every dictionary and a trusted word sounds the same or is one edit away; or
- adjacent real words join into something that sounds like one much more frequent word (ความ|เสียง →
  ความเสี่ยง) or lost the circle of ำ in a PDF copy (ดา|เนิน|การ, "ส านักงาน").
Suggestions come from the trusted words only, never from the block list; when none is plausible the
warning says "อาจสะกดผิด" without one. Names (after a title, or a given name + family name) and
abbreviations are blanked before anything else, and so is English.

The text is segmented by a dictionary maximal-matching pass over the precompiled lexicon rather than
pythainlp's newmm, whose trie alone costs about a second per process (see service/thai/lexicon.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from service.thai.lexicon import DEFAULT_DICTIONARY, MARKS, Lexicon, SortedTable, lexicon, segment, sound_key
from service.thai.names import without_names
from service.thai.near_miss import near_misses

__all__ = ["DEFAULT_DICTIONARY", "Misspelling", "lexicon", "misspellings", "warm_up"]

_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+(?: [\u0e32-\u0e33][\u0e01-\u0e4e]*)*")
_PDF_SPLIT = re.compile(r"([\u0e01-\u0e2e][\u0e48-\u0e4b]?) ([\u0e32])")     # ส านักงาน: ำ lost its circle
_BASE = re.compile(r"[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46]")     # a letter that is not a mark
_LETTERS = "".join(chr(c) for c in range(0x0E01, 0x0E4F) if not 0x0E3B <= c <= 0x0E3E)
_REPEAT_MARKS = frozenset("ๆฯ")
_TONES = re.compile("[\u0e48-\u0e4b]")
# Short words a merge never rewrites: they are right as written far more often than not (ใด|ที่ ≠ ได้ที่).
_STEADY = frozenset({"ใด", "ได้", "ใด้", "ไม่", "ใน", "ไป", "ให้", "ใช้", "ใช่", "ใคร", "ใจ", "ไว้", "ใหม่", "ไหม"})
MIN_WORD = 4            # shorter strings have too many neighbours to suggest anything useful
REACH = 2               # neighbours joined on each side of an unknown fragment
MAX_SUGGESTIONS = 3
MERGE_FREQUENCY = 10_000   # a word that adjacent real words sound like must be this common (web counts)


@dataclass(frozen=True)
class Misspelling:
    word: str
    suggestions: tuple[str, ...]       # empty: "อาจสะกดผิด" with no plausible fix


def warm_up(directory: Path = DEFAULT_DICTIONARY) -> None:
    """Load (or compile) the lexicon of `directory` now rather than in the first job."""
    lexicon(directory)


def _edits1(word: str) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion away (Norvig)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    edits.update(a + c + b for a, b in splits for c in _LETTERS)
    return edits


def _candidates(join: str, lex: Lexicon) -> list[tuple[int, str]]:
    """(cost, word): 0 = sounds the same, 1 = one edit away, 2 = one edit after folding homophones."""
    found: dict[str, int] = {w: 0 for w in lex.sounds.all(sound_key(join))}
    for w in _edits1(join):
        if w in lex.words:
            found.setdefault(w, 1)
    if not found:
        for key in _edits1(sound_key(join)):
            for w in lex.sounds.all(key):
                found.setdefault(w, 2)
    return [(cost, w) for w, cost in found.items() if w != join]


def _plausible(join: str, pieces: set[str], lex: Lexicon) -> tuple[str, ...] | None:
    """Suggestions for `join`, best first; () when something is near but nothing plausible; None when
    nothing is near at all (a name or a transliteration: say nothing)."""
    near = [(cost, w) for cost, w in _candidates(join, lex) if len(w) >= MIN_WORD - 1 and w not in pieces]
    if not near:
        return None
    good = [(cost, -lex.frequency.get(w, 0), w) for cost, w in near
            if w not in lex.blocked and lex.frequency.get(w, 0) > 0]
    good.sort()
    return tuple(w for *_, w in good[:MAX_SUGGESTIONS])


def _check_unknown(pieces: list[tuple[str, bool]], i: int, lex: Lexicon) -> tuple[int, int, Misspelling] | None:
    """The widest join around unknown piece `i` with a plausible fix: (first, last piece, warning)."""
    texts = [p for p, _ in pieces]
    joins = sorted(((j, k) for j in range(max(0, i - REACH), i + 1)
                    for k in range(i + 1, min(len(pieces), i + REACH + 1) + 1)),
                   key=lambda jk: -len("".join(texts[jk[0]:jk[1]])))
    fallback = None
    for j, k in joins:
        join = "".join(texts[j:k])
        if len(join) < MIN_WORD:
            continue
        # Dropping a whole fragment is no fix (it belongs to a neighbour), unless it is a lone mark (นโยบาย์).
        whole = {"".join(texts[j + 1:k]), "".join(texts[j:k - 1])} if _BASE.search(texts[i]) else set()
        suggestions = _plausible(join, whole, lex)
        if suggestions:
            return j, k - 1, Misspelling(join, suggestions)
        if suggestions == () and fallback is None and j == i and k == i + 1:
            fallback = (i, i, Misspelling(join, ()))
    return fallback


def _check_merges(pieces: list[tuple[str, bool]], lex: Lexicon, taken: set[int]) -> list[Misspelling]:
    """Real words that together sound like one much more common word (ความ|เสียง → ความเสี่ยง), or
    lost an ำ (ดา|เนิน|การ → ดำเนินการ)."""
    found: list[Misspelling] = []
    texts = [p for p, _ in pieces]
    i = 0
    while i < len(pieces):
        hit = None
        for k in range(min(len(pieces), i + 3), i + 1, -1):
            if any(t in taken or not pieces[t][1] for t in range(i, k)):
                continue
            join = "".join(texts[i:k])
            if len(join) < MIN_WORD or join in lex.words or all(t in lex.function_words for t in texts[i:k]):
                continue
            options = set(lex.sounds.all(sound_key(join))) | (_slips(join) if _may_slip(join, lex) else set())
            best = max((w for w in options if w in lex.words and w not in lex.blocked and w != join
                        and _one_piece_changed(w, texts[i:k])),
                       key=lambda w: lex.frequency.get(w, 0), default=None)
            if best and lex.frequency.get(best, 0) >= MERGE_FREQUENCY:
                hit = (k, Misspelling(join, (best,)))
                break
        if hit:
            found.append(hit[1])
            i = hit[0]
        else:
            i += 1
    return found


# Letters Thai writers swap because they sound alike as the final of a syllable (ตำบน/ตำบล, บริหาน/บริหาร);
# swapped at the start of one they make other real words too often (ให้ดี ≠ ให้สี).
_ALIKE = ("นณญรลฬ", "ดตทธฎฏฐฑฒถศษสจชซ", "กขคฆ", "บปพภฟ", "ศษสซ", "ทธฑฒถ", "พภ", "ชฌ")
_CONSONANT = re.compile("[\u0e01-\u0e2e]")


def _slips(join: str) -> set[str]:
    """What `join` would be after undoing one of the slips officers really make: a sound-alike letter, a
    karan (์) dropped or added or on the wrong silent letter (สัตว์/สัตย์), an ะ or a silent vowel added
    (สาธารณะสุข, อนุญาติ), the circle of ำ lost (ดา|เนิน|การ)."""
    out = {join[:p] + "ำ" + join[p + 1:] for p, ch in enumerate(join) if ch == "า"}
    for p, ch in enumerate(join):
        final = p == len(join) - 1 or _CONSONANT.match(join[p + 1])    # ending a syllable: sound-alikes
        for group in _ALIKE if final else ():
            if ch in group:
                out.update(join[:p] + other + join[p + 1:] for other in group if other != ch)
        if ch in "ะิุ์":
            out.add(join[:p] + join[p + 1:])
        if ch == "์" and p and _CONSONANT.match(join[p - 1]):
            out.update(join[:p - 1] + c + join[p:] for c in "ยวรนตทดส")
        if _CONSONANT.match(ch):
            out.add(join[:p + 1] + "์" + join[p + 1:])
            out.update(join[:p + 1] + c + "์" + join[p + 1:] for c in "นรตย")
    return out


# What no slip of `_slips` changes, so that a frequent word one slip away from a join shares one of two
# keys with it: (1) karan, ะ, ิ and ุ dropped, ำ read as า, every consonant by its sound-alike family; (2)
# the same after dropping each silent letter with its karan (สัตว์/สัตย์, a letter and karan added).
def _families(groups: tuple[str, ...]) -> dict[str, str]:
    """Each letter → one letter of its family; groups that share a letter are one family."""
    parent: dict[str, str] = {}

    def root(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c]
        return c

    for group in groups:
        for c in group[1:]:
            parent[root(c)] = root(group[0])
    return {c: root(c) for group in groups for c in group}


_SLIP_KEY = str.maketrans({**_families(_ALIKE), "\u0e4c": None, "ะ": None, "ิ": None, "ุ": None, "ำ": "า"})
_SILENT_UNIT = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")


def _slip_keys(text: str) -> tuple[str, str]:
    return text.translate(_SLIP_KEY), _SILENT_UNIT.sub("", text).translate(_SLIP_KEY)


@lru_cache(maxsize=4)
def _slip_index(frequency: SortedTable, blocked: frozenset[str]) -> frozenset[str]:
    """Both keys of every word common enough to be a merge's answer (MERGE_FREQUENCY): built once per
    lexicon (about 17,000 words, a few hundredths of a second)."""
    return frozenset(key for word, count in zip(frequency.keys, frequency.values)
                     if count >= MERGE_FREQUENCY and word not in blocked for key in _slip_keys(word))


def _may_slip(join: str, lex: Lexicon) -> bool:
    """Whether a common word may be one slip from `join`: most joins have none, and need not pay for
    generating their hundred slips (half the time of the whole check before this test)."""
    index = _slip_index(lex.frequency, lex.blocked)
    return any(key in index for key in _slip_keys(join))


def _one_piece_changed(word: str, pieces: list[str]) -> bool:
    """The fix touches one piece only (ดา|เนิน|การ → ดำเนินการ), not the seam between two (ใด|ที่ ≠
    ได้ที่); a whole word of four letters or more keeps its tone marks (ข่าว|ของ ≠ ข้าวของ, การ|ซ่อม ≠
    การซ้อม): such real-word slips are caught only from the list of known misspellings."""
    for p, piece in enumerate(pieces):
        head, tail = "".join(pieces[:p]), "".join(pieces[p + 1:])
        if piece in _STEADY or not (word.startswith(head) and word.endswith(tail)) \
                or len(word) < len(head) + len(tail):
            continue
        fixed = word[len(head):len(word) - len(tail)]
        if len(piece) >= 4 and _TONES.sub("", fixed) == _TONES.sub("", piece):
            continue
        return True
    return False


def _known_errors(text: str, lex: Lexicon) -> tuple[list[Misspelling], str]:
    """Listed misspellings in `text` (longest first), and the text with them blanked out. A listed
    form inside a longer trusted word (a different word) is left alone, and so is one not followed
    by the start of a word: it is not the whole word written (ภาพลักษ in ภาพลักษ์)."""
    found: list[Misspelling] = []
    for wrong in sorted((w for w in lex.known_errors if w in text), key=len, reverse=True):
        start = text.find(wrong)
        while start >= 0:
            end = start + len(wrong)
            if _whole(text, end, lex) and not _inside_word(text, start, end, lex):
                found.append(Misspelling(wrong, (lex.known_errors[wrong],)))
                text = text[:start] + " " * len(wrong) + text[end:]
            start = text.find(wrong, end)
    return found, text


def _whole(text: str, end: int, lex: Lexicon) -> bool:
    """What follows a listed form at `end` starts a new word: no mark, no silent letter, and either
    no Thai letter or a trusted word that ends where another can begin (ผลประโยช is not the slip
    written in ผลประโยชนทับซ้อน: นท|ับ does not read)."""
    rest = text[end:end + lex.longest]
    if not rest or not "\u0e01" <= rest[0] <= "\u0e4e":
        return True
    return _starts_word(rest, 0) and any(rest[:n] in lex.words and _starts_word(rest, n)
                                         for n in range(1, len(rest) + 1))


def _starts_word(text: str, i: int) -> bool:
    """A word can begin at `i`: the end, or a letter that is neither a mark nor silenced by karan."""
    return i >= len(text) or (text[i] not in MARKS and text[i + 1:i + 2] != "\u0e4c")


def _inside_word(text: str, start: int, end: int, lex: Lexicon) -> bool:
    for a in range(max(0, end - lex.longest), start + 1):
        for b in range(end, min(len(text), a + lex.longest) + 1):
            if (a, b) != (start, end) and text[a:b] in lex.words:
                return True
    return False


def _pdf_splits(text: str, lex: Lexicon) -> tuple[list[Misspelling], str]:
    """'ส านักงาน': a PDF copy put a space where the circle of ำ was."""
    found: list[Misspelling] = []
    for m in reversed(list(_PDF_SPLIT.finditer(text))):
        left = re.search(r"[\u0e01-\u0e4e]*$", text[:m.start(2) - 1])[0]
        right = re.match(r"[\u0e01-\u0e4e]*", text[m.end(2):])[0]
        fixed = left + "ำ" + right
        where = len(left) - 1
        for a in range(0, where + 1):
            for b in range(len(fixed), where + 1, -1):
                if fixed[a:b] in lex.words and b - a >= MIN_WORD - 1:
                    start = m.start(2) - 1 - (len(left) - a)
                    wrong = text[start:start + (b - a) + 1]
                    found.append(Misspelling(wrong, (fixed[a:b],)))
                    text = text[:start] + " " * len(wrong) + text[start + len(wrong):]
                    break
            else:
                continue
            break
    return found[::-1], text


def misspellings(text: str, own_words: str = "", lex: Lexicon | None = None) -> list[Misspelling]:
    """Likely misspelt Thai words of `text`; `own_words` is the workbook's own vocabulary (unit,
    parent, people), accepted as written."""
    lex = lex or lexicon()
    text = without_names(text, lex)
    found, text = _known_errors(text, lex)
    split, text = _pdf_splits(text, lex)
    found += split
    own = frozenset(w for w in re.findall(r"[\u0e01-\u0e4e]+", own_words) if len(w) >= 2)
    for whole in re.findall(r"[\u0e01-\u0e4e]+", text):
        found += _checked_run(whole, lex, own)
    return found


def _checked_run(whole: str, lex: Lexicon, own: frozenset[str]) -> list[Misspelling]:
    """Slips that split into real words first (weighed readings), then what is left, piece by piece."""
    found: list[Misspelling] = []
    for start, end, meant in near_misses(whole, lex, own):
        found.append(Misspelling(whole[start:end], (meant,)))
        whole = whole[:start] + " " * (end - start) + whole[end:]
    for run in whole.split():
        pieces = segment(run, lex.words, lex.longest, own)
        taken: set[int] = set()
        for i, (piece, ok) in enumerate(pieces):
            if ok or i in taken or piece in _REPEAT_MARKS:
                continue
            if hit := _check_unknown(pieces, i, lex):
                taken.update(range(hit[0], hit[1] + 1))
                found.append(hit[2])
            else:
                taken.add(i)
        found += _check_merges(pieces, lex, taken)
    return found
