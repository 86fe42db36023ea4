"""Share of bad line ends in the produced PDFs: Thai words and Latin words cut at the end of a line.

Run: python bench/linebreaks.py [--no-hints] [--keep DIR]

Renders the analysis, plan and quarterly report of several workbooks (seed 000 in Arabic and in Thai
digits, seed 002, the month-based seed 003 and
seed 003 grown to 36 activities) through LibreOffice, reads each PDF's lines
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
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from pdfread import LineEnds, line_ends  # noqa: E402
from shipped import shipped_copy  # noqa: E402

from service.render import linebreak, pool  # noqa: E402


def render(out: Path) -> list[tuple[str, Path]]:
    """The .docx of every benchmark workbook (PDF off), as (name, path)."""
    from workbooks import seed000_full
    from workbooks import seed002_analysis, seed003_long, seed003_monthly

    from service.delivery.job import process
    from service.settings import load_settings

    settings = load_settings(shipped_copy(out / "itadoc"), outbox=out / "outbox", pdf=False)
    thai = seed000_full()
    thai.general["ใช้เลขไทย"] = "ใช่"
    specs = {"seed000": seed000_full(), "seed000-thai-digits": thai, "seed002": seed002_analysis(),
             "seed003-months": seed003_monthly(), "seed003-long": seed003_long()}
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
    total = LineEnds()
    hint_ms: list[float] = []
    try:
        for name, docx in render(tmp):
            out = tmp / "pdf" / name.replace("/", "-")
            out.mkdir(parents=True)
            if args.no_hints:
                pdf = pool.convert(docx, "pdf", out)
            else:
                started = time.perf_counter()
                linebreak.hinted_copy(docx, out)            # timed alone: the cost the hints add
                hint_ms.append(1000 * (time.perf_counter() - started))
                (out / docx.name).unlink()
                pdf = linebreak.with_hints(docx, lambda src: pool.convert(src, "pdf", out))
            found = line_ends(pdf, docx, tok)
            total.add(found)
            print(f"{name:32} {found.count:5d} line ends {len(found.bad):4d} bad  {' '.join(found.bad[:6])}")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(pdf, args.keep / f"{name.replace('/', '-')}.pdf")
        print(f"{'all':32} {total.count:5d} line ends {len(total.bad):4d} bad  = {100 * total.share:.2f} %")
        if hint_ms:
            print(f"break hints: median {statistics.median(hint_ms):.0f} ms per document "
                  f"(max {max(hint_ms):.0f} ms; word list loaded before timing)")
    finally:
        pool.local().close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
