"""The spelling checker's word lists, precompiled once and loaded in milliseconds.

Reading pythainlp's word lists and frequencies and building its tokenizer costs about a second per
process, most of a one-shot render. Here everything the checker needs (trusted words, frequencies, a
sound index, names, titles, the government abbreviation registry) is compiled into one `marshal` file
in the user cache, named by the sha256 of the dictionary files and the pythainlp version. An
administrator who edits config/dictionary in Notepad changes the hash, so the next check rebuilds the
file by itself (about two seconds); nobody runs a build step.
"""
from __future__ import annotations

import hashlib
import marshal
import math
import os
import re
import tempfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib.util import find_spec
from pathlib import Path

DEFAULT_DICTIONARY = Path(__file__).resolve().parents[2] / "config" / "dictionary"
FORMAT = 11                       # bump when the compiled layout or the build rules change
DOMAIN_FREQUENCY = 100_000      # what a word of words.txt counts as, at least
_FILES = ("words.txt", "modern.txt", "misspellings.txt", "abbreviations.txt", "blocked.txt",
          "titles.txt", "names.txt")

# Letters that sound alike or are written for one another; a word's sound key maps each class to one
# letter and drops tone marks, karan and ็, so "ประมาน" and "ประมาณ" share the key of their class.
_SOUND_CLASSES = ("สศษซ", "นณ", "ยญ", "ดฎ", "ตฏ", "ถฐ", "ทฑฒธ", "พภ", "คฆฅ", "ขฃ", "ชฉฌ", "ลฬร", "ไใ",
                  "ิี", "ุู", "ึื")
_SOUND = {ord(c): cls[0] for cls in _SOUND_CLASSES for c in cls} | dict.fromkeys(map(ord, "่้๊๋์็ํ"))


def sound_key(word: str) -> str:
    """The word as it sounds, roughly: homophone letters merged, tone marks and silent signs dropped."""
    return word.replace("ะ", "ั").translate(_SOUND)


# Looser still, for slips that split into real words (ตำ|บน for ตำบล): a silent letter under karan, ทร
# read ซ, ะ, tone marks and a final short or long ิ/ุ dropped, and a final consonant folded into its sound class
# (มาตราตัวสะกด: กน กด กก กบ). "Final" is approximated as "followed by the end, a consonant or a
# leading vowel": initial clusters fold too, which only widens the candidates the checker then weighs.
_SILENT = re.compile(r"[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c")
_SHORT_MARKS = re.compile(r"[\u0e30\u0e47\u0e48-\u0e4b\u0e4d]")
_LAST_SILENT_VOWEL = re.compile(r"(?<=[\u0e01-\u0e2e])[\u0e34\u0e35\u0e38\u0e39]$")
_FINAL = re.compile(r"[\u0e01-\u0e2e](?=$|[\u0e01-\u0e2d\u0e40-\u0e44])")
_FINAL_CLASS = {ord(c): cls[0] for cls in ("นญณรลฬ", "ดจชซฎฏฐฑฒตถทธศษส", "กขคฆ", "บปพฟภ") for c in cls}
MARKS = frozenset("\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e45\u0e47"
                  "\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e")    # vowel and tone marks: never begin a word
NEAR_FREQUENCY = 5_000      # words in the near-miss index: frequent enough to be what was meant
NEAR_MIN = 4                # … and long enough not to be a neighbour of everything


@lru_cache(maxsize=1 << 16)
def loose_key(text: str) -> str:
    """The key of the near-miss index: words a slip away in sound share it (ตำบน, ตำบล; องกร, องค์กร)."""
    text = _LAST_SILENT_VOWEL.sub("", _SILENT.sub("", text).replace("ทร", "ซ"))
    return sound_key(_SHORT_MARKS.sub("", _FINAL.sub(lambda m: m[0].translate(_FINAL_CLASS), text)))


class SortedTable:
    """A read-only word → value table over two parallel sorted columns: loads from the cache with two
    `split` calls instead of building a 60,000-entry dict (bisect lookups are fast enough per word)."""

    def __init__(self, keys: list[str], values: list) -> None:
        self.keys, self.values = keys, values

    def get(self, key: str, default=None):
        i = bisect_left(self.keys, key)
        return self.values[i] if i < len(self.keys) and self.keys[i] == key else default

    def __contains__(self, key: str) -> bool:
        i = bisect_left(self.keys, key)
        return i < len(self.keys) and self.keys[i] == key

    def all(self, key: str) -> list:
        """Every value stored under `key` (the sound index has many words per key)."""
        i, j = bisect_left(self.keys, key), bisect_right(self.keys, key)
        return self.values[i:j]


