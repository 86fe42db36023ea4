"""The coordinator's roll-up: `outbox/สรุปภาพรวม_ITA_<ปีงบประมาณ>.xlsx`, one row per unit per fiscal year.

Rebuilt from the receipts after every job (so it survives a lost journal), written atomically, and
serialised by a lock on the outbox folder: two workers finishing together cannot leave the older view last.
"""
from __future__ import annotations

import fcntl
import io
import logging
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from service.analysis.framework import load_framework
from service.delivery.receipt import write_atomic
from service.delivery.units import Catalog, Unit, number, quarterly, units

log = logging.getLogger("itadoc.rollup")
PREFIX = "สรุปภาพรวม_ITA_"
TOOLS = ("IIT", "EIT", "OIT")            # the order when the year's framework cannot be read
RED = PatternFill("solid", fgColor="FFC7CE")
RED_FONT = Font(color="9C0006")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
QUARTER_COLUMNS = (("activities_done", "ดำเนินการแล้วเสร็จ"), ("activities_on_plan", "เป็นไปตามแผน"),
                   ("activities_behind", "ล่าช้ากว่าแผน"), ("activities_not_due", "ยังไม่ถึงกำหนด"),
                   ("plan_to_date_pct", "ร้อยละตามแผนถึงปัจจุบัน"), ("annual_progress_pct", "ร้อยละของทั้งปี"))
_catalogs: dict[Path, Catalog] = {}


def rollup_path(outbox: Path, year: int) -> Path:
    return outbox / f"{PREFIX}{year}.xlsx"


def framework_of(frameworks_dir: Path, year: int) -> tuple[float | None, tuple[str, ...]]:
    """(pass mark, tool order) of the year; (None, TOOLS) when its framework is missing or broken."""
    try:
        framework = load_framework(frameworks_dir, year)
    except Exception as exc:  # the roll-up must not stop on an administrator's broken file
        log.warning("no framework for roll-up / ไม่มีกรอบการประเมินสำหรับสรุปภาพรวม: %s", exc, extra={"year": year})
        return None, TOOLS
    return float(framework.pass_mark), tuple(framework.weights)


def _passes(score: float | None, mark: float | None) -> str:
    if score is None or mark is None:
        return ""
    return "ผ่าน" if score >= mark else "ไม่ผ่าน"


def link_target(job_path: str) -> str:
    """A relative link to the job folder (an IRI: Thai kept, ASCII specials escaped as a URL needs)."""
    return "".join(c if ord(c) > 127 else quote(c, safe="/") for c in job_path) + "/"


def columns(tools: tuple[str, ...]) -> list[str]:
    return (["หน่วยงาน", "โฟลเดอร์ย่อย", "สถานะ", "จำนวนข้อผิดพลาด", "วันที่ส่งล่าสุด", "จำนวนครั้งที่ส่ง",
             "คะแนนรวม", "ระดับ", "ผ่านเกณฑ์"] + [f"คะแนน {t}" for t in tools] + ["เครื่องมือที่ไม่ผ่านเกณฑ์",
             "ไตรมาสที่รายงานล่าสุด"] + [label for _, label in QUARTER_COLUMNS] + ["โฟลเดอร์งาน", "คำเตือน"])


def row_values(unit: Unit, mark: float | None, tools: tuple[str, ...]) -> list[Any]:
    job = unit.latest
    figures = job.figures
    scores = figures.get("tool_scores") if isinstance(figures.get("tool_scores"), dict) else {}
    tool_scores = [number(scores.get(t)) for t in tools]
    overall = number(figures.get("overall_score"))
    level = figures.get("level") if isinstance(figures.get("level"), str) else None
    below = [t for t, s in zip(tools, tool_scores) if _passes(s, mark) == "ไม่ผ่าน"]
    q = quarterly(job)
    return ([unit.name, unit.folder, job.status_label, job.errors, job.dropped.replace(microsecond=0), unit.jobs,
             overall, level, _passes(overall, mark)] + tool_scores + [", ".join(below), number(q.get("quarter"))]
            + [number(q.get(k)) for k, _ in QUARTER_COLUMNS] + [job.path, unit.warning])


def workbook_bytes(rows: list[Unit], mark: float | None, tools: tuple[str, ...]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "สรุปภาพรวม"
    header = columns(tools)
    ws.append(header)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    link_col = header.index("โฟลเดอร์งาน") + 1
    date_col = header.index("วันที่ส่งล่าสุด") + 1
    for r, unit in enumerate(rows, 2):
        ws.append(row_values(unit, mark, tools))
        cells = [ws.cell(r, c) for c in range(1, len(header) + 1)]   # not ws[r]: it rescans the sheet
        for cell in cells:
            if isinstance(cell.value, float):
                cell.number_format = "0.00"   # scores and percentages as the documents print them
        cells[date_col - 1].number_format = "yyyy-mm-dd hh:mm"
        link = cells[link_col - 1]
        link.hyperlink = link_target(unit.latest.path)
        link.style = "Hyperlink"
        if unit.flagged:
            for cell in cells:
                cell.fill = RED
                if cell is not link:
                    cell.font = RED_FONT
    wide = {1: 30, 2: 18, date_col: 17, link_col: 30, len(header): 40}
    for i, title in enumerate(header, 1):
        ws.column_dimensions[get_column_letter(i)].width = wide.get(i, max(9, len(title) // 2 + 3))
    ws.row_dimensions[1].height = 48   # three lines of a wrapped Thai header
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"          # printed: one page wide, as many long as needed
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(ws.max_row, 2)}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def rebuild(outbox: Path, frameworks_dir: Path) -> list[Path]:
    """Write one roll-up per fiscal year found in the receipts; remove roll-ups of years no longer there."""
    outbox.mkdir(parents=True, exist_ok=True)
    catalog = _catalogs.setdefault(outbox.resolve(), Catalog(outbox.resolve()))
    with _locked(outbox):
        rows = units(catalog.jobs())
        written = []
        for year in sorted({u.fiscal_year for u in rows}):
            mark, tools = framework_of(frameworks_dir, year)
            path = rollup_path(outbox, year)
            write_atomic(path, workbook_bytes([u for u in rows if u.fiscal_year == year], mark, tools))
            written.append(path)
        for stale in set(outbox.glob(f"{PREFIX}*.xlsx")) - set(written):
            stale.unlink(missing_ok=True)
    return written


def refresh(outbox: Path, frameworks_dir: Path) -> None:
    """The hook after every job: rebuild, and log rather than fail the job when it cannot."""
    try:
        rebuild(outbox, frameworks_dir)
    except Exception:
        log.exception("roll-up not rebuilt / สร้างไฟล์สรุปภาพรวมไม่สำเร็จ", extra={"outbox": outbox})
