"""receipt.json (shared/spec/service.md): what happened to one dropped workbook, for officers' scripts."""
from __future__ import annotations

import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from service.problems import Problem


class DocumentEntry(BaseModel):
    kind: str                                    # a kind of the registry (documents.kinds)
    quarter: int | None = None
    docx: str
    pdf: str | None = None
    template: str
    template_sha256: str


class Blocked(BaseModel):
    """A document that could not be made, and the errors (or reason) that stopped it."""

    kind: str
    reason: str
    errors: list[dict[str, str]] = Field(default_factory=list)


class Receipt(BaseModel):
    workbook: str
    sha256: str
    status: Literal["ok", "failed"] = "ok"
    unit: str | None = None
    fiscal_year: int | None = None
    documents: list[DocumentEntry] = Field(default_factory=list)
    blocked: list[Blocked] = Field(default_factory=list)
    errors: list[dict[str, Any]] = Field(default_factory=list)
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    figures: dict[str, Any] = Field(default_factory=dict)
    converted_from: str | None = None
    timings_ms: dict[str, float] = Field(default_factory=dict)

    def set_problems(self, problems: list[Problem]) -> None:
        self.errors = [p.to_json() for p in problems if p.severity == "error"]
        self.warnings = [p.to_json() for p in problems if p.severity == "warning"]
        self.status = "failed" if self.errors else "ok"


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


_UMASK = os.umask(0o022)   # read once at import (os.umask can only be read by setting it) …
os.umask(_UMASK)           # … and put back at once


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside, fsync, rename: a reader never sees half a file, a crash never leaves one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        # mkstemp makes the file private (0600); officers read the outbox over a share, so give it the
        # mode any other new file would get.
        os.fchmod(fd, 0o666 & ~_UMASK)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_receipt(path: Path, receipt: Receipt) -> None:
    text = json.dumps(receipt.model_dump(), ensure_ascii=False, indent=2, default=_json_default)
    write_atomic(path, text.encode("utf-8"))
