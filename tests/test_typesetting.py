"""Thai typesetting in the produced PDFs, read back as a reader sees them (text with line ends, the page
of each row, word positions) and in the .docx XML: words whole at line ends, rows whole, each measure
labelled on its continuation pages, headings with what follows, signatures in the official style.

Workbooks: seed 000 (all three documents), seed 000 in Thai digits (as seed 004 writes), seed 002, and
seed 003's month-based plan grown to 36 activities (each measure runs over several pages).
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest

from pdfread import docx_paragraphs, line_ends, page_text, page_words, pages, skeleton
from service.delivery.job import process
from service.render import linebreak
from service.render.pdf import converter_for
from workbooks import seed000_full
from workbooks import seed002_analysis, seed003_long

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and poppler-utils are needed")
W = linebreak.W


def _thai_digits():
    spec = seed000_full()
    spec.general["ใช้เลขไทย"] = "ใช่"
    return spec


WORKBOOKS = {"seed000": seed000_full, "seed000-thai": _thai_digits, "seed002": seed002_analysis,
             "seed003-long": seed003_long}


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """{"<workbook>/<kind>": (docx, pdf)} through the service with PDF on."""
    from shipped import shipped_copy
    from service.settings import load_settings

    tmp = tmp_path_factory.mktemp("typeset")
    settings = load_settings(shipped_copy(tmp / "itadoc"), outbox=tmp / "out", pdf=True)
    out = {}
    with converter_for(True) as pdf:
        for name, make in WORKBOOKS.items():
            result = process(make().save(tmp / f"{name}.xlsx"), settings, pdf=pdf)
            assert result.receipt.status == "ok", result.receipt.errors
            for d in result.receipt.documents:
                out[f"{name}/{d.kind}"] = (result.job_dir / d.docx, result.job_dir / d.pdf)
    assert len(out) == 9
    return out


def _activity_measures(docx_path: Path) -> dict[str, str]:
    """Activity code → the label of its measure, from the plan's per-measure tables in the .docx."""
    found = {}
    for t in docx.Document(str(docx_path)).tables:
        rows = [[c.text for c in r.cells] for r in t.rows]
        if rows[0][0] == "โครงการ/กิจกรรม":
            found.update({r[0].split(" ")[0]: rows[1][0] for r in rows[2:]})
    return found


# -- 1. words whole ---------------------------------------------------------------------------------
def test_under_one_percent_of_line_ends_cut_a_word(docs):
    tok = linebreak.tokenizer()
    total = line_ends(*reversed(docs["seed000/plan"]), tok)   # the plan: the most line ends
    for key, (docx_path, pdf) in docs.items():
        if key != "seed000/plan":
            total.add(line_ends(pdf, docx_path, tok))
    assert total.count > 300
    assert total.share < 0.01, total.bad
    assert not [b for b in total.bad if b in ("ร้อย|ละ", "ตัวชี้|วัด", "ขับ|เคลื่อน", "หลัก|ฐาน", "งบ|ประมาณ")]


def test_the_officers_docx_carries_no_break_hints(docs):
    for docx_path, _ in docs.values():
        with zipfile.ZipFile(docx_path) as z:
            xml = z.read("word/document.xml").decode()
        assert not re.search("[\u200b\u2060\u00a0]", xml), docx_path.name
    with zipfile.ZipFile(docs["seed000/analysis"][0]) as z:
        assert "ร้อยละ 99.27" in z.read("word/document.xml").decode()   # Word's search finds it as typed


def test_hints_glue_words_and_keep_latin_and_percent_whole():
    tok = linebreak.tokenizer()
    hinted = linebreak.hint("ตัวชี้วัดการขับเคลื่อน (ITA) ร้อยละ 85 ปี 2567 (ร้อยละ)", tok)
    assert hinted.replace("\u2060", "").replace("\u200b", "|") == \
        "ตัวชี้วัด|การ|ขับเคลื่อน (ITA) ร้อยละ\u00a085 ปี 2567\u00a0(ร้อยละ)"      # การ + a word wraps after การ
    assert "ร\u2060้" not in hinted and "ต\u2060ั" not in hinted          # marks stay on their letter
    assert "\u200b" not in linebreak.hint("Transparency", tok)


