"""The official look in the Word files: Thai marking, A4 and margins, page numbers, tables, charts, font."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from service.documents import charts
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
    """Header rows repeat on every page; rows stay whole (the plan and quarterly templates let their
    long free-text rows break on purpose, so there only the header rows are checked)."""
    for tbl in xml(rendered[kind], "word/document.xml").iter(f"{W}tbl"):
        rows = tbl.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert rows[0].find(f"{W}trPr/{W}cantSplit") is not None
        if kind == "analysis":
            assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)


def test_analysis_report_holds_its_charts(rendered):
    with zipfile.ZipFile(rendered["analysis"]) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(media) == 2
    assert len(list(xml(rendered["analysis"], "word/document.xml").iter(qn("wp:inline")))) == 2


def test_quarterly_report_holds_its_chart(rendered):
    with zipfile.ZipFile(rendered["quarterly"]) as z:
        assert [n for n in z.namelist() if n.startswith("word/media/")]


def test_charts_off_leaves_no_image(tmp_path, settings):
    settings = settings.model_copy(update={"charts": False})
    result = process(seed000_analysis().save(tmp_path / "a.xlsx"), settings)
    docx = result.job_dir / result.receipt.documents[0].docx
    with zipfile.ZipFile(docx) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]


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


def test_chart_is_a_png_drawn_in_the_stand_in_font():
    from service.analysis.scores import analyse
    from service.reader.build import build_document
    from service.analysis.framework import load_framework
    from service.problems import Problems
    from service.reader.cells import read_workbook
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = seed000_analysis().save(Path(tmp) / "a.xlsx")
        problems = Problems()
        doc = build_document(read_workbook(path, problems), problems)
        result = analyse(doc, load_framework(shipped_copy(Path(tmp) / "itadoc") / "frameworks", doc.latest_year))
    png = charts.indicator_chart(result)
    assert png.startswith(b"\x89PNG")
    from matplotlib import font_manager
    assert font_manager.findfont(fonts.FAMILY, fallback_to_default=False).startswith(str(fonts.font_dir()))
