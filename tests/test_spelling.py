"""Thai text checks an officer can trust: the seeds' typos are found with the right fix, the seed-000
ทรบ. slip is flagged at its cell, and clean workbooks get no text warnings at all."""
from __future__ import annotations

import pytest

from service.pipeline import run
from service.thai.abbreviations import foreign_abbreviations
from service.thai import spelling
from service.thai.spelling import lexicon, misspellings
from workbooks import (SEED000_ACTIVITIES, WorkbookSpec, seed000_analysis, seed000_plan, seed002_analysis,
                       seed003_monthly)

TEXT_CODES = {"spelling", "abbreviation_mismatch", "text_normalised"}


@pytest.mark.parametrize("text, word, fix", [
    ("รายงานผลการประเมิน รอบ 5 เดือนหลัง ปังบประมาณ พ.ศ. 2569", "ปังบประมาณ", "ปีงบประมาณ"),     # seed 000
    ("ตัวชี้วัดที่ 8 ช้อย่อย e7 ได้คะแนนต่ำสุด (ร้อยละ 86.67)", "ช้อย่อย", "ข้อย่อย"),             # seed 000
    ("ข่าวประชาสัมพันธ์ฝ่ายธรรมภิบาล", "ธรรมภิบาล", "ธรรมาภิบาล"),                              # seed 003
    ("อบรม ณ อาคารเนกประสงค์ สำนักงานใหญ่", "เนกประสงค์", "อเนกประสงค์"),                      # seed 003
    ("ช่องทางการสื่อสาร เช่น ไลน์ เพชบุ๊ก เว็บไซต์", "เพชบุ๊ก", "เฟซบุ๊ก"),                        # seed 004
])
def test_seed_typos_are_found_with_the_right_suggestion(text, word, fix):
    found = misspellings(text)
    assert [m.word for m in found] == [word]
    assert found[0].suggestions[0] == fix


@pytest.mark.parametrize("text, word, fix", [
    ("ผลการดำเนินงานระดับตำบนเป็นไปตามแผน", "ตำบน", "ตำบล"),               # a final that sounds alike
    ("ผู้บริหารมีวิสัยทัศเรื่องความโปร่งใส", "วิสัยทัศ", "วิสัยทัศน์"),          # a silent letter dropped
    ("เจ้าหน้าที่ต้องซื่อสัตว์สุจริต", "ซื่อสัตว์สุจริต", "ซื่อสัตย์สุจริต"),     # the karan on the wrong letter
    ("งานสาธารณะสุขของจังหวัด", "สาธารณะสุข", "สาธารณสุข"),                   # an ะ added
])
def test_slips_that_split_into_real_words_are_found(text, word, fix):
    """Each of these segments into real words (ตำ|บน, ซื่อ|สัตว์): caught by the slips officers make,
    not by a list."""
    assert [(m.word, m.suggestions[0]) for m in misspellings(text)] == [(word, fix)]


@pytest.mark.parametrize("written, meant", [
    ("ตำบน", "ตำบล"), ("วิสัยทัศ", "วิสัยทัศน์"), ("ซื่อสัตว์", "ซื่อสัตย์"), ("สาธารณะสุข", "สาธารณสุข"),
    ("ดาเนินการ", "ดำเนินการ"), ("อนุญาติ", "อนุญาต"), ("ประโยชน", "ประโยชน์"), ("บริหาน", "บริหาร"),
])
def test_the_quick_test_for_a_slip_never_hides_one(written, meant):
    """Joins are checked for a common word one slip away only when a key that no slip changes says one
    may be there: every slip `_slips` makes must keep that key, or a slip would go unseen."""
    lex = lexicon()
    assert meant in spelling._slips(written) and lex.frequency.get(meant, 0) >= spelling.MERGE_FREQUENCY
    assert spelling._may_slip(written, lex)


def test_the_quick_test_turns_most_joins_away():
    lex = lexicon()
    joins = ["ของหน่วยงาน", "ผู้บริหารทุกระดับ", "เพื่อให้เกิด", "ตามแผนงาน", "รายงานต่อผู้บริหาร"]
    assert not any(j in lex.words for j in joins)           # joins of real words, not words themselves
    assert not any(spelling._may_slip(j, lex) for j in joins)


@pytest.mark.parametrize("text", [
    "ขอให้ดีขึ้นและตรวจนับพัสดุทุกเดือน",        # ให้ดี, ตรวจนับ: a swapped first letter makes other words
    "ติดป้ายสื่อสารองค์กรและแนวทาง",
])
def test_sound_alike_letters_at_the_start_of_a_syllable_are_left_alone(text):
    assert misspellings(text) == []


