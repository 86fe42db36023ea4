"""The spelling checker's own guarantees: the shipped lists are sound, the precompiled lexicon follows
the dictionary files it was built from, and each kind of officer's slip is caught with its fix while
names, modern vocabulary and legitimate abbreviations pass."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from service.thai import lexicon as lexicon_module
from service.thai.abbreviations import foreign_abbreviations
from service.thai.lexicon import lexicon, read_lines
from service.thai.spelling import misspellings
from service.thai.text import clean_text, meaning_may_change

DICTIONARY = Path(__file__).resolve().parent.parent / "config" / "dictionary"


@pytest.fixture
def dictionary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped dictionary with its own compiled-lexicon cache."""
    monkeypatch.setenv("ITADOC_CACHE", str(tmp_path / "cache"))
    copy = tmp_path / "dictionary"
    shutil.copytree(DICTIONARY, copy)
    return copy


def test_shipped_misspellings_have_sources_and_trusted_fixes():
    rows = [line.split("\t") for line in read_lines(DICTIONARY / "misspellings.txt")]
    assert len(rows) >= 500
    assert all(len(r) == 3 and r[2] for r in rows)                       # wrong, right, source
    lex = lexicon(DICTIONARY)
    assert not {wrong for wrong, *_ in rows} & lex.words                  # never trusted
    for word in ("โอกาศ", "สัมนา", "กระทันหัน"):                          # in pythainlp's list, wrong
        assert word not in lex.words


@pytest.mark.parametrize("wrong, right", [
    ("งบประมาน", "งบประมาณ"), ("มาตราการ", "มาตรการ"), ("บุคคลากร", "บุคลากร"), ("โปร่งไส", "โปร่งใส"),
    ("ไตรมาศ", "ไตรมาส"), ("ร้องเลียน", "ร้องเรียน"), ("เจ้าหนาที่", "เจ้าหน้าที่"), ("ความเสียง", "ความเสี่ยง"),
    ("ประชม", "ประชุม"), ("โอกาศ", "โอกาส"), ("สัมนา", "สัมมนา"), ("กระทันหัน", "กะทันหัน"),
])
def test_known_misspellings_are_flagged_even_when_they_split_into_real_words(wrong, right):
    text = f"ในไตรมาสนี้หน่วยงานได้ให้ความสำคัญกับ{wrong}เป็นพิเศษ"
    found = misspellings(text)
    assert [(m.word, m.suggestions[0]) for m in found] == [(wrong, right)]


@pytest.mark.parametrize("text, word, fix", [
    ("ผู้บริหารดาเนินการตามแผน", "ดาเนินการ", "ดำเนินการ"),                 # PDF lost the circle of ำ
    ("รายงานผลประจาปี 2569", "ประจา", "ประจำ"),
    ("ส านักงานจังหวัดได้ประกาศ", "ส านักงาน", "สำนักงาน"),                 # … or put a space there
    ("การพัฒณาคุณภาพบริการ", "พัฒณา", "พัฒนา"),                               # homophone letter
    ("ประกาศนโยบาย์ของหน่วยงาน", "นโยบาย์", "นโยบาย"),                       # a stray karan
    ("ตรวจสอบคาปรับตามสัญญา", "คาปรับ", "ค่าปรับ"),                           # a dropped tone mark
])
def test_slips_beyond_the_list_are_found_with_their_fix(text, word, fix):
    """One warning, and taking its first suggestion gives back the sentence meant."""
    [m] = misspellings(text)
    assert m.word in text and word.startswith(m.word[:2])
    assert text.replace(m.word, m.suggestions[0]) == text.replace(word, fix)


def test_pdf_halves_of_am_are_not_a_change_of_meaning():
    """ำ pasted from a PDF as ํ + า is normalised silently; two different tone marks still warn."""
    assert clean_text("ดําเนินการ") == "ดำเนินการ"
    assert not meaning_may_change("ดําเนินการ", clean_text("ดําเนินการ"))
    assert meaning_may_change("ก่้า", clean_text("ก่้า"))


@pytest.mark.parametrize("text", [
    "ชำระค่าธรรมเนียมผ่านพร้อมเพย์ และติดตามข่าวทางไลน์ออฟฟิเชียล ติ๊กต็อก และเว็บบินาร์",
    "ยื่นคำขอผ่านแอปทางรัฐ ระบบอีจีพี และไทยดี",
    "ติดตามการซ่อมได้ด้วยตนเอง และฟังหอกระจายข่าวของหมู่บ้าน",             # real words, not merges
    "ไม่มีเรื่องใดที่ค้างอยู่",
])
def test_correct_modern_text_gets_no_warning(text):
    assert misspellings(text) == []


