"""`itadoc blank`: the blank standard workbook officers copy, generated from `schema.py`.

The same definitions drive the reader, so the form can never ask for a column the service does not
read. Every contract sheet gets its headers (styled, frozen), widths, drop-down lists, number/date
formats and input hints; one grey example row, exactly the schema's examples, which the reader skips
while it is unchanged; the scores sheet is prefilled with the indicators of the latest configured
framework. The file is byte-for-byte reproducible, so `templates/` only changes when the schema does.
"""
from __future__ import annotations

import argparse
import io
import os
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from service.analysis.framework import Framework, available_years, load_framework
from service.documents.kinds import KINDS
from service.delivery.receipt import write_atomic
from service.reader.contract import (GENERAL, GENERAL_ITEMS, INSTRUCTIONS, PLAN, QUARTER_HEADERS, SCORES,
                     SHEETS, TOTAL_LABEL, Column, Kind, Sheet)
from service.settings import Settings

BLANK_NAME = "แบบฟอร์ม_ITA_มาตรฐาน.xlsx"
YEARS_SHOWN = 3                      # score columns: the framework year and the two before it
INPUT_ROWS = 500                     # rows covered by drop-down lists and hints
FONT = "TH Sarabun New"
HEADER_FONT = Font(name=FONT, size=14, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
EXAMPLE_FONT = Font(name=FONT, size=14, italic=True, color="808080")
BODY_FONT = Font(name=FONT, size=14)
THIN = Side(style="thin", color="9BA9B8")
FORMATS = {Kind.NUMBER: "0.00", Kind.INTEGER: "0", Kind.COUNT: "0", Kind.DATE: "[$-D07041E]d mmm yyyy"}
KIND_HINTS = {Kind.NUMBER: "ตัวเลข", Kind.INTEGER: "จำนวนเต็ม", Kind.DATE: "วันที่ เช่น 20 พ.ย. 2568",
              Kind.COUNT: "จำนวนครั้ง (ว่างหรือ - = 0)", Kind.TARGET: "ตัวเลข หรือข้อความ เช่น 2 ครั้ง",
              Kind.NUMBER_LIST: "เลขลำดับคั่นด้วยจุลภาค เช่น 3, 5"}
FIXED_TIME = "2000-01-01T00:00:00Z"


def _hint(column: Column) -> str:
    parts = [column.hint or KIND_HINTS.get(column.kind, "")]
    if column.choices:
        parts.append("เลือกจากรายการ: " + ", ".join(column.choices))
    if column.required:
        parts.append("ต้องกรอก")
    if column.example is not None:
        parts.append(f"ตัวอย่าง: {column.example}")
    return " | ".join(p for p in parts if p)[:255]


def _validation(ws: Worksheet, column: Column, cells: str) -> None:
    """Drop-down list for choices, 0–100 for scores, otherwise just the input hint."""
    prompt = dict(promptTitle=column.header[:32], prompt=_hint(column), showInputMessage=True, allow_blank=True)
    if column.choices:
        dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', showErrorMessage=True,
                            errorTitle="ค่าไม่อยู่ในรายการ", error="เลือกจากรายการ: " + ", ".join(column.choices),
                            **prompt)
    elif column.key.startswith("year:"):
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                            showErrorMessage=True, errorTitle="คะแนนไม่ถูกต้อง",
                            error="คะแนนต้องอยู่ระหว่าง 0 ถึง 100", **prompt)
    else:
        dv = DataValidation(**prompt)
    dv.add(cells)
    ws.add_data_validation(dv)


