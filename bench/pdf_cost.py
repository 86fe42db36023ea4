"""PDF cost per document: the warm LibreOffice of service/office.py vs a cold `soffice --convert-to` per file,
and a job's three PDFs one after another on one LibreOffice vs side by side on two.

Run: python3 bench/pdf_cost.py [N]   (renders the seed-000 and seed-002 documents once, converts each N times)
"""
from __future__ import annotations

import os
import queue
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from service.render import fonts  # noqa: E402
from service.delivery.job import process  # noqa: E402
from service.render.office import Office, soffice_binary  # noqa: E402
from service.settings import load_settings  # noqa: E402
from workbooks import seed000_full, seed002_analysis  # noqa: E402


def main(rounds: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        settings = load_settings(ROOT / "config", outbox=work / "out", pdf=False)
        docs = []
        for name, spec in (("seed000", seed000_full()), ("seed002", seed002_analysis())):
            result = process(spec.save(work / f"{name}.xlsx"), settings)
            docs += [result.job_dir / d.docx for d in result.receipt.documents]
        for folder in ("first", "warm", "w", "seq", "par"):   # Office.convert writes into existing folders only
            (work / folder).mkdir()
        with Office() as office:
            started = time.perf_counter()
            office.convert(docs[0], "pdf", work / "first")
            first = time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(rounds):
                for doc in docs:
                    office.convert(doc, "pdf", work / "warm")
            warm = (time.perf_counter() - started) / (rounds * len(docs))
        job = docs[:3]                  # seed 000: analysis, plan, quarterly
        with Office() as one, Office() as other:
            for office in (one, other):
                office.convert(job[0], "pdf", work / "w")
            sequential, parallel = [], []
            for _ in range(rounds):
                started = time.perf_counter()
                for doc in job:
                    one.convert(doc, "pdf", work / "seq")
                sequential.append(time.perf_counter() - started)
                started = time.perf_counter()
                free: queue.Queue[Office] = queue.Queue()
                free.put(one)
                free.put(other)

                def convert(doc: Path) -> None:     # on whichever LibreOffice is free
                    office = free.get()
                    try:
                        office.convert(doc, "pdf", work / "par")
                    finally:
                        free.put(office)

                with ThreadPoolExecutor(2) as pool:
                    list(pool.map(convert, job))
                parallel.append(time.perf_counter() - started)
        started = time.perf_counter()
        for _ in range(rounds):
            for doc in docs:
                subprocess.run([soffice_binary(), f"-env:UserInstallation={(work / 'cold-profile').as_uri()}",
                                "--headless", "--convert-to", "pdf", "--outdir", str(work / "cold"), str(doc)],
                               check=True, capture_output=True,
                               env=dict(os.environ, FONTCONFIG_FILE=str(fonts.fontconfig_file())))
        cold = (time.perf_counter() - started) / (rounds * len(docs))
    print(f"documents: {len(docs)} × {rounds} rounds")
    print(f"warm start + first document: {first:.2f} s")
    print(f"warm, per document:          {warm:.3f} s")
    print(f"cold soffice, per document:  {cold:.3f} s")
    print(f"ratio cold / warm:           {cold / warm:.1f}×")
    print(f"a job's 3 PDFs, 1 LibreOffice: {statistics.median(sequential):.2f} s (median)")
    print(f"a job's 3 PDFs, 2 LibreOffice: {statistics.median(parallel):.2f} s (median)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
