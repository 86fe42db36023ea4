"""Fill the shipped form the way an officer does: copy `templates/แบบฟอร์ม_ITA_มาตรฐาน.xlsx`, type values
under its headers (over the grey example row), type scores beside the prefilled indicators, save.

    form = OfficerForm(tmp_path)
    form.general(ปีงบประมาณ=2568, หน่วยงาน="…")
    form.scores({1: {2568: 93.33}}, totals={"IIT": {2568: 97.58}})
    form.rows("แผนงาน", [{"รหัสกิจกรรม": "1.1", …}])
    path = form.save("officer.xlsx")
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl

from shipped import ROOT

SHIPPED_FORM = ROOT / "templates" / "แบบฟอร์ม_ITA_มาตรฐาน.xlsx"


class OfficerForm:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "form-copy.xlsx"
        shutil.copyfile(SHIPPED_FORM, self.path)
        self.wb = openpyxl.load_workbook(self.path)

    def _headers(self, sheet: str) -> dict[str, int]:
        ws = self.wb[sheet]
        return {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}

    def header_cell(self, sheet: str, header: str) -> str:
        """The address of a header, as an error report names it."""
        return self.wb[sheet].cell(row=1, column=self._headers(sheet)[header]).coordinate

    def general(self, **values: Any) -> "OfficerForm":
        """Type each value beside its label in ข้อมูลทั่วไป (a label the form lacks is added below)."""
        ws = self.wb["ข้อมูลทั่วไป"]
        rows = {str(ws.cell(row=r, column=1).value).strip(): r for r in range(2, ws.max_row + 1)}
        for label, value in values.items():
            row = rows.get(label)
            if row is None:
                row = ws.max_row + 1
                ws.cell(row=row, column=1, value=label)
            ws.cell(row=row, column=2, value=value)
        return self

    def scores(self, scores: dict[int, dict[int, Any]], totals: dict[str, dict[int, Any]] | None = None
               ) -> "OfficerForm":
        """Scores typed beside the form's prefilled indicators; a คะแนนรวม row per tool in `totals`."""
        ws = self.wb["คะแนนตัวชี้วัด"]
        headers = self._headers("คะแนนตัวชี้วัด")
        by_number = {ws.cell(row=r, column=headers["ลำดับ"]).value: r for r in range(2, ws.max_row + 1)}
        for number, by_year in scores.items():
            for year, value in by_year.items():
                ws.cell(row=by_number[number], column=headers[f"ปี {year}"], value=value)
        for tool, by_year in (totals or {}).items():
            row = ws.max_row + 1
            ws.cell(row=row, column=headers["เครื่องมือ"], value=tool)
            ws.cell(row=row, column=headers["ตัวชี้วัด"], value="คะแนนรวม")
            for year, value in by_year.items():
                ws.cell(row=row, column=headers[f"ปี {year}"], value=value)
        return self

    def rename_headers(self, sheet: str, renames: dict[str, str]) -> "OfficerForm":
        """Retitle header cells (an officer heading the plan by month, say)."""
        ws = self.wb[sheet]
        for cell in ws[1]:
            if cell.value in renames:
                cell.value = renames[cell.value]
        return self

    def add_columns(self, sheet: str, headers: list[str]) -> "OfficerForm":
        ws = self.wb[sheet]
        start = ws.max_column + 1
        for offset, header in enumerate(headers):
            ws.cell(row=1, column=start + offset, value=header)
        return self

    def rows(self, sheet: str, rows: list[dict[str, Any]]) -> "OfficerForm":
        """Rows typed from row 2 down, over the example row (whose untyped cells are cleared)."""
        ws = self.wb[sheet]
        headers = self._headers(sheet)
        for col in range(1, ws.max_column + 1):
            ws.cell(row=2, column=col).value = None
        for number, values in enumerate(rows, 2):
            for header, value in values.items():
                ws.cell(row=number, column=headers[header], value=value)
        return self

    def save(self, name: str = "officer.xlsx") -> Path:
        out = self.path.with_name(name)
        self.wb.save(out)
        return out
