"""Workbook reader: cells → raw values with their sheet and address, nothing interpreted yet.

Sheets are found by name and columns by header text (after trimming and Thai normalisation), as the
contract says; order is free and unknown sheets or columns only warn. openpyxl runs in read-only mode
with cached formula values; formulas whose cached value is missing are found by a scan of the sheet XML
(openpyxl reports them as empty cells, which would silently read as "not provided").
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from defusedxml import ElementTree as SafeET
from openpyxl.utils import get_column_letter

from service.thai.numbers import to_arabic
from service.problems import Problems
from service.reader.contract import GENERAL, GENERAL_ITEMS, INSTRUCTIONS, SHEETS, Sheet, meant_sheet
from service.thai.dates import month_of
from service.settings import Limits
from service.thai.text import normalise_header

_YEAR_HEADER = re.compile(r"^ปี(?:งบประมาณ)?\s*(?:พ\.ศ\.)?\s*(\d{4})")
_QUARTER_HEADER = re.compile(r"^(?:ไตรมาส(?:ที่)?|q)\s*([1-4])$")
_EXCEL_ERRORS = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!",
                           "#GETTING_DATA", "#SPILL!", "#CALC!"})
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass(frozen=True)
class RawCell:
    value: Any
    address: str
    number_format: str = "General"
    formula_error: bool = False   # an error value, or a formula with no cached value

    @property
    def empty(self) -> bool:
        return not self.formula_error and (self.value is None or (isinstance(self.value, str)
                                                                   and not self.value.strip()))


@dataclass
class RawRow:
    number: int
    cells: dict[str, RawCell]         # column key (schema key or dynamic key) → cell

    def get(self, key: str) -> RawCell | None:
        return self.cells.get(key)


@dataclass
class RawSheet:
    schema: Sheet
    title: str                        # the sheet's name as written in the workbook
    columns: dict[str, str]           # column key → letter
    rows: list[RawRow]
    dynamic: list[str] = field(default_factory=list)   # dynamic column keys, in sheet order
    unknown: list[str] = field(default_factory=list)   # header cells not understood ("J1"), in sheet order

    def address(self, key: str, row: int) -> str:
        """Cell address of a column in a row, even if the cell is empty."""
        letter = self.columns.get(key)
        return f"{letter}{row}" if letter else ""


@dataclass
class RawWorkbook:
    sheets: dict[str, RawSheet]       # schema key → sheet (only sheets found and non-empty)
    general: dict[str, RawCell]       # ข้อมูลทั่วไป item key → its value cell

    def has(self, key: str) -> bool:
        sheet = self.sheets.get(key)
        return bool(sheet and sheet.rows)


def dynamic_key(schema: Sheet, header: str) -> str | None:
    """Key of a column matched by pattern: `year:2567`, `q:1`, `m:10` (calendar month)."""
    text = to_arabic(header)
    if schema.dynamic == "years":
        m = _YEAR_HEADER.match(text)
        return f"year:{m[1]}" if m else None
    if schema.dynamic == "periods":
        m = _QUARTER_HEADER.match(text)
        if m:
            return f"q:{m[1]}"
        month = month_of(text)
        if month is not None:
            return f"m:{month}"
    return None


def _no_cached_value(cell: Any) -> bool:
    """No `<v>`, or an empty `<v>` that is not a string result: openpyxl and other writers that never
    calculate store `<v></v>`, while Excel writes a formula's empty-text result as t="str"."""
    if cell.find(f"{_NS}is") is not None:
        return False
    value = cell.find(f"{_NS}v")
    return value is None or (not value.text and cell.get("t") != "str")


