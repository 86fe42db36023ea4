"""What the reports' charts show: the analysis results and the quarter's progress as native Word charts.

Each entry of `Prepared.images` maps a template variable (`chart_…`, alone in its paragraph) to a maker
called at render time with the template and the Thai-digit setting, so nothing is made when charts are
off (`settings.charts`). How a chart looks (font, colours, labels, the part in the .docx) is
`service.render.drawingml`; here only the data, the labels and the colours chosen for it.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Callable, Sequence

from service.analysis.progress import Progress, target_share
from service.analysis.scores import Analysis
from service.documents.measures import measure_groups
from service.reader.model import Document
from service.thai.numbers import round2
from service.render.drawingml import Chart, Series, add_chart

PASS_COLOUR, FAIL_COLOUR = "9DC3E6", "F4B183"      # light: value labels print black inside the bars
PLANNED_COLOUR, ACHIEVED_COLOUR = "BDD7EE", "5B9BD5"
YEAR_COLOURS = ("DEEBF7", "BDD7EE", "9DC3E6", "7FB2E0", "5B9BD5")   # oldest light → latest darker
ChartMaker = Callable[[Any, bool], "ChartRun"]


class ChartRun:
    """What a `{{ chart_… }}` variable renders to: the chart's drawing in a run of its own (the chart part
    is added to the document when docxtpl asks for the text, as docxtpl's InlineImage does)."""

    def __init__(self, tpl: Any, chart: Chart):
        self.tpl, self.chart = tpl, chart

    def __html__(self) -> str:
        drawing = add_chart(self.tpl.current_rendering_part, self.chart)
        return f'</w:t></w:r><w:r>{drawing}</w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__


def maker(build: Callable[[bool], Chart]) -> ChartMaker:
    """A `Prepared.images` entry: builds the chart (with or without Thai digits) only when rendered."""
    return lambda tpl, thai_digits=False: ChartRun(tpl, build(thai_digits))


def _r(value: Decimal | None) -> Decimal | None:
    """Scores as the tables print them (two decimals, rounded half up)."""
    return None if value is None else round2(value)


def _pass_line(result: Analysis, count: int) -> Series:
    mark = result.pass_mark
    return Series(f"เกณฑ์ผ่าน {Decimal(mark).normalize():f}", [mark] * count, "C00000", labels=False)


def indicator_chart(result: Analysis, thai_digits: bool = False) -> Chart:
    """The latest year's score of every indicator, passing and failing in two colours, and the pass mark."""
    rows = [i for tool in result.tools.values() for i in tool.indicators if i.latest is not None]
    return Chart(
        categories=[str(i.number) for i in rows],
        bars=[Series("ผ่านเกณฑ์", [None if i.below_pass else _r(i.latest) for i in rows], PASS_COLOUR),
              Series("ต่ำกว่าเกณฑ์", [_r(i.latest) if i.below_pass else None for i in rows], FAIL_COLOUR)],
        line=_pass_line(result, len(rows)), overlap=100, gap_width=50, height_cm=8.5,
        value_title=f"คะแนนรายตัวชี้วัด ปี {result.year}" if result.year else "คะแนนรายตัวชี้วัด",
        thai_digits=thai_digits)


def tool_chart(result: Analysis, thai_digits: bool = False) -> Chart:
    """Each tool's score (mean of its indicators) for every year given, the latest year darkest."""
    tools, years = list(result.tools.values()), list(result.years)
    last = len(YEAR_COLOURS) - 1
    colours = [YEAR_COLOURS[round(n * last / (len(years) - 1)) if len(years) > 1 else last]
               for n in range(len(years))]
    return Chart(
        categories=[t.tool for t in tools],
        bars=[Series(f"ปี {year}", [_r(t.means.get(year)) for t in tools], colours[n]) for n, year in enumerate(years)],
        line=_pass_line(result, len(tools)), value_title="คะแนน", height_cm=8.0, thai_digits=thai_digits)


def progress_chart(groups: Sequence[tuple[str, Sequence[Any]]], prog: Progress,
                   thai_digits: bool = False) -> Chart:
    """Per measure, planned to date and achieved to date as percentages of the year's target (activities
    are counted in different units, so only shares of their own targets can be added up)."""
    by_row = {p.activity.row: p for p in prog.activities}
    labels, planned, achieved = [], [], []
    for label, activities in groups:
        items = [by_row[a.row] for a in activities if a.row in by_row]
        planned_share = target_share(items, lambda p: p.planned_share)
        if planned_share is None:       # no numeric target in this measure
            continue
        labels.append(label)
        planned.append(float(planned_share))
        achieved.append(float(target_share(items, lambda p: p.achieved_share) or 0))
    return Chart(
        categories=labels, horizontal=True, decimals=0, suffix="%", maximum=20 * math.ceil(max(100, *planned, *achieved) / 20),
        bars=[Series("แผนสะสมถึงไตรมาสนี้", planned, PLANNED_COLOUR),
              Series("ผลสะสมถึงไตรมาสนี้", achieved, ACHIEVED_COLOUR)],
        value_title=f"ร้อยละของเป้าหมายทั้งปี (ไตรมาสที่ {prog.quarter})", height_cm=3.0 + 1.2 * max(len(labels), 1),
        thai_digits=thai_digits)


def analysis_images(result: Analysis) -> dict[str, ChartMaker]:
    images = {}
    if any(i.latest is not None for t in result.tools.values() for i in t.indicators):
        images["chart_indicators"] = maker(lambda thai: indicator_chart(result, thai))
    if result.tools and result.years:
        images["chart_tools"] = maker(lambda thai: tool_chart(result, thai))
    return images


def quarterly_images(doc: Document, prog: Progress) -> dict[str, ChartMaker]:
    """Short labels ("มาตรการที่ 3"): the measures' full names are in the report's tables."""
    groups = [(f"มาตรการที่ {n}", activities) for n, _, activities in measure_groups(doc)]
    return {"chart_progress": maker(lambda thai: progress_chart(groups, prog, thai))} if groups else {}
