"""The reader finds columns by header text and reads every number form the contract allows."""
from __future__ import annotations

from decimal import Decimal

import openpyxl

from service.analysis.scores import analyse, overall_score
from service.reader.build import build_document
from service.analysis.framework import load_framework
from service.problems import Problems
from service.reader.cells import read_workbook



def _workbook(tmp_path, rows, header=("ตัวชี้วัด", "  ปี ๒๕๖๙ ", "ลำดับ", "หมายเหตุ", "เครื่องมือ")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ข้อมูลทั่วไป"
    ws.append(["รายการ", "ข้อมูล"])
    ws.append(["หน่วยงาน", "หน่วยทดสอบ"])
    ws.append(["ปีงบประมาณ", "๒๕๖๙"])
    scores = wb.create_sheet(" คะแนนตัวชี้วัด ")
    scores.append(list(header))
    for row in rows:
        scores.append(row)
    wb.create_sheet("บันทึกส่วนตัว").append(["อะไรก็ได้"])
    path = tmp_path / "w.xlsx"
    wb.save(path)
    return path


def _read(path):
    problems = Problems()
    doc = build_document(read_workbook(path, problems), problems)
    return doc, problems


def test_columns_in_any_order_and_every_number_form(tmp_path):
    path = _workbook(tmp_path, [
        ["การปฏิบัติหน้าที่", "๙๘.๙๑", 1, "x", "IIT"],
        ["การใช้งบประมาณ", "ร้อยละ 97.5", "2", None, "IIT"],
        ["การใช้อำนาจ", "99.5 %", 3, None, "iit"],
        ["การใช้ทรัพย์สินของราชการ", 0.9891, 4, None, "IIT"],
        ["การแก้ไขปัญหาการทุจริต", " 1,00 ", 5, None, "IIT"],
    ])
    wb = openpyxl.load_workbook(path)
    wb[" คะแนนตัวชี้วัด "]["B5"].number_format = "0.00%"
    wb.save(path)
    doc, problems = _read(path)
    assert doc.general.fiscal_year == 2569
    assert doc.years == (2569,)
    assert [r.scores[2569] for r in doc.scores] == [Decimal("98.91"), Decimal("97.5"), Decimal("99.5"),
                                                    Decimal("98.91"), Decimal("100")]
    assert doc.scores[2].tool == "IIT"
    assert doc.scores[3].cells["year:2569"] == "B5"
    codes = {(p.code, p.sheet, p.cell) for p in problems.items}
    assert ("unknown_column", " คะแนนตัวชี้วัด ", "D1") in codes
    assert ("unknown_sheet", "บันทึกส่วนตัว", "A1")     # its first cell, marked in the annotated copy in codes
    assert not problems.errors


def test_bad_cells_are_reported_with_their_address(tmp_path):
    path = _workbook(tmp_path, [
        ["การปฏิบัติหน้าที่", "เก้าสิบ", 1, None, "IIT"],
        ["การใช้งบประมาณ", 105, 2, None, "IIT"],
        ["การใช้อำนาจ", 90, 3, None, "XYZ"],
    ])
    _, problems = _read(path)
    found = {(p.code, p.cell, p.value) for p in problems.errors}
    assert ("not_a_number", "B2", "เก้าสิบ") in found
    assert ("score_out_of_range", "B3", "105") in found
    assert ("invalid_choice", "E4", "XYZ") in found
    message = next(p.message for p in problems.errors if p.code == "score_out_of_range")
    assert message.startswith("คะแนนต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ 105")


def test_level_bands_and_missing_tool(tmp_path, settings):
    framework = load_framework(settings.frameworks_dir, 2569)
    assert [framework.level_of(Decimal(s)) for s in ("95", "94.99", "85", "84.99", "75", "65", "55", "50", "49.99")] \
        == ["AA", "A", "A", "B", "B", "C", "D", "E", "F"]
    assert overall_score({"IIT": Decimal("99.96"), "EIT": Decimal("98.70")}, framework) is None
    assert overall_score({"IIT": Decimal(100), "EIT": Decimal(100), "OIT": Decimal(50)}, framework) == Decimal("80.00")


def test_ties_are_listed_together(tmp_path, settings):
    path = _workbook(tmp_path, [["a", 100, 1, None, "IIT"], ["b", 90, 2, None, "IIT"], ["c", 100, 3, None, "IIT"],
                                ["d", 90, 4, None, "IIT"], ["e", 95, 5, None, "IIT"]])
    doc, _ = _read(path)
    framework = load_framework(settings.frameworks_dir, 2569)
    iit = analyse(doc, framework).tools["IIT"]
    assert [i.number for i in iit.highest] == [1, 3]
    assert [i.number for i in iit.lowest] == [2, 4]


def test_formula_without_cached_value_is_found_through_the_package_relationships(tmp_path):
    """The formula scan finds a sheet's XML by its name in workbook.xml and the relationships, not by
    its position: here the score sheet's part is renamed and comes first in the zip."""
    import zipfile

    path = _workbook(tmp_path, [["ก", "=1/0", 1, "", "IIT"]])
    renamed = tmp_path / "renamed.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(renamed, "w") as dst:
        dst.writestr("xl/worksheets/scores.xml", src.read("xl/worksheets/sheet2.xml"))
        for item in src.infolist():
            data = src.read(item.filename).replace(b"worksheets/sheet2.xml", b"worksheets/scores.xml")
            if item.filename != "xl/worksheets/sheet2.xml":
                dst.writestr(item.filename, data)
    _, problems = _read(renamed)
    assert [(p.code, p.sheet, p.cell, p.value) for p in problems.errors] == [
        ("formula_error", " คะแนนตัวชี้วัด ", "B2", "=1/0")]


def test_a_label_whose_sara_am_is_in_two_halves_is_the_same_label(settings, tmp_path):
    """ผู้จัดทำ pasted from a PDF (or passed through NFKC) arrives as ผู้จัดท + ํ + า: still the preparer."""
    from service.pipeline import run
    from workbooks import seed000_analysis

    spec = seed000_analysis()
    spec.general["ผู้จัดทํา"] = spec.general.pop("ผู้จัดทำ", "นางสาวสมใจ ตั้งใจดี")
    outcome = run(spec.save(tmp_path / "halves.xlsx"), settings)
    assert not [p for p in outcome.problems.items if p.code == "unknown_column"]
    assert outcome.document.general.preparer