# -- 2. rows whole, measures labelled ---------------------------------------------------------------
@pytest.mark.parametrize("key", ["seed000/plan", "seed003-long/plan", "seed000/quarterly"])
def test_every_row_is_whole_on_one_page(docs, key):
    """The page of each activity row: its code (first column) and the end of its activity text are
    on the same page."""
    docx_path, pdf = docs[key]
    words, texts = page_words(pdf), page_text(pdf)
    rows = [[c.text for c in r.cells] for t in docx.Document(str(docx_path)).tables for r in t.rows]
    activities = {m.group(1): m.group(2) for r in rows if (m := re.fullmatch(r"(\d+\.\d+) (.+)", r[0], re.S))}
    activities.update({r[0]: r[1] for r in rows if re.fullmatch(r"\d+\.\d+", r[0])})
    assert len(activities) >= 20
    for code, text in activities.items():
        page = next(n for n, page in enumerate(words) if any(w.text == code and w.x < 130 for w in page))
        last_word = linebreak.tokenizer().word_tokenize(text.split()[-1])[-1]   # whole: a line may end before it
        assert skeleton(last_word) in texts[page], (code, page + 1)


def test_a_measure_continuing_on_a_new_page_repeats_its_label(docs):
    docx_path, pdf = docs["seed003-long/plan"]
    measure_of = _activity_measures(docx_path)
    words, texts = page_words(pdf), page_text(pdf)
    continued = 0
    for number in range(1, len(words)):
        codes = [w.text for w in sorted(words[number], key=lambda w: w.y) if w.text in measure_of and w.x < 130]
        if codes:
            label = measure_of[codes[0]]
            assert skeleton(label) in texts[number], (number + 1, label)
            starts = codes[0].endswith(".1")                    # the measure's first activity: no "(ต่อ)"
            assert (skeleton(f"{label} (ต่อ)") in texts[number]) != starts, (number + 1, label, starts)
            continued += not starts
    assert continued >= 8                                       # 36 long activities over many pages
    assert not any("(ต่อ)" in p for p in docx_paragraphs(docx_path))   # the officer's .docx: one table per measure
    assert "(ต่อ)" not in "".join(c.text for t in docx.Document(str(docx_path)).tables for r in t.rows for c in r.cells)


def test_rows_never_split_in_the_docx(docs):
    for docx_path, _ in docs.values():
        with zipfile.ZipFile(docx_path) as z:
            root = z.read("word/document.xml")
        from lxml import etree
        rows = list(etree.fromstring(root).iter(f"{W}tr"))
        assert rows and all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


# -- 3. page flow ----------------------------------------------------------------------------------
def test_no_heading_ends_a_page_and_no_page_holds_only_its_number(docs):
    for key, (docx_path, pdf) in docs.items():
        headings = {p.text.replace(" ", "") for p in docx.Document(str(docx_path)).paragraphs
                    if p.style.name.startswith("Heading") and p.text.strip()}
        for number, page in enumerate(pages(pdf), start=1):
            lines = [line for block in page for line in block if line.strip()]
            assert len(lines) > 1, (key, number)                 # more than "- n -"
            assert lines[-1].replace(" ", "") not in headings, (key, number, lines[-1])


def test_quarterly_page_one_goes_on_to_the_measures(docs):
    first = page_text(docs["seed000/quarterly"][1])[0]
    assert skeleton("2. ผลการดำเนินงานรายมาตรการ") in first and skeleton("1.1ประชุมหารือ") in first


def test_chart_paragraphs_keep_clear_of_the_table_above(docs):
    for key in ("seed000/analysis", "seed000/quarterly"):
        body = docx.Document(str(docs[key][0])).element.body
        pictures = [p for p in body.iter(f"{W}p") if p.find(f".//{W}drawing") is not None]
        assert pictures, key
        for p in pictures:
            spacing = p.find(f"{W}pPr/{W}spacing")
            assert spacing is not None and int(spacing.get(f"{W}before")) >= 120, key   # 6 pt


# -- 4. signatures ---------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["seed000/analysis", "seed000/plan", "seed000/quarterly", "seed003-long/plan"])
def test_signatures_side_by_side_with_the_last_content(docs, key):
    _, pdf = docs[key]
    last = page_words(pdf)[-1]
    signs = [w for w in last if w.text == "(ลงชื่อ)"]
    assert len(signs) == 2 and abs(signs[0].y - signs[1].y) < 1 and signs[0].x != signs[1].x
    above = [w for w in last if w.y < signs[0].y - 30 and not re.fullmatch(r"-|\d+|[๐-๙]+", w.text)]
    assert above, "the signature block is alone on its page"


def test_signature_lines_in_the_official_order(docs):
    text = "\n".join(p.text for t in docx.Document(str(docs["seed000/plan"][0])).tables[-1:]
                     for r in t.rows for c in r.cells for p in c.paragraphs)
    assert "(ลงชื่อ) ........................................ ผู้จัดทำ\n( นางสาวสมใจ ตั้งใจดี )\n" \
           "ตำแหน่ง นักวิเคราะห์นโยบายและแผนชำนาญการ\nวันที่ 20 พฤศจิกายน 2568" in text
    assert "(ลงชื่อ) ........................................ ผู้อนุมัติ\n( นายสมชาย มั่นคง )\n" \
           "ตำแหน่ง ผู้อำนวยการศูนย์ความร่วมมือระหว่างประเทศ\nวันที่ ........................................" in text


