"""Raw cells → the typed model, reporting every cell that cannot be read, in Thai, at its address.

Each column kind of the schema has one converter; a row whose required cell is bad is left out of the
model (its error blocks the documents that need that sheet), so later stages only see valid values.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable

from service.reader.model import (PERCENT, Activity, Document, GapIssue, General, IndicatorNote, Measure, Result,
                                  ScoreRow, SubItem, Suggestion, SwocItem, Target, ToolTotal)
from service.thai.numbers import NotANumber, parse_number, to_arabic
from service.problems import Problems, display
from service.reader.contract import GENERAL, GENERAL_ITEMS, SWOC_ALIASES, TOTAL_LABEL, Column, Kind
from service.thai.dates import BE_OFFSET, BadDate, from_ce, parse_date, quarter_months
from service.thai.text import clean_text, meaning_may_change
from service.reader.cells import RawCell, RawRow, RawSheet, RawWorkbook
from service.thai.text import normalise_header

_MISSING = object()
_TARGET = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([^\d(]*?)\s*(\(.*\))?\s*$")
# "ไม่น้อยกว่าร้อยละ 90", "ร้อยละ 90", "90%", "90 %": a percentage to reach, not a count to add up.
_PERCENT_TARGET = re.compile(r"ร้อยละ\s*(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)\s*%")
_NUMBER_LIST = re.compile(r"\s*(?:,|、|/|และ|\s)\s*")
_COUNT_BLANKS = {"-", "–", "—", ""}


_DASH_EMPTY = frozenset({Kind.TEXT, Kind.NUMBER, Kind.INTEGER, Kind.DATE, Kind.NUMBER_LIST})


def _is_dash(cell: RawCell) -> bool:
    """Officers type "-" for "none" (seed 000's budget column): an empty optional value, not an error, and
    never a value printed in a sentence (a table prints its own "-" for an empty cell)."""
    return isinstance(cell.value, str) and cell.value.strip() in _COUNT_BLANKS


class Reader:
    """Converts cells of one sheet, reporting problems with the sheet's own title."""

    def __init__(self, sheet_title: str, problems: Problems):
        self.sheet = sheet_title
        self.problems = problems

    def add(self, code: str, message: str, cell: RawCell | None, address: str = "") -> None:
        self.problems.add(code, message, sheet=self.sheet, cell=cell.address if cell else address,
                          value=cell.value if cell else None)

    def convert(self, cell: RawCell | None, column: Column, address: str = "") -> Any:
        """The typed value, None when empty, or _MISSING after reporting a problem."""
        if cell is not None and cell.formula_error:
            found = (f"สูตรในเซลล์นี้ให้ผลผิดพลาด {cell.value}" if str(cell.value).startswith("#") else
                     f"สูตร {cell.value} ยังไม่มีค่าที่คำนวณไว้ (ไฟล์ถูกบันทึกด้วยโปรแกรมที่ไม่คำนวณสูตร)")
            self.add("formula_error", f"{found} ให้แก้สูตรหรือพิมพ์ค่าแทนสูตร แล้วเปิดและบันทึกไฟล์ใน Excel "
                     "อีกครั้ง", cell)
            return _MISSING
        if cell is None or cell.empty or (not column.required and column.kind in _DASH_EMPTY and _is_dash(cell)):
            if column.required:
                self.add("missing_field", f'ยังไม่ได้กรอก "{column.header}" ซึ่งต้องมีในทุกแถว '
                         f'ให้กรอก "{column.header}" ในเซลล์นี้ หรือลบทั้งแถวหากไม่ใช้', cell, address)
                return _MISSING
            return None
        return _CONVERTERS[column.kind](self, cell, column)

    def number(self, cell: RawCell, column: Column) -> Decimal | object:
        try:
            parsed = parse_number(cell.value, cell.number_format)
        except NotANumber:
            self.add("not_a_number", f'"{column.header}" ต้องเป็นตัวเลข แต่พบ "{cell.value}" '
                     "ให้พิมพ์เป็นตัวเลข เช่น 98.91", cell)
            return _MISSING
        if parsed.mixed_digits:
            self.problems.add("mixed_digits", "ตัวเลขนี้ปนกันระหว่างเลขไทยและเลขอารบิก ระบบอ่านเป็น "
                              f"{parsed.value} ให้ตรวจสอบว่าถูกต้อง", sheet=self.sheet,
                              cell=cell.address, value=cell.value)
        return parsed.value

    def integer(self, cell: RawCell, column: Column) -> int | object:
        value = self.number(cell, column)
        if value is _MISSING:
            return _MISSING
        if value != value.to_integral_value():
            self.add("not_a_number", f'"{column.header}" ต้องเป็นจำนวนเต็ม แต่พบ "{cell.value}" '
                     "ให้พิมพ์เป็นจำนวนเต็ม เช่น 3", cell)
            return _MISSING
        number = int(value)
        if column.choices and str(number) not in column.choices:
            self.add("invalid_choice", f'"{column.header}" ต้องเป็น {" ".join(column.choices)} '
                     f'แต่พบ "{cell.value}" ให้แก้เป็นค่าใดค่าหนึ่งในนี้', cell)
            return _MISSING
        return number

    def text(self, cell: RawCell, column: Column) -> str:
        raw = str(cell.value)
        text = clean_text(raw)
        if meaning_may_change(raw, text):
            self.problems.add("text_normalised", "ข้อความนี้มีวรรณยุกต์หรือสระซ้อนกันผิดรูป ระบบจะพิมพ์เป็น "
                              f'"{display(text)}" ให้ตรวจสอบว่าตรงกับที่ตั้งใจ หากไม่ตรงให้พิมพ์คำนั้นใหม่',
                              sheet=self.sheet, cell=cell.address, value=raw)
        return text

    def choice(self, cell: RawCell, column: Column) -> str | object:
        text = clean_text(str(cell.value))
        folded = {normalise_header(c): c for c in column.choices}
        folded.update({normalise_header(k): v for k, v in SWOC_ALIASES.items() if v in column.choices})
        value = folded.get(normalise_header(text))
        if value is None:
            self.add("invalid_choice", f'"{column.header}" ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: '
                     f'{", ".join(column.choices)} แต่พบ "{text}" ให้เลือกจากรายการในเซลล์', cell)
            return _MISSING
        return value

    def date(self, cell: RawCell, column: Column) -> Any:
        try:
            parsed = parse_date(cell.value)
        except BadDate as exc:
            self.add("bad_date", f'"{column.header}" {exc.reason} (พบ "{cell.value}") ให้พิมพ์วันที่ที่มีอยู่จริง '
                     'เช่น "20 พ.ย. 2568" หรือ "20/11/2568"', cell)
            return _MISSING
        if parsed.ce_converted:
            self.problems.add("ce_year", f"ปีในวันที่นี้เป็นปีคริสต์ศักราช ระบบแปลงเป็นพุทธศักราชให้แล้ว "
                              f"({parsed.value.year + BE_OFFSET}) ให้ใช้ปี พ.ศ. ในครั้งต่อไป",
                              sheet=self.sheet, cell=cell.address, value=cell.value)
        return parsed.value

    def count(self, cell: RawCell, column: Column) -> Decimal | object:
        if _is_dash(cell):
            return Decimal(0)
        return self.number(cell, column)

    def target(self, cell: RawCell, column: Column) -> Target | object:
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            number = self.number(cell, column)
            return _MISSING if number is _MISSING else Target(text=str(cell.value), number=number)
        text = clean_text(str(cell.value))
        percent = _PERCENT_TARGET.search(to_arabic(text))
        if percent:
            return Target(text=text, number=Decimal(percent[1] or percent[2]), unit=PERCENT)
        m = _TARGET.match(to_arabic(text))
        if text in _COUNT_BLANKS or not m:
            return Target(text=text)
        return Target(text=text, number=Decimal(m[1]), unit=m[2].strip(), note=(m[3] or "").strip())

    def number_list(self, cell: RawCell, column: Column) -> tuple[int, ...] | object:
        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
            value = self.integer(cell, column)
            return _MISSING if value is _MISSING else (value,)
        parts = [p for p in _NUMBER_LIST.split(to_arabic(str(cell.value)).strip()) if p]
        if not parts or not all(p.isdigit() for p in parts):
            self.add("not_a_number", f'"{column.header}" ต้องเป็นเลขลำดับคั่นด้วยจุลภาค เช่น "3, 5" '
                     f'แต่พบ "{cell.value}"', cell)
            return _MISSING
        return tuple(int(p) for p in parts)

    def row(self, sheet: RawSheet, row: RawRow, keys: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """Convert a row's schema columns; None when any required value is bad (already reported)."""
        values: dict[str, Any] = {}
        ok = True
        for column in sheet.schema.columns:
            if keys is not None and column.key not in keys:
                continue
            value = self.convert(row.get(column.key), column, sheet.address(column.key, row.number))
            if value is _MISSING:
                ok = False
            elif value is not None:
                values[column.key] = value
        cells = {k: sheet.address(k, row.number) for k in sheet.columns}
        values.update(sheet=self.sheet, row=row.number, cells=cells)
        return values if ok else None


_CONVERTERS: dict[Kind, Callable[[Reader, RawCell, Column], Any]] = {
    Kind.TEXT: Reader.text, Kind.NUMBER: Reader.number, Kind.INTEGER: Reader.integer,
    Kind.DATE: Reader.date, Kind.CHOICE: Reader.choice, Kind.COUNT: Reader.count,
    Kind.TARGET: Reader.target, Kind.NUMBER_LIST: Reader.number_list,
}


def build_general(raw: RawWorkbook, problems: Problems) -> General:
    sheet_title = raw.sheets["general"].title if "general" in raw.sheets else GENERAL.name
    reader = Reader(sheet_title, problems)
    values: dict[str, Any] = {}
    for item in GENERAL_ITEMS:
        cell = raw.general.get(item.key)
        if cell is None and item.required:
            problems.add("missing_field", f'ไม่พบรายการ "{item.header}" ในแผ่นงาน {GENERAL.name} '
                         f'ให้เพิ่มแถว "{item.header}" ในคอลัมน์รายการ และกรอกข้อมูล', sheet=sheet_title)
            continue
        value = reader.convert(cell, item, cell.address if cell else "")
        if value is not _MISSING and value is not None:
            values[item.key] = value
    if "thai_digits" in values:
        values["thai_digits"] = values["thai_digits"] == "ใช่"
    for key in ("fiscal_year", "plan_year"):
        if isinstance(values.get(key), int):
            values[key] = _be_year(values[key], reader, raw.general[key])
    values["cells"] = {k: c.address for k, c in raw.general.items()}
    return General(**values)


def _be_year(year: int, reader: Reader, cell: RawCell) -> int | None:
    be, converted = from_ce(year)
    if converted:
        reader.problems.add("ce_year", f"ปี {year} เป็นปีคริสต์ศักราช ระบบแปลงเป็น พ.ศ. {be} ให้แล้ว "
                            "ให้พิมพ์เป็นปีพุทธศักราชในครั้งต่อไป", sheet=reader.sheet, cell=cell.address,
                            value=cell.value)
        return be
    if not 2400 <= year <= 2800:
        reader.add("bad_year", f"ปีต้องเป็นปีพุทธศักราช เช่น 2569 แต่พบ {year} ให้แก้เป็นปี พ.ศ. 4 หลัก", cell)
        return None
    return year


def build_scores(sheet: RawSheet, problems: Problems) -> tuple[dict[int, str], list[ScoreRow], list[ToolTotal]]:
    """Score rows, the officer's total rows, and each year's header cell (year → address)."""
    reader = Reader(sheet.title, problems)
    years: dict[str, int] = {}
    for key in sheet.dynamic:
        year = int(key.split(":")[1])
        be, converted = from_ce(year)
        if converted:
            problems.add("ce_year", f"หัวคอลัมน์ปี {year} เป็นปีคริสต์ศักราช ระบบถือเป็น พ.ศ. {be}",
                         sheet=sheet.title, cell=f"{sheet.columns[key]}1", value=f"ปี {year}")
        years[key] = be
    score_column = Column("score", "คะแนน", Kind.NUMBER)
    rows: list[ScoreRow] = []
    totals: list[ToolTotal] = []
    for row in sheet.rows:
        name_cell = row.get("name")
        is_total = name_cell is not None and normalise_header(name_cell.value) == normalise_header(TOTAL_LABEL)
        keys = ("tool",) if is_total else None
        base = reader.row(sheet, row, keys)
        scores: dict[int, Decimal] = {}
        for key, year in years.items():
            cell = row.get(key)
            value = reader.convert(cell, score_column)
            if value is _MISSING or value is None:
                continue
            if not Decimal(0) <= value <= Decimal(100):
                reader.add("score_out_of_range", f"คะแนนต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ {value} "
                           "ให้ตรวจสอบคะแนนจากรายงานผลการประเมิน", cell)
                continue
            scores[year] = value
        if base is None:
            continue
        if is_total:
            totals.append(ToolTotal(tool=base["tool"], totals=scores, sheet=base["sheet"], row=base["row"],
                                    cells={**base["cells"], **{f"year:{y}": sheet.address(k, row.number)
                                                              for k, y in years.items()}}))
        else:
            cells = {**base.pop("cells"), **{f"year:{y}": sheet.address(k, row.number) for k, y in years.items()}}
            rows.append(ScoreRow(scores=scores, cells=cells, **base))
    headers = {year: f"{sheet.columns[key]}1" for key, year in years.items()}
    return headers, rows, totals


def analysed_year(general: General, headers: dict[int, str], rows: list[ScoreRow], sheet_title: str,
                  problems: Problems) -> int | None:
    """The workbook's ปีงบประมาณ when given, else the latest year with scores. A ปีงบประมาณ without
    scores is an error at its column's header: analysing another year would print the wrong report."""
    scored = {y for r in rows for y in r.scores}
    year = general.fiscal_year
    if year is None or not scored:
        return max(scored, default=None)
    if year in scored:
        return year
    where = (f"คอลัมน์ \"ปี {year}\" ยังไม่มีคะแนน" if year in headers else f"ไม่มีคอลัมน์ \"ปี {year}\"")
    problems.add("analysed_year_empty",
                 f"ปีงบประมาณในแผ่นงาน {GENERAL.name} คือ {year} แต่{where} ในแผ่นงานนี้ (มีคะแนนของปี "
                 f"{', '.join(map(str, sorted(scored)))}) ให้กรอกคะแนนปี {year} หรือแก้ปีงบประมาณให้ตรงกับปีที่วิเคราะห์",
                 sheet=sheet_title, cell=headers.get(year, ""), value=f"ปี {year}")
    return None


def build_plan(sheet: RawSheet, problems: Problems) -> tuple[list[Activity], bool]:
    """Activities with quarter counts; a month-based sheet is rolled up into fiscal quarters."""
    reader = Reader(sheet.title, problems)
    count = Column("count", "จำนวนรายงวด", Kind.COUNT)
    by_month = any(k.startswith("m:") for k in sheet.dynamic)
    if not sheet.dynamic:
        problems.add("no_period_columns",
                     "ไม่พบคอลัมน์จำนวนรายงวดในแผ่นงานนี้ หัวคอลัมน์ต้องเป็น \"ไตรมาส 1\" … \"ไตรมาส 4\" หรือชื่อเดือน "
                     "เช่น \"ต.ค.\", \"ต.ค. 68\", \"ตุลาคม\" ให้แก้หัวคอลัมน์ของงวดให้เป็นแบบใดแบบหนึ่งนี้",
                     sheet=sheet.title, cell=sheet.unknown[0] if sheet.unknown else "")
    activities: list[Activity] = []
    for row in sheet.rows:
        base = reader.row(sheet, row)
        counts: dict[str, Decimal] = {}
        for key in sheet.dynamic:
            if by_month != key.startswith("m:"):
                continue
            value = reader.convert(row.get(key), count)
            counts[key] = Decimal(0) if value is None or value is _MISSING else value
            if value is _MISSING:
                base = None
        if base is None:
            continue
        if by_month:
            months = {int(k[2:]): v for k, v in counts.items()}
            quarters = tuple(sum((months.get(m, Decimal(0)) for m in quarter_months(q)), Decimal(0))
                             for q in range(1, 5))
            base["months"] = months
        else:
            quarters = tuple(counts.get(f"q:{q}", Decimal(0)) for q in range(1, 5))
        cells = base.pop("cells")
        cells.update({k: sheet.address(k, row.number) for k in sheet.dynamic})
        activities.append(Activity(quarters=quarters, cells=cells, **base))
    return activities, by_month


def _simple(sheet: RawSheet | None, problems: Problems, model: type) -> list[Any]:
    if sheet is None:
        return []
    reader = Reader(sheet.title, problems)
    return [model(**values) for row in sheet.rows if (values := reader.row(sheet, row)) is not None]


def build_document(raw: RawWorkbook, problems: Problems) -> Document:
    general = build_general(raw, problems)
    scores: list[ScoreRow] = []
    totals: list[ToolTotal] = []
    year: int | None = None
    if raw.has("scores"):
        headers, scores, totals = build_scores(raw.sheets["scores"], problems)
        year = analysed_year(general, headers, scores, raw.sheets["scores"].title, problems)
    # Years with scores, up to the analysed one: an empty year column is no part of any document.
    years = tuple(sorted(y for y in {y for r in scores for y in r.scores} if year is None or y <= year))
    activities: list[Activity] = []
    by_month = False
    if raw.has("plan"):
        activities, by_month = build_plan(raw.sheets["plan"], problems)
    get = raw.sheets.get
    return Document(
        general=general, year=year, years=years, scores=tuple(scores), totals=tuple(totals),
        subitems=tuple(_simple(get("subitems"), problems, SubItem)),
        suggestions=tuple(_simple(get("suggestions"), problems, Suggestion)),
        indicator_notes=tuple(_simple(get("indicator_analysis"), problems, IndicatorNote)),
        swoc=tuple(_simple(get("swoc"), problems, SwocItem)),
        gaps=tuple(_simple(get("gaps"), problems, GapIssue)),
        measures=tuple(_simple(get("measures"), problems, Measure)),
        activities=tuple(activities), plan_by_month=by_month,
        plan_unknown_headers=tuple(raw.sheets["plan"].unknown) if raw.has("plan") else (),
        results=tuple(_simple(get("results"), problems, Result)),
    )
