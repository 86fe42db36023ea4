"""Thai spelling and unit-abbreviation checks on free text: few warnings, each with its fix.

An officer stops reading warnings that cry wolf, so a word is reported only when it is out of every
dictionary AND one edit away from a dictionary word (the suggestion). Unknown words with no close
neighbour are mostly names and transliterations, and are left alone; so are English, digits, personal
names after a title (นาย, นางสาว …) and words of the workbook's own unit, parent and people.

pythainlp's newmm tokenizer splits a misspelt word into known pieces plus a fragment ("ปังบประมาณ" →
ปัง|บ|ประมาณ), so each fragment is re-joined with up to two neighbours on either side and the longest
join that is one edit from a dictionary word is reported. The word lists load once per process.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pythainlp.corpus import thai_words
from pythainlp.corpus.tnc import word_freqs
from pythainlp.tokenize import word_tokenize

from service.settings import read_admin_text

DEFAULT_DICTIONARY = Path(__file__).resolve().parents[2] / "config" / "dictionary"
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")          # Thai letters and marks, no Thai digits
_ABBREVIATION = re.compile(r"(?<![\u0e01-\u0e4e.])(?:[\u0e01-\u0e2e][\u0e01-\u0e4e]{0,5}\.)+(?!\.)")
_UNIT_ABBREVIATION = re.compile(r"(?<![\u0e01-\u0e4e.])([\u0e01-\u0e2e]{2,5})\.")
_PERSON = re.compile(r"(?<![\u0e01-\u0e4e])(?:นางสาว|นาย|นาง|น\.ส\.|ดร\.|ว่าที่\s*ร\.?\s?ต\.?)\s*"
                     r"[\u0e01-\u0e4e]+(?:\s+[\u0e01-\u0e4e]+)?")
# Letters an edit may insert or substitute: consonants, vowels, tone marks and signs (no digits).
_LETTERS = "".join(chr(c) for c in range(0x0E01, 0x0E4F) if not 0x0E3B <= c <= 0x0E3E)
_REPEAT_MARKS = frozenset("ๆฯ")
MIN_WORD = 4          # shorter joins have too many one-edit neighbours to suggest anything useful
REACH = 2             # neighbours re-joined on each side of an unknown fragment
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Lexicon:
    words: frozenset[str]
    abbreviations: frozenset[str]
    frequency: dict[str, int]
    known_errors: dict[str, str]           # common misspelling → its correct form


@dataclass(frozen=True)
class Misspelling:
    word: str
    suggestions: tuple[str, ...]


def _lines(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {s for line in read_admin_text(path).splitlines()  # BOM, Windows-874 / TIS-620 as saved
            if (s := line.strip()) and not s.startswith("#")}


@lru_cache(maxsize=1)
def _base() -> tuple[frozenset[str], dict[str, int]]:
    """pythainlp's word list and TNC frequencies: loaded once per process."""
    frequency: dict[str, int] = {}
    for word, count in word_freqs():
        frequency[word] = frequency.get(word, 0) + count
    return frozenset(thai_words()), frequency


def warm_up() -> None:
    """Load pythainlp's word list, frequencies and tokenizer now rather than in the first job."""
    _base()
    word_tokenize("ปีงบประมาณ", engine="newmm")


def lexicon(directory: Path = DEFAULT_DICTIONARY) -> Lexicon:
    """pythainlp's words + the domain dictionary; an edited dictionary file is picked up at the next
    call (cached by the files' modification times), so administrators need no restart."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.txt"))) \
        if directory.is_dir() else ()
    return _lexicon(directory, stamp)


@lru_cache(maxsize=4)
def _lexicon(directory: Path, stamp: tuple) -> Lexicon:
    words, frequency = _base()
    pairs = (line.split("\t") for line in _lines(directory / "misspellings.txt"))
    return Lexicon(words | _lines(directory / "words.txt"),
                   frozenset(_lines(directory / "abbreviations.txt")), frequency,
                   {wrong.strip(): right.strip() for wrong, right, *_ in pairs})


def _edits1(word: str) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion away (Norvig). Hand-written
    because pythainlp's public `spell()` falls back to two edits (about a second per word)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
    edits.update(a + c + b[1:] for a, b in splits if b for c in _LETTERS)
    edits.update(a + c + b for a, b in splits for c in _LETTERS)
    return edits


def _suggest(join: str, pieces: set[str], lex: Lexicon) -> tuple[str, ...]:
    """Dictionary words one edit from `join`; dropping a whole fragment is no fix (the fragment then
    belongs to a neighbouring word), so suggestions equal to a sub-join are left out."""
    found = [w for w in _edits1(join) if len(w) >= MIN_WORD and w in lex.words and w not in pieces]
    found.sort(key=lambda w: (-lex.frequency.get(w, 0), w))
    return tuple(found[:MAX_SUGGESTIONS])


def _check_run(tokens: list[str], own: str, lex: Lexicon) -> list[Misspelling]:
    found: list[Misspelling] = []
    done = -1                                      # tokens up to here are inside a reported word
    for i, token in enumerate(tokens):
        if i <= done or token in lex.words or token in _REPEAT_MARKS:
            continue
        joins = [(j, k, "".join(tokens[j:k])) for j in range(max(0, i - REACH), i + 1)
                 for k in range(i + 1, min(len(tokens), i + REACH + 1) + 1)]
        if any(join in lex.words or (len(join) >= 3 and join in own) for _, _, join in joins):
            continue
        best: tuple[int, str, tuple[str, ...]] | None = None
        for j, k, join in sorted(joins, key=lambda t: -len(t[2])):
            if len(join) < MIN_WORD:
                break
            pieces = {"".join(tokens[j + 1:k]), "".join(tokens[j:k - 1])}
            if suggestions := _suggest(join, pieces, lex):
                best = (k - 1, join, suggestions)
                break
        if best:
            done = best[0]
            found.append(Misspelling(best[1], best[2]))
    return found


def without_names(text: str) -> str:
    """The text with personal names (after a title) and abbreviations blanked out."""
    return _ABBREVIATION.sub(" ", _PERSON.sub(" ", text))


def misspellings(text: str, own_words: str = "", lex: Lexicon | None = None) -> list[Misspelling]:
    """Likely misspelt Thai words of `text`; `own_words` is the workbook's own vocabulary (unit,
    parent, people), accepted as written."""
    lex = lex or lexicon()
    found = [Misspelling(wrong, (right,)) for wrong, right in lex.known_errors.items() if wrong in text]
    text = without_names(text)
    for wrong in lex.known_errors:
        text = text.replace(wrong, " ")
    for run in _THAI_RUN.findall(text):
        found.extend(_check_run(word_tokenize(run, engine="newmm", keep_whitespace=False), own_words, lex))
    return found


def foreign_abbreviations(text: str, own: str, accepted: str = "", lex: Lexicon | None = None) -> list[str]:
    """Abbreviations in `text` that look like the unit's own (same length, a letter in the same place)
    but are not it, e.g. ทรบ. or ครป. for ศรป.; known abbreviations and those in `accepted` pass."""
    lex = lex or lexicon()
    m = _UNIT_ABBREVIATION.match(own.strip())
    if not m:
        return []
    mine = m[1]
    found: list[str] = []
    for letters in _UNIT_ABBREVIATION.findall(text):
        written = f"{letters}."
        if (letters == mine or len(letters) != len(mine) or written in lex.abbreviations
                or written in accepted or written in found):
            continue
        if any(a == b for a, b in zip(letters, mine)):
            found.append(written)
    return found
