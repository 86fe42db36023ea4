"""Feedback for the officer: a Thai error report and an annotated copy of the workbook.

The report lists errors, then warnings, grouped by sheet in row order; the annotated copy fills each
flagged cell (red: error, yellow: warning) and puts the message in a cell comment, so the officer can
fix that copy and drop it again.
"""
from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from service.problems import Problem, Problems
from service.delivery.receipt import write_atomic
from service.reader.contract import SHEETS
from service.thai.text import normalise_header

REPORT_NAME = "รายงานข้อผิดพลาด.txt"
ANNOTATED_PREFIX = "ตรวจแล้ว_"
FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_SHEET_ORDER = {normalise_header(s.name): i for i, s in enumerate(SHEETS)}


def _order(p: Problem) -> tuple:
    """Whole-file problems first, then sheets in the contract's order (others after, by name), then
    row and column as the officer scrolls."""
    m = _CELL.match(p.cell)
    sheet = (0, 0, "") if not p.sheet else (1, _SHEET_ORDER.get(normalise_header(p.sheet), len(SHEETS)), p.sheet)
    return (*sheet, int(m[2]) if m else 0, len(m[1]) if m else 0, m[1] if m else "")


def report_text(problems: Problems, workbook_name: str) -> str:
    lines = [f"ผลการตรวจไฟล์ {workbook_name}", ""]
    for title, items in (("ข้อผิดพลาด (ต้องแก้ไขก่อน ระบบจึงจะสร้างเอกสารที่เกี่ยวข้องได้)", problems.errors),
                         ("คำเตือน (ไม่ต้องแก้ก็ได้ แต่ควรตรวจสอบ)", problems.warnings)):
        lines.append(f"{title}: {len(items)} รายการ")
        for sheet, group in groupby(sorted(items, key=_order), key=lambda p: p.sheet):
            lines.append(f"  แผ่นงาน {sheet or '(ทั้งไฟล์)'}")
            for p in group:
                where = f"เซลล์ {p.cell}: " if p.cell else ""
                found = f' (พบ "{p.value}")' if p.value and p.value not in p.message else ""
                lines.append(f"    - {where}{p.message}{found}")
        lines.append("")
    lines.append(f"แก้ไขในไฟล์ {ANNOTATED_PREFIX}{workbook_name} (เซลล์สีแดงคือข้อผิดพลาด สีเหลืองคือคำเตือน "
                 "ชี้เมาส์ที่เซลล์เพื่ออ่านคำอธิบาย) แล้ววางไฟล์ลงในโฟลเดอร์ inbox อีกครั้ง")
    return "\r\n".join(lines) + "\r\n"


def annotate(workbook: Path, problems: Problems, out: Path) -> bool:
    """Write the annotated copy; False when the workbook cannot be opened for writing."""
    try:
        wb = openpyxl.load_workbook(workbook, keep_vba=workbook.suffix.lower() == ".xlsm")
    except Exception:
        return False
    for p in sorted(problems.items, key=lambda p: p.severity != "error"):
        if p.sheet not in wb.sheetnames:
            continue
        cell = wb[p.sheet][p.cell if _CELL.match(p.cell) else "A1"]      # a sheet-wide problem: its corner
        label = "ข้อผิดพลาด" if p.severity == "error" else "คำเตือน"
        text = f"{label}: {p.message}"
        if cell.comment is not None and cell.comment.author == "itadoc":
            text = f"{cell.comment.text}\n{text}"
        else:
            cell.fill = FILLS[p.severity]
        cell.comment = Comment(text, "itadoc", width=320, height=120)
    wb.save(out)
    return True


def write_feedback(job_dir: Path, workbook: Path, problems: Problems, annotated: bool = True) -> None:
    """`annotated=False` for a file that was refused or is over a bound: loading it whole to colour
    cells is exactly what the bounds prevent."""
    write_atomic(job_dir / REPORT_NAME, ("\ufeff" + report_text(problems, workbook.name)).encode("utf-8"))
    if annotated:
        annotate(workbook, problems, job_dir / f"{ANNOTATED_PREFIX}{workbook.name}")
