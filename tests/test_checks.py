"""Every error code, planted once at a known cell of one real workbook, is reported exactly there,
explained in Thai with its fix, blocks only the documents that read that sheet, and comes back to the
officer as a red, commented cell of the annotated copy and a line of the error report."""
from __future__ import annotations

from pathlib import Path

import openpyxl

from service.delivery.feedback import ANNOTATED_PREFIX, FILLS, REPORT_NAME
from service.delivery.job import process
from service.pipeline import run
from workbooks import WorkbookSpec

GENERAL = {"หน่วยงาน": "ศูนย์ความร่วมมือระหว่างประเทศ", "ชื่อย่อหน่วยงาน": "ศรป.", "ปีงบประมาณ": 2569,
           "ไตรมาสที่รายงาน": 1}
SCORES = "คะแนนตัวชี้วัด"
PLAN = "แผนงาน"
RESULTS = "ผลการดำเนินงาน"
GAPS = "ประเด็นที่ต้องปิด Gap"


def _score(tool, number, name, score):
    return {"เครื่องมือ": tool, "ลำดับ": number, "ตัวชี้วัด": name, "ปี 2569": score}


def _activity(measure, code, target, quarters):
    row = {"มาตรการที่": measure, "รหัสกิจกรรม": code, "โครงการ/กิจกรรม": "ประชุมชี้แจงผลการประเมิน",
           "เป้าหมายเชิงปริมาณ": target, "หน่วยนับ": "ครั้ง"}
    row.update({f"ไตรมาส {q}": n for q, n in enumerate(quarters, 1)})
    return row


def faulty_workbook(path: Path) -> Path:
    """One planted fault per error code (cells noted beside each row)."""
    spec = WorkbookSpec(general=dict(GENERAL), sheets={
        SCORES: [
            _score("IIT", 1, "การปฏิบัติหน้าที่", 98),                       # row 2: fine
            _score("IIT", 2, "การใช้งบประมาณ", "เก้าสิบ"),                   # D3 not_a_number
            _score("IIT", 3, "การใช้อำนาจ", 105),                            # D4 score_out_of_range
            _score("IIT", 4, "การใช้ทรัพย์สินของราชการ", "=1/0"),             # D5 formula_error
            _score("IIT", 99, "การปฏิบัติหน้าที่", 90),                       # B6 unknown_indicator
            _score("IIT", None, "การแก้ไขปัญหาการทุจริต", 97),                 # B7 missing_field
            _score("EIT", None, "คะแนนรวม", 50),                              # D8 total_mismatch (EIT: its
            _score("XIT", 5, "การแก้ไขปัญหาการทุจริต", 97),                    # A9 invalid_choice   scores are
            _score("EIT", 6, "คุณภาพการดำเนินงาน", 90),                         # row 10: fine        all valid)
        ],
        "มาตรการ": [{"ลำดับ": 1, "มาตรการ": "สื่อสารผลการประเมินและมาตรการแก้ไข"}],
        GAPS: [{"ตัวชี้วัด": 4, "ประเด็น": "การขอยืมทรัพย์สินของหน่วยงาน", "มาตรการที่ใช้": "1, 8"}],  # C2
        PLAN: [
            _activity(1, "1.1", "9 ครั้ง", (2, 3, 2, 1)),                    # D2 quarter_sum_mismatch
            _activity(1, "1.1", "1 ครั้ง", (1, 0, 0, 0)),                    # B3 duplicate_activity
            _activity(7, "1.2", "1 ครั้ง", (1, 0, 0, 0)),                    # A4 unknown_measure
        ],
        RESULTS: [
            {"รหัสกิจกรรม": "9.9", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1},            # A2 unknown_activity
            {"รหัสกิจกรรม": "1.2", "ไตรมาส": 2, "ผลเชิงปริมาณ": 1},            # B3 quarter_after_report
            {"รหัสกิจกรรม": "1.2", "ไตรมาส": 1, "วันที่ดำเนินการ": "30 ก.พ. 2569"},  # D4 bad_date
        ],
    })
    return spec.save(path)


