"""Officers' own workbooks (the shipped form, filled by hand): the right figure or a clear error, never a
wrong document marked ok. Each test starts from `templates/แบบฟอร์ม_ITA_มาตรฐาน.xlsx`."""
from __future__ import annotations

import json
from pathlib import Path

from docxread import full_text, tables
from officer_form import OfficerForm
from service.delivery.job import process

# Seed 000's scores as the report prints them (two decimals), years 2567–2569.
SEED000_PRINTED = {
    1: {2567: 98.79, 2568: 93.33, 2569: 100}, 2: {2567: 99.39, 2568: 99.39, 2569: 99.39},
    3: {2567: 100, 2568: 100, 2569: 100}, 4: {2567: 99.39, 2568: 96.97, 2569: 96.97},
    5: {2567: 96.97, 2568: 98.18, 2569: 100},
    6: {2567: 96, 2568: 93.33, 2569: 95.56}, 7: {2567: 89.33, 2568: 91.67, 2569: 92.22},
    8: {2567: 69.33, 2568: 88.33, 2569: 91.11},
}
SEED002_SCORES = {1: 100, 2: 100, 3: 99.81, 4: 100, 5: 100, 6: 98.84, 7: 98.84, 8: 98.41, 9: 77, 10: 90}
KAMNEAM = {"หน่วยงาน": "องค์การบริหารส่วนตำบลคำเนียม", "ชื่อย่อหน่วยงาน": "อบต.คำเนียม", "ปีงบประมาณ": 2568}


def _receipt(result) -> dict:
    return json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))


def _docx(result, kind: str) -> Path:
    entry = next(d for d in result.receipt.documents if d.kind == kind)
    return result.job_dir / entry.docx


