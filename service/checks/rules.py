"""Consistency checks on the typed model: the mistakes officers make by hand, reported at the cell.

Pure functions of the model and the year's framework; each appends to `Problems`. A check that
compares two sheets runs only when the sheet it looks things up in was read without errors, so one
bad row is reported once and not again as a broken reference.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Iterator

from service.analysis.scores import TOTAL_TOLERANCE, mean
from service.analysis.framework import Framework
from service.reader.model import Activity, Document, Located
from service.thai.numbers import format_number, format_score
from service.problems import Problems
from service.reader.contract import GENERAL, SHEET_BY_KEY, Kind
from service.thai.abbreviations import foreign_abbreviations, registry
from service.thai.spelling import DEFAULT_DICTIONARY, Misspelling, lexicon, misspellings
from service.thai.dates import FISCAL_MONTHS, fiscal_quarter, month_heading, quarter_span, thai_date
from service.thai.text import code_key, normalise_header

# Free text that is not spell-checked: codes, and indicator names (checked against the framework).
_NOT_PROSE = frozenset({("scores", "name")})
# Columns that hold people's names: never spell-checked (abbreviations still are).
_NAMES = frozenset({"responsible"})
# Sheet key → the model's rows of that sheet (ข้อมูลทั่วไป is the workbook's own vocabulary, not prose).
_ROWS = {"scores": "scores", "subitems": "subitems", "suggestions": "suggestions",
         "indicator_analysis": "indicator_notes", "swoc": "swoc", "gaps": "gaps", "measures": "measures",
         "plan": "activities", "results": "results"}


def check_totals(doc: Document, problems) -> None:
    """An officer's "คะแนนรวม" must equal the plain mean of the tool's indicators (tolerance 0.01)."""
    bad = {(p.sheet, p.cell) for p in problems.errors}
    for total in doc.totals:
        for year, typed in total.totals.items():
            rows = [r for r in doc.scores if r.tool == total.tool]
            if any((r.sheet, r.cell(f"year:{year}")) in bad for r in rows):
                continue  # a score of that year is already reported: a mean without it would mislead
            values = [r.scores[year] for r in rows if year in r.scores]
            computed = mean(values)
            if computed is None or abs(typed - computed) <= TOTAL_TOLERANCE:
                continue
            problems.add("total_mismatch",
                         f"คะแนนรวม {total.tool} ปี {year} ที่กรอกไว้คือ {typed} แต่ค่าเฉลี่ยของตัวชี้วัด "
                         f"{len(values)} ตัวคือ {format_number(computed)} ให้แก้เป็น {format_number(computed)} "
                         "หรือตรวจสอบคะแนนรายตัวชี้วัด", sheet=total.sheet,
                         cell=total.cell(f"year:{year}"), value=typed)


def check_indicators(doc: Document, framework: Framework, problems) -> None:
    """Indicator numbers must exist in the year's framework (error); names should match it (warning)."""
    for row in doc.scores:
        known = framework.indicator(row.number)
        if known is None:
            numbers = ", ".join(str(i.number) for i in framework.indicators)
            problems.add("unknown_indicator",
                         f"กรอบการประเมินปี {framework.fiscal_year} ไม่มีตัวชี้วัดลำดับที่ {row.number} "
                         f"(มีเฉพาะ {numbers}) ให้ตรวจสอบเลขลำดับตัวชี้วัด", sheet=row.sheet,
                         cell=row.cell("number"), value=row.number)
            continue
        if known.tool != row.tool:
            problems.add("unknown_indicator",
                         f"ตัวชี้วัดที่ {row.number} เป็นของเครื่องมือ {known.tool} ไม่ใช่ {row.tool} "
                         "ให้แก้เครื่องมือหรือเลขลำดับให้ตรงกัน", sheet=row.sheet, cell=row.cell("tool"),
                         value=row.tool)
        names = {normalise_header(n) for n in (known.name, *known.aliases)}
        if normalise_header(row.name) not in names:
            problems.add("indicator_name_mismatch",
                         f'ชื่อตัวชี้วัดที่ {row.number} ในกรอบการประเมินปี {framework.fiscal_year} คือ '
                         f'"{known.name}" แต่พบ "{row.name}" ให้ตรวจสอบชื่อ', sheet=row.sheet,
                         cell=row.cell("name"), value=row.name)


def incomplete_sheets(problems: Problems) -> set[str]:
    """Keys of the sheets read with errors: a row with a bad cell is missing from the model, so
    references into such a sheet cannot be checked."""
    names = {normalise_header(p.sheet) for p in problems.errors}
    return {key for key, sheet in SHEET_BY_KEY.items() if normalise_header(sheet.name) in names}