# What the officer reads at each cell: the value found and the whole message, with how to fix it.
MESSAGES = {
    ('invalid_choice', SCORES, 'A9'): ('XIT',
        '"เครื่องมือ" ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: IIT, EIT, OIT แต่พบ "XIT" ให้เลือกจากรายการในเซลล์'),
    ('unknown_indicator', SCORES, 'B6'): ('99',
        'กรอบการประเมินปี 2569 ไม่มีตัวชี้วัดลำดับที่ 99 (มีเฉพาะ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10) ให้ตรวจสอบเลขลำดับตัวชี้วัด'),
    ('missing_field', SCORES, 'B7'): ('',
        'ยังไม่ได้กรอก "ลำดับ" ซึ่งต้องมีในทุกแถว ให้กรอก "ลำดับ" ในเซลล์นี้ หรือลบทั้งแถวหากไม่ใช้'),
    ('not_a_number', SCORES, 'D3'): ('เก้าสิบ',
        '"คะแนน" ต้องเป็นตัวเลข แต่พบ "เก้าสิบ" ให้พิมพ์เป็นตัวเลข เช่น 98.91'),
    ('score_out_of_range', SCORES, 'D4'): ('105',
        'คะแนนต้องอยู่ระหว่าง 0 ถึง 100 แต่พบ 105 ให้ตรวจสอบคะแนนจากรายงานผลการประเมิน'),
    ('formula_error', SCORES, 'D5'): ('=1/0',
        'สูตร =1/0 ยังไม่มีค่าที่คำนวณไว้ (ไฟล์ถูกบันทึกด้วยโปรแกรมที่ไม่คำนวณสูตร) ให้แก้สูตรหรือพิมพ์ค่าแทนสูตร แล้วเปิดและบันทึกไฟล์ใน Excel อีกครั้ง'),
    ('total_mismatch', SCORES, 'D8'): ('50',
        'คะแนนรวม EIT ปี 2569 ที่กรอกไว้คือ 50 แต่ค่าเฉลี่ยของตัวชี้วัด 1 ตัวคือ 90.00 ให้แก้เป็น 90.00 หรือตรวจสอบคะแนนรายตัวชี้วัด'),
    ('unknown_measure', GAPS, 'C2'): ('8',
        'ไม่มีมาตรการที่ 8 ในแผ่นงาน มาตรการ (มีมาตรการที่ 1) ให้แก้เลขมาตรการให้ตรงกับคอลัมน์ลำดับของแผ่นงานมาตรการ หรือเพิ่มมาตรการนั้น'),
    ('unknown_activity', RESULTS, 'A2'): ('9.9',
        'ไม่มีกิจกรรมรหัส "9.9" ในแผ่นงาน แผนงาน ให้แก้รหัสให้ตรงกับคอลัมน์รหัสกิจกรรมของแผนงาน หรือเพิ่มกิจกรรมนั้นในแผนงาน'),
    ('quarter_after_report', RESULTS, 'B3'): ('2',
        'ผลการดำเนินงานนี้เป็นของไตรมาส 2 ซึ่งเลยไตรมาสที่รายงาน (ไตรมาส 1 ในแผ่นงาน ข้อมูลทั่วไป) ให้แก้ไตรมาสของผลงานนี้ หรือแก้ "ไตรมาสที่รายงาน"'),
    ('bad_date', RESULTS, 'D4'): ('30 ก.พ. 2569',
        '"วันที่ดำเนินการ" ไม่มีวันที่ 30 ในเดือนกุมภาพันธ์ ปี 2569 (พบ "30 ก.พ. 2569") ให้พิมพ์วันที่ที่มีอยู่จริง เช่น "20 พ.ย. 2568" หรือ "20/11/2568"'),
    ('unknown_measure', PLAN, 'A4'): ('7',
        'ไม่มีมาตรการที่ 7 ในแผ่นงาน มาตรการ (มีมาตรการที่ 1) ให้แก้เลขมาตรการให้ตรงกับคอลัมน์ลำดับของแผ่นงานมาตรการ หรือเพิ่มมาตรการนั้น'),
    ('duplicate_activity', PLAN, 'B3'): ('1.1',
        'รหัสกิจกรรม "1.1" ซ้ำกับแถวที่ 2 รหัสกิจกรรมต้องไม่ซ้ำกัน ให้เปลี่ยนรหัสของแถวนี้เป็นรหัสที่ยังไม่ได้ใช้ หรือลบแถวที่ซ้ำ'),
    ('quarter_sum_mismatch', PLAN, 'D2'): ('9 ครั้ง',
        'กิจกรรม 1.1 มีเป้าหมายเชิงปริมาณ 9 ครั้ง แต่จำนวนรายไตรมาสรวมกันได้ 8 (2 + 3 + 2 + 1) ให้แก้เป้าหมายหรือจำนวนรายไตรมาสให้รวมกันเท่ากับเป้าหมาย'),
}
EXPECTED = set(MESSAGES)


