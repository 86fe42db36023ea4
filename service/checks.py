"""Consistency checks on the typed model: the mistakes officers make by hand, reported at the cell.

Pure functions of the model and the year's framework; each appends to `Problems`.
"""
from __future__ import annotations

from decimal import Decimal

from .analysis import mean
from .framework import Framework
from .model import Document
from .numbers import format_number
from .workbook import normalise_header

TOTAL_TOLERANCE = Decimal("0.01")


def check_totals(doc: Document, problems) -> None:
    """An officer's "คะแนนรวม" must equal the plain mean of the tool's indicators (tolerance 0.01)."""
    for total in doc.totals:
        for year, typed in total.totals.items():
            values = [r.scores[year] for r in doc.scores if r.tool == total.tool and year in r.scores]
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


def run_checks(doc: Document, framework: Framework | None, problems) -> None:
    check_totals(doc, problems)
    if framework is not None:
        check_indicators(doc, framework, problems)