def _periods(activity: Activity, by_month: bool) -> str:
    if by_month and activity.months is not None:
        months = [(month_heading(m), activity.months.get(m, Decimal(0))) for m in FISCAL_MONTHS]
        return ", ".join(f"{h} {format_score(v)}" for h, v in months if v)
    return " + ".join(format_score(q) for q in activity.quarters)


def _unread_headers(doc: Document) -> str:
    """A hint when the sum may be short because some period columns were not understood."""
    if not doc.plan_unknown_headers:
        return ""
    return (f" (ระบบอ่านหัวคอลัมน์ {', '.join(doc.plan_unknown_headers)} ไม่ได้ หากเป็นคอลัมน์งวด "
            "ให้แก้หัวคอลัมน์เป็น \"ไตรมาส 1\" … หรือชื่อเดือน เช่น \"ต.ค.\")")


def check_plan(doc: Document, problems: Problems, incomplete: set[str]) -> None:
    """Activity codes are unique; numeric targets equal the sum of their period counts; every
    activity names a measure of มาตรการ (when that sheet is there)."""
    first_row: dict[str, int] = {}
    measures = {m.number for m in doc.measures} if doc.measures and "measures" not in incomplete else None
    periods_read = not any(p.code == "no_period_columns" for p in problems.errors)
    for a in doc.activities:
        code = code_key(a.code)
        if code in first_row:
            problems.add("duplicate_activity",
                         f'รหัสกิจกรรม "{a.code}" ซ้ำกับแถวที่ {first_row[code]} รหัสกิจกรรมต้องไม่ซ้ำกัน '
                         "ให้เปลี่ยนรหัสของแถวนี้เป็นรหัสที่ยังไม่ได้ใช้ หรือลบแถวที่ซ้ำ",
                         sheet=a.sheet, cell=a.cell("code"), value=a.code)
        else:
            first_row[code] = a.row
        target = a.target.number
        total = sum(a.quarters, Decimal(0))
        if periods_read and target is not None and not a.percent_target and total != target:
            period = "รายเดือน" if doc.plan_by_month else "รายไตรมาส"
            problems.add("quarter_sum_mismatch",
                         f"กิจกรรม {a.code} มีเป้าหมายเชิงปริมาณ {format_score(target)} {a.target.unit or a.unit} "
                         f"แต่จำนวน{period}รวมกันได้ {format_score(total)} ({_periods(a, doc.plan_by_month)}) "
                         f"ให้แก้เป้าหมายหรือจำนวน{period}ให้รวมกันเท่ากับเป้าหมาย{_unread_headers(doc)}",
                         sheet=a.sheet, cell=a.cell("target"), value=a.target.text)
        if measures is not None and a.measure not in measures:
            _unknown_measure(problems, a, "measure", a.measure, measures)


def _unknown_measure(problems: Problems, row: Located, key: str, number: int, measures: set[int]) -> None:
    known = ", ".join(str(n) for n in sorted(measures))
    problems.add("unknown_measure",
                 f"ไม่มีมาตรการที่ {number} ในแผ่นงาน {SHEET_BY_KEY['measures'].name} (มีมาตรการที่ {known}) "
                 "ให้แก้เลขมาตรการให้ตรงกับคอลัมน์ลำดับของแผ่นงานมาตรการ หรือเพิ่มมาตรการนั้น",
                 sheet=row.sheet, cell=row.cell(key), value=number)


def check_gaps(doc: Document, problems: Problems, incomplete: set[str]) -> None:
    """Measure numbers of ประเด็นที่ต้องปิด Gap name rows of มาตรการ (when that sheet is there)."""
    if not doc.measures or "measures" in incomplete:
        return
    measures = {m.number for m in doc.measures}
    for gap in doc.gaps:
        for number in gap.measures:
            if number not in measures:
                _unknown_measure(problems, gap, "measures", number, measures)