def test_only_2568_filled_analyses_2568_not_the_empty_2569_column(tmp_path, settings):
    form = OfficerForm(tmp_path).general(**KAMNEAM)
    form.scores({n: {2568: s} for n, s in SEED002_SCORES.items()})
    result = process(form.save(), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "ok", receipt["errors"]
    assert receipt["figures"]["overall_score"] == 93.0
    docx = _docx(result, "analysis")
    assert docx.name.endswith("_2568.docx")
    text = full_text(docx)
    assert "ร้อยละ -" not in text and "(ระดับ -)" not in text and "ปี 2569" not in text
    assert "ปี 2567" not in text
    assert "ได้คะแนนภาพรวม 93.00 คะแนน อยู่ในระดับ A" in text
    score_table = tables(docx)[1]
    assert score_table[0] == ["ตัวชี้วัด", "ปี 2568 (ร้อยละ)"]


def test_fiscal_year_column_without_scores_is_an_error_at_its_header(tmp_path, settings):
    form = OfficerForm(tmp_path).general(**{**KAMNEAM, "ปีงบประมาณ": 2569})
    form.scores({n: {2568: s} for n, s in SEED002_SCORES.items()})
    receipt = _receipt(process(form.save(), settings))
    assert receipt["status"] == "failed"
    assert not any(d["kind"] == "analysis" for d in receipt["documents"])
    error = next(e for e in receipt["errors"] if e["code"] == "analysed_year_empty")
    assert error["sheet"] == "คะแนนตัวชี้วัด" and error["cell"] == form.header_cell("คะแนนตัวชี้วัด", "ปี 2569")


def test_typed_official_total_is_printed_not_the_recomputed_mean(tmp_path, settings):
    """Seed 000: the ITA system published IIT 2568 = 97.58; the printed indicators average 97.574."""
    form = OfficerForm(tmp_path).general(หน่วยงาน="ศูนย์ความร่วมมือระหว่างประเทศ", ชื่อย่อหน่วยงาน="ศรป.",
                                         ปีงบประมาณ=2568)
    form.scores(SEED000_PRINTED, totals={"IIT": {2567: 98.91, 2568: 97.58}})
    result = process(form.save(), settings)
    receipt = _receipt(result)
    assert not [w for w in receipt["warnings"] if w["code"] == "total_mismatch"]
    assert receipt["figures"]["tool_scores"]["IIT"] == 97.58
    iit = tables(_docx(result, "analysis"))[1]
    assert iit[-1] == ["คะแนนรวม", "98.91", "97.58"]
    text = full_text(_docx(result, "analysis"))
    assert "ประจำปี 2568 อยู่ที่ร้อยละ 97.58" in text
    assert "OIT" not in text and "ร้อยละ -" not in text        # OIT's rows are in the form, with no score


def _plan(form: OfficerForm, codes=("1.1", "1.2")) -> OfficerForm:
    form.rows("มาตรการ", [{"ลำดับ": 1, "มาตรการ": "ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย"}])
    form.rows("แผนงาน", [{"มาตรการที่": 1, "รหัสกิจกรรม": c, "โครงการ/กิจกรรม": f"กิจกรรม {c}",
                           "เป้าหมายเชิงปริมาณ": "1 ครั้ง", "ไตรมาส 1": 1} for c in codes])
    return form


def test_results_typed_with_thai_digit_codes_count(tmp_path, settings):
    form = _plan(OfficerForm(tmp_path).general(หน่วยงาน="ศรป.", ปีงบประมาณ=2569, ไตรมาสที่รายงาน=1))
    form.rows("ผลการดำเนินงาน", [{"รหัสกิจกรรม": "๑.๑", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1},
                                  {"รหัสกิจกรรม": "1.2 ", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1}])
    receipt = _receipt(process(form.save(), settings))
    q = receipt["figures"]["quarterly"]
    assert (q["activities_done"], q["activities_behind"]) == (2, 0)


def test_month_headers_as_officers_type_them(tmp_path, settings):
    """Seed 003 plans by month; officers head the columns as the service prints them, or in full."""
    form = OfficerForm(tmp_path).general(หน่วยงาน="การประปานครหลวง", ปีงบประมาณ=2564)
    heads = ["ต.ค. 63", "พฤศจิกายน", "ธ.ค.63", "ม.ค. 2564", "กุมภาพันธ์ 64", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
             "ก.ค.", "ส.ค.", "ก.ย. ๖๔"]
    form.rename_headers("แผนงาน", dict(zip(["ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4"], heads[:4])))
    form.add_columns("แผนงาน", heads[4:])
    form.rows("แผนงาน", [{"มาตรการที่": 1, "รหัสกิจกรรม": "1.1", "โครงการ/กิจกรรม": "เผยแพร่สื่อผ่าน Line",
                           "เป้าหมายเชิงปริมาณ": "3 ครั้ง", "ต.ค. 63": 1, "กุมภาพันธ์ 64": 1, "ก.ย. ๖๔": 1}])
    result = process(form.save(), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "ok", receipt["errors"]
    assert not [w for w in receipt["warnings"] if w["code"] == "unknown_column"]
    row = next(r for t in tables(_docx(result, "plan")) for r in t if r[0].startswith("1.1"))
    assert row[-12:] == ["1", "-", "-", "-", "1", "-", "-", "-", "-", "-", "-", "1"]


def test_unreadable_period_headers_are_blamed_at_the_headers_not_the_target(tmp_path, settings):
    form = OfficerForm(tmp_path).general(หน่วยงาน="การประปานครหลวง", ปีงบประมาณ=2564)
    form.rename_headers("แผนงาน", {"ไตรมาส 1": "งวดแรก", "ไตรมาส 2": "งวดสอง", "ไตรมาส 3": "งวดสาม",
                                    "ไตรมาส 4": "งวดสี่"})
    form.rows("แผนงาน", [{"มาตรการที่": 1, "รหัสกิจกรรม": "1.1", "โครงการ/กิจกรรม": "เผยแพร่สื่อ",
                           "เป้าหมายเชิงปริมาณ": "3 ครั้ง", "งวดแรก": 3}])
    receipt = _receipt(process(form.save(), settings))
    codes = {e["code"] for e in receipt["errors"]}
    assert "quarter_sum_mismatch" not in codes
    error = next(e for e in receipt["errors"] if e["code"] == "no_period_columns")
    assert error["cell"] == form.header_cell("แผนงาน", "งวดแรก")


def test_percent_and_text_targets_are_judged_against_their_own_unit(tmp_path, settings):
    """Seed 003's 2.2: "ไม่น้อยกว่าร้อยละ 90" planned once, achieved 85 → behind, not ahead of plan;
    the summary never adds 85 per cent to counts of ครั้ง."""
    form = OfficerForm(tmp_path).general(หน่วยงาน="การประปานครหลวง", ปีงบประมาณ=2564, ไตรมาสที่รายงาน=2)
    form.rows("มาตรการ", [{"ลำดับ": 2, "มาตรการ": "จัดอบรมผู้บริหารและพนักงาน"}])
    form.rows("แผนงาน", [
        {"มาตรการที่": 2, "รหัสกิจกรรม": "2.1", "โครงการ/กิจกรรม": "จัดอบรม", "เป้าหมายเชิงปริมาณ": "4 ครั้ง",
         "ไตรมาส 1": 2, "ไตรมาส 2": 2},
        {"มาตรการที่": 2, "รหัสกิจกรรม": "2.2", "โครงการ/กิจกรรม": "ประเมินความรู้หลังการอบรม",
         "เป้าหมายเชิงปริมาณ": "ไม่น้อยกว่าร้อยละ 90", "ไตรมาส 2": 1},
        {"มาตรการที่": 2, "รหัสกิจกรรม": "2.3", "โครงการ/กิจกรรม": "ขยายผลสู่หน่วยงานในสังกัด",
         "เป้าหมายเชิงปริมาณ": "68 หน่วยงาน", "ไตรมาส 1": 68}])
    form.rows("ผลการดำเนินงาน", [
        {"รหัสกิจกรรม": "2.1", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1},
        {"รหัสกิจกรรม": "2.2", "ไตรมาส": 2, "ผลเชิงปริมาณ": 85},
        {"รหัสกิจกรรม": "2.3", "ไตรมาส": 1, "ผลเชิงปริมาณ": 68}])
    result = process(form.save(), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "ok", receipt["errors"]
    q = receipt["figures"]["quarterly"]
    assert (q["activities_done"], q["activities_behind"]) == (1, 2)
    # each activity's share of its own plan to date: 2.1 1/4, 2.2 85/90, 2.3 68/68 → mean 73.15
    assert q["plan_to_date_pct"] == 73.15
    # of its own annual target: 2.1 1/4, 2.2 85/90, 2.3 1 → the same here
    assert q["annual_progress_pct"] == 73.15
    text = full_text(_docx(result, "quarterly"))
    assert "เร็วกว่าแผน" not in text
    progress = next(t for t in tables(_docx(result, "quarterly")) if t[0][0] == "รหัส")
    row = next(r for r in progress if r[0] == "2.2")
    assert row[4] == "ร้อยละ 85" and row[5] == "ล่าช้ากว่าแผน"


def _measure_indicators(tmp_path, settings, typed: str) -> dict:
    form = OfficerForm(tmp_path).general(หน่วยงาน="ศรป.", ปีงบประมาณ=2569)
    _plan(form)
    form.rows("มาตรการ", [{"ลำดับ": 1, "มาตรการ": "ส่งเสริมการมีส่วนร่วม", "ตัวชี้วัดที่เกี่ยวข้อง": typed}])
    return _receipt(process(form.save(), settings))


def test_list_of_numbers_accepts_and_but_not_its_letters(tmp_path, settings):
    """"1, 3 และ 8" is a list; แ, ล and ะ alone are letters, not separators: "1 ล 8" is a typo to report."""
    assert _measure_indicators(tmp_path / "a", settings, "1, 3 และ 8")["status"] == "ok"
    for typed in ("1 ล 8", "1แ8", "3ะ5"):
        receipt = _measure_indicators(tmp_path / typed, settings, typed)
        assert [e["code"] for e in receipt["errors"]] == ["not_a_number"], typed


def test_summary_sentence_leaves_out_empty_categories(tmp_path, settings):
    """Item 9: no "เป็นไปตามแผน 0 กิจกรรม"; "และ" before the last category; the round has a label."""
    form = _plan(OfficerForm(tmp_path).general(หน่วยงาน="ศรป.", ปีงบประมาณ=2569, ไตรมาสที่รายงาน=1))
    form.rows("ผลการดำเนินงาน", [{"รหัสกิจกรรม": "1.1", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1}])
    result = process(form.save(), settings)
    text = full_text(_docx(result, "quarterly"))
    assert "มีกิจกรรมตามแผนทั้งหมด 2 กิจกรรม โดยดำเนินการแล้วเสร็จ 1 กิจกรรม และล่าช้ากว่าแผน 1 กิจกรรม " in text
    assert " 0 กิจกรรม" not in text


def test_plan_year_follows_its_own_item(tmp_path, settings):
    """Seed 002 analyses 2568 and plans 2569: ปีงบประมาณของแผน names the plan, its quarters and section 4."""
    form = OfficerForm(tmp_path).general(**{**KAMNEAM, "ปีงบประมาณของแผน": 2569, "รอบการประเมิน": "ทั้งปี"})
    form.scores({n: {2568: s} for n, s in SEED002_SCORES.items()})
    _plan(form)
    form.rows("มาตรการ", [{"ลำดับ": 1, "มาตรการ": "มาตรการปรับปรุงการเปิดเผยข้อมูลสาธารณะ (OIT)",
                            "ตัวชี้วัดที่เกี่ยวข้อง": "9"}])
    result = process(form.save(), settings)
    assert _docx(result, "analysis").name.endswith("_2568.docx")
    assert _docx(result, "plan").name.endswith("_2569.docx")
    plan = full_text(_docx(result, "plan"))
    assert "ประจำปีงบประมาณ พ.ศ. 2569" in plan and "ไตรมาส 1 (ต.ค. – ธ.ค. 68)" in plan
    analysis = full_text(_docx(result, "analysis"))
    assert "มาตรการเพื่อขับเคลื่อนส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน ประจำปีงบประมาณ พ.ศ. 2569" in analysis
    assert "ตุลาคม 2568 – กันยายน 2569" in analysis
    assert "รอบการประเมิน ทั้งปี" in analysis
    # OIT 83.50 is under the pass mark of 85: a sentence says so
    assert "ผลคะแนนของเครื่องมือ OIT (ร้อยละ 83.50) ต่ำกว่าเกณฑ์ผ่าน (85 คะแนน)" in analysis


def test_seed004_thai_digits_throughout(tmp_path, settings):
    """Seed 004 (a Senate office, fiscal ๒๕๖๖) types every number in Thai digits: year, quarter, codes, targets,
    month headers and results; the documents come out with the same figures and in Thai digits."""
    form = OfficerForm(tmp_path).general(หน่วยงาน="สำนักงานต่างประเทศ", ชื่อย่อหน่วยงาน="สต.", ปีงบประมาณ="๒๕๖๖",
                                         ไตรมาสที่รายงาน="๒", ใช้เลขไทย="ใช่")
    form.rows("มาตรการ", [{"ลำดับ": "๓", "มาตรการ": "การสนับสนุนการประเมินคุณธรรมและความโปร่งใส (ITA)"}])
    form.rows("แผนงาน", [
        {"มาตรการที่": "๓", "รหัสกิจกรรม": "๓.๑", "โครงการ/กิจกรรม": "ประชุมคณะทำงานขับเคลื่อนองค์กร STRONG",
         "เป้าหมายเชิงปริมาณ": "๒ ครั้ง", "ไตรมาส 1": "๑", "ไตรมาส 2": "๑"},
        {"มาตรการที่": "๓", "รหัสกิจกรรม": "๓.๒", "โครงการ/กิจกรรม": "ประเมินความรู้ความเข้าใจของบุคลากร",
         "เป้าหมายเชิงปริมาณ": "ไม่น้อยกว่าร้อยละ ๘๐", "ไตรมาส 2": "๑"}])
    form.rows("ผลการดำเนินงาน", [
        {"รหัสกิจกรรม": "๓.๑", "ไตรมาส": "๑", "ผลเชิงปริมาณ": "๑", "วันที่ดำเนินการ": "๑๕ ธ.ค. ๒๕๖๕"},
        {"รหัสกิจกรรม": "3.1", "ไตรมาส": "๒", "ผลเชิงปริมาณ": "๑", "วันที่ดำเนินการ": "๒๐ มี.ค. ๒๕๖๖"},
        {"รหัสกิจกรรม": "๓.๒", "ไตรมาส": "๒", "ผลเชิงปริมาณ": "๘๕"}])
    result = process(form.save(), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "ok", receipt["errors"]
    q = receipt["figures"]["quarterly"]
    assert (q["activities_done"], q["activities_behind"], q["plan_to_date_pct"]) == (2, 0, 100.0)
    docx = _docx(result, "quarterly")
    assert docx.name == "รายงานผลการดำเนินงาน_ไตรมาส_2_2566.docx"
    text = full_text(docx)
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖" in text and "ร้อยละ ๘๕" in text and "STRONG" in text


def test_a_period_header_not_understood_is_named_in_the_sum_error(tmp_path, settings):
    form = OfficerForm(tmp_path).general(หน่วยงาน="ศรป.", ปีงบประมาณ=2569)
    form.rename_headers("แผนงาน", {"ไตรมาส 4": "ไตรมาสสุดท้าย"})
    form.rows("แผนงาน", [{"มาตรการที่": 1, "รหัสกิจกรรม": "1.1", "โครงการ/กิจกรรม": "ประชุม",
                           "เป้าหมายเชิงปริมาณ": "2 ครั้ง", "ไตรมาส 1": 1, "ไตรมาสสุดท้าย": 1}])
    receipt = _receipt(process(form.save(), settings))
    header = form.header_cell("แผนงาน", "ไตรมาสสุดท้าย")
    assert any(w["code"] == "unknown_column" and w["cell"] == header for w in receipt["warnings"])
    error = next(e for e in receipt["errors"] if e["code"] == "quarter_sum_mismatch")
    assert f"ระบบอ่านหัวคอลัมน์ {header} ไม่ได้" in error["message"]


def test_a_renamed_sheet_is_named_with_the_name_to_give_it_back(tmp_path, settings):
    """Outside review: แผนงาน renamed "แผนงาน 2569" dropped the plan, and the one error said "ให้กรอก
    แผนงานก่อน" to an officer who had filled it. Sheets are found by name (the spec), so the plan is not
    read; the officer is told which sheet it was, what to rename it to, and that the plan waits for it."""
    form = _plan(OfficerForm(tmp_path).general(หน่วยงาน="ศรป.", ปีงบประมาณ=2569, ไตรมาสที่รายงาน=1))
    form.rows("ผลการดำเนินงาน", [{"รหัสกิจกรรม": "1.1", "ไตรมาส": 1, "ผลเชิงปริมาณ": 1}])
    form.wb["แผนงาน"].title = "แผนงาน 2569"
    result = process(form.save(), settings)
    receipt = _receipt(result)
    [renamed] = [w for w in receipt["warnings"] if w["code"] == "unknown_sheet"]
    assert renamed["sheet"] == "แผนงาน 2569" and renamed["cell"] == "A1"
    assert 'เปลี่ยนชื่อแผ่นงานนี้เป็น "แผนงาน"' in renamed["message"] and "แผนงาน" in renamed["message"]
    messages = " ".join(e["message"] for e in receipt["errors"])
    assert "ให้กรอกแผนงานก่อน" not in messages and 'แผ่นงาน "แผนงาน 2569"' in messages
    assert not any(d["kind"] in ("plan", "quarterly") for d in receipt["documents"])
    report = (result.job_dir / "รายงานข้อผิดพลาด.txt").read_text(encoding="utf-8-sig")
    assert 'เปลี่ยนชื่อแผ่นงานนี้เป็น "แผนงาน"' in report
