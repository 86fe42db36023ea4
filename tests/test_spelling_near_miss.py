"""Slips that split into real words (ชุม|ชล for ชุมชน) are caught by weighing the reading as written
against the corrected one, at the whole misspelt word, while correct text that looks like a slip is left
alone. None of these words is in the shipped list of known misspellings, so only the algorithm finds them."""
from __future__ import annotations

import openpyxl
import pytest

from service.pipeline import run
from service.thai.lexicon import lexicon, segment
from service.thai.spelling import misspellings
from test_one_computation import seed000_form

FRAME = "คณะทำงานเห็นว่า{}เป็นเรื่องที่ต้องติดตามอย่างใกล้ชิด"


@pytest.mark.parametrize("wrong, right", [
    ("ชุมชล", "ชุมชน"),                   # final consonant of the same sound (ล for น)
    ("ร้องเรียล", "ร้องเรียน"),
    ("เทศบาณ", "เทศบาล"),
    ("ค่าตอบแถน", "ค่าตอบแทน"),           # homophone letter (ถ for ท)
    ("สิ่งแวตล้อม", "สิ่งแวดล้อม"),
    ("ความพึงพอใด", "ความพึงพอใจ"),
    ("ประชาชล", "ประชาชน"),
    ("งบประมาร", "งบประมาณ"),
])
def test_a_slip_that_splits_into_real_words_is_flagged_with_its_fix(wrong, right):
    lex = lexicon()
    assert wrong not in lex.known_errors and wrong not in lex.words
    assert all(known for _, known in segment(wrong, lex.words, lex.longest))     # real words only
    [m] = misspellings(FRAME.format(wrong))
    assert (m.word, m.suggestions[0]) == (wrong, right)


def test_the_warning_covers_the_whole_misspelt_word():
    """The segmenter reads บ|ริ|หา|นอ|ยู่: the warning is about การบริหาณ, not a piece of it."""
    text = "รายงานผลการบริหาณอยู่ระหว่างจัดทำ"
    [m] = misspellings(text)
    assert text.replace(m.word, m.suggestions[0]) == "รายงานผลการบริหารอยู่ระหว่างจัดทำ"


@pytest.mark.parametrize("text", [
    "ถนนสองทางเข้าหมู่บ้านได้รับการซ่อมแซมแล้ว",         # สองทาง is not ช่องทาง
    "ระบบประปาทำให้ชาวบ้านมีน้ำใช้ตลอดปี",               # มีน้ำใช้ is not มีน้ำใจ
    "เจ้าหน้าที่รับคำขอและการออกใบอนุญาตภายในสามวัน",     # การออกใบ is not การออกไป
    "ชาวบ้านตำข้าวบนลานวัดตำบลบ้านใหม่",
    "เป้าหมายของชมรมหมากรุกคือการแข่งขันระดับจังหวัด",
    "ผู้ใหญ่บ้านซื่อตรงต่อหน้าที่และเลี้ยงสัตว์ไว้หลายตัว",
])
def test_correct_text_that_looks_like_a_slip_is_not_flagged(text):
    assert misspellings(text) == []


def test_the_slip_is_reported_at_its_cell_with_the_fix(tmp_path, settings):
    """An officer fills the shipped form and writes ชุมชล in the analysis of a gap: the warning names
    the cell and the right word, and blocks nothing."""
    path = seed000_form(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["ประเด็นที่ต้องปิด Gap"]
    column = next(c.column for c in ws[1] if c.value == "การวิเคราะห์สาเหตุ")
    ws.cell(row=2, column=column, value="การสื่อสารกับชุมชลยังไม่ชัดเจน")
    wb.save(path)
    outcome = run(path, settings)
    [warning] = [p for p in outcome.problems.warnings if p.code == "spelling"]
    assert (warning.sheet, warning.cell) == ("ประเด็นที่ต้องปิด Gap", ws.cell(row=2, column=column).coordinate)
    assert '"ชุมชล"' in warning.message and '"ชุมชน"' in warning.message
    assert not outcome.problems.errors
