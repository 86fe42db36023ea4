"""PDF cost per document: the warm LibreOffice of service/office.py vs a cold `soffice --convert-to` per file.

Run: python3 bench/pdf_cost.py [N]   (renders the seed-000 and seed-002 documents once, converts each N times)
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
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
        with Office() as office:
            started = time.perf_counter()
            office.convert(docs[0], "pdf", work / "first")
            first = time.perf_counter() - started
            started = time.perf_counter()
            for _ in range(rounds):
                for doc in docs:
                    office.convert(doc, "pdf", work / "warm")
            warm = (time.perf_counter() - started) / (rounds * len(docs))
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
