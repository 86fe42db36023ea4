"""Remake docs/img/{analysis,plan,quarterly}.png from real renders (run: python tools/readme_pictures.py).

Seed 000 as one workbook goes through the service with PDF on (break hints, LibreOffice, the shipped
templates and config of this tree); page 1 of each document becomes a picture of the size the README
shows (pdftoppm at 60 dpi: 497 × 702 portrait, 702 × 497 landscape). Rerun after any change to the
templates, the charts or the typography.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))

from service.delivery.job import process  # noqa: E402
from service.render.pdf import converter_for  # noqa: E402
from service.settings import load_settings  # noqa: E402
from workbooks import seed000_full  # noqa: E402

IMG = ROOT / "docs" / "img"


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="readme-pictures-"))
    try:
        settings = load_settings(ROOT / "config", outbox=tmp / "out", pdf=True)
        with converter_for(True) as pdf:
            result = process(seed000_full().save(tmp / "seed000.xlsx"), settings, pdf=pdf)
        if result.receipt.status != "ok":
            raise SystemExit(f"render failed: {result.receipt.errors}")
        IMG.mkdir(parents=True, exist_ok=True)
        for doc in result.receipt.documents:
            stem = tmp / doc.kind
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                            str(result.job_dir / doc.pdf), str(stem)], check=True)
            shutil.move(f"{stem}.png", IMG / f"{doc.kind}.png")
            print("wrote", IMG / f"{doc.kind}.png")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
