"""Native Word charts: chart parts with an embedded workbook, Thai labels in TH Sarabun New, the pass-mark
line, values printed as the tables print them, Thai digits when the document uses them, drawn in the PDF."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from docx import Document as open_docx
from lxml import etree

from service.delivery.job import process
from workbooks import seed000_full
from workbooks import seed000_analysis, seed002_analysis

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _render(tmp: Path, settings, spec, name: str = "wb") -> dict[str, Path]:
    result = process(spec.save(tmp / f"{name}.xlsx"), settings)
    assert result.receipt.status == "ok", result.receipt.errors
    return {d.kind: result.job_dir / d.docx for d in result.receipt.documents}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    from shipped import shipped_copy
    from service.settings import load_settings

    tmp = tmp_path_factory.mktemp("charts")
    return _render(tmp, load_settings(shipped_copy(tmp / "itadoc"), outbox=tmp / "out", pdf=False), seed000_full())


def charts_of(docx: Path) -> list[etree._Element]:
    """The chart parts the document body points at, in the order they appear."""
    with zipfile.ZipFile(docx) as z:
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels.iter(f"{REL}Relationship")}
        body = etree.fromstring(z.read("word/document.xml"))
        rids = [e.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                for e in body.iter(f"{C}chart")]
        return [etree.fromstring(z.read("word/" + target[rid])) for rid in rids]


def series(chart: etree._Element) -> dict[str, dict[str, str]]:
    """Series name → {category: value label as printed} (per-point label format, else the series')."""
    out = {}
    for ser in chart.iter(f"{C}ser"):
        name = ser.findtext(f"{C}tx//{C}v")
        cats = [v.text for v in ser.findall(f"{C}cat//{C}pt/{C}v")]
        fmt = ser.find(f"{C}dLbls/{C}numFmt")
        own = {int(d.findtext(f"{C}idx") or d.find(f"{C}idx").get("val")): d.find(f"{C}numFmt").get("formatCode")
               for d in ser.findall(f"{C}dLbls/{C}dLbl")}
        values = {}
        for pt in ser.findall(f"{C}val//{C}pt"):
            i = int(pt.get("idx"))
            code = own.get(i, fmt.get("formatCode") if fmt is not None else "General")
            values[cats[i]] = printed(float(pt.findtext(f"{C}v")), code)
        out[name] = values
    return out


def printed(value: float, code: str) -> str:
    """How Word/LibreOffice print `value` with one of the simple formats the charts use."""
    body = re.sub(r"^\[\$-[0-9A-F]+\]", "", code)
    decimals = len(body.split(".")[1].split('"')[0]) if "." in body else 0
    return f"{value:.{decimals}f}" + ("%" if body.endswith('%"') else "")


def indicator_table(docx: Path) -> dict[str, str]:
    """Indicator number → the latest score as the report's tables print it."""
    rows = {}
    for table in open_docx(str(docx)).tables:
        if table.rows[0].cells[0].text.strip() != "ตัวชี้วัด":
            continue
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            m = re.match(r"(\d+)\. ", cells[0])
            if m and len(cells) > 1:
                rows[m.group(1)] = cells[-1]
    return rows


def test_analysis_report_holds_two_native_charts(rendered):
    docx = rendered["analysis"]
    with zipfile.ZipFile(docx) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
    assert not [n for n in names if n.startswith("word/media/")]            # no pictures any more
    assert sorted(n for n in names if n.startswith("word/charts/chart")) == ["word/charts/chart1.xml",
                                                                           "word/charts/chart2.xml"]
    assert types.count("application/vnd.openxmlformats-officedocument.drawingml.chart+xml") == 2
    assert len(charts_of(docx)) == 2


def test_indicator_chart_shows_the_tables_scores_as_printed(rendered):
    """The figure an officer reads on a bar is the one in the table: "100", not "100.00"; "99.39"."""
    tools, indicators = charts_of(rendered["analysis"])
    bars = series(indicators)
    shown = {**bars["ผ่านเกณฑ์"], **bars["ต่ำกว่าเกณฑ์"]}
    assert shown == indicator_table(rendered["analysis"])
    assert shown["1"] == "100" and shown["2"] == "99.39"
    assert series(tools)["ปี 2569"] == {"IIT": "99.27", "EIT": "92.96"}


def test_failing_indicators_are_a_series_of_their_own(tmp_path, settings):
    docx = _render(tmp_path, settings, seed002_analysis())["analysis"]
    bars = series(charts_of(docx)[-1])
    assert bars["ต่ำกว่าเกณฑ์"] == {"9": "77"}
    assert "9" not in bars["ผ่านเกณฑ์"] and bars["ผ่านเกณฑ์"]["3"] == "99.81"


def test_pass_mark_is_an_unlabelled_line_below_which_no_value_label_sits(rendered):
    for chart in charts_of(rendered["analysis"]):
        line = chart.find(f"{C}chart/{C}plotArea/{C}lineChart/{C}ser")
        assert line.findtext(f"{C}tx//{C}v") == "เกณฑ์ผ่าน 85"
        assert {float(v.text) for v in line.findall(f"{C}val//{C}pt/{C}v")} == {85.0}
        assert line.find(f"{C}dLbls/{C}delete").get("val") == "1"
        bar = chart.find(f"{C}chart/{C}plotArea/{C}barChart")
        # labels at the foot of the bars, far below the line (scores under 15 print there too)
        positions = {p.get("val") for p in bar.iter(f"{C}dLblPos")}
        assert positions == {"inBase"}


def test_chart_text_is_thai_in_th_sarabun_new(rendered):
    for docx in (rendered["analysis"], rendered["quarterly"]):
        for chart in charts_of(docx):
            assert chart.find(f"{C}lang").get("val") == "th-TH"
            faces = {e.get("typeface") for tag in ("latin", "cs") for e in chart.iter(f"{A}{tag}")}
            assert faces == {"TH Sarabun New"}


def test_embedded_workbook_holds_the_charts_data(rendered):
    """What Word's "Edit Data" opens: the chart's own cells, so an officer can correct a value."""
    with zipfile.ZipFile(rendered["analysis"]) as z:
        chart = etree.fromstring(z.read("word/charts/chart2.xml"))
        rels = etree.fromstring(z.read("word/charts/_rels/chart2.xml.rels"))
        rid = chart.find(f"{C}externalData").get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        target = next(r.get("Target") for r in rels.iter(f"{REL}Relationship") if r.get("Id") == rid)
        book = openpyxl.load_workbook(io.BytesIO(z.read(str(Path("word/charts") / target).replace("charts/../", ""))))
    sheet = book["Sheet1"]
    for ser in chart.iter(f"{C}ser"):
        ref = ser.findtext(f"{C}val//{C}f")
        column = re.match(r"Sheet1!\$([A-Z])\$2", ref).group(1)
        assert sheet[f"{column}1"].value == ser.findtext(f"{C}tx//{C}v")
        for pt in ser.findall(f"{C}val//{C}pt"):
            assert sheet[f"{column}{int(pt.get('idx')) + 2}"].value == pytest.approx(float(pt.findtext(f"{C}v")))


def test_progress_chart_per_measure_in_percent(rendered):
    (chart,) = charts_of(rendered["quarterly"])
    shown = series(chart)
    assert set(shown) == {"แผนสะสมถึงไตรมาสนี้", "ผลสะสมถึงไตรมาสนี้"}
    # 1.1–1.4 achieved 1/2, 1/1, 3/3, 3/5 of their targets: mean share (0.5 + 1 + 1 + 0.6) / 4 = 77.5 %
    assert shown["ผลสะสมถึงไตรมาสนี้"]["มาตรการที่ 1"] == "78%"
    assert chart.find(f"{C}chart/{C}plotArea/{C}lineChart") is None


def test_thai_digit_documents_have_thai_digit_charts(tmp_path, settings):
    spec = seed000_analysis()
    spec.general["ใช้เลขไทย"] = "ใช่"
    tools, indicators = charts_of(_render(tmp_path, settings, spec)["analysis"])
    codes = {e.get("formatCode") for c in (tools, indicators) for e in c.iter(f"{C}numFmt")
             if e.get("formatCode") != "General"}
    assert codes and all(code.startswith("[$-D00041E]") for code in codes)
    assert "เกณฑ์ผ่าน ๘๕" in {v.text for v in indicators.iter(f"{C}v")}
    assert "ปี ๒๕๖๙" in {v.text for v in tools.iter(f"{C}v")}


def test_charts_off_leaves_no_chart(tmp_path, settings):
    settings = settings.model_copy(update={"charts": False})
    docx = _render(tmp_path, settings, seed000_analysis())["analysis"]
    with zipfile.ZipFile(docx) as z:
        assert not [n for n in z.namelist() if n.startswith(("word/charts/", "word/media/", "word/embeddings/"))]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are needed")
def test_libreoffice_draws_the_charts_in_the_pdf(tmp_path, settings):
    from service.render.pdf import converter_for

    with converter_for(True) as pdf:
        result = process(seed002_analysis().save(tmp_path / "a.xlsx"), settings, pdf=pdf)
    text = subprocess.run(["pdftotext", str(result.job_dir / result.receipt.documents[0].pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    for legend in ("ผ่านเกณฑ์", "ต่ำกว่าเกณฑ์", "เกณฑ์ผ่าน 85"):   # only the charts print these
        assert legend in text
    assert "100.00" not in text


def test_builder_writes_valid_xml_for_each_layout():
    """The chart style module alone: a column chart with a line, a top-down bar chart in percent."""
    from service.render.drawingml import Chart, Series, chart_xml

    column = Chart(categories=["ก", "ข"], bars=[Series("ค่า", [100, 92.5], "9DC3E6")],
                   line=Series("เส้น", [85, 85], "C00000", labels=False))
    bar = Chart(categories=["ก", "ข"], bars=[Series("ร้อยละ", [33, 100], "9DC3E6")], horizontal=True, decimals=0,
                suffix="%")
    col_xml, bar_xml = (etree.fromstring(chart_xml(c, "rId1")) for c in (column, bar))
    assert series(col_xml)["ค่า"] == {"ก": "100", "ข": "92.50"}
    assert series(bar_xml)["ร้อยละ"] == {"ก": "33%", "ข": "100%"}
    # categories listed top-down put the value axis at the bottom only if it crosses at the maximum
    assert bar_xml.find(f".//{C}catAx/{C}scaling/{C}orientation").get("val") == "maxMin"
    assert bar_xml.find(f".//{C}valAx/{C}crosses").get("val") == "max"
    assert {p.get("val") for p in bar_xml.iter(f"{C}dLblPos")} == {"outEnd"}
