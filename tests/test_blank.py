"""The blank standard workbook: generated from the schema, shipped in templates/, and — filled by an
officer through its headers only — enough to make all three documents."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from service.authoring.blank import BLANK_NAME, FORMATS, build_blank, latest_framework, reproducible_bytes, write_blank
from service.delivery.job import process
from service.reader.contract import GENERAL, GENERAL_ITEMS, INSTRUCTIONS, SCORES, SHEETS, Kind
from workbooks import WorkbookSpec, seed000_analysis, seed000_plan
from shipped import ROOT, shipped_copy


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    from service.settings import load_settings
    tmp = tmp_path_factory.mktemp("blank")
    return write_blank(tmp, load_settings(shipped_copy(tmp / "itadoc")))[0]


def test_blank_is_reproducible_and_the_shipped_copy_is_current(blank: Path, settings) -> None:
    again = reproducible_bytes(build_blank(latest_framework(settings)))
    assert blank.read_bytes() == again
    shipped = ROOT / "templates" / BLANK_NAME
    assert shipped.read_bytes() == again, "run: python -m service blank"


def test_blank_follows_the_schema(blank: Path, settings) -> None:
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames == [INSTRUCTIONS, *(s.name for s in SHEETS)]
    for sheet in SHEETS:
        ws = wb[sheet.name]
        headers = [c.value for c in ws[1]]
        assert headers[:len(sheet.columns)] == [c.header for c in sheet.columns]
        assert ws.freeze_panes == "A2" and ws[1][0].font.bold
        lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation
                 if dv.type == "list"}
        for index, column in enumerate(sheet.columns, 1):
            letter = openpyxl.utils.get_column_letter(index)
            assert ws.column_dimensions[letter].width == column.width
            if column.choices and sheet is not GENERAL:
                assert lists[f"{letter}2"] == '"' + ",".join(column.choices) + '"'
        examples = {c.header: c.example for c in sheet.columns if c.example is not None}
        if sheet not in (SCORES, GENERAL):
            row = {headers[i]: c.value for i, c in enumerate(ws[2]) if c.value is not None}
            assert row == examples and ws[2][0].font.italic
    general = wb[GENERAL.name]
    assert [general.cell(row=r, column=1).value for r in range(2, len(GENERAL_ITEMS) + 2)] == \
        [i.header for i in GENERAL_ITEMS]
    scores = wb[SCORES.name]
    framework = latest_framework(settings)
    assert [c.value for c in scores[1]][3:] == [f"ปี {y}" for y in range(framework.fiscal_year - 2,
                                                                          framework.fiscal_year + 1)]
    assert [(r[0].value, r[1].value, r[2].value) for r in scores.iter_rows(min_row=2)] == \
        [(i.tool, i.number, i.name) for i in framework.indicators]
    assert scores.column_dimensions["D"].number_format == FORMATS[Kind.NUMBER]
    date_row = next(r for r, i in enumerate(GENERAL_ITEMS, 2) if i.kind is Kind.DATE)
    assert general.cell(row=date_row, column=2).number_format == FORMATS[Kind.DATE]


def test_untouched_blank_reports_only_the_missing_unit_and_year(blank: Path, settings) -> None:
    receipt = process(blank, settings).receipt
    assert not receipt.warnings and not receipt.documents and not receipt.blocked
    assert {(e["code"], e["cell"]) for e in receipt.errors} == {("missing_field", "B2"), ("missing_field", "B5")}


def _headers(ws) -> dict[str, int]:
    return {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}


def _column(ws, header: str) -> int:
    """The column of a header, added at the end when the form lacks it (as an officer would)."""
    headers = _headers(ws)
    if header not in headers:
        headers[header] = ws.max_column + 1
        ws.cell(row=1, column=headers[header], value=header)
    return headers[header]


def fill_through_headers(blank: Path, spec: WorkbookSpec, out: Path) -> Path:
    """Fill a copy of the blank form as an officer would: by label and header text, never by position.
    Example rows are deleted, the prefilled indicators get their scores, other rows are appended."""
    shutil.copy(blank, out)
    wb = openpyxl.load_workbook(out)
    general = wb[GENERAL.name]
    label_col, value_col = _column(general, "รายการ"), _column(general, "ข้อมูล")
    rows = {general.cell(row=r, column=label_col).value: r for r in range(2, general.max_row + 1)}
    for label, value in spec.general.items():
        general.cell(row=rows[label], column=value_col, value=value)
    for name, records in spec.sheets.items():
        ws = wb[name]
        if name == SCORES.name:
            _fill_scores(ws, records)
            continue
        ws.delete_rows(2)                                  # the grey example row
        for record in records:
            row = ws.max_row + 1
            for header, value in record.items():
                ws.cell(row=row, column=_column(ws, header), value=value)
    wb.save(out)
    return out


def _fill_scores(ws, records: list[dict[str, Any]]) -> None:
    number_col, name_col = _column(ws, "ลำดับ"), _column(ws, "ตัวชี้วัด")
    by_number = {ws.cell(row=r, column=number_col).value: r for r in range(2, ws.max_row + 1)}
    for record in records:
        is_total = record.get("ตัวชี้วัด") == "คะแนนรวม"
        row = ws.max_row + 1 if is_total else by_number.get(record["ลำดับ"], ws.max_row + 1)
        for header, value in record.items():
            if header.startswith("ปี ") or ws.cell(row=row, column=name_col).value is None:
                ws.cell(row=row, column=_column(ws, header), value=value)


def test_blank_filled_through_headers_makes_all_three_documents(blank: Path, settings, tmp_path: Path) -> None:
    spec = seed000_analysis()
    spec.sheets.update(seed000_plan().sheets)
    filled = fill_through_headers(blank, spec, tmp_path / "ศรป_2569.xlsx")
    result = process(filled, settings)
    receipt = result.receipt
    assert receipt.status == "ok", receipt.errors
    assert sorted(d.kind for d in receipt.documents) == ["analysis", "plan", "quarterly"]
    assert not [w for w in receipt.warnings if w["code"] in ("unknown_sheet", "unknown_column")]
    assert receipt.figures["tool_scores"]["IIT"] == 99.27
    for entry in receipt.documents:
        assert (result.job_dir / entry.docx).stat().st_size > 0


def test_blank_keeps_an_edited_form_before_writing_the_new_one(tmp_path: Path) -> None:
    """`itadoc blank` (the new year's form) rewrites templates/; a form the administrator edited there
    is kept in templates/สำรอง/, never lost. The same form again makes no copy."""
    import subprocess
    import sys

    home = tmp_path / "home"
    config = shipped_copy(home)
    form = home / "templates" / BLANK_NAME
    edited = openpyxl.load_workbook(form)
    edited[INSTRUCTIONS]["A1"] = "แบบฟอร์มของสำนักงานเรา"
    edited.save(form)
    before = form.read_bytes()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ITADOC_")}

    def blank() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "service", "blank", "--config", str(config)], cwd=tmp_path,
                              capture_output=True, text=True, env={**env, "PYTHONPATH": str(ROOT)}, timeout=120)

    proc = blank()
    assert proc.returncode == 0, proc.stderr
    [kept] = (home / "templates" / "สำรอง").iterdir()
    assert kept.read_bytes() == before and kept.name in proc.stdout
    assert form.read_bytes() == (ROOT / "templates" / BLANK_NAME).read_bytes()
    assert blank().returncode == 0 and len(list((home / "templates" / "สำรอง").iterdir())) == 1