@pytest.mark.parametrize("text", [
    "มอบหมายให้ คุณกนกวรรณ ศรีสุวรรณรัตน์ เป็นผู้ประสานงาน",
    "วิทยากร ผศ.ดร.ธีรวัฒน์ จันทร์เพ็ญศรี และ นพ.ภานุวัฒน์ สิทธิโชคชัย",
    "ว่าที่ร้อยตรีณรงค์ฤทธิ์ พิทักษ์ธรรม และ พ.ต.อ.ชยพล โชติช่วง ร่วมประชุม",
    "อาจารย์ปวีณา ศรีวิชัยรัตน์ บรรยายเรื่องคุณภาพ",
])
def test_names_after_titles_are_never_flagged(text):
    assert misspellings(text) == []


def test_a_title_glued_to_a_word_is_that_word():
    """คุณภาพ is not คุณ + a name: a slip right after it is still found."""
    assert [m.word for m in misspellings("คุณภาพการบริกาน")] == ["บริกาน"]


def test_suggestions_never_come_from_the_block_list(dictionary: Path):
    lex = lexicon(dictionary)
    found = misspellings("ประชุมผ่านระบบพร้อมเพย", lex=lex)
    assert all(s not in lex.blocked for m in found for s in m.suggestions)
    assert "เกย์" in lex.blocked or "เกย์" not in {s for m in found for s in m.suggestions}


def test_compiled_lexicon_follows_an_edited_dictionary_file(dictionary: Path):
    """An administrator adds a misspelling in Notepad: the next check compiles a new lexicon."""
    assert misspellings("ทดสอบคำว่าจริยธรม", lex=lexicon(dictionary))[0].suggestions[0] == "จริยธรรม"
    before = set((dictionary.parent / "cache" / "itadoc").glob("lexicon-*"))
    path = dictionary / "misspellings.txt"
    path.write_text(path.read_text(encoding="utf-8") + "ศักยภาบ\tศักยภาพ\tทดสอบ\n", encoding="utf-8")
    lexicon_module._load.cache_clear()
    lex = lexicon(dictionary)
    assert lex.known_errors["ศักยภาบ"] == "ศักยภาพ"
    assert set((dictionary.parent / "cache" / "itadoc").glob("lexicon-*")) - before   # a new file
    assert lexicon_module._thaw(lexicon_module._freeze(lex)).known_errors == lex.known_errors


@pytest.mark.parametrize("text, own, parent, responsible, slips", [
    ("คณะทำงานขับเคลื่อนจริยธรรม ทรบ", "ศรป.", "", True, ["ทรบ"]),           # responsible column, no dot
    ("เผยแพร่ผลการดำเนินงานของครป.ทางเว็บไซต์", "ศรป.", "", False, ["ครป."]),  # glued, with its dot
    ("รายงานต่อผู้บริหารของ สสจ.ศก. ทุกไตรมาส", "สสจ.สก.", "", False, ["สสจ.ศก."]),
    ("ประกาศเจตนารมณ์ โดย อบต.หนองแวง", "อบต.คำเนียม", "", False, ["อบต.หนองแวง"]),
    ("ตามแนวทางของสำนักงาน ป.ป.ช. สตง. และกรมบัญชีกลาง แบบ สขร.1", "ศรป.", "", False, []),
    ("ตามหนังสือของ สถ. และ อบจ.ศรีสะเกษ", "อบต.คำเนียม", "", False, []),
    ("ฝ่ายบริหาร สลช. และ กปน.", "กปน.", "", False, []),                     # a division it names
    ("ประสานกับ สป.อว. ตามคำสั่ง", "ศทก.", "สป.อว.", False, []),               # the parent
])
def test_unit_abbreviation_registry(text, own, parent, responsible, slips):
    assert foreign_abbreviations(text, own, parent, responsible=responsible) == slips


def test_a_listed_given_name_with_an_unlisted_family_name_is_a_name():
    """No title: a given name from the lists, then a family name no dictionary splits, is not flagged;
    a real slip after an ordinary word still is."""
    assert misspellings("มอบหมายให้ สุนันทา นิลกำแหง เป็นผู้ประสานงาน") == []
    assert misspellings("มอบหมายให้ จิราภรณ์ บุญญาศิริ เป็นผู้ประสานงาน") == []
    assert [m.word for m in misspellings("ทั้งนี้ สอาด จะนำเสนอต่อที่ประชุม")] == ["สอาด"]
