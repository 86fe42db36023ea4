"""Reading a produced PDF back as a reader sees it: the text of each page, its lines with their line
ends, the words with their positions; and judging each line end against the .docx's paragraphs."""
from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document

from service.render import linebreak
from service.thai.text import ZERO_WIDTH

_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_BLOCK = re.compile(r"<block [^>]*>(.*?)</block>", re.S)
_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)
_MARKS_AND_SPACES = re.compile(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_LATIN = re.compile(r"[A-Za-z]")
_THAI = re.compile(r"[\u0e01-\u0e4e]")


def clean(text: str) -> str:
    """Without the invisible break hints; a no-break space reads as a space."""
    return text.translate(ZERO_WIDTH).replace("\u00a0", " ")


@dataclass(frozen=True)
class Word:
    text: str
    x: float
    y: float


def _bbox(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(pdf: Path) -> list[list[list[str]]]:
    """Each page as its text blocks, each block as its lines (words joined by single spaces)."""
    return [[[clean(" ".join(html.unescape(w[4]) for w in _WORD.findall(line))) for line in _LINE.findall(block)]
             for block in _BLOCK.findall(page)] for page in _PAGE.findall(_bbox(pdf))]


def page_words(pdf: Path) -> list[list[Word]]:
    """Each page's words with the position of their top-left corner (points, from the top)."""
    return [[Word(clean(html.unescape(w[4])), float(w[0]), float(w[1])) for w in _WORD.findall(page)]
            for page in _PAGE.findall(_bbox(pdf))]


def skeleton(text: str) -> str:
    """The text without spaces, line ends and the marks above and below letters: what is compared
    between a .docx and its PDF, whose text layer may give a letter's marks in another order."""
    return _MARKS_AND_SPACES.sub("", clean(text))


def page_text(pdf: Path) -> list[str]:
    """Each page's text as its skeleton (for finding a phrase on a page)."""
    return [skeleton("".join("".join(line) for block in page for line in block)) for page in pages(pdf)]


def docx_paragraphs(docx: Path) -> list[str]:
    """Every paragraph's text, in the body and in table cells."""
    body = Document(str(docx)).element.body
    return [clean("".join(t.text or "" for t in p.iter(linebreak.W + "t"))) for p in body.iter(linebreak.W + "p")]


@dataclass
class LineEnds:
    count: int = 0
    bad: list[str] = field(default_factory=list)

    def add(self, other: "LineEnds") -> None:
        self.count += other.count
        self.bad += other.bad

    @property
    def share(self) -> float:
        return len(self.bad) / self.count if self.count else 0.0


def line_ends(pdf: Path, docx: Path, tok) -> LineEnds:
    """Every line end of the PDF that falls inside a paragraph of the .docx, and the bad ones:

    - the two lines joined without a space occur in a paragraph: the line ends inside a run of text;
      bad when both sides are Latin letters (a Latin word cut) or when the segmenter has no word
      boundary there (a Thai word cut);
    - joined with a space: the line ends at a space, which is good;
    - neither: the two lines belong to different paragraphs or cells: not a line end.
    """
    paragraphs = docx_paragraphs(docx)
    found = LineEnds()
    for page in pages(pdf):
        for lines in page:
            for a, b in zip(lines, lines[1:]):
                left, right = a.split(" ")[-1], b.split(" ")[0]
                if not left or not right:
                    continue
                joined = left + right
                where = next(((p, p.index(joined)) for p in paragraphs if joined in p), None)
                if where is None:
                    found.count += any(f"{left} {right}" in p for p in paragraphs)
                    continue
                found.count += 1
                paragraph, start = where
                cut = start + len(left)
                latin_cut = _LATIN.match(left[-1]) and _LATIN.match(right[0])
                thai_cut = _THAI.match(left[-1]) and _THAI.match(right[0]) and \
                    cut not in linebreak.word_boundaries(paragraph, tok)
                if latin_cut or thai_cut:
                    found.bad.append(f"{left}|{right}")
    return found