@dataclass(frozen=True, eq=False)      # equal and hashed as itself: a key of the checker's caches
class Lexicon:
    words: frozenset[str]                  # trusted: pythainlp + Royal Institute + domain + modern − errors
    frequency: SortedTable                 # word → Phupha web count, else Thai National Corpus × 100
    sounds: SortedTable                    # sound key → trusted words with that key, most frequent first
    near: SortedTable                      # loose key → frequent trusted words (NEAR_FREQUENCY, NEAR_MIN)
    known_errors: dict[str, str]           # common misspelling → its correct form
    abbreviations: dict[str, str]          # government abbreviation (with dots) → what it names
    blocked: frozenset[str]                # never offered as a suggestion
    titles: tuple[str, ...]                # person titles, longest first
    given_names: SortedTable               # looked up a few times per cell: no set to build at load
    family_names: SortedTable
    function_words: frozenset[str]         # pythainlp's stop words: ที่, ใด, ได้ …
    longest: int                           # longest trusted word, in characters

    @cached_property
    def log_total(self) -> float:
        """log of all counts together: a word's unigram log-probability is log(count) − this."""
        return math.log(sum(self.frequency.values))


def read_lines(path: Path) -> list[str]:
    """The non-empty, non-comment lines of a dictionary file (tabs kept: some files have columns)."""
    from service.settings import read_admin_text     # here: pydantic costs a cold check 0.2 s otherwise

    if not path.exists():
        return []
    text = read_admin_text(path)            # as Notepad saves it: BOM, Windows-874 / TIS-620
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def _columns(path: Path) -> list[list[str]]:
    return [[c.strip() for c in line.split("\t")] for line in read_lines(path)]


def _fingerprint(directory: Path) -> str:
    corpus = Path(find_spec("pythainlp").origin).parent / "corpus" / "words_th.txt"
    stat = corpus.stat()
    digest = hashlib.sha256(f"{FORMAT} {corpus} {stat.st_size} {stat.st_mtime_ns}".encode())
    for name in _FILES:
        path = directory / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    return digest.hexdigest()


