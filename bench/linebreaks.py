"""Share of bad line ends in the produced PDFs: Thai words and Latin words cut at the end of a line.

Run: python bench/linebreaks.py [--no-hints] [--keep DIR]

Renders the analysis, plan and quarterly report of several workbooks (seed 000 in Arabic and in Thai
digits, seed 002, the month-based seed 003) through LibreOffice, reads each PDF's lines
(`pdftotext -bbox-layout`) and judges every line end that falls inside a paragraph of the .docx:

- the two lines joined without a space occur in the paragraph: the line end is inside a run of text;
  it is *bad* when both sides are Latin letters (a Latin word cut) or when newmm (pythainlp's words +
  the domain words) has no word boundary there;
- the two lines joined with a space occur: the line ends at a space, which is always good;
- neither: the "lines" belong to different paragraphs or cells, and are not a line end.

`--no-hints` converts the .docx as it is (LibreOffice's own breaking), for comparison.
"""
from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from docx import Document  # noqa: E402

from service.render import linebreak, office  # noqa: E402
from service.thai.text import ZERO_WIDTH  # noqa: E402

_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_BLOCK = re.compile(r"<block [^>]*>(.*?)</block>", re.S)
_WORD = re.compile(r"<word [^>]*>(.*?)</word>", re.S)
_LATIN = re.compile(r"[A-Za-z]")
_THAI = re.compile(r"[\u0e01-\u0e4e]")


@dataclass
class Tally:
    ends: int = 0
    bad: list[str] = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        self.ends += other.ends
        self.bad += other.bad


def pdf_lines(pdf: Path) -> list[list[str]]:
    """Each text block of the PDF as its lines (words joined by single spaces)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    blocks = []
    for block in _BLOCK.findall(out):
        lines = [" ".join(html.unescape(w) for w in _WORD.findall(line)) for line in _LINE.findall(block)]
        blocks.append([clean(line) for line in lines if line.strip()])
    return blocks


def clean(text: str) -> str:
    return text.translate(ZERO_WIDTH).replace("\u00a0", " ")


def docx_paragraphs(docx: Path) -> list[str]:
    """Every paragraph's text, in the body and in table cells (cells counted once each)."""
    doc = Document(str(docx))
    return [clean("".join(t.text or "" for t in p.iter(linebreak.W + "t")))
            for p in doc.element.body.iter(linebreak.W + "p")]


def judge(blocks: list[list[str]], paragraphs: list[str], tok) -> Tally:
    tally = Tally()
    for lines in blocks:
        for a, b in zip(lines, lines[1:]):
            left, right = a.split(" ")[-1], b.split(" ")[0]
            if not left or not right:
                continue
            joined, spaced = left + right, left + " " + right
            where = next(((p, p.index(joined)) for p in paragraphs if joined in p), None)
            if where is None:
                if any(spaced in p for p in paragraphs):
                    tally.ends += 1
                continue
            tally.ends += 1
            paragraph, start = where
            cut = start + len(left)
            if _LATIN.match(left[-1]) and _LATIN.match(right[0]):
                tally.bad.append(f"{left}|{right}")
            elif _THAI.match(left[-1]) and _THAI.match(right[0]) and \
                    cut not in linebreak.word_boundaries(paragraph, tok):
                tally.bad.append(f"{left}|{right}")
    return tally


def render(out: Path) -> list[tuple[str, Path]]:
    """The .docx of every benchmark workbook (PDF off), as (name, path)."""
    from test_look import seed000_full
    from workbooks import seed002_analysis, seed003_monthly

    from service.delivery.job import process
    from service.settings import load_settings

    settings = load_settings(ROOT / "config", outbox=out / "outbox", pdf=False)
    thai = seed000_full()
    thai.general["ใช้เลขไทย"] = "ใช่"
    specs = {"seed000": seed000_full(), "seed000-thai-digits": thai, "seed002": seed002_analysis(),
             "seed003-months": seed003_monthly()}
    docs = []
    for name, spec in specs.items():
        result = process(spec.save(out / f"{name}.xlsx"), settings)
        docs += [(f"{name}/{d.kind}", result.job_dir / d.docx) for d in result.receipt.documents]
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-hints", action="store_true", help="convert the .docx as it is")
    parser.add_argument("--keep", type=Path, help="keep the PDFs in this folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-breaks-"))
    tok = linebreak.tokenizer()
    total = Tally()
    try:
        for name, docx in render(tmp):
            out = tmp / "pdf" / name.replace("/", "-")
            out.mkdir(parents=True)
            if args.no_hints:
                pdf = office.convert(docx, "pdf", out)
            else:
                pdf = linebreak.with_hints(docx, lambda src: office.convert(src, "pdf", out))
            tally = judge(pdf_lines(pdf), docx_paragraphs(docx), tok)
            total.add(tally)
            print(f"{name:32} {tally.ends:5d} line ends {len(tally.bad):4d} bad  {' '.join(tally.bad[:6])}")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(pdf, args.keep / f"{name.replace('/', '-')}.pdf")
        share = 100 * len(total.bad) / max(total.ends, 1)
        print(f"{'all':32} {total.ends:5d} line ends {len(total.bad):4d} bad  = {share:.2f} %")
    finally:
        office.shared().close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
