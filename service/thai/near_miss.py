"""Slips that split into real words (ตำ|บน for ตำบล, ซื่อ|สัตว์ for ซื่อสัตย์), found by weighing two readings.

A misspelling that segments into dictionary words gives no unknown fragment to start from, so every
stretch of a Thai run (4 to 20 letters, at letter boundaries) is looked up in the near-miss index of the
lexicon: frequent words a slip away in sound (same loose key: homophone letters, final consonants of
one sound class, a silent letter under karan, ะ, tone marks). Each hit becomes an alternative reading
that costs a penalty, and the best segmentation of the run is computed twice with a unigram model over
the word frequencies: as written, and with the alternatives allowed. A slip is reported only where the
corrected reading wins, so "ตำ|บน" (two common words that rarely meet) loses to "ตำบล", while "การ|รอ"
keeps its meaning. The stretch reported is the one the winning reading replaces, so the warning covers
the misspelt word whatever the segmenter made of it ("บ|ริ|หา|นอ|ยู่" → บริหาน → บริหาร).
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import lru_cache

from service.thai.lexicon import MARKS, NEAR_FREQUENCY, NEAR_MIN, SLICE, Lexicon, loose_key, sound_key

LONGEST = 20            # letters in a stretch looked up in the index
FLOOR = 100             # count given to a trusted word the corpora never saw
OWN = 1_000_000         # count given to the workbook's own words (unit, parent, people)
UNKNOWN = -30.0         # log-score of one letter no reading explains
SAME_SOUND = 5.0        # penalty (nats) for a reading that sounds exactly like what was written
NEAR_SOUND = 7.0        # … that sounds alike once final consonants, silent letters and ะ are folded
REAL_WORD = 3.0         # … more when what was written is itself a trusted word
SHORT = 6               # a stretch shorter than this may differ from the word meant by one edit, else two
EDIT = 1.0              # penalty of each edit after the first
PROBE = 4               # _words: letters between two checks that a stretch still begins a word
_KARAN = "\u0e4c"
_LEADING = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
_OPEN = _LEADING | frozenset("\u0e31\u0e47")          # ั and ็ always have a final consonant after them
_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_SILENT = re.compile("[\u0e01-\u0e2e]\u0e4c")


def _has_prefix(lex: Lexicon, prefix: str) -> bool:
    keys = lex.near.keys
    i = bisect_left(keys, prefix)
    return i < len(keys) and keys[i].startswith(prefix)


def _can_start(run: str, a: int) -> bool:
    """A word begins neither on a mark, nor on a letter silenced by karan, nor after a leading vowel."""
    return run[a] not in MARKS and run[a + 1:a + 2] != _KARAN and (a == 0 or run[a - 1] not in _LEADING)


def _can_end(run: str, b: int) -> bool:
    """… and ends before the end of the run or a letter that can begin one, not on a leading vowel,
    ั or ็ (เร็|จ), nor on a tone mark whose syllable goes on (ช้อย่|อย is not ช้อย)."""
    return b == len(run) or (_can_start(run, b) and run[b - 1] not in _OPEN
                             and not (run[b - 1] in _TONES and run[b] in "อวย"))


def _alternatives(run: str, lex: Lexicon, after_word: set[int], before_word: set[int], starts: set[int]
                  ) -> dict[int, list[tuple[int, str, float]]]:
    """start → (end, word, penalty): frequent words that `run[start:end]` may be a slip for. Three
    letters are weighed only from a cut of the reading as written that follows a word (or the start)
    to one that a word follows (or the end): เบิก|จา|ย|จะ, not จริ|ย nor ทุ|ท|ริต."""
    found: dict[int, list[tuple[int, str, float]]] = {}
    n = len(run)
    for a in range(n):
        if a not in starts or not _can_start(run, a):
            continue
        for b in range(a + NEAR_MIN - 1, min(n, a + LONGEST) + 1):
            written = run[a:b]
            key = loose_key(written)
            if len(key) > 2 and not _has_prefix(lex, key[:-2]):
                break                       # no indexed word goes on like this
            if not _can_end(run, b) or (b - a < NEAR_MIN and (written in lex.words or a not in after_word
                                                                or b not in before_word)):
                continue
            for word, penalty in _meant(written, key, lex):
                found.setdefault(a, []).append((b, word, penalty))
    return found


@lru_cache(maxsize=1 << 15)
def _meant(written: str, key: str, lex: Lexicon) -> tuple[tuple[str, float], ...]:
    """Frequent words `written` may stand for, with the penalty of reading it so. Three letters that
    are no word are read only as what sounds exactly like them with the tone mark they have, if any
    (จาย → จ่าย, ศอบ → สอบ, not ก้า → ก่า); longer stretches also as what sounds alike once folded
    (ตำบน → ตำบล), karan forgotten or not. Memoised: two lookups in three repeat a stretch already
    seen (the same words recur through a workbook)."""
    tones = "".join(c for c in written if c in _TONES)
    same = {w for w in lex.sounds.all(sound_key(written))
            if len(w) >= NEAR_MIN - 1 and lex.frequency.get(w, 0) >= NEAR_FREQUENCY and w not in lex.blocked
            and (len(written) >= NEAR_MIN or not tones or tones == "".join(c for c in w if c in _TONES))}
    near = set()
    if len(written) >= NEAR_MIN:
        keys = {key, loose_key(written.replace(_KARAN, ""))} if _KARAN in written else {key}
        near = {w for k in keys for w in lex.near.all(k)}
    extra = REAL_WORD if written in lex.words else 0.0
    limit = 1 if len(written) < SHORT else 2
    return tuple((w, (SAME_SOUND if w in same else NEAR_SOUND) + extra + EDIT * (edits - 1))
                 for w in (same | near) - {written} if 0 < (edits := _distance(written, w, limit)) <= limit)


def _silent_letter(m: re.Match[str]) -> str:
    return chr(0xF700 + ord(m[0][0]) - 0x0E00)      # one private-use character per silenced letter


def _distance(written: str, word: str, limit: int) -> int:
    """Edits from `written` to `word` (more than `limit` reported as limit + 1), a letter under karan
    counting as one letter (มนุษ, มนุษย์: one). A stretch shorter than SHORT may be one edit from the
    word meant, a longer one two: many letters folded away is a different word (ว่าจ and วาตะ share
    a loose key, three edits apart)."""
    written, word = _SILENT.sub(_silent_letter, written), _SILENT.sub(_silent_letter, word)
    if abs(len(written) - len(word)) > limit:
        return limit + 1
    previous = list(range(len(word) + 1))
    for i, a in enumerate(written, 1):
        current = [i]
        for j, b in enumerate(word, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return min(previous[-1], limit + 1)


def _words(run: str, lex: Lexicon, own: frozenset[str]) -> list[list[tuple[int, float]]]:
    """start → (end, log-score) of every trusted or own word of `run` (up to SLICE letters). Every
    PROBE letters the stretch is checked to begin some word, or the longer ones are not tried."""
    total, words, count, keys = lex.log_total, lex.words, lex.frequency.get, lex.frequency.keys
    found: list[list[tuple[int, float]]] = [[] for _ in run]
    for i in range(len(run)):
        for j in range(i + 1, min(len(run), i + SLICE) + 1):
            piece = run[i:j]
            if (j - i) % PROBE == 0 and not _begins_a_word(keys, piece, own):
                break
            if piece in own:
                found[i].append((j, math.log(OWN) - total))
            elif piece in words:
                found[i].append((j, math.log(count(piece, 0) + FLOOR) - total))
    return found


def _begins_a_word(ordered: list[str], prefix: str, own: frozenset[str]) -> bool:
    """Some trusted word (`ordered`: all of them, sorted) or own word begins with `prefix`."""
    i = bisect_left(ordered, prefix)
    return (i < len(ordered) and ordered[i].startswith(prefix)) or any(w.startswith(prefix) for w in own)


def _best_reading(run: str, lex: Lexicon, words: list, alternatives: dict
                  ) -> tuple[float, list[tuple[int, int, str | None]]]:
    """The highest-scoring segmentation: (score, [(start, end, replacement or None)])."""
    n, total = len(run), lex.log_total
    score = [0.0] + [-math.inf] * n
    back: list[tuple[int, str | None]] = [(0, None)] * (n + 1)
    for i in range(n):
        here = score[i]
        if here == -math.inf:
            continue
        for j, value in words[i]:
            if here + value > score[j]:
                score[j], back[j] = here + value, (i, None)
        if here + UNKNOWN > score[i + 1]:
            score[i + 1], back[i + 1] = here + UNKNOWN, (i, None)
        for j, word, penalty in alternatives.get(i, ()):
            value = here + math.log(lex.frequency.get(word, 0) + FLOOR) - total - penalty
            if value > score[j]:
                score[j], back[j] = value, (i, word)
    path, j = [], n
    while j > 0:
        i, word = back[j]
        path.append((i, j, word))
        j = i
    return score[n], path[::-1]


def near_misses(run: str, lex: Lexicon, own: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, word meant) of each slip in the Thai run `run` whose corrected reading wins."""
    words = _words(run, lex, own)
    plain, path = _best_reading(run, lex, words, {})
    known = [(i, j) for i, j, _ in path if run[i:j] in lex.words or run[i:j] in own]
    cuts = {i for i, _, _ in path}
    starts = (cuts | {j for i in cuts for j, _ in words[i]}
              | {u for i, j, _ in path if (i, j) not in known for u in range(i, j)})
    alternatives = _alternatives(run, lex, {0} | {j for _, j in known}, {len(run)} | {i for i, _ in known},
                                 starts)
    if not alternatives:
        return []
    corrected, path = _best_reading(run, lex, words, alternatives)
    if corrected <= plain:
        return []
    return [(i, j, word) for i, j, word in path if word is not None]
