"""The receipt's figures and every figure printed in the three documents come from one computation: a
seed-000 workbook filled on the shipped form, rendered, and each document read back with python-docx."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from docxread import full_text, tables
from officer_form import OfficerForm
from service.delivery.job import process
from service.settings import load_settings
from service.thai.numbers import to_thai_digits
from test_officer_figures import SEED000_PRINTED
from workbooks import I10_QUESTION, SEED000_ACTIVITIES, SEED000_GENERAL, SEED000_MEASURES, SEED000_Q1_RESULTS


def seed000_form(folder: Path, **general) -> Path:
    form = OfficerForm(folder).general(**{**SEED000_GENERAL, **general})
    form.scores({**SEED000_PRINTED, 9: {2569: 83}, 10: {2569: 90}}, totals={"IIT": {2567: 98.91, 2568: 97.58, 2569: 99.27},
                                         "EIT": {2567: 84.89, 2568: 91.11, 2569: 92.96}})
    form.rows("ข้อย่อย", [{"รหัสข้อ": "i10", "ตัวชี้วัด": 4, "ข้อคำถาม": I10_QUESTION, "คะแนน": 90.91}])
    form.rows("ประเด็นที่ต้องปิด Gap", [{"ตัวชี้วัด": 4, "รหัสข้อ": "i10", "ประเด็น": "การขอยืมทรัพย์สินของหน่วยงาน",
                                         "การวิเคราะห์สาเหตุ": "การสื่อสารยังไม่ชัดเจน", "มาตรการที่ใช้": "4, 5"}])
    form.rows("มาตรการ", [{"ลำดับ": n, "กลยุทธ์": s or None, "มาตรการ": m, "เหตุผลในการกำหนดมาตรการ": r,
                            "ตัวชี้วัดที่เกี่ยวข้อง": "4" if n in (4, 5) else None}
                           for n, s, m, r, _ in SEED000_MEASURES])
    form.rows("แผนงาน", [{"มาตรการที่": int(code.split(".")[0]), "รหัสกิจกรรม": code, "โครงการ/กิจกรรม": name,
                           "เป้าหมายเชิงปริมาณ": target, "ผู้รับผิดชอบ": "คณะทำงาน ศรป.",
                           "ขั้นตอน/วิธีดำเนินการ": "1. จัดทำสื่อ 2. เผยแพร่" if code == "4.2" else "-",
                           **{f"ไตรมาส {q}": (n or "-") for q, n in enumerate(quarters, 1)}}
                          for code, name, target, quarters in SEED000_ACTIVITIES])
    form.rows("ผลการดำเนินงาน", [{"รหัสกิจกรรม": code, "ไตรมาส": 1, "ผลเชิงปริมาณ": n, "วันที่ดำเนินการ": when,
                                  "รายละเอียดผลการดำเนินงาน": details, "ปัญหาอุปสรรค/หมายเหตุ": problems or None}
                                 for code, n, when, details, problems in SEED000_Q1_RESULTS])
    return form.save()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("one")
    config = tmp / "config"
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "config", config)
    shutil.copytree(root / "templates", tmp / "templates")
    framework = config / "frameworks" / "2569.toml"      # made provisional here, whatever the shipped file says
    framework.write_text(re.sub(r"(?m)^provisional = \w+$", "provisional = true", framework.read_text("utf-8")),
                         encoding="utf-8")
    settings = load_settings(config, outbox=tmp / "outbox", pdf=False)
    result = process(seed000_form(tmp), settings)
    receipt = json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))
    docs = {d["kind"]: result.job_dir / d["docx"] for d in receipt["documents"]}
    return receipt, docs


def _f(value: float) -> str:
    return f"{value:.2f}"


def test_all_three_documents_are_made(rendered):
    receipt, docs = rendered
    assert receipt["status"] == "ok", receipt["errors"]
    assert set(docs) == {"analysis", "plan", "quarterly"}


def test_analysis_prints_the_receipts_figures(rendered):
    receipt, docs = rendered
    figures = receipt["figures"]
    overall = tables(docs["analysis"])[0]
    assert overall[-1] == [f"คะแนนภาพรวม (ระดับ {figures['level']})", "100", _f(figures["overall_score"])]
    printed_tools = {row[0][-4:-1]: row[-1] for row in overall[1:-1]}
    assert printed_tools == {t: _f(s) for t, s in figures["tool_scores"].items()}
    text = full_text(docs["analysis"])
    assert f"ได้คะแนนภาพรวม {_f(figures['overall_score'])} คะแนน อยู่ในระดับ {figures['level']}" in text
    for number, tool in enumerate(("IIT", "EIT"), 1):
        table = tables(docs["analysis"])[number]
        assert table[-1][-1] == _f(figures["tool_scores"][tool])        # its คะแนนรวม row, latest year
        assert f"ผลคะแนนการประเมิน {tool} ประจำปี 2569 อยู่ที่ร้อยละ {_f(figures['tool_scores'][tool])}" in text
    assert figures["tool_scores"]["IIT"] == 99.27
    # the shipped 2569 framework is provisional: the receipt says so, and so does a note in the report
    note = "หมายเหตุ: กรอบการประเมิน ITA ประจำปี 2569 ที่ใช้คำนวณเป็นฉบับชั่วคราว"
    assert figures["framework_provisional"] is True and note in text


def test_quarterly_prints_the_receipts_figures(rendered):
    receipt, docs = rendered
    q = receipt["figures"]["quarterly"]
    summary = {row[0]: row[1] for row in tables(docs["quarterly"])[0][1:]}
    assert summary["ดำเนินการแล้วเสร็จ (กิจกรรม)"] == str(q["activities_done"])
    assert summary["เป็นไปตามแผน (กิจกรรม)"] == str(q["activities_on_plan"])
    assert summary["ล่าช้ากว่าแผน (กิจกรรม)"] == str(q["activities_behind"])
    assert summary["ยังไม่ถึงกำหนด (กิจกรรม)"] == str(q["activities_not_due"])
    assert summary["รวมกิจกรรมทั้งหมด"] == str(q["activities_total"])
    assert summary["ความก้าวหน้าเทียบกับแผนสะสมถึงไตรมาสที่ 1 (ร้อยละ)"] == _f(q["plan_to_date_pct"])
    assert summary["ความก้าวหน้าเทียบกับเป้าหมายทั้งปี (ร้อยละ)"] == _f(q["annual_progress_pct"])
    text = full_text(docs["quarterly"])
    assert f"ร้อยละ {_f(q['plan_to_date_pct'])} ของแผนถึงไตรมาสที่ 1" in text
    assert f"ร้อยละ {_f(q['annual_progress_pct'])} ของเป้าหมายทั้งปี" in text
    behind_rows = next(t for t in tables(docs["quarterly"]) if t[0][-1] == "เหตุผล/ปัญหาอุปสรรค")[1:]
    assert len(behind_rows) == q["activities_behind"]


def test_plan_prints_the_same_activities(rendered):
    receipt, docs = rendered
    text = full_text(docs["plan"])
    assert f"แผนการดำเนินงาน ({receipt['figures']['quarterly']['activities_total']} กิจกรรม)" in text
    assert "ขั้นตอน/วิธีดำเนินการ: 1. จัดทำสื่อ 2. เผยแพร่" in text
    measures = tables(docs["plan"])[0]
    assert measures[0][-1] == "ตัวชี้วัดที่เกี่ยวข้อง" and [r[-1] for r in measures[1:]] == ["-", "-", "-", "4", "4"]


def test_gap_table_and_improvements_name_the_measures(rendered):
    _, docs = rendered
    gap = next(t for t in tables(docs["analysis"]) if t[0][:2] == ["ตัวชี้วัด", "ข้อ"])
    assert gap[1][-1].splitlines() == [f"4. {SEED000_MEASURES[3][2]}", f"5. {SEED000_MEASURES[4][2]}"]
    text = full_text(docs["analysis"])
    assert "การนำผลการวิเคราะห์ไปสู่การปรับปรุง หรือพัฒนาองค์กร หรือรักษาระดับ" in text
    improvements = next(t for t in tables(docs["analysis"]) if t[0][-1] == "ระยะเวลาดำเนินการ")
    row = improvements[1]
    assert row[0] == "4. การใช้ทรัพย์สินของราชการ"
    assert "4.2 จัดทำ Infographic" in row[1] and row[3] == "1. จัดทำสื่อ 2. เผยแพร่"
    assert row[-1] == "ตุลาคม 2568 – กันยายน 2569"


def test_thai_digit_documents_keep_latin_codes_and_the_same_figures(tmp_path, settings):
    result = process(seed000_form(tmp_path, ใช้เลขไทย="ใช่"), settings)
    receipt = json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))
    analysis = result.job_dir / next(d["docx"] for d in receipt["documents"] if d["kind"] == "analysis")
    text = full_text(analysis)
    assert to_thai_digits(_f(receipt["figures"]["overall_score"])) in text
    assert "ร้อยละ ๙๙.๒๗" in text
    assert "i10" in text and "i๑๐" not in text
    assert not re.search(r"ปี [0-9]{4}", text)