def check_results(doc: Document, problems: Problems, incomplete: set[str]) -> None:
    """Results name activities of the plan, are not later than the reporting quarter, and their dates
    fall inside their fiscal quarter (a warning: work done earlier than planned is progress)."""
    plan = {code_key(a.code) for a in doc.activities} if doc.activities and "plan" not in incomplete else None
    reported = doc.general.quarter
    year = doc.general.plan_fiscal_year
    for r in doc.results:
        if plan is not None and code_key(r.code) not in plan:
            problems.add("unknown_activity",
                         f'ไม่มีกิจกรรมรหัส "{r.code}" ในแผ่นงาน {SHEET_BY_KEY["plan"].name} '
                         "ให้แก้รหัสให้ตรงกับคอลัมน์รหัสกิจกรรมของแผนงาน หรือเพิ่มกิจกรรมนั้นในแผนงาน",
                         sheet=r.sheet, cell=r.cell("code"), value=r.code)
        if reported is not None and r.quarter > reported:
            problems.add("quarter_after_report",
                         f"ผลการดำเนินงานนี้เป็นของไตรมาส {r.quarter} ซึ่งเลยไตรมาสที่รายงาน (ไตรมาส {reported} "
                         f'ในแผ่นงาน {GENERAL.name}) ให้แก้ไตรมาสของผลงานนี้ หรือแก้ "ไตรมาสที่รายงาน"',
                         sheet=r.sheet, cell=r.cell("quarter"), value=r.quarter)
        if r.date is not None and year is not None and fiscal_quarter(r.date) != (year, r.quarter):
            problems.add("date_outside_quarter",
                         f"วันที่ดำเนินการ {thai_date(r.date, True)} ไม่อยู่ในไตรมาส {r.quarter} ของปีงบประมาณ "
                         f"{year} ({quarter_span(r.quarter)}) "
                         "ให้ตรวจสอบวันที่หรือไตรมาสของแถวนี้",
                         sheet=r.sheet, cell=r.cell("date"), value=thai_date(r.date, True))


def _prose(doc: Document) -> Iterator[tuple[Located, str, str]]:
    """(row, field, text) for every free-text cell of the model."""
    for key, attribute in _ROWS.items():
        rows = getattr(doc, attribute)
        for column in SHEET_BY_KEY[key].columns:
            if column.kind is not Kind.TEXT or column.key == "code" or (key, column.key) in _NOT_PROSE:
                continue
            for row in rows:
                text = getattr(row, column.key, "")
                if text:
                    yield row, column.key, text


def check_text(doc: Document, problems: Problems, dictionary: Path = DEFAULT_DICTIONARY) -> None:
    """Spelling (with suggestions) and other units' abbreviations in every free-text cell. The
    workbook's own unit, parent, people and their positions are accepted as written."""
    g = doc.general
    own = "\n".join((g.unit, g.abbreviation, g.parent, g.preparer, g.preparer_position, g.approver,
                     g.approver_position, g.round))
    lex = lexicon(dictionary)
    known = registry(g.abbreviation, own, lex)
    seen: dict[tuple[str, bool], tuple[list[str], list[Misspelling]]] = {}  # a text repeated row after row
    for row, key, text in _prose(doc):
        named = key in _NAMES
        if (text, named) not in seen:
            seen[text, named] = (foreign_abbreviations(text, g.abbreviation, own, lex, named, known),
                                 [] if named else misspellings(text, own, lex))
        abbreviations, misspelt = seen[text, named]
        for word in abbreviations:
            problems.add("abbreviation_mismatch",
                         f'ข้อความนี้ระบุหน่วยงานว่า "{word}" แต่ชื่อย่อของหน่วยงานนี้คือ "{g.abbreviation}" '
                         f'(แผ่นงาน {GENERAL.name}) อาจคัดลอกมาจากเอกสารของหน่วยงานอื่น ให้แก้เป็น '
                         f'"{g.abbreviation}" หากหมายถึงหน่วยงานนี้', sheet=row.sheet, cell=row.cell(key),
                         value=text)
        for m in misspelt:
            choices = " หรือ ".join(f'"{s}"' for s in m.suggestions)
            fix = f" ควรเป็น {choices}" if choices else ""
            problems.add("spelling",
                         f'คำว่า "{m.word}" อาจสะกดผิด{fix} ให้ตรวจสอบและแก้ไข '
                         "(หากถูกต้องอยู่แล้วไม่ต้องแก้)", sheet=row.sheet, cell=row.cell(key), value=text)


def run_checks(doc: Document, framework: Framework | None, problems: Problems,
               dictionary: Path = DEFAULT_DICTIONARY) -> None:
    incomplete = incomplete_sheets(problems)
    check_totals(doc, problems)
    if framework is not None:
        check_indicators(doc, framework, problems)
    check_plan(doc, problems, incomplete)
    check_gaps(doc, problems, incomplete)
    check_results(doc, problems, incomplete)
    check_text(doc, problems, dictionary)
