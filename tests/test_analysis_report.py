"""Issue 2: a standard workbook in, the official ITA analysis report out — checked as an officer would."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from docxread import full_text, tables
from service.delivery.job import process
from workbooks import E7_QUESTION, I10_QUESTION, seed000_analysis, seed002_analysis

ROOT = Path(__file__).resolve().parent.parent


def _analysis_docx(result) -> Path:
    entry = next(d for d in result.receipt.documents if d.kind == "analysis")
    return result.job_dir / entry.docx


def test_seed002_overall_93_level_a(tmp_path, settings):
    path = seed002_analysis().save(tmp_path / "kamneam.xlsx")
    result = process(path, settings)
    receipt = json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["status"] == "ok"
    assert receipt["figures"]["overall_score"] == 93.0
    assert receipt["figures"]["level"] == "A"
    # IIT (100+100+99.81+100+100)/5, EIT (98.84+98.84+98.41)/3, OIT (77+90)/2
    assert receipt["figures"]["tool_scores"] == {"IIT": 99.96, "EIT": 98.7, "OIT": 83.5}
    assert receipt["fiscal_year"] == 2568 and receipt["unit"] == "องค์การบริหารส่วนตำบลคำเนียม"
    text = full_text(_analysis_docx(result))
    assert "ได้คะแนนภาพรวม 93.00 คะแนน อยู่ในระดับ A" in text
    overall_table = tables(_analysis_docx(result))[0]
    assert overall_table[-1][-1] == "93.00"
    assert [row[-1] for row in overall_table[1:4]] == ["99.96", "98.70", "83.50"]


def test_seed002_below_pass_and_notes(tmp_path, settings):
    result = process(seed002_analysis().save(tmp_path / "k.xlsx"), settings)
    text = full_text(_analysis_docx(result))
    assert "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล (ร้อยละ 77)" in text          # under the pass mark of 85
    assert "ตัวชี้วัดที่ 1 การปฏิบัติหน้าที่ โดยรวมได้คะแนนเท่ากับ 100" in text
    assert "ตั้งคณะทำงาน ITA เพื่อแบ่งงานผู้รับผิดชอบอย่างเป็นระบบ" in text


def test_seed000_tables_totals_and_narrative(tmp_path, settings):
    path = seed000_analysis().save(tmp_path / "srp.xlsx")
    result = process(path, settings)
    assert result.receipt.status == "ok", result.receipt.errors
    docx_path = _analysis_docx(result)
    iit, eit = [t for t in tables(docx_path) if t[0][0] == "ตัวชี้วัด"][:2]
    assert iit[0][1:] == [f"ปี {y} รอบ 5 เดือนแรก (ร้อยละ)" for y in (2567, 2568, 2569)]
    assert iit[-1] == ["คะแนนรวม", "98.91", "97.58", "99.27"]
    assert eit[-1] == ["คะแนนรวม", "84.89", "91.11", "92.96"]
    assert iit[1] == ["1. การปฏิบัติหน้าที่", "98.79", "93.33", "100"]
    text = full_text(docx_path)
    assert "ตัวชี้วัดที่ได้คะแนนสูงสุด คือ ตัวชี้วัดที่ 1, 3 และ 5 (ร้อยละ 100)" in text
    assert "คะแนนต่ำสุด คือ ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ (ร้อยละ 96.97)" in text
    assert f"ข้อย่อยที่ได้คะแนนน้อยที่สุด (ร้อยละ 90.91) คือ “i10 {I10_QUESTION}”" in text
    assert f"(ร้อยละ 86.67) คือ “e7 {E7_QUESTION}”" in text
    assert "ผลคะแนนการประเมิน IIT ประจำปี 2569 อยู่ที่ร้อยละ 99.27 ซึ่งมากกว่าปี 2567 (ร้อยละ 98.91) และ ปี 2568" in text
    # no OIT: the overall score cannot be weighted, and the receipt says so with nulls
    assert result.receipt.figures["overall_score"] is None and result.receipt.figures["level"] is None
    assert "ไม่มีประเด็นข้อเสนอแนะของผู้มีส่วนได้ส่วนเสียภายใน" in text
    assert "ที่ตอบแบบประเมิน EIT จำนวน 6 ราย" in text


def test_seed000_swoc_gap_and_signature(tmp_path, settings):
    result = process(seed000_analysis().save(tmp_path / "srp.xlsx"), settings)
    docx_path = _analysis_docx(result)
    swoc = next(t for t in tables(docx_path) if t[0][0].startswith("จุดแข็ง"))
    assert len(swoc[0]) == 4
    assert swoc[1][3] == "1. การสร้างให้เกิดความมั่นใจต่อการดำเนินงาน"      # อุปสรรค read as ท้าทาย
    gap = next(t for t in tables(docx_path) if t[0][:2] == ["ตัวชี้วัด", "ข้อ"])
    assert gap[1][:2] == ["4 การใช้ทรัพย์สินของราชการ", "i10"]
    text = full_text(docx_path)
    assert "( นายสมชาย มั่นคง )" in text and "ผู้อำนวยการศูนย์ความร่วมมือระหว่างประเทศ" in text


def test_document_traces_its_template(tmp_path, settings):
    result = process(seed002_analysis().save(tmp_path / "k.xlsx"), settings)
    entry = result.receipt.documents[0]
    import hashlib
    assert entry.template == "analysis.docx"
    assert entry.template_sha256 == hashlib.sha256((settings.templates / "analysis.docx").read_bytes()).hexdigest()
    assert (result.job_dir / "k.xlsx").read_bytes() == (tmp_path / "k.xlsx").read_bytes()


def test_thai_digits_when_asked(tmp_path, settings):
    spec = seed002_analysis()
    spec.general["ใช้เลขไทย"] = "ใช่"
    result = process(spec.save(tmp_path / "k.xlsx"), settings)
    text = full_text(_analysis_docx(result))
    assert "๙๓.๐๐" in text and "93.00" not in text


HOW_TO_FIX = ('ให้เปิดไฟล์ใน Excel แล้วเลือก บันทึกเป็น "Excel Workbook (.xlsx)" โดยใช้แบบฟอร์มมาตรฐาน '
              "แล้ววางไฟล์ลงในโฟลเดอร์ inbox อีกครั้ง")


@pytest.mark.parametrize("content, says", [
    (b"not a workbook at all", "ไฟล์นี้ไม่ใช่ไฟล์ Excel (อาจเป็นไฟล์ชนิดอื่นที่เปลี่ยนชื่อเป็น .xlsx หรือไฟล์ข้อความ)"),
    (b"PK\x03\x04broken zip", "ไฟล์นี้เสียหรือบันทึกไม่สมบูรณ์ (อ่านโครงสร้างไฟล์ไม่ได้)")])
def test_corrupt_file_gets_not_a_workbook(tmp_path, content, says, settings):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(content)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "service", "render", str(bad), "--out", str(out), "--no-pdf",
                           "--config", str(settings.config_dir)],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 1
    (job_dir,) = [p for p in out.iterdir() if p.is_dir()]  # beside it: the roll-up workbook
    assert job_dir.name.startswith("broken-")
    assert (job_dir / "broken.xlsx").read_bytes() == content
    receipt = json.loads((job_dir / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["status"] == "failed"
    assert [e["code"] for e in receipt["errors"]] == ["not_a_workbook"]
    assert receipt["errors"][0]["message"] == f"{says} {HOW_TO_FIX}"


def test_render_exit_codes(tmp_path, settings):
    good = seed002_analysis().save(tmp_path / "good.xlsx")
    run = [sys.executable, "-m", "service", "render", "--out", str(tmp_path / "o"), "--no-pdf",
           "--config", str(settings.config_dir)]
    assert subprocess.run(run + [str(good)], cwd=ROOT, capture_output=True).returncode == 0
    assert subprocess.run(run + [str(tmp_path / "missing.xlsx")], cwd=ROOT, capture_output=True).returncode == 2


def test_context_command_prints_template_context(tmp_path, settings):
    path = seed002_analysis().save(tmp_path / "k.xlsx")
    proc = subprocess.run([sys.executable, "-m", "service", "context", str(path),
                           "--config", str(settings.config_dir)], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    context = json.loads(proc.stdout)
    assert context["analysis"]["overall"] == "93.00"
    assert context["analysis"]["level"] == "A"
    assert [t["tool"] for t in context["analysis"]["tools"]] == ["IIT", "EIT", "OIT"]


def test_outputs_are_readable_by_others_as_umask_allows(tmp_path, settings):
    """Officers open the outbox over a share: files must not be private to the service's user."""
    import os
    import stat
    old = os.umask(0o022)
    try:
        result = process(seed002_analysis().save(tmp_path / "k.xlsx"), settings)
    finally:
        os.umask(old)
    for path in result.job_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) & 0o044 == 0o044, path.name
