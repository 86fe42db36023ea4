"""PDF beside every .docx: a converter backed by warm LibreOffice instances (`pool.py`).

`converter_for(True, state_dir, instances)` starts the process's pool in the background at once, so that
its start-up overlaps the reading and rendering of the first workbook, and stops it when the block ends.
The watcher's workers use `remote_converter` instead: the watcher's pool, shared by all of them.
"""
from __future__ import annotations

import contextlib
import threading
from pathlib import Path
from typing import Callable, Iterator

from service.render import linebreak, pool
from service.render.continued import pdf_with_continuations

# What a job calls to get the PDF of a .docx (None: PDF off).
PdfConverter = Callable[[Path], Path]


def to_pdf(docx: Path) -> Path:
    """The .pdf written beside `docx`, from a copy with line-break hints whose continued tables say so;
    raises OfficeError (job.py reports it as `pdf_failed`)."""
    return linebreak.with_hints(docx, lambda src: pdf_with_continuations(
        src, lambda copy, continued: pool.convert(copy, "pdf", docx.parent, continued)))


@contextlib.contextmanager
def converter_for(enabled: bool, state_dir: Path | None = None, instances: int = 1) -> Iterator[PdfConverter | None]:
    """`state_dir`: where LibreOffice's profiles go (`<state_dir>/office`), a temporary folder if None."""
    if not enabled:
        yield None
        return
    shared = pool.local(state_dir, instances)
    threading.Thread(target=shared.warm_up, name="office-start", daemon=True).start()
    try:
        yield to_pdf
    finally:
        shared.close()


def remote_converter(address: str, authkey: bytes) -> PdfConverter:
    """A watcher's worker: PDFs from the watcher's pool (`pool.serve`)."""
    pool.use_remote(address, authkey)
    return to_pdf
