"""Issue 3: the plan document (แผนขับเคลื่อนการดำเนินงาน) as an officer reads it, and officers' text kept literal."""
from __future__ import annotations

from pathlib import Path

import docx

from docxread import full_text, tables
from service.delivery.job import process
from workbooks import seed000_analysis, seed000_plan, seed003_monthly

QUARTER_HEADINGS = ["ไตรมาส 1 (ต.ค. – ธ.ค. 68)", "ไตรมาส 2 (ม.ค. – มี.ค. 69)", "ไตรมาส 3 (เม.ย. – มิ.ย. 69)",
                    "ไตรมาส 4 (ก.ค. – ก.ย. 69)"]
TRICKY = "A & B < C > D \"คำพูด\" 'single' {{ x }} {% if %} {%p endif %}"


def _docx(result, kind: str) -> Path:
    return result.job_dir / next(d.docx for d in result.receipt.documents if d.kind == kind)


def _activity_table(path: Path) -> list[list[str]]:
    """The plan's per-measure tables read as one: the column headers, each activity row led by its
    measure's label (the second header row of its table)."""
    groups = [t for t in tables(path) if t[0][0] == "โครงการ/กิจกรรม"]
    return [["มาตรการ"] + groups[0][0]] + [[g[1][0]] + r for g in groups for r in g[2:]]


def test_seed000_plan_measures_activities_quarters_budget(tmp_path, settings):
    result = process(seed000_plan(results=False).save(tmp_path / "srp.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    assert [d.kind for d in result.receipt.documents] == ["plan"]
    path = _docx(result, "plan")
    measures = next(t for t in tables(path) if t[0][0] == "กลยุทธ์")
    assert [r[0] for r in measures[1:]] == ["P : Partnership", "-", "R : Regulate", "A : Advocate",
                                            "B : Build Capacity"]
    assert measures[5][1] == "5. พัฒนาทักษะการสื่อสารของบุคลากร"
    assert measures[1][3] == "1. แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)\n2. แผนปฏิบัติการส่งเสริมคุณธรรมจริยธรรม"

    plan = _activity_table(path)
    assert plan[0][6:] == QUARTER_HEADINGS
    body = plan[1:]
    assert len(body) == 26                              # seed 000 lists 26 activities, 1.1 … 5.2
    row = {r[1].split(" ")[0]: r for r in body}
    assert row["3.3"][2] == "9 ครั้ง" and row["3.3"][6:] == ["2", "3", "3", "1"]
    assert row["4.2"][2] == "2 รูปแบบ (1 infographic 1 PDF)" and row["4.2"][6:] == ["-", "2", "-", "-"]
    assert row["1.1"][5] == "5,000" and row["1.2"][5] == "-"
    assert row["1.4"][0] == row["1.1"][0] == "1. ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสียในการกำกับติดตาม" \
        "การดำเนินงานด้านคุณธรรมและความโปร่งใสของหน่วยงาน"      # one table per measure, labelled
    assert row["5.2"][0] == "5. พัฒนาทักษะการสื่อสารของบุคลากร"
    text = full_text(path)
    assert "รวมงบประมาณทั้งสิ้น 17,500 บาท" in text                    # 5,000 + "12,500" typed as text
    assert "แผนการดำเนินงาน (26 กิจกรรม)" in text
    assert "( นายสมชาย มั่นคง )" in text and "ผู้อำนวยการศูนย์ความร่วมมือระหว่างประเทศ" in text


def test_month_based_plan_shows_its_twelve_months(tmp_path, settings):
    result = process(seed003_monthly().save(tmp_path / "mwa.xlsx"), settings)
    plan = _activity_table(_docx(result, "plan"))
    assert plan[0][6:] == ["ต.ค. 63", "พ.ย. 63", "ธ.ค. 63", "ม.ค. 64", "ก.พ. 64", "มี.ค. 64", "เม.ย. 64",
                           "พ.ค. 64", "มิ.ย. 64", "ก.ค. 64", "ส.ค. 64", "ก.ย. 64"]
    row = {r[1].split(" ")[0]: r for r in plan[1:]}
    assert row["1.2"][2] == "6 ครั้ง"                   # a bare number gets the unit column
    assert row["1.2"][6:] == ["1", "-", "1", "-", "1", "-", "1", "-", "1", "-", "1", "-"]
    assert "รวมงบประมาณทั้งสิ้น -\n" in full_text(_docx(result, "plan"))   # no budget at all


def test_one_workbook_yields_all_three_documents(tmp_path, settings):
    spec = seed000_plan()
    spec.general.update(seed000_analysis().general)
    spec.sheets.update(seed000_analysis().sheets)
    result = process(spec.save(tmp_path / "all.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    assert [d.kind for d in result.receipt.documents] == ["analysis", "plan", "quarterly"]
    assert result.receipt.figures["tool_scores"]["IIT"] == 99.27 and "quarterly" in result.receipt.figures


def test_officers_text_appears_literally(tmp_path, settings):
    spec = seed000_plan()
    spec.sheets["มาตรการ"][0]["มาตรการ"] = TRICKY
    spec.sheets["แผนงาน"][0]["โครงการ/กิจกรรม"] = TRICKY
    spec.sheets["แผนงาน"][0]["ผู้รับผิดชอบ"] = TRICKY
    spec.sheets["ผลการดำเนินงาน"][0]["ผลผลิต"] = TRICKY
    spec.sheets["ผลการดำเนินงาน"][3]["ปัญหาอุปสรรค/หมายเหตุ"] = TRICKY    # 1.4 is behind: its reason
    result = process(spec.save(tmp_path / "tricky.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    plan = _activity_table(_docx(result, "plan"))
    assert plan[1][0] == f"1. {TRICKY}" and plan[1][1] == f"1.1 {TRICKY}" and plan[1][4] == TRICKY
    quarterly = _docx(result, "quarterly")
    assert f"มาตรการ 1. {TRICKY}" in full_text(quarterly)
    late = next(t for t in tables(quarterly) if t[0][-1] == "เหตุผล/ปัญหาอุปสรรค")
    assert late[1][-1] == TRICKY
    details = next(t for t in tables(quarterly) if t[0][0] == "กิจกรรม")
    assert details[2][3] == TRICKY                          # under the measure label row


def test_a_6000_character_cell_keeps_the_tables_whole(tmp_path, settings):
    long_text = ("รายละเอียดการดำเนินงานยาวมาก " * 300)[:6000]
    spec = seed000_plan()
    spec.sheets["แผนงาน"][2]["โครงการ/กิจกรรม"] = long_text
    spec.sheets["ผลการดำเนินงาน"][2]["รายละเอียดผลการดำเนินงาน"] = long_text
    result = process(spec.save(tmp_path / "long.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    for kind in ("plan", "quarterly"):
        path = _docx(result, kind)
        assert long_text.strip() in full_text(path)
        document = docx.Document(str(path))
        for table in document.tables:
            assert {len(row.cells) for row in table.rows} == {len(table.columns)}, kind   # every column kept
        assert any(long_text[:40] in c.text for t in document.tables for row in t.rows[1:] for c in row.cells)