def test_position_only_gets_a_blank_name_line_and_no_approver_still_a_block(tmp_path, settings):
    spec = seed002_analysis()
    spec.general["ตำแหน่งผู้จัดทำ"] = "นักวิเคราะห์นโยบายและแผน"
    result = process(spec.save(tmp_path / "w.xlsx"), settings)
    path = result.job_dir / result.receipt.documents[0].docx
    cells = [c.text for r in docx.Document(str(path)).tables[-1].rows for c in r.cells]
    dots = "........................................"
    assert cells[0].split("\n")[1:3] == [f"( {dots} )", "ตำแหน่ง นักวิเคราะห์นโยบายและแผน"]
    assert cells[1].split("\n")[:3] == [f"(ลงชื่อ) {dots} ผู้อนุมัติ", f"( {dots} )", f"ตำแหน่ง {dots}"]


# -- 6. page numbers -------------------------------------------------------------------------------
def _page_number_advances(pdf: Path) -> list[float]:
    """The advance (in ems) of each digit drawn in the page-2 header: "๒" is 0.464 em wide in the
    stand-in font, "2" 0.372 em (LibreOffice's text layer says "2" for both)."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item):
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)
    page = next(iter(extract_pages(str(pdf), page_numbers=[1])))
    return [round(c.adv / c.size, 3) for c in chars(page)
            if c.y0 > page.height - 60 and c.get_text() not in "- "]


def test_page_numbers_thai_only_in_a_thai_digit_document(docs):
    for kind in ("analysis", "plan"):
        assert _page_number_advances(docs[f"seed000-thai/{kind}"][1]) == [pytest.approx(0.464, abs=0.005)]
        assert _page_number_advances(docs[f"seed000/{kind}"][1]) == [pytest.approx(0.372, abs=0.005)]
    styles = zipfile.ZipFile(docs["seed000/analysis"][0]).read("word/styles.xml").decode()
    body = re.search(r'<w:docDefaults>.*?</w:docDefaults>', styles, re.S).group()
    assert 'w:val="en-US"' in body and 'w:bidi="th-TH"' in body      # only the header is Thai for digits


def test_the_words_of_the_jobs_own_configuration_keep_line_ends_whole(tmp_path):
    """The PDF path segments with the dictionary of the configuration the job runs with (--config), not
    the installation's: a word an administrator added there is one word in the PDF copy."""
    from shipped import shipped_copy
    from service.render.pdf import converter_for

    word = "ธรรมาวิถี"                       # newmm cuts it in two without the administrator's entry
    config = shipped_copy(tmp_path / "itadoc")
    before = linebreak.hint(word, linebreak.tokenizer(config))
    assert linebreak.ZWSP in before
    with open(config / "dictionary" / "words.txt", "a", encoding="utf-8") as words:
        words.write(f"\n{word}\n")
    assert linebreak.ZWSP not in linebreak.hint(word, linebreak.tokenizer(config))
    with converter_for(True, config=config) as pdf:
        assert pdf.keywords["config"] == config        # what every job of this configuration hints with


def test_continued_labels_off_gives_the_label_as_written(docs, tmp_path):
    """settings.continued_labels = false: one layout pass, the repeated label without "(ต่อ)"."""
    from service.render.pdf import to_pdf

    docx_path, _ = docs["seed003-long/plan"]
    copy = Path(shutil.copy(docx_path, tmp_path / docx_path.name))
    texts = page_text(to_pdf(copy, labels=False))
    assert len(texts) > 5 and not any(skeleton("(ต่อ)") in t for t in texts)


def test_the_documents_proper_names_are_one_word_in_the_pdf_copy(docs, tmp_path):
    """The segmenter knows no surname: "ตั้งใจดี" would break as ตั้งใจ|ดี. The document lists its unit and
    people in its properties (File ▸ Properties), and the PDF copy keeps each of them whole."""
    docx_path, _ = docs["seed000/plan"]
    document = docx.Document(str(docx_path))
    assert document.core_properties.subject == "ศูนย์ความร่วมมือระหว่างประเทศ"
    assert "นางสาวสมใจ ตั้งใจดี" in document.core_properties.keywords.split("; ")
    copy = linebreak.hinted_copy(docx_path, tmp_path)
    text = "".join(docx.Document(str(copy)).element.body.itertext()).replace(linebreak.WJ, "")
    assert "ตั้งใจดี" in text and f"ตั้งใจ{linebreak.ZWSP}ดี" not in text
    assert linebreak.ZWSP in linebreak.hint("ตั้งใจดี", linebreak.tokenizer())   # without the name list: cut
