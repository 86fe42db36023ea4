"""Scores and levels: pure functions of the model and the year's framework.

Means are exact (Decimal) and rounded once to two decimals, half up, as officers round; comparisons
and rankings use the rounded figures, so the narrative never contradicts the printed table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import get_args

from service.analysis.codes import Direction
from service.analysis.framework import Framework
from service.reader.model import Document, ScoreRow, SubItem, Tool
from service.thai.numbers import round2


TOTAL_TOLERANCE = Decimal("0.01")     # a typed total this close to the mean is the official figure


@dataclass(frozen=True)
class Change:
    """Latest year against one earlier year."""

    year: int
    previous: Decimal
    diff: Decimal
    direction: Direction


@dataclass(frozen=True)
class IndicatorResult:
    number: int
    name: str
    tool: str
    scores: dict[int, Decimal]
    latest: Decimal | None
    changes: tuple[Change, ...]
    below_pass: bool


@dataclass(frozen=True)
class ToolResult:
    tool: str
    indicators: tuple[IndicatorResult, ...]
    means: dict[int, Decimal]                 # year → mean rounded to 2 decimals
    latest: Decimal | None
    changes: tuple[Change, ...]
    highest: tuple[IndicatorResult, ...]      # ties together
    lowest: tuple[IndicatorResult, ...]
    lowest_subitems: tuple[SubItem, ...]      # ties together


@dataclass(frozen=True)
class Analysis:
    year: int | None
    years: tuple[int, ...]
    tools: dict[str, ToolResult]
    overall: Decimal | None
    level: str | None
    passed: bool | None
    pass_mark: Decimal
    below_pass: tuple[IndicatorResult, ...] = field(default=())

    @property
    def tool_scores(self) -> dict[str, Decimal]:
        return {t: r.latest for t, r in self.tools.items() if r.latest is not None}


def mean(values: list[Decimal]) -> Decimal | None:
    """Exact mean, None for no values."""
    return sum(values, Decimal(0)) / len(values) if values else None


def tool_mean(values: list[Decimal], typed: Decimal | None) -> Decimal | None:
    """A tool's score of a year: the officer's typed total (the figure the ITA system published, computed
    from unrounded scores) when it agrees with the mean within TOTAL_TOLERANCE, else the mean rounded.
    A total outside the tolerance is reported by `checks.rules.check_totals` and never printed."""
    computed = mean(values)
    if computed is None:
        return None
    if typed is not None and abs(typed - computed) <= TOTAL_TOLERANCE:
        return round2(typed)
    return round2(computed)


def changes(series: dict[int, Decimal], year: int | None) -> tuple[Change, ...]:
    """The latest value against each earlier year, most recent first."""
    if year is None or year not in series:
        return ()
    now = series[year]
    out = []
    for earlier in sorted((y for y in series if y < year), reverse=True):
        diff = now - series[earlier]
        out.append(Change(earlier, series[earlier], diff, "up" if diff > 0 else "down" if diff < 0 else "same"))
    return tuple(out)


def extremes(items: list[IndicatorResult]) -> tuple[tuple[IndicatorResult, ...], tuple[IndicatorResult, ...]]:
    scored = [i for i in items if i.latest is not None]
    if not scored:
        return (), ()
    top = max(i.latest for i in scored)
    bottom = min(i.latest for i in scored)
    return (tuple(i for i in scored if i.latest == top), tuple(i for i in scored if i.latest == bottom))


def _indicator(row: ScoreRow, year: int | None, framework: Framework) -> IndicatorResult:
    latest = row.scores.get(year) if year is not None else None
    below = latest is not None and latest < framework.pass_mark
    return IndicatorResult(row.number, row.name, row.tool, dict(row.scores), latest,
                           changes(row.scores, year), below)


def _lowest_subitems(subitems: tuple[SubItem, ...], numbers: set[int]) -> tuple[SubItem, ...]:
    mine = [s for s in subitems if s.indicator in numbers]
    if not mine:
        return ()
    low = min(s.score for s in mine)
    return tuple(s for s in mine if s.score == low)


def analyse(doc: Document, framework: Framework) -> Analysis:
    year = doc.year
    tools: dict[str, ToolResult] = {}
    for tool in get_args(Tool):
        rows = sorted((r for r in doc.scores if r.tool == tool), key=lambda r: r.number)
        if not any(r.scores for r in rows):
            continue        # the form lists every tool's indicators; a tool without a score is not assessed
        indicators = tuple(_indicator(r, year, framework) for r in rows)
        typed = {y: v for t in doc.totals if t.tool == tool for y, v in t.totals.items()}
        means: dict[int, Decimal] = {}
        for y in doc.years:
            m = tool_mean([r.scores[y] for r in rows if y in r.scores], typed.get(y))
            if m is not None:
                means[y] = m
        high, low = extremes(list(indicators))
        tools[tool] = ToolResult(tool, indicators, means, means.get(year) if year else None,
                                 changes(means, year), high, low,
                                 _lowest_subitems(doc.subitems, {r.number for r in rows}))
    overall = overall_score({t: r.latest for t, r in tools.items()}, framework)
    level = framework.level_of(overall) if overall is not None else None
    below = tuple(i for r in tools.values() for i in r.indicators if i.below_pass)
    return Analysis(year, doc.years, tools, overall, level,
                    None if overall is None else overall >= framework.pass_mark, framework.pass_mark, below)


def overall_score(tool_scores: dict[str, Decimal | None], framework: Framework) -> Decimal | None:
    """Weighted mean of tool scores; None when a tool that carries weight has no score."""
    weights = {t: w for t, w in framework.weights.items() if w}
    if any(tool_scores.get(t) is None for t in weights):
        return None
    total = sum((tool_scores[t] * w for t, w in weights.items()), Decimal(0))
    return round2(total / sum(weights.values(), Decimal(0)))
