"""Native Word charts: a small bar/column chart (plus an optional reference line) as a DrawingML chart part.

A chart is `word/charts/chartN.xml` related from the document, with its data in an embedded workbook
(`word/embeddings/…xlsx`, written by openpyxl) so that an officer can restyle it in Word and correct a
value with "Edit Data". Word and LibreOffice draw it themselves: making one costs a few milliseconds.

python-pptx has a chart XML writer, but it writes one chart type per plot (no bar + line combination for
the pass-mark line), has no per-point number formats and would bring three packages and ~70 ms of import
for some forty lines of series XML; so the XML is written here, in one place, from `Chart` below.

Every text is "TH Sarabun New" (LibreOffice maps it to the stand-in, see `fonts.py`) in Thai (`th-TH`).
Value labels print as the tables do: whole numbers without decimals, others with `decimals`; with
`thai_digits` the number formats carry Excel's Thai-numeral prefix and category texts are converted.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any, Sequence
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.part import Part

from service.thai.numbers import to_thai_digits

FONT = "TH Sarabun New"
LANG = "th-TH"
THAI_NUMERALS = "[$-D00041E]"     # Excel: numeral shape 0D (Thai digits), locale 041E (Thai)
EMU_PER_CM = 360000
NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
CAT_AX, VAL_AX = 111, 222


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | float | None]
    colour: str                               # "RRGGBB"
    labels: bool = True                       # value labels on the bars


@dataclass(frozen=True)
class Chart:
    """Bars by category; `line` is a reference drawn across them (the pass mark), never labelled."""

    categories: Sequence[str]
    bars: Sequence[Series]
    value_title: str = ""
    horizontal: bool = False                  # bars left to right, first category on top
    line: Series | None = None
    maximum: float = 100
    major_unit: float = 20
    decimals: int = 2
    suffix: str = ""                          # printed after each value label, e.g. "%"
    overlap: int = -10                        # 100: series share a slot (one of them is empty per category)
    gap_width: int = 60
    label_size: float = 14                    # points
    width_cm: float = 15.0
    height_cm: float = 8.0
    thai_digits: bool = False

    def number_format(self, whole: bool = False) -> str:
        """Excel number format of a value label (`whole`: no decimals)."""
        prefix = THAI_NUMERALS if self.thai_digits else ""
        decimals = "." + "0" * self.decimals if self.decimals and not whole else ""
        return f'{prefix}0{decimals}{chr(34) + self.suffix + chr(34) if self.suffix else ""}'

    def text(self, s: str) -> str:
        return to_thai_digits(s) if self.thai_digits else s

    @property
    def all_series(self) -> list[Series]:
        return [*self.bars, *([self.line] if self.line else [])]


# -- the chart part's XML ------------------------------------------------------------------------------

def _col(n: int) -> str:
    """Column letter of the n-th series (0 → B; column A holds the categories)."""
    return chr(ord("B") + n)


def _num(value: Decimal | float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _rpr(size: float, bold: bool = False, colour: str = "000000") -> str:
    return (f'<a:defRPr sz="{round(size * 100)}" b="{int(bold)}">'
            f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'<a:latin typeface="{FONT}"/><a:ea typeface="{FONT}"/><a:cs typeface="{FONT}"/></a:defRPr>')


def _txpr(size: float, bold: bool = False, colour: str = "000000") -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_rpr(size, bold, colour)}</a:pPr>'
            f'<a:endParaRPr lang="{LANG}"/></a:p></c:txPr>')


def _fill(colour: str) -> str:
    return f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'


def _str_ref(ref: str, texts: Sequence[str]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(t)}</c:v></c:pt>' for i, t in enumerate(texts))
    return f"<c:strRef><c:f>{ref}</c:f><c:strCache><c:ptCount val=\"{len(texts)}\"/>{pts}</c:strCache></c:strRef>"


def _series_common(chart: Chart, n: int, s: Series) -> str:
    return (f'<c:idx val="{n}"/><c:order val="{n}"/>'
            f"<c:tx>{_str_ref(f'Sheet1!${_col(n)}$1', [chart.text(s.name)])}</c:tx>")


def _cat_val(chart: Chart, n: int, s: Series) -> str:
    rows = len(chart.categories)
    pts = "".join(f'<c:pt idx="{i}"><c:v>{_num(v)}</c:v></c:pt>' for i, v in enumerate(s.values) if v is not None)
    return (f"<c:cat>{_str_ref(f'Sheet1!$A$2:$A${rows + 1}', [chart.text(c) for c in chart.categories])}</c:cat>"
            f"<c:val><c:numRef><c:f>Sheet1!${_col(n)}$2:${_col(n)}${rows + 1}</c:f><c:numCache>"
            f"<c:formatCode>{escape(chart.number_format())}</c:formatCode><c:ptCount val=\"{rows}\"/>{pts}"
            "</c:numCache></c:numRef></c:val>")


def _labels(chart: Chart, s: Series) -> str:
    """Value labels at the end of the bar, or at its foot when a reference line is drawn (high on the scale,
    it then never crosses one); whole values get a label of their own without decimals, as the tables
    print them."""
    if not s.labels:
        return '<c:dLbls><c:delete val="1"/></c:dLbls>'
    flags = ('<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
             '<c:showPercent val="0"/><c:showBubbleSize val="0"/>')
    position = f'<c:dLblPos val="{"inBase" if chart.line else "outEnd"}"/>'
    whole = "".join(
        f'<c:dLbl><c:idx val="{i}"/><c:numFmt formatCode={quoteattr(chart.number_format(whole=True))} sourceLinked="0"/>'
        f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{_txpr(chart.label_size)}{position}{flags}</c:dLbl>'
        for i, v in enumerate(s.values) if v is not None and chart.decimals and Decimal(str(v)) % 1 == 0)
    return (f'<c:dLbls>{whole}<c:numFmt formatCode={quoteattr(chart.number_format())} sourceLinked="0"/>'
            f'<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>{_txpr(chart.label_size)}{position}{flags}'
            "</c:dLbls>")


def _bar_series(chart: Chart, n: int, s: Series) -> str:
    return (f"<c:ser>{_series_common(chart, n, s)}{_fill(s.colour)}<c:invertIfNegative val=\"0\"/>"
            f"{_labels(chart, s)}{_cat_val(chart, n, s)}</c:ser>")


def _line_series(chart: Chart, n: int, s: Series) -> str:
    line = (f'<c:spPr><a:ln w="22225" cap="rnd"><a:solidFill><a:srgbClr val="{s.colour}"/></a:solidFill>'
            '<a:prstDash val="dash"/></a:ln></c:spPr>')
    return (f"<c:ser>{_series_common(chart, n, s)}{line}<c:marker><c:symbol val=\"none\"/></c:marker>"
            f"{_labels(chart, s)}{_cat_val(chart, n, s)}<c:smooth val=\"0\"/></c:ser>")


def _axes(chart: Chart) -> str:
    cat_pos, val_pos = ("l", "b") if chart.horizontal else ("b", "l")
    orientation = "maxMin" if chart.horizontal else "minMax"
    title = ""
    if chart.value_title:
        title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr>{_rpr(chart.label_size)}</a:pPr>'
                 f'<a:r><a:rPr lang="{LANG}" sz="{round(chart.label_size * 100)}" b="0"><a:latin typeface="{FONT}"/>'
                 f'<a:cs typeface="{FONT}"/></a:rPr><a:t>{escape(chart.text(chart.value_title))}</a:t></a:r>'
                 '</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')
    axis_line = '<c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="808080"/></a:solidFill></a:ln></c:spPr>'
    grid = '<c:majorGridlines><c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>'
    tick_format = f"{THAI_NUMERALS if chart.thai_digits else ''}0"
    return (f'<c:catAx><c:axId val="{CAT_AX}"/><c:scaling><c:orientation val="{orientation}"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="{cat_pos}"/><c:numFmt formatCode="General" sourceLinked="0"/>'
            '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="low"/>'
            f'{axis_line}{_txpr(chart.label_size)}<c:crossAx val="{VAL_AX}"/><c:crosses val="autoZero"/>'
            '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
            f'<c:valAx><c:axId val="{VAL_AX}"/><c:scaling><c:orientation val="minMax"/>'
            f'<c:max val="{_num(chart.maximum)}"/><c:min val="0"/></c:scaling><c:delete val="0"/>'
            f'<c:axPos val="{val_pos}"/>{grid}{title}'
            f'<c:numFmt formatCode={quoteattr(tick_format)} sourceLinked="0"/>'
            '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
            f'{axis_line}{_txpr(chart.label_size)}<c:crossAx val="{CAT_AX}"/>'
            # top-down categories put the minimum at the top: the value axis then crosses at the maximum
            f'<c:crosses val="{"max" if chart.horizontal else "autoZero"}"/>'
            f'<c:crossBetween val="between"/><c:majorUnit val="{_num(chart.major_unit)}"/></c:valAx>')


def chart_xml(chart: Chart, workbook_rid: str) -> bytes:
    """The `c:chartSpace` of `chart`, its data linked to the embedded workbook `workbook_rid`."""
    bars = "".join(_bar_series(chart, n, s) for n, s in enumerate(chart.bars))
    line = ""
    if chart.line is not None:
        line = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>'
                f"{_line_series(chart, len(chart.bars), chart.line)}<c:marker val=\"1\"/>"
                f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/></c:lineChart>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<c:chartSpace {NS}>'
           f'<c:date1904 val="0"/><c:lang val="{LANG}"/><c:roundedCorners val="0"/>'
           '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
           f'<c:barChart><c:barDir val="{"bar" if chart.horizontal else "col"}"/><c:grouping val="clustered"/>'
           f'<c:varyColors val="0"/>{bars}<c:gapWidth val="{chart.gap_width}"/><c:overlap val="{chart.overlap}"/>'
           f'<c:axId val="{CAT_AX}"/><c:axId val="{VAL_AX}"/></c:barChart>{line}{_axes(chart)}</c:plotArea>'
           f'<c:legend><c:legendPos val="b"/><c:overlay val="0"/>{_txpr(chart.label_size)}</c:legend>'
           '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
           '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>'
           f'{_txpr(chart.label_size)}'
           f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')
    return xml.encode("utf-8")


def workbook(chart: Chart) -> bytes:
    """The embedded data: categories in column A, one column per series, names in row 1 (what the chart's
    formulas point at, so "Edit Data" in Word shows and changes these cells)."""
    from openpyxl import Workbook    # only when a chart is made

    wb = Workbook(write_only=True)           # streamed: half the time of a normal workbook
    ws = wb.create_sheet("Sheet1")
    ws.append([""] + [chart.text(s.name) for s in chart.all_series])
    for i, category in enumerate(chart.categories):
        ws.append([chart.text(category)] + [None if s.values[i] is None else float(s.values[i]) for s in chart.all_series])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# -- into the document ----------------------------------------------------------------------------------

class _ChartPart(Part):
    """`word/charts/chartN.xml`, related to its embedded workbook (whose relationship id the XML names)."""

    def __init__(self, package: Any, chart: Chart):
        super().__init__(package.next_partname("/word/charts/chart%d.xml"), CT.DML_CHART, None, package)
        self.chart = chart
        book = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Sheet%d.xlsx"), CT.SML_SHEET,
                    workbook(chart), package)
        self.workbook_rid = self.relate_to(book, RT.PACKAGE)

    @property
    def blob(self) -> bytes:
        return chart_xml(self.chart, self.workbook_rid)


def add_chart(part: Any, chart: Chart) -> str:
    """Relate a new chart part (and its workbook) to the story `part`; the inline drawing XML to place."""
    chart_part = _ChartPart(part.package, chart)
    rid = part.relate_to(chart_part, RT.CHART)
    number = int(chart_part.partname.idx or 1)
    cx, cy = round(chart.width_cm * EMU_PER_CM), round(chart.height_cm * EMU_PER_CM)
    return ('<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0" '
            'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{part.next_id + 1000 + number}" name="Chart {number}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
            '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rid}"/>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing>")