def cache_dir() -> Path:
    root = os.environ.get("ITADOC_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(root) / "itadoc"


def lexicon(directory: Path = DEFAULT_DICTIONARY) -> Lexicon:
    """The compiled lexicon of `directory`; an edited file is picked up at the next call (the in-process
    cache is keyed by modification times, the on-disk one by content)."""
    stamp = tuple((n, (directory / n).stat().st_mtime_ns) for n in _FILES if (directory / n).exists())
    return _load(directory, stamp)


@lru_cache(maxsize=4)
def _load(directory: Path, stamp: tuple) -> Lexicon:
    path = cache_dir() / f"lexicon-{_fingerprint(directory)}.marshal"
    try:
        return _thaw(marshal.loads(path.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        pass
    lex = build(directory)
    _save(path, marshal.dumps(_freeze(lex)))
    return lex


def _freeze(lex: Lexicon) -> tuple:
    """Big sets and tables as newline-joined strings: marshal loads one string far faster than a set."""
    return ("\n".join(lex.frequency.keys), lex.frequency.values, "\n".join(lex.sounds.keys),
            "\n".join(lex.sounds.values), "\n".join(lex.near.keys), "\n".join(lex.near.values),
            "\n".join(lex.given_names.keys), "\n".join(lex.family_names.keys),
            lex.known_errors, lex.abbreviations, lex.blocked, lex.titles, lex.function_words, lex.longest)


def _thaw(data: tuple) -> Lexicon:
    (words, counts, keys, spelled, near_keys, near, given, family, errors, abbreviations, blocked, titles,
     function, longest) = data
    words = words.split("\n")
    return Lexicon(frozenset(words), SortedTable(words, counts), SortedTable(keys.split("\n"), spelled.split("\n")),
                   SortedTable(near_keys.split("\n"), near.split("\n")),
                   errors, abbreviations, blocked, titles, _sorted(given.split("\n")),
                   _sorted(family.split("\n")), function, longest)


def _sorted(words) -> SortedTable:
    keys = sorted(words)
    return SortedTable(keys, keys)


def _save(path: Path, data: bytes) -> None:
    """Atomic write; a read-only cache only costs the next process a rebuild."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass


def build(directory: Path) -> Lexicon:
    """Compile the lexicon from pythainlp's shipped corpora and the dictionary files."""
    from pythainlp.corpus import (get_corpus, thai_family_names, thai_female_names, thai_male_names,
                                  thai_stopwords, thai_words)
    from pythainlp.corpus.phupha import word_freqs
    from pythainlp.corpus.tnc import word_freqs as tnc_word_freqs

    known_errors: dict[str, str] = {}
    for wrong, right, *_ in (c for c in _columns(directory / "misspellings.txt") if len(c) >= 2):
        known_errors[wrong] = right
    orst = {w.strip("\ufeff") for w in get_corpus("orst_words_th.txt") if " " not in w}
    words = (set(thai_words()) | orst | set(read_lines(directory / "words.txt"))
             | set(read_lines(directory / "modern.txt")))
    # Known misspellings are not trusted; nor are lone letters (บ, ร …), which would let a misspelling
    # segment into "real" pieces: only ณ stands alone in prose.
    words = {w for w in words if len(w) > 1 or w == "ณ"} - known_errors.keys()
    # Phupha (Common Crawl) counts compounds as written; TNC, about 100 times smaller, fills its gaps.
    frequency = {word: count * 100 for word, count in tnc_word_freqs() if word in words}
    frequency.update((word, count) for word, count in word_freqs() if word in words)
    # The administrator's domain words (ตัวชี้วัด, ธรรมาภิบาล …) are common in these documents whatever the
    # web says: counted as common, they can be suggested for a slip that splits into real words.
    frequency.update((w, max(frequency.get(w, 0), DOMAIN_FREQUENCY)) for w in read_lines(directory / "words.txt")
                     if w in words)
    ordered = sorted(words)
    by_sound = sorted(words, key=lambda w: (sound_key(w), -frequency.get(w, 0)))
    abbreviations = {c[0]: (c[1] if len(c) > 1 else "") for c in _columns(directory / "abbreviations.txt")}
    blocked = (frozenset(read_lines(directory / "blocked.txt"))
               | frozenset(w for w in get_corpus("profanity_th.txt") if not w.startswith("#")))
    # A word with karan is also found with the karan forgotten (ผลประโยชน for ผลประโยชน์).
    near = sorted({(key, w) for w in words
                   if len(w) >= NEAR_MIN and frequency.get(w, 0) >= NEAR_FREQUENCY and w not in blocked
                   for key in (loose_key(w), loose_key(w.replace("\u0e4c", "")))})
    names = read_lines(directory / "names.txt")
    return Lexicon(
        words=frozenset(words), frequency=SortedTable(ordered, [frequency.get(w, 0) for w in ordered]),
        sounds=SortedTable([sound_key(w) for w in by_sound], by_sound),
        near=SortedTable([k for k, _ in near], [w for _, w in near]),
        known_errors=known_errors, abbreviations=abbreviations, blocked=blocked,
        titles=tuple(sorted(set(read_lines(directory / "titles.txt")), key=len, reverse=True)),
        given_names=_sorted({*thai_female_names(), *thai_male_names(), *names}),
        family_names=_sorted({*thai_family_names(), *names}),
        function_words=frozenset(thai_stopwords()), longest=max(map(len, words)))


SLICE = 24              # longest slice tried by the segmenter (longer trusted words are rare compounds)


def segment(run: str, known: frozenset[str], longest: int, extra: frozenset[str] = frozenset()
            ) -> list[tuple[str, bool]]:
    """(piece, known) of a Thai run by maximal matching over `known` and `extra` (the workbook's own
    words, kept apart so the 60,000 trusted words are never copied): fewest unknown letters, then
    fewest pieces. Consecutive unknown letters form one piece."""
    n = len(run)
    best: list[tuple[int, int, int, bool]] = [(0, 0, 0, True)] + [(n + 1, n + 1, 0, False)] * n
    limit = min(longest, SLICE)
    for i in range(n):
        unknown, count, _, _ = best[i]
        for j in range(i + 1, min(n, i + limit) + 1):
            piece = run[i:j]
            if (piece in known or piece in extra) and (unknown, count + 1) < best[j][:2]:
                best[j] = (unknown, count + 1, i, True)
        if (unknown + 1, count + 1) < best[i + 1][:2]:
            best[i + 1] = (unknown + 1, count + 1, i, False)
    pieces: list[tuple[str, bool]] = []
    j = n
    while j > 0:
        i, ok = best[j][2], best[j][3]
        if pieces and not ok and not pieces[-1][1]:
            pieces[-1] = (run[i:j] + pieces[-1][0], False)
        else:
            pieces.append((run[i:j], ok))
        j = i
    return pieces[::-1]
