"""PDF conversion (placeholder until the official-look issue): `--pdf` says it is not available yet."""
from __future__ import annotations

import contextlib
import sys
from typing import Iterator

from .job import PdfConverter


@contextlib.contextmanager
def converter_for(enabled: bool) -> Iterator[PdfConverter | None]:
    if enabled:
        print("ยังไม่รองรับการสร้าง PDF ในรุ่นนี้ จะสร้างเฉพาะไฟล์ Word", file=sys.stderr)
    yield None
