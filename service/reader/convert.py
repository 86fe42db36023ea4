"""Old and other spreadsheet formats officers really use (.xls, .ods) → .xlsx, with LibreOffice.

The converted file is then handled like any dropped .xlsx, so there is one reader and one set of rules.
The warm LibreOffice of `pool.py` converts (it bounds the time and restarts a soffice that overran); it
gets a copy with a fixed name whose extension matches the content the guard found, because LibreOffice
picks its import filter partly by extension and a renamed file must not confuse it.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from service.render import office, pool
from service.reader.guard import CONVERTIBLE, NotAWorkbook, inspect_file
from service.settings import Settings

CONVERTED_PREFIX = "แปลงแล้ว_"


def _failed(fmt: str) -> NotAWorkbook:
    return NotAWorkbook("not_a_workbook", f"แปลงไฟล์ .{fmt} เป็น .xlsx ไม่สำเร็จ (LibreOffice อ่านไฟล์นี้ไม่ได้"
                        "หรือใช้เวลานานเกินไป) ให้เปิดไฟล์ใน Excel "
                        "หรือ LibreOffice แล้วบันทึกเป็น \"Excel Workbook (.xlsx)\" แล้ววางไฟล์อีกครั้ง")


def readable_copy(copy: Path, job_dir: Path, settings: Settings) -> tuple[Path, str | None]:
    """The .xlsx to read for the job's copy, and the format it was converted from (None if none).

    Raises NotAWorkbook for files the guard refuses or LibreOffice cannot convert."""
    fmt = inspect_file(copy, settings.limits)
    if fmt not in CONVERTIBLE:
        return copy, None
    target = job_dir / f"{CONVERTED_PREFIX}{copy.stem}.xlsx"
    with tempfile.TemporaryDirectory(prefix="itadoc-convert-") as work:
        src = Path(work) / f"input.{fmt}"
        shutil.copyfile(copy, src)
        try:
            out = pool.convert(src, "xlsx", Path(work))
        except office.OfficeError as exc:
            raise _failed(fmt) from exc
        shutil.move(out, target)
    return target, fmt