def _header(ws: Worksheet, columns: list[Column]) -> None:
    for index, column in enumerate(columns, 1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.kind in FORMATS:
            ws.column_dimensions[letter].number_format = FORMATS[column.kind]
        _validation(ws, column, f"{letter}2:{letter}{INPUT_ROWS + 1}")
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "A2"


def _columns(sheet: Sheet, framework: Framework | None) -> list[Column]:
    """The schema's columns plus the dynamic ones: score years, or quarters for the plan."""
    columns = list(sheet.columns)
    if sheet is SCORES:
        latest = framework.fiscal_year if framework else None
        years = range(latest - YEARS_SHOWN + 1, latest + 1) if latest else ()
        columns += [Column(f"year:{y}", f"ปี {y}", Kind.NUMBER, hint=f"คะแนนปี {y} (0–100) ว่าง = ไม่ได้ประเมิน",
                           width=12) for y in years]
    elif sheet is PLAN:
        columns += [Column(f"q:{q}", header, Kind.COUNT, width=10) for q, header in enumerate(QUARTER_HEADERS, 1)]
    return columns


def _write_row(ws: Worksheet, row: int, columns: list[Column], values: dict[str, Any], font: Font) -> None:
    for index, column in enumerate(columns, 1):
        if column.key in values:
            cell = ws.cell(row=row, column=index, value=values[column.key])
            cell.font = font
            if column.kind in FORMATS:
                cell.number_format = FORMATS[column.kind]


def _contract_sheet(ws: Worksheet, sheet: Sheet, framework: Framework | None) -> None:
    columns = _columns(sheet, framework)
    _header(ws, columns)
    if sheet is SCORES:
        # The framework's indicators stand in for the example row: the first is the schema's example,
        # so the reader skips it while it has no score, like any untouched example row.
        for row, ind in enumerate(framework.indicators if framework else (), 2):
            _write_row(ws, row, columns, {"tool": ind.tool, "number": ind.number, "name": ind.name}, BODY_FONT)
        return
    examples = {c.key: c.example for c in sheet.columns if c.example is not None}
    _write_row(ws, 2, columns, examples, EXAMPLE_FONT)


def _general_sheet(ws: Worksheet) -> None:
    _header(ws, list(GENERAL.columns))
    ws.data_validations.dataValidation.clear()          # the value cells get one hint each, below
    for row, item in enumerate(GENERAL_ITEMS, 2):
        label = ws.cell(row=row, column=1, value=item.header)
        label.font = Font(name=FONT, size=14, bold=item.required)
        value = ws.cell(row=row, column=2)
        value.font = BODY_FONT
        if item.kind in FORMATS:
            value.number_format = FORMATS[item.kind]
        _validation(ws, item, f"B{row}")


def _instructions(ws: Worksheet, framework: Framework | None) -> None:
    year = f"ปี {framework.fiscal_year}" if framework else "ที่ตั้งค่าไว้"
    lines = [
        ("แบบฟอร์มมาตรฐานข้อมูล ITA (Integrity and Transparency Assessment)", True),
        ("", False),
        ("วิธีใช้", True),
        ("1. คัดลอกไฟล์นี้ หนึ่งไฟล์ต่อหนึ่งหน่วยงานต่อหนึ่งปีงบประมาณ แล้วกรอกทีละแผ่นงาน", False),
        ("2. ห้ามเปลี่ยนชื่อแผ่นงานและข้อความหัวคอลัมน์ในแถวที่ 1 (สลับลำดับคอลัมน์ได้)", False),
        ("3. แถวตัวอักษรสีเทาเอียงคือแถวตัวอย่าง ระบบไม่อ่านแถวนี้ถ้าไม่ได้แก้ไข จะพิมพ์ทับหรือลบทิ้งก็ได้", False),
        ("4. คลิกที่เซลล์เพื่อดูคำแนะนำ เซลล์ที่มีรายการให้เลือกจากลูกศร", False),
        ("5. ปีเป็นพุทธศักราช วันที่พิมพ์ได้ เช่น 20 พ.ย. 2568 ตัวเลขพิมพ์เป็นเลขไทยหรือเลขอารบิกก็ได้", False),
        (f"6. แผ่นงาน{SCORES.name} มีรายชื่อตัวชี้วัดตามกรอบการประเมิน{year} ให้ใส่คะแนนในคอลัมน์ปี "
         f"(ว่าง = ไม่ได้ประเมิน) และเพิ่มแถว \"{TOTAL_LABEL}\" ได้ถ้าต้องการให้ระบบตรวจคะแนนรวม", False),
        (f"7. แผ่นงาน{PLAN.name} กรอกจำนวนครั้งรายไตรมาส หรือเปลี่ยนหัวคอลัมน์เป็นรายเดือน ต.ค. … ก.ย. ก็ได้", False),
        ("8. ปีที่วิเคราะห์คือ ปีงบประมาณ ถ้าแผนเป็นของปีถัดไป (เช่น วิเคราะห์ผลปี 2568 ทำแผนปี 2569) "
         "ให้กรอก ปีงบประมาณของแผน ด้วย", False),
        ("9. บันทึกเป็น .xlsx แล้ววางไฟล์ในโฟลเดอร์ inbox ระบบจะสร้างเอกสารทุกฉบับที่ข้อมูลครบ", False),
        ("", False),
        ("แผ่นงานและเอกสารที่ใช้", True),
    ]
    for sheet in SHEETS:
        used = [kind.title for kind in KINDS if sheet.key in kind.sheets]
        lines.append((f"• {sheet.name}: {sheet.purpose} (ใช้ใน: {', '.join(used)})", False))
    for row, (text, bold) in enumerate(lines, 1):
        cell = ws.cell(row=row, column=1, value=text or None)
        cell.font = Font(name=FONT, size=16 if row == 1 else 14, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 120


def build_blank(framework: Framework | None) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    _instructions(wb.active, framework)
    wb.active.title = INSTRUCTIONS
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        if sheet is GENERAL:
            _general_sheet(ws)
        else:
            _contract_sheet(ws, sheet, framework)
    return wb


def reproducible_bytes(wb: openpyxl.Workbook) -> bytes:
    """The .xlsx with fixed timestamps (zip entries and document properties): same input, same bytes."""
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def latest_framework(settings: Settings) -> Framework | None:
    years = available_years(settings.frameworks_dir)
    return load_framework(settings.frameworks_dir, years[-1]) if years else None


def write_blank(out_dir: Path, settings: Settings) -> tuple[Path, Path | None]:
    """The blank form written in `out_dir`, and where an edited form it replaced was kept (or None)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / BLANK_NAME
    data = reproducible_bytes(build_blank(latest_framework(settings)))
    kept = keep_edited(path, data)
    write_atomic(path, data)
    return path, kept


BACKUP_DIR = "สำรอง"


def keep_edited(path: Path, new: bytes, now: datetime | None = None) -> Path | None:
    """A form at `path` that is not `new` (an administrator may have edited it) moved to `สำรอง/` beside
    it, named with the time; None when there is nothing to keep."""
    if not path.is_file() or path.read_bytes() == new:
        return None
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    kept = path.parent / BACKUP_DIR / f"{path.stem}_{stamp}{path.suffix}"
    kept.parent.mkdir(exist_ok=True)
    os.replace(path, kept)
    return kept


def main(args: argparse.Namespace, settings: Settings) -> int:
    path, kept = write_blank(args.out or settings.templates, settings)
    if kept:
        print(f"แบบฟอร์มเดิมต่างจากฉบับใหม่ จึงเก็บสำรองไว้ที่: {kept}")
    print(f"เขียนแบบฟอร์มเปล่าแล้ว: {path}")
    return 0