def test_every_error_code_at_its_cell_with_value_and_fix(tmp_path, settings):
    outcome = run(faulty_workbook(tmp_path / "faults.xlsx"), settings)
    errors = outcome.problems.errors
    assert len(errors) == len(EXPECTED)
    assert {(p.code, p.sheet, p.cell): (p.value, p.message) for p in errors} == MESSAGES
    assert {kind.kind for kind, _, _ in outcome.blocked} == {"analysis", "plan", "quarterly"}
    assert outcome.prepared == []


def test_annotated_copy_and_report_carry_every_error(tmp_path, settings):
    path = faulty_workbook(tmp_path / "faults.xlsx")
    result = process(path, settings, tmp_path / "out")
    assert result.receipt.status == "failed"
    annotated = openpyxl.load_workbook(result.job_dir / f"{ANNOTATED_PREFIX}{path.name}")
    for code, sheet, cell in EXPECTED:
        c = annotated[sheet][cell]
        assert c.fill.fgColor.rgb.endswith(FILLS["error"].fgColor.rgb[-6:]), (code, cell)
        assert c.comment is not None and "ข้อผิดพลาด" in c.comment.text, (code, cell)
    report = (result.job_dir / REPORT_NAME).read_text(encoding="utf-8-sig")
    errors_part, warnings_part = report.split("คำเตือน", 1)
    # grouped by sheet in contract order, rows ascending within a sheet
    order = [errors_part.index(f"แผ่นงาน {s}") for s in (SCORES, GAPS, PLAN, RESULTS)]
    assert order == sorted(order)
    scores_part = errors_part[order[0]:order[1]]
    rows = [scores_part.index(f"เซลล์ {c}:") for c in ("D3", "D4", "D5", "B6", "B7", "D8", "A9")]
    assert rows == sorted(rows)


def test_an_error_blocks_only_the_documents_that_read_its_sheet(tmp_path, settings):
    """A plan error stops the plan and the quarterly report, never the analysis report."""
    spec = WorkbookSpec(general=dict(GENERAL), sheets={
        SCORES: [_score("IIT", n, name, 95) for n, name in
                 ((1, "การปฏิบัติหน้าที่"), (2, "การใช้งบประมาณ"), (3, "การใช้อำนาจ"))],
        PLAN: [_activity(1, "1.1", "4 ครั้ง", (1, 1, 1, 0))],
        RESULTS: [{"รหัสกิจกรรม": "1.1", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1}],
    })
    outcome = run(spec.save(tmp_path / "plan_error.xlsx"), settings)
    assert [(p.code, p.cell) for p in outcome.problems.errors] == [("quarter_sum_mismatch", "D2")]
    assert [p.kind for p in outcome.prepared] == ["analysis"]
    assert {k.kind for k, _, _ in outcome.blocked} == {"plan", "quarterly"}


def test_not_a_workbook_is_an_error_of_the_whole_file(tmp_path, settings):
    path = tmp_path / "notes.xlsx"
    path.write_text("ไม่ใช่ไฟล์ Excel", encoding="utf-8")
    receipt = process(path, settings, tmp_path / "out").receipt
    assert [(e["code"], e["sheet"], e["cell"]) for e in receipt.errors] == [("not_a_workbook", "", "")]
    assert receipt.errors[0]["message"] == (
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (อาจเป็นไฟล์ชนิดอื่นที่เปลี่ยนชื่อเป็น .xlsx หรือไฟล์ข้อความ) ให้เปิดไฟล์ใน Excel "
        'แล้วเลือก บันทึกเป็น "Excel Workbook (.xlsx)" โดยใช้แบบฟอร์มมาตรฐาน แล้ววางไฟล์ลงในโฟลเดอร์ inbox อีกครั้ง')


def test_a_bad_score_is_reported_once_not_again_as_a_total_mismatch(tmp_path, settings):
    """105 in F2 is the officer's mistake; the total of that year is then not recomputed without it."""
    from workbooks import seed000_analysis

    spec = seed000_analysis()
    spec.sheets["คะแนนตัวชี้วัด"][0]["ปี 2569"] = 105
    outcome = run(spec.save(tmp_path / "w.xlsx"), settings)
    assert [(p.code, p.cell) for p in outcome.problems.errors] == [("score_out_of_range", "F2")]
    spec.sheets["คะแนนตัวชี้วัด"][0]["ปี 2569"] = 90          # a valid but different score still mismatches
    outcome = run(spec.save(tmp_path / "w2.xlsx"), settings)
    assert [(p.code, p.cell) for p in outcome.problems.errors] == [("total_mismatch", "F10")]