@pytest.mark.parametrize("text", [
    "ผลคะแนนการประเมิน IIT ประจำปี 2568 รอบ 5 เดือนแรก (ศรป.) ตัวชี้วัดที่ได้คะแนนสูงสุด คือ ตัวชี้วัดที่ 3",
    "ดังนั้น จึงได้ร่วมกันคิดมาตรการแนวทางแก้ไขเพื่อปิด GAP ดังกล่าว โดยนำกลยุทธ์ PIRAB มาใช้เป็นกรอบแนวทาง",
    "ผู้อนุมัติแผน..... ผู้บริหารตำแหน่ง.....",
    "๔. นายสนันท์ ศิริบุรณ คณะกรรมการ ๘. นางนภัสสร จินตวิโรจน์",                        # names after a title
    "รายงานผลการดำเนินงานตัวชี้วัด 2.1 ในระบบ DOC ผ่าน Line, Facebook และ e-mail",
])
def test_correct_seed_text_gets_no_warning(text):
    assert misspellings(text) == []


def test_workbook_words_are_accepted_as_written():
    assert misspellings("อบต.คำเนียม อำเภอกันทรารมย์", own_words="องค์การบริหารส่วนตำบลคำเนียม อำเภอกันทรารมย์") == []


def test_other_units_abbreviations_are_found_and_known_ones_pass():
    text = "กำกับ ติดตาม การดำเนินงานของ ทรบ. และ ครป. ตามแนวทางของสำนักงาน ป.ป.ช. และมติ ครม. เมื่อ ม.ค. 2569"
    assert foreign_abbreviations(text, "ศรป.") == ["ทรบ.", "ครป."]
    assert foreign_abbreviations("ฝ่ายบริหาร สลช. และ กปน.", "กปน.") == []       # seed 003: a division, not a slip


def test_seed000_slip_is_flagged_at_its_cell(tmp_path, settings):
    """Seed 000 writes ทรบ. in the responsible column of activity 3.3 in a unit that calls itself ศรป."""
    spec = seed000_plan()
    row = next(i for i, a in enumerate(SEED000_ACTIVITIES) if a[0] == "3.3")
    spec.sheets["แผนงาน"][row]["ผู้รับผิดชอบ"] = "คณะทำงาน ขับเคลื่อนชมรม จริยธรรม ทรบ."
    spec.sheets["มาตรการ"][2]["มาตรการ"] = ("กำกับ ติดตาม การดำเนินงาน คุณธรรมและ ความโปร่งใสของ ทรบ. "
                                         "และรายงาน ต่อผู้บริหาร อย่างสม่ำเสมอ")
    spec.sheets["มาตรการ"][0]["เหตุผลในการกำหนดมาตรการ"] = "เพื่อให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วม ปังบประมาณ 2569"
    outcome = run(spec.save(tmp_path / "slip.xlsx"), settings)
    found = {(p.code, p.sheet, p.cell) for p in outcome.problems.warnings if p.code in TEXT_CODES}
    assert found == {("abbreviation_mismatch", "แผนงาน", f"F{row + 2}"),
                     ("abbreviation_mismatch", "มาตรการ", "C4"), ("spelling", "มาตรการ", "D2")}
    spelling = next(p for p in outcome.problems.warnings if p.code == "spelling")
    assert '"ปีงบประมาณ"' in spelling.message
    assert not outcome.problems.errors
    assert {p.kind for p in outcome.prepared} == {"plan", "quarterly"}       # warnings block nothing


@pytest.mark.parametrize("spec", [seed000_analysis, seed000_plan, seed002_analysis, seed003_monthly])
def test_clean_workbooks_get_no_warning_about_their_text(tmp_path, settings, spec):
    outcome = run(spec().save(tmp_path / "clean.xlsx"), settings)
    assert [p for p in outcome.problems.items if p.code in TEXT_CODES | {"date_outside_quarter"}] == []
    assert outcome.problems.errors == []


def test_normalisation_warns_only_where_meaning_may_change(tmp_path, settings):
    spec = WorkbookSpec(general={"หน่วยงาน": "หน่วยทดสอบ", "ปีงบประมาณ": 2569}, sheets={"SWOC": [
        {"ประเภท": "จุดแข็ง", "ข้อความ": "ผู้บริหารให้ความสำคัญ\u200bและสนับสนุน  เเละ ที่ี่ดี"},   # silent fixes
        {"ประเภท": "จุดอ่อน", "ข้อความ": "การสื่อสารยังไม่ทั่วถึงก่้า"},                           # two tone marks
    ]})
    outcome = run(spec.save(tmp_path / "marks.xlsx"), settings)
    assert [(p.code, p.cell) for p in outcome.problems.warnings if p.code in TEXT_CODES] == [
        ("text_normalised", "B3")]
    assert outcome.document.swoc[0].text == "ผู้บริหารให้ความสำคัญและสนับสนุน และ ที่ดี"
