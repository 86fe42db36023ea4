"""PDF beside every .docx: a converter backed by warm LibreOffice instances (`pool.py`).

`converter_for(True, state_dir, instances)` starts the process's pool in the background at once, so that
its start-up overlaps the reading and rendering of the first workbook, and stops it when the block ends.
The watcher's workers use `remote_converter` instead: the watcher's pool, shared by all of them.
"""
from __future__ import annotations

import contextlib
import functools
import threading
from pathlib import Path
from typing import Callable, Iterator

from service.render import linebreak, pool

# What a job calls to get the PDF of a .docx (None: PDF off).
PdfConverter = Callable[[Path], Path]


def to_pdf(docx: Path, config: Path = linebreak.CONFIG, labels: bool = True) -> Path:
    """The .pdf written beside `docx`, from a copy with line-break hints (from the words of the
    configuration `config`) whose continued tables say so when `labels` (settings: continued_labels);
    raises OfficeError (job.py reports it as `pdf_failed`)."""
    return linebreak.with_hints(docx, lambda src: pool.convert(src, "pdf", docx.parent, labels), config)


@contextlib.contextmanager
def converter_for(enabled: bool, state_dir: Path | None = None, instances: int = 1,
                  config: Path = linebreak.CONFIG, labels: bool = True) -> Iterator[PdfConverter | None]:
    """`state_dir`: where LibreOffice's profiles go (`<state_dir>/office`), a temporary folder if None;
    `config`: the configuration whose words keep line ends whole."""
    if not enabled:
        yield None
        return
    shared = pool.local(state_dir, instances)
    threading.Thread(target=shared.warm_up, name="office-start", daemon=True).start()
    try:
        yield functools.partial(to_pdf, config=config, labels=labels)
    finally:
        shared.close()


def remote_converter(address: str, authkey: bytes, config: Path, labels: bool = True) -> PdfConverter:
    """A watcher's worker: PDFs from the watcher's pool (`pool.serve`)."""
    pool.use_remote(address, authkey)
    return functools.partial(to_pdf, config=config, labels=labels)
