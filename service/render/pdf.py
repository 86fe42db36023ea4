"""PDF beside every .docx: a converter backed by the process's warm LibreOffice (`office.py`).

`converter_for(True)` starts LibreOffice in the background at once, so that its start-up overlaps the
reading and rendering of the first workbook, and stops it when the block ends.
"""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Callable, Iterator

from service.render import linebreak, office

# What a job calls to get the PDF of a .docx (None: PDF off).
PdfConverter = Callable[[Path], Path]


def to_pdf(docx: Path) -> Path:
    """The .pdf written beside `docx`; raises OfficeError (job.py reports it as `pdf_failed`)."""
    return linebreak.with_hints(docx, lambda src: office.convert(src, "pdf", docx.parent))


@contextlib.contextmanager
def converter_for(enabled: bool, state_dir: Path | None = None) -> Iterator[PdfConverter | None]:
    """`state_dir`: where LibreOffice's profile goes (`<state_dir>/office`), a temporary folder if None."""
    if not enabled:
        yield None
        return
    shared = office.shared(state_dir)
    threading.Thread(target=shared.warm_up, name="office-start", daemon=True).start()
    try:
        yield to_pdf
    finally:
        shared.close()
