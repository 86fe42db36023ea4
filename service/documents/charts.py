"""Charts for the reports, drawn with matplotlib (Agg) in the same TH Sarabun New stand-in as the text.

Each chart is a PNG made at render time: `Prepared.images` maps a context key to a callable that turns
the PNG into a docxtpl InlineImage, so nothing is drawn when charts are switched off (`settings.charts`).
Matplotlib lays Thai out with libraqm, so vowels and tone marks stack as in Word. Sizes are chosen for
print: the image is placed 15 cm wide and labels print at about the size of the body text.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from typing import Any, Callable, Sequence

import matplotlib

matplotlib.use("Agg")
from docx.shared import Cm  # noqa: E402
from docxtpl import InlineImage  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.textpath import TextToPath  # noqa: E402

from service.render import fonts  # noqa: E402
from service.analysis.scores import Analysis  # noqa: E402
from service.documents.measures import measure_groups  # noqa: E402
from service.reader.model import Document  # noqa: E402
from service.analysis.progress import Progress, target_share  # noqa: E402

WIDTH_CM = 15.0
DPI = 150                # enough for print at 15 cm (≈ 600 px across); 200 cost a third more
LABEL_PT = 15            # stand-in points: TH Sarabun New 15 pt, a little smaller than the 16 pt body
PASS_COLOUR, FAIL_COLOUR, LINE_COLOUR = "#1F4E79", "#C55A11", "#C00000"
YEAR_COLOURS = ("#BDD7EE", "#9DC3E6", "#2E75B6", "#1F4E79", "#0B2A4A")   # oldest light → latest dark
ImageMaker = Callable[[Any], InlineImage]
_TEXT = TextToPath()


def warm_up() -> None:
    """Register the chart font now (the watcher's forkserver calls this before forking workers)."""
    _style()


@lru_cache(maxsize=1)
def _style() -> None:
    """The stand-in font registered and made the default, once per process."""
    for path in fonts.font_files().values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({"font.family": fonts.FAMILY, "font.size": LABEL_PT,
                                "axes.spines.top": False, "axes.spines.right": False})


def _figure(height_cm: float) -> Figure:
    _style()
    return Figure(figsize=(WIDTH_CM / 2.54, height_cm / 2.54), dpi=DPI)


@lru_cache(maxsize=256)
def _text_width_cm(text: str, size: float = LABEL_PT) -> float:
    """Width of a label, measured with the chart font (no figure drawn)."""
    width_pt, _, _ = _TEXT.get_text_width_height_descent(text, FontProperties(family=fonts.FAMILY, size=size),
                                                         ismath=False)
    return width_pt / 72 * 2.54


def _margins(fig: Figure, left_labels: Sequence[str] = (), left_cm: float = 2.2, bottom_cm: float = 2.6,
             top_cm: float = 0.6, right_cm: float = 0.4) -> None:
    """Fixed margins computed from the labels: a layout engine would draw every text twice to measure it,
    which was a third of a chart's cost."""
    if left_labels:
        left_cm = max(_text_width_cm(t) for t in left_labels) + 0.7
    w, h = (x * 2.54 for x in fig.get_size_inches())
    fig.subplots_adjust(left=left_cm / w, right=1 - right_cm / w, bottom=bottom_cm / h, top=1 - top_cm / h)


def _png(fig: Figure) -> bytes:
    out = BytesIO()
    fig.savefig(out, format="png", pil_kwargs={"compress_level": 1})
    return out.getvalue()


def _f(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def indicator_chart(result: Analysis) -> bytes:
    """The latest year's score of every indicator as a bar, against the pass-mark line."""
    rows = [i for tool in result.tools.values() for i in tool.indicators if i.latest is not None]
    fig = _figure(2.2 + 0.85 * len(rows))
    ax = fig.add_subplot()
    labels = [f"{i.number}. {i.name}" for i in rows]
    scores = [_f(i.latest) for i in rows]
    colours = [FAIL_COLOUR if i.below_pass else PASS_COLOUR for i in rows]
    bars = ax.barh(labels, scores, color=colours, height=0.6)
    ax.bar_label(bars, labels=[f"{s:.2f}" for s in scores], padding=3)
    ax.invert_yaxis()
    ax.set_xlim(0, 112)
    ax.set_xticks(range(0, 101, 20))
    mark = _f(result.pass_mark)
    ax.axvline(mark, color=LINE_COLOUR, linestyle="--", linewidth=1.2)
    ax.text(mark, -0.75, f"เกณฑ์ผ่าน {mark:g}", color=LINE_COLOUR, ha="center", va="bottom")
    ax.set_xlabel(f"คะแนน ปี {result.year}" if result.year else "คะแนน")
    _margins(fig, labels, bottom_cm=1.6, top_cm=1.0)
    return _png(fig)


def tool_chart(result: Analysis) -> bytes:
    """Each tool's score (mean of its indicators) for every year given, grouped by tool."""
    tools = list(result.tools.values())
    years = list(result.years)
    fig = _figure(7.5)
    ax = fig.add_subplot()
    width = min(0.8 / max(len(years), 1), 0.3)
    last = len(YEAR_COLOURS) - 1     # spread over the palette, the latest year darkest
    colours = [YEAR_COLOURS[round(n * last / max(len(years) - 1, 1)) if len(years) > 1 else last]
               for n in range(len(years))]
    for n, year in enumerate(years):
        xs = [t + (n - (len(years) - 1) / 2) * width for t in range(len(tools))]
        values = [_f(tool.means.get(year)) for tool in tools]
        bars = ax.bar(xs, values, width=width * 0.95, color=colours[n], label=f"ปี {year}")
        ax.bar_label(bars, labels=[f"{v:.2f}" if v else "" for v in values], padding=2, fontsize=LABEL_PT - 3)
    ax.set_xticks(range(len(tools)), [t.tool for t in tools])
    ax.set_ylim(0, 112)
    ax.axhline(_f(result.pass_mark), color=LINE_COLOUR, linestyle="--", linewidth=1.2,
               label=f"เกณฑ์ผ่าน {_f(result.pass_mark):g}")
    ax.set_ylabel("คะแนน")
    fig.legend(loc="lower center", ncols=len(years) + 1, frameon=False)
    _margins(fig, bottom_cm=2.0)
    return _png(fig)


def progress_chart(groups: Sequence[tuple[str, Sequence[Any]]], prog: Progress) -> bytes:
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
        achieved.append(float(target_share(items, lambda p: p.achieved_share)))
    fig = _figure(3.0 + 1.3 * max(len(labels), 1))
    ax = fig.add_subplot()
    ys = range(len(labels))
    for offset, values, colour, name in ((-0.2, planned, YEAR_COLOURS[1], "แผนสะสมถึงไตรมาสนี้"),
                                          (0.2, achieved, PASS_COLOUR, "ผลสะสมถึงไตรมาสนี้")):
        bars = ax.barh([y + offset for y in ys], values, height=0.38, color=colour, label=name)
        ax.bar_label(bars, labels=[f"{v:.0f}%" for v in values], padding=3, fontsize=LABEL_PT - 2)
    ax.set_yticks(list(ys), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel(f"ร้อยละของเป้าหมายทั้งปี (ไตรมาสที่ {prog.quarter})")
    fig.legend(loc="upper center", ncols=2, frameon=False)
    _margins(fig, labels, bottom_cm=1.7, top_cm=1.4)
    return _png(fig)


def image(draw: Callable[[], bytes], width_cm: float = WIDTH_CM) -> ImageMaker:
    """A `Prepared.images` entry: draws only when the document is rendered with charts on."""
    return lambda tpl: InlineImage(tpl, BytesIO(draw()), width=Cm(width_cm))


def analysis_images(result: Analysis) -> dict[str, ImageMaker]:
    images = {}
    if any(i.latest is not None for t in result.tools.values() for i in t.indicators):
        images["chart_indicators"] = image(lambda: indicator_chart(result))
    if result.tools and result.years:
        images["chart_tools"] = image(lambda: tool_chart(result))
    return images


def quarterly_images(doc: Document, prog: Progress) -> dict[str, ImageMaker]:
    """Short labels ("มาตรการที่ 3"): the measures' full names are in the report's tables."""
    groups = [(f"มาตรการที่ {n}", activities) for n, _, activities in measure_groups(doc)]
    return {"chart_progress": image(lambda: progress_chart(groups, prog))} if groups else {}