_FORMULA_TAGS = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formula(archive: zipfile.ZipFile, member: str) -> bool:
    """Whether a sheet holds any formula element: a byte search, a tenth of the cost of parsing the XML
    again, so sheets without formulas (most of them) are parsed once, by openpyxl."""
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            if _FORMULA_TAGS.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _formula_cells_without_value(archive: zipfile.ZipFile, member: str, max_rows: int) -> dict[str, str]:
    """Address → formula ("=1/0") of `<c>` elements that carry a formula but no cached `<v>` value.

    Streamed row by row and stopped where the reader stops, so a huge sheet costs no more memory
    than a small one; defusedxml refuses entity declarations (billion laughs) and external entities."""
    missing: dict[str, str] = {}
    if not _has_formula(archive, member):
        return missing
    rows = 0
    with archive.open(member) as fh:
        for _, element in SafeET.iterparse(fh):
            if element.tag == f"{_NS}c":
                formula = element.find(f"{_NS}f")
                if formula is not None and _no_cached_value(element):
                    missing[element.get("r", "")] = f"={formula.text or ''}"
            elif element.tag == f"{_NS}row":
                element.clear()
                rows += 1
                if rows > max_rows:
                    break
    return missing


_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, member) of a part's relationships ("" = the package's own), targets resolved."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in archive.namelist():
        return {}
    out = {}
    for rel in SafeET.fromstring(archive.read(rels)).iter(_REL):
        target = rel.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), member)
    return out


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML member, as the package says (workbook.xml and its relationships), so the
    formula scan needs no private openpyxl attribute; defusedxml, as everywhere we parse XML ourselves."""
    workbook = next((m for t, m in _relationships(archive, "").values() if t == _OFFICE_DOCUMENT), "")
    if workbook not in archive.namelist():
        return {}
    rels = _relationships(archive, workbook)
    return {sheet.get("name", ""): rels[sheet.get(_R_ID, "")][1]
            for sheet in SafeET.fromstring(archive.read(workbook)).iter(f"{_NS}sheet")
            if sheet.get(_R_ID, "") in rels}


_SCHEMA_BY_NAME = {normalise_header(s.name): s for s in SHEETS}


def read_workbook(path: Path, problems: Problems, limits: Limits | None = None) -> RawWorkbook:
    """Read every contract sheet; raises the openpyxl/zip error for an unreadable file (the job
    turns it into `not_a_workbook`)."""
    limits = limits or Limits()
    # A file object, not a name: openpyxl refuses names without an Excel extension, and the guard has
    # already decided by content. read_only never runs or keeps macros (.xlsm).
    with path.open("rb") as fh, zipfile.ZipFile(fh) as archive:
        return _read_open(openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False),
                          archive, problems, limits)


def _unknown_sheet(title: str, meant: Sheet | None) -> str:
    if meant is None:
        return (f'ไม่รู้จักแผ่นงาน "{title}" ระบบจะข้ามแผ่นงานนี้ หากเป็นข้อมูลที่ต้องการใช้ '
                "ให้ตั้งชื่อแผ่นงานตามแบบฟอร์มมาตรฐาน")
    return (f'ไม่รู้จักแผ่นงาน "{title}" ระบบหาแผ่นงานจากชื่อ จึงไม่ได้อ่านแผ่นงานนี้ และไม่ได้สร้างเอกสารที่ใช้ข้อมูลของแผ่นงาน '
            f'"{meant.name}" หากเป็นแผ่นงาน "{meant.name}" ให้เปลี่ยนชื่อแผ่นงานนี้เป็น "{meant.name}" ตามแบบฟอร์ม '
            "แล้ววางไฟล์อีกครั้ง")


def _read_open(wb: Any, archive: zipfile.ZipFile, problems: Problems, limits: Limits) -> RawWorkbook:
    try:
        sheets: dict[str, RawSheet] = {}
        general: dict[str, RawCell] = {}
        parts = sheet_parts(archive)
        present = {normalise_header(ws.title) for ws in wb.worksheets}
        for ws in wb.worksheets:
            schema = _SCHEMA_BY_NAME.get(normalise_header(ws.title))
            if schema is None and normalise_header(ws.title) == normalise_header(INSTRUCTIONS):
                continue
            if schema is None:
                problems.add("unknown_sheet", _unknown_sheet(ws.title, meant_sheet(ws.title, present)),
                             sheet=ws.title, cell="A1", value=ws.title)
                continue
            missing = (_formula_cells_without_value(archive, parts[ws.title], limits.max_rows + 2)
                       if ws.title in parts else {})
            raw = _read_sheet(ws, schema, missing, problems, limits)
            if schema is GENERAL:
                general = _general_items(raw, problems)
            if raw.rows:
                sheets[schema.key] = raw
        return RawWorkbook(sheets, general)
    finally:
        wb.close()


def _read_sheet(ws: Any, schema: Sheet, missing: dict[str, str], problems: Problems,
                limits: Limits) -> RawSheet:
    # header + max_rows data rows + one more, so that a row past the bound is seen and reported
    rows_iter = ws.iter_rows(max_col=limits.max_columns, max_row=limits.max_rows + 2)
    header = next(rows_iter, ())
    wanted = {normalise_header(alias): c.key for c in schema.columns for alias in (c.header, *c.aliases)}
    columns: dict[str, str] = {}
    dynamic: list[str] = []
    unknown: list[str] = []
    by_index: dict[int, str] = {}
    for idx, cell in enumerate(header):
        text = normalise_header(getattr(cell, "value", None))
        if not text:
            continue
        letter = get_column_letter(idx + 1)
        key = wanted.get(text) or dynamic_key(schema, text)
        if key is None:
            problems.add("unknown_column", f'ไม่รู้จักคอลัมน์ "{cell.value}" ระบบจะข้ามคอลัมน์นี้',
                         sheet=ws.title, cell=f"{letter}1", value=cell.value)
            unknown.append(f"{letter}1")
            continue
        if key in columns:
            continue
        columns[key] = letter
        by_index[idx] = key
        if key not in wanted.values():
            dynamic.append(key)
    rows: list[RawRow] = []
    for cells in rows_iter:
        row_cells: dict[str, RawCell] = {}
        number = 0
        for idx, key in by_index.items():
            if idx >= len(cells):
                continue
            cell = cells[idx]
            if not hasattr(cell, "coordinate"):
                continue
            number = cell.row
            value = cell.value
            if isinstance(value, str) and len(value) > limits.max_cell_chars:
                problems.add("too_large", f"ข้อความในเซลล์ยาว {len(value):,} ตัวอักษร เกินขีดจำกัดของระบบ "
                             f"(max_cell_chars = {limits.max_cell_chars:,}) ให้ตัดข้อความให้สั้นลง",
                             sheet=ws.title, cell=cell.coordinate, value=value)
                value = value[:limits.max_cell_chars]
            is_error = cell.data_type == "e" or (isinstance(value, str) and value in _EXCEL_ERRORS)
            raw = RawCell(missing.get(cell.coordinate, value), cell.coordinate, cell.number_format or "General",
                          is_error or cell.coordinate in missing)
            if not raw.empty:
                row_cells[key] = raw
        if not row_cells:
            continue
        if number > limits.max_rows + 1:
            problems.add("too_large", f"แผ่นงานมีข้อมูลเกิน {limits.max_rows:,} แถว ซึ่งเกินขีดจำกัดของระบบ "
                         "ให้แยกข้อมูลเป็นหลายไฟล์ หรือลบแถวที่ไม่ใช้", sheet=ws.title, cell=f"A{number}")
            break
        if not (rows == [] and _is_example_row(schema, row_cells)):
            rows.append(RawRow(number, row_cells))
    return RawSheet(schema, ws.title, columns, rows, dynamic, unknown)


def _is_example_row(schema: Sheet, cells: dict[str, RawCell]) -> bool:
    """The blank workbook's untouched example row (first data row equal to the schema's examples)."""
    examples = {c.key: c.example for c in schema.columns if c.example is not None}
    if not examples or set(cells) != set(examples):
        return False
    return all(str(cells[k].value).strip() == str(v) for k, v in examples.items())


def _general_items(raw: RawSheet, problems: Problems) -> dict[str, RawCell]:
    labels = {normalise_header(item.header): item.key for item in GENERAL_ITEMS}
    items: dict[str, RawCell] = {}
    for row in raw.rows:
        label_cell = row.get("label")
        value_cell = row.get("value")
        if label_cell is None:
            continue
        key = labels.get(normalise_header(label_cell.value))
        if key is None:
            problems.add("unknown_column", f'ไม่รู้จักรายการ "{label_cell.value}" ระบบจะข้ามรายการนี้',
                         sheet=raw.title, cell=label_cell.address, value=label_cell.value)
            continue
        if value_cell is not None:
            items[key] = value_cell
        else:
            items.setdefault(key, RawCell(None, raw.address("value", row.number)))
    return items
