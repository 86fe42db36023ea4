"""Line-break hints for the PDF only: Thai words whole at line ends, Latin words and "ร้อยละ N" never cut.

LibreOffice 7.4 breaks Thai lines with ICU's own dictionary, which cuts domain words ("ตัวชี้|วัด",
"ขับ|เคลื่อน", "ธรรมาภิ|บาล"). Before the PDF conversion, a copy of the .docx gets invisible hints in
every run of text: a ZERO WIDTH SPACE where pythainlp's newmm (with the domain words) ends a Thai word,
a WORD JOINER between the letters inside a word (so ICU finds no break of its own there), a no-break
space between "ร้อยละ" and its figure and before a bracket opening on Thai, a break after a slash
between words. The .docx the officer receives is never touched: search and copy in Word see the text
as written.
"""
from __future__ import annotations

import re
import tempfile
import tomllib
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from lxml import etree
from pythainlp.tokenize import Tokenizer

from service.settings import read_admin_text
from service.thai.spelling import lexicon

CONFIG = Path(__file__).resolve().parents[2] / "config"
ZWSP, WJ, NBSP = "\u200b", "\u2060", "\u00a0"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_THAI = re.compile(r"[\u0e01-\u0e4e]+")                   # Thai letters and marks (digits excluded)
# Between two letters of a word, before every letter that is not a combining mark (marks stay with
# their base letter for shaping).
_GLUE = re.compile(r"(?<=[\u0e01-\u0e4e])(?=[\u0e01-\u0e30\u0e32\u0e33\u0e40-\u0e46\u0e4f])")
_SLASH = re.compile(r"(?<=[\u0e01-\u0e4eA-Za-z])/(?=[\u0e01-\u0e4eA-Za-z])")   # "เอกสาร/หลักฐาน"
# LibreOffice cuts a bracketed Thai word at a line end rather than break at the space before it:
# that space becomes a no-break space, so the line breaks before the word ahead of the bracket.
_BRACKET = re.compile(r" (?=[(\[“‘\"'][\u0e01-\u0e4e])")
_PERCENT = re.compile(r"(ร้อยละ) (?=[-+]?[\d\u0e50-\u0e59])")   # "ร้อยละ 85": the figure stays with its word
# A dictionary word of more letters than this (marks above and below not counted) is a compound such
# as "รายงานการประชุม": it is left out of the dictionary so that it wraps between its parts in a narrow
# table column.
MAX_WHOLE = 11
MAX_PHRASE = 8   # the same for the frameworks' names, which are phrases
_MARKS = re.compile(r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
T = TypeVar("T")


def framework_words(config: Path = CONFIG) -> frozenset[str]:
    """The short Thai runs of the frameworks' tool and indicator names. A longer run is a phrase
    (การ|ปฏิบัติ|หน้าที่) that must wrap between its words: glued whole, it was wider than the analysis's
    indicator column and LibreOffice cut it anywhere ("ก|ารปฏิบัติหน้|าที่"). A framework file that cannot
    be read is skipped here: `itadoc check` and the jobs report it, a PDF must not fail on it."""
    words: set[str] = set()
    for framework in sorted((config / "frameworks").glob("*.toml")):
        try:
            data = tomllib.loads(read_admin_text(framework))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        names = [i.get("name", "") for i in data.get("indicators", [])] + list(data.get("tool_names", {}).values())
        words.update(run for name in names for run in _THAI.findall(name) if len(_MARKS.sub("", run)) <= MAX_PHRASE)
    return frozenset(words)


@lru_cache(maxsize=4)
def _tokenizer(*vocabularies: frozenset[str]) -> Tokenizer:
    every = frozenset().union(*vocabularies)
    short = {w for w in every if len(_MARKS.sub("", w)) <= MAX_WHOLE and not _nominal(w, every)}
    return Tokenizer(custom_dict=short, engine="newmm", keep_whitespace=True)


def _nominal(word: str, words: frozenset[str]) -> bool:
    """การ or ความ before another word (การปฏิบัติหน้าที่, ความโปร่งใส): a phrase that wraps after การ/ความ
    in a narrow column rather than be cut anywhere because it is wider than the column."""
    return any(word.startswith(p) and word[len(p):] in words for p in ("การ", "ความ"))


def tokenizer(config: Path = CONFIG) -> Tokenizer:
    """newmm over the spelling check's lexicon (pythainlp's words, the dictionary's words and
    abbreviations: an edited dictionary is picked up) and the frameworks' names, each word kept whole
    if it has at most MAX_WHOLE letters."""
    lex = lexicon(config / "dictionary")
    return _tokenizer(lex.words, frozenset(lex.abbreviations), framework_words(config))


def hint(text: str, tok: Tokenizer, names: re.Pattern | None = None) -> str:
    """`text` with the break hints: ZWSP between Thai words, WJ inside them, NBSP in "ร้อยละ N"; a match
    of `names` (the document's proper names, see `proper_names`) is one word."""
    def words(run: str) -> str:
        return ZWSP.join(_GLUE.sub(WJ, w) for w in tok.word_tokenize(run))

    def thai(match: re.Match) -> str:
        if names is None:
            return words(match.group())
        parts = names.split(match.group())          # odd places: the names (one capturing group)
        return ZWSP.join(_GLUE.sub(WJ, p) if i % 2 else words(p) for i, p in enumerate(parts) if p)

    text = _BRACKET.sub(NBSP, _SLASH.sub("/" + ZWSP, _PERCENT.sub(r"\1" + NBSP, text)))
    return _THAI.sub(thai, text)


def word_boundaries(text: str, tok: Tokenizer) -> set[int]:
    """Offsets in `text` where a Thai line may end: the ends of newmm's words (for measuring breaks)."""
    ends, at = set(), 0
    for word in tok.word_tokenize(text):
        at += len(word)
        ends.add(at)
    return ends


NAMES_SEPARATOR = "; "
MAX_NAME = 20    # a longer Thai run of a name (a unit's full name) wraps between its words instead


def proper_names(core_xml: bytes) -> re.Pattern | None:
    """The Thai runs of the names a document lists in its keywords (render/docx.py): unit, people. The
    segmenter knows no surname, and would break "ตั้งใจดี" as ตั้งใจ|ดี."""
    keywords = etree.fromstring(core_xml).findtext("{*}keywords") or ""
    runs = {r for name in keywords.split(NAMES_SEPARATOR) for r in _THAI.findall(name)
            if 2 <= len(_MARKS.sub("", r)) <= MAX_NAME}
    if not runs:
        return None
    return re.compile("(" + "|".join(map(re.escape, sorted(runs, key=len, reverse=True))) + ")")


def _hint_part(xml: bytes, tok: Tokenizer, names: re.Pattern | None = None) -> bytes:
    """Hints in each paragraph's text. Runs are hinted one by one: a word split across two runs (a
    change of bold, say) may break at the run boundary, as Word would also allow."""
    root = etree.fromstring(xml)
    for t in root.iter(f"{W}t"):
        if t.text:
            t.text = hint(t.text, tok, names)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def hinted_copy(docx: Path, out_dir: Path, config: Path = CONFIG) -> Path:
    """A copy of `docx` in `out_dir`, same name, its text carrying the break hints."""
    tok = tokenizer(config)
    out = out_dir / docx.name
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = proper_names(src.read("docProps/core.xml")) if "docProps/core.xml" in src.namelist() else None
        for item in src.infolist():
            data = src.read(item)
            if _PARTS.fullmatch(item.filename):
                data = _hint_part(data, tok, names)
            dst.writestr(item, data)
    return out


def with_hints(docx: Path, convert: Callable[[Path], T], config: Path = CONFIG) -> T:
    """`convert` applied to a hinted copy of `docx` (in a temporary folder, removed afterwards), with the
    words of the configuration `config` (its dictionary and frameworks)."""
    with tempfile.TemporaryDirectory(prefix="itadoc-breaks-") as tmp:
        return convert(hinted_copy(docx, Path(tmp), config))
