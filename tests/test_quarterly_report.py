"""Issue 3: results in, the quarterly progress report and receipt figures out — each figure computed by hand."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from hypothesis import given, strategies as st

from docxread import full_text, tables
from service.delivery.job import process
from service.analysis.progress import Status, status_of
from workbooks import seed000_plan, seed003_monthly


def _docx(result, kind: str) -> Path:
    return result.job_dir / next(d.docx for d in result.receipt.documents if d.kind == kind)


def _receipt(result) -> dict:
    return json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))


def _ok(spec, path: Path, settings):
    """Process a workbook that must go through cleanly; the job and its receipt.json as written."""
    result = process(spec.save(path), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "ok", receipt["errors"]
    return result, receipt


def test_seed000_quarter1_figures(tmp_path, settings):
    result, receipt = _ok(seed000_plan(), tmp_path / "srp.xlsx", settings)
    # Due in Q1 (P): 1.1=1 1.2=1 1.3=3 1.4=5 3.1=1 3.3=2 3.4=2 3.5=1 → ΣP = 16.
    # Reported (A): 1.1=1 1.2=1 1.3=3 1.4=3 3.1=1 3.3=2 3.4=1 4.1=1 (planned Q2), 3.5 nothing.
    # done (A≥T): 1.2 1.3 3.1 4.1; on plan (A≥P): 1.1 3.3; behind: 1.4 3.4 3.5; the other 17 not due.
    # Each activity's share of its own plan to date (units are never added): 1.1 1/1, 1.2 1/1, 1.3 3/3, 1.4 3/5,
    # 3.1 1/1, 3.3 2/2, 3.4 1/2, 3.5 0/1 → 6.1/8 = 76.25 %.
    # Of its own annual target, over all 26: 1.1 1/2, 1.2 1, 1.3 1, 1.4 3/5, 3.1 1, 3.3 2/9, 3.4 1/9, 4.1 1/1
    # → 5.4333…/26 = 20.897… = 20.90 %.
    assert receipt["figures"]["quarterly"] == {
        "quarter": 1, "activities_total": 26, "activities_done": 4, "activities_on_plan": 2,
        "activities_behind": 3, "activities_not_due": 17, "plan_to_date_pct": 76.25, "annual_progress_pct": 20.9}
    entry = next(d for d in receipt["documents"] if d["kind"] == "quarterly")
    assert entry["quarter"] == 1 and entry["template"] == "quarterly.docx"

    text = full_text(_docx(result, "quarterly"))
    assert ("ณ สิ้นไตรมาส 1 (ต.ค. – ธ.ค. 68) ศรป. มีกิจกรรมตามแผนทั้งหมด 26 กิจกรรม โดยดำเนินการแล้วเสร็จ 4 กิจกรรม "
            "เป็นไปตามแผน 2 กิจกรรม ล่าช้ากว่าแผน 3 กิจกรรม และยังไม่ถึงกำหนด 17 กิจกรรม "
            "ผลการดำเนินงานเฉลี่ยรายกิจกรรมคิดเป็นร้อยละ 76.25 ของแผนถึงไตรมาสที่ 1 และร้อยละ 20.90 ของเป้าหมายทั้งปี") in text
    summary = tables(_docx(result, "quarterly"))[0]
    assert summary[1:] == [["ดำเนินการแล้วเสร็จ (กิจกรรม)", "4"], ["เป็นไปตามแผน (กิจกรรม)", "2"],
                           ["ล่าช้ากว่าแผน (กิจกรรม)", "3"], ["ยังไม่ถึงกำหนด (กิจกรรม)", "17"],
                           ["รวมกิจกรรมทั้งหมด", "26"],
                           ["ความก้าวหน้าเทียบกับแผนสะสมถึงไตรมาสที่ 1 (ร้อยละ)", "76.25"],
                           ["ความก้าวหน้าเทียบกับเป้าหมายทั้งปี (ร้อยละ)", "20.90"]]


def test_seed000_activity_rows_ahead_and_behind(tmp_path, settings):
    result = process(seed000_plan().save(tmp_path / "srp.xlsx"), settings)
    path = _docx(result, "quarterly")
    rows = {r[0]: r for t in tables(path) if t[0][0] == "รหัส" and len(t[0]) == 7 for r in t[2:]}   # under the label
    assert len(rows) == 26
    assert rows["4.1"][2:6] == ["1 ครั้ง", "0", "1", "ดำเนินการแล้วเสร็จ (เร็วกว่าแผน)"]   # seed 001: done in Q1
    assert rows["1.4"][2:6] == ["5 เรื่อง", "5", "3", "ล่าช้ากว่าแผน"]
    assert rows["3.3"][2:6] == ["9 ครั้ง", "2", "2", "เป็นไปตามแผน"]
    assert rows["4.2"][2:6] == ["2 รูปแบบ (1 infographic 1 PDF)", "0", "0", "ยังไม่ถึงกำหนด"]
    text = full_text(path)
    assert "ทั้งนี้ มีกิจกรรมที่ดำเนินการเร็วกว่าแผน 1 กิจกรรม" in text
    assert "20 พฤศจิกายน 2568" in text and "30 ตุลาคม 2568" in text     # Thai text date and Excel date
    late = next(t for t in tables(path) if t[0][-1] == "เหตุผล/ปัญหาอุปสรรค")
    assert [r[0] for r in late[1:]] == ["1.4", "3.4", "3.5"]
    assert late[1][-1] == "อยู่ระหว่างรวบรวมข้อเสนอจากบุคลากรอีก 2 เรื่อง"
    assert late[3][-1] == "ไม่ได้ระบุเหตุผล"


def test_multiline_cell_keeps_its_line_break(tmp_path, settings):
    result = process(seed000_plan().save(tmp_path / "srp.xlsx"), settings)
    details = [r for t in tables(_docx(result, "quarterly")) if t[0][0] == "กิจกรรม" for r in t[1:]]
    row = next(r for r in details if r[0] == "4.1 (ไตรมาส 1)")
    assert row[2] == ("จัดประชุมภายในเพื่อชี้แจงผลการประเมินและมาตรการแก้ไข\n"
                      "ณ ห้องประชุมศูนย์ความร่วมมือระหว่างประเทศ อาคาร 6 ชั้น 4")


def test_month_based_plan_quarter2_figures(tmp_path, settings):
    result, receipt = _ok(seed003_monthly(), tmp_path / "mwa.xlsx", settings)
    # Months rolled into quarters, N = 2:
    #   1.1 T=3 (ต.ค., ม.ค., เม.ย.) P=2 A=1+1=2 → on plan     1.2 T=6 (ต.ค. ธ.ค. ก.พ. …) P=3 A=2+0=2 → behind
    #   1.3 T=1 (พ.ย.) P=1 A=1 → done                          2.1 T=1 (เม.ย.) P=0 A=0 → not due
    #   2.2 target "ไม่น้อยกว่าร้อยละ 90" (a percentage, measured in พ.ค.) → not due, no result yet
    #   2.3 T=1 (ม.ค.) P=1 A=0 → behind
    # Shares of the plan to date (activities due): 1.1 2/2, 1.2 2/3, 1.3 1/1, 2.3 0/1 → 66.67 %;
    # of the annual targets: 1.1 2/3, 1.2 2/6, 1.3 1, 2.1 0, 2.2 0/90, 2.3 0 → 2/6 = 33.33 %.
    assert receipt["figures"]["quarterly"] == {
        "quarter": 2, "activities_total": 6, "activities_done": 1, "activities_on_plan": 1,
        "activities_behind": 2, "activities_not_due": 2, "plan_to_date_pct": 66.67, "annual_progress_pct": 33.33}
    path = _docx(result, "quarterly")
    text = full_text(path)
    assert "ไตรมาส 2 (ม.ค. – มี.ค. 64) ประจำปีงบประมาณ พ.ศ. 2564" in text
    assert "ร้อยละ 66.67 ของแผนถึงไตรมาสที่ 2 และร้อยละ 33.33 ของเป้าหมายทั้งปี" in text
    rows = {r[0]: r for t in tables(path) if t[0][0] == "รหัส" and len(t[0]) == 7 for r in t[2:]}   # under the label
    assert rows["1.2"][2:6] == ["6 ครั้ง", "3", "2", "ล่าช้ากว่าแผน"]
    assert rows["2.2"][2:6] == ["ไม่น้อยกว่าร้อยละ 90", "-", "-", "ยังไม่ถึงกำหนด"]
    late = next(t for t in tables(path) if t[0][-1] == "เหตุผล/ปัญหาอุปสรรค")
    assert late[1][0] == "1.2" and late[1][-1] == "งดเผยแพร่เนื่องจากสถานการณ์โควิด-19"


def test_missing_reporting_quarter_blocks_only_the_quarterly_report(tmp_path, settings):
    spec = seed000_plan()
    del spec.general["ไตรมาสที่รายงาน"]
    result = process(spec.save(tmp_path / "noq.xlsx"), settings)
    receipt = _receipt(result)
    assert receipt["status"] == "failed"
    assert [d["kind"] for d in receipt["documents"]] == ["plan"]
    error = next(e for e in receipt["errors"] if e["code"] == "missing_field")
    assert error["sheet"] == "ข้อมูลทั่วไป" and "ไตรมาสที่รายงาน" in error["message"]
    blocked = receipt["blocked"]
    assert [b["kind"] for b in blocked] == ["quarterly"]
    assert blocked[0]["errors"] == [{"code": "missing_field", "sheet": "ข้อมูลทั่วไป", "cell": ""}]
    assert "quarterly" not in receipt["figures"]


def test_empty_reporting_quarter_is_reported_at_its_cell(tmp_path, settings):
    spec = seed000_plan()
    spec.general["ไตรมาสที่รายงาน"] = None
    receipt = _receipt(process(spec.save(tmp_path / "emptyq.xlsx"), settings))
    error = next(e for e in receipt["errors"] if e["code"] == "missing_field")
    assert (error["sheet"], error["cell"]) == ("ข้อมูลทั่วไป", "B7")


def test_status_rule_of_the_spec():
    d = Decimal
    assert status_of(d(1), d(0), d(1)) is Status.DONE              # ahead of plan and complete
    assert status_of(d(9), d(0), d(0)) is Status.NOT_DUE
    assert status_of(d(9), d(2), d(2)) is Status.ON_PLAN
    assert status_of(d(9), d(2), d(1)) is Status.BEHIND
    assert status_of(None, d(0), d(3)) is Status.ON_PLAN           # no numeric target: never "done" by count


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
def test_status_is_always_one_of_four_and_done_means_target_met(target, planned, achieved):
    status = status_of(Decimal(target), Decimal(planned), Decimal(achieved))
    assert (status is Status.DONE) == (achieved >= target)
    if status is Status.BEHIND:
        assert achieved < planned
