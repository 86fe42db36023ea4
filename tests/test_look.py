"""The official look in the Word files: Thai marking, A4 and margins, page numbers, tables, font (charts:
test_charts.py)."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from service.render import fonts
from service.delivery.job import process
from shipped import shipped_copy
from workbooks import seed000_analysis, seed000_full

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    from service.settings import load_settings

    tmp = tmp_path_factory.mktemp("look")
    settings = load_settings(shipped_copy(tmp / "itadoc"), outbox=tmp / "out", pdf=False)
    result = process(seed000_full().save(tmp / "seed000.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    return {d.kind: result.job_dir / d.docx for d in result.receipt.documents}


def xml(docx: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(part))


def test_every_document_kind_is_rendered(rendered):
    assert set(rendered) == {"analysis", "plan", "quarterly"}


@pytest.mark.parametrize("kind", ["analysis", "plan", "quarterly"])
def test_thai_marking_in_the_styles(rendered, kind):
    """Complex-script font, size and bold, and Thai language, so Word shapes and bolds Thai text."""
    styles = xml(rendered[kind], "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert rpr.find(f"{W}rFonts").get(f"{W}cs") == "TH Sarabun New"
    assert rpr.find(f"{W}szCs").get(f"{W}val") == "32" == rpr.find(f"{W}sz").get(f"{W}val")
    assert rpr.find(f"{W}lang").get(f"{W}bidi") == "th-TH"
    heading = styles.find(f"{W}style[@{W}styleId='Heading1']/{W}rPr")
    assert heading.find(f"{W}bCs") is not None and heading.find(f"{W}b") is not None


@pytest.mark.parametrize("kind", ["analysis", "plan", "quarterly"])
def test_page_a4_margins_and_page_numbers(rendered, kind):
    doc = xml(rendered[kind], "word/document.xml")
    sect = doc.find(f"{W}body/{W}sectPr")
    size, margins = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    dims = sorted((int(size.get(f"{W}w")), int(size.get(f"{W}h"))))
    assert dims == [11906, 16838]                                  # A4 in twips (either orientation)
    if kind != "plan":                                             # the plan is landscape
        assert int(margins.get(f"{W}left")) == 1701                # 3 cm
        assert int(margins.get(f"{W}right")) == 1134               # 2 cm
    assert sect.find(f"{W}titlePg") is not None                     # no number on page 1
    with zipfile.ZipFile(rendered[kind]) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert any(">- <" in h and " PAGE " in h and "> -<" in h for h in headers)


@pytest.mark.parametrize("kind", ["analysis", "plan", "quarterly"])
def test_tables_repeat_headers_and_keep_rows_whole(rendered, kind):
    """Every row of every table stays whole (a row taller than a page is still split by LibreOffice and
    Word); the tables with a header (all but the signature grid and the plan's budget total) repeat it."""
    tables = list(xml(rendered[kind], "word/document.xml").iter(f"{W}tbl"))
    for tbl in tables:
        rows = tbl.findall(f"{W}tr")
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    headed = [t for t in tables if t.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None]
    assert len(headed) >= len(tables) - 2


def test_thai_digit_documents_number_pages_in_thai(tmp_path, settings):
    spec = seed000_analysis()
    spec.general["ใช้เลขไทย"] = "ใช่"
    result = process(spec.save(tmp_path / "a.xlsx"), settings)
    with zipfile.ZipFile(result.job_dir / result.receipt.documents[0].docx) as z:
        headers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/header")]
    assert any("PAGE \\* ThaiArabic" in h for h in headers)


def test_stand_in_font_has_th_sarabun_new_proportions():
    for style, path in fonts.font_files().items():
        font = TTFont(path)
        upem = font["head"].unitsPerEm
        ko = font.getBestCmap()[ord("ก")]
        assert font["hmtx"][ko][0] / upem == pytest.approx(0.39, abs=0.005), style
        assert "Sarabun" in font["name"].getDebugName(1)
        assert (font["hhea"].ascent - font["hhea"].descent) / upem == pytest.approx(1.313, abs=0.01)


def test_fontconfig_maps_th_sarabun_new_before_the_system_rules():
    text = fonts.fontconfig_file().read_text(encoding="utf-8")
    assert text.index("TH Sarabun New") < text.index("/etc/fonts/fonts.conf")
    assert f"<dir>{fonts.font_dir()}</dir>" in text
