"""The one document model: typed, validated values that keep the cell each came from.

Readers produce it (`build.py`), checks and analysis read it, writers never see a cell again. Every
row keeps `sheet`, `row` and `cells` (field → address) so that any later finding can name its cell.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The choice lists of the form (reader/contract.py derives its drop-down lists from these).
Tool = Literal["IIT", "EIT", "OIT"]
Group = Literal["ภายใน", "ภายนอก"]
SwocType = Literal["จุดแข็ง", "จุดอ่อน", "โอกาส", "ท้าทาย"]


class Located(BaseModel):
    """A row of a sheet: where it came from."""

    model_config = ConfigDict(frozen=True)
    sheet: str = ""
    row: int = 0
    cells: dict[str, str] = Field(default_factory=dict)

    def cell(self, key: str) -> str:
        return self.cells.get(key, "")


class General(BaseModel):
    model_config = ConfigDict(frozen=True)
    unit: str = ""
    abbreviation: str = ""
    parent: str = ""
    fiscal_year: int | None = None
    plan_year: int | None = None          # ปีงบประมาณของแผน as typed; see `plan_fiscal_year`
    round: str = ""
    quarter: int | None = None
    preparer: str = ""
    preparer_position: str = ""
    approver: str = ""
    approver_position: str = ""
    document_date: dt.date | None = None
    respondents_iit: int | None = None
    respondents_eit: int | None = None
    thai_digits: bool | None = None
    cells: dict[str, str] = Field(default_factory=dict)

    @property
    def plan_fiscal_year(self) -> int | None:
        """The year of the plan and its quarterly reports: ปีงบประมาณของแผน, else ปีงบประมาณ (seed 002
        analyses 2568 and plans 2569)."""
        return self.plan_year or self.fiscal_year


class ScoreRow(Located):
    tool: Tool
    number: int
    name: str
    scores: dict[int, Decimal] = Field(default_factory=dict)   # BE year → score; absent = not assessed


class ToolTotal(Located):
    """An officer's own "คะแนนรวม" row for a tool, checked against the computed mean."""

    tool: Tool
    totals: dict[int, Decimal] = Field(default_factory=dict)


class SubItem(Located):
    code: str
    indicator: int
    question: str
    score: Decimal


class Suggestion(Located):
    group: Group
    text: str


class IndicatorNote(Located):
    indicator: int
    strength: str = ""
    weakness: str = ""
    improvement: str = ""


class SwocItem(Located):
    type: SwocType
    text: str


class GapIssue(Located):
    indicator: int
    code: str = ""
    issue: str
    cause: str = ""
    measures: tuple[int, ...] = ()


class Measure(Located):
    number: int
    strategy: str = ""
    measure: str
    reason: str = ""
    knowledge: str = ""
    indicators: tuple[int, ...] = ()


class Target(BaseModel):
    """A quantitative target as typed: "2 ครั้ง" → number 2, unit ครั้ง; "-" → no number."""

    model_config = ConfigDict(frozen=True)
    text: str = ""
    number: Decimal | None = None
    unit: str = ""
    note: str = ""


PERCENT = "%"
PERCENT_UNITS = frozenset({PERCENT, "ร้อยละ"})


class Activity(Located):
    measure: int
    code: str
    activity: str
    target: Target = Target()
    unit: str = ""
    quality_target: str = ""
    responsible: str = ""
    budget: Decimal | None = None
    steps: str = ""
    quarters: tuple[Decimal, Decimal, Decimal, Decimal] = (Decimal(0),) * 4
    months: dict[int, Decimal] | None = None      # calendar month → count, when planned by month

    @property
    def percent_target(self) -> bool:
        """A percentage to reach ("ไม่น้อยกว่าร้อยละ 90"): its period counts say when it is measured, and a
        result is the percentage reached, not an amount to add up."""
        return self.target.number is not None and (self.target.unit or self.unit).strip() in PERCENT_UNITS


class Result(Located):
    code: str
    quarter: int
    achieved: Decimal | None = None
    date: dt.date | None = None
    details: str = ""
    output: str = ""
    outcome: str = ""
    evidence: str = ""
    problems: str = ""


class Document(BaseModel):
    """Everything one workbook says. Lists are empty when a sheet was not provided."""

    model_config = ConfigDict(frozen=True)
    general: General = General()
    year: int | None = None                   # the analysed year (reader.build.analysed_year)
    years: tuple[int, ...] = ()               # years with scores up to `year`, ascending
    scores: tuple[ScoreRow, ...] = ()
    totals: tuple[ToolTotal, ...] = ()
    subitems: tuple[SubItem, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    indicator_notes: tuple[IndicatorNote, ...] = ()
    swoc: tuple[SwocItem, ...] = ()
    gaps: tuple[GapIssue, ...] = ()
    measures: tuple[Measure, ...] = ()
    activities: tuple[Activity, ...] = ()
    plan_by_month: bool = False
    plan_unknown_headers: tuple[str, ...] = ()    # header cells of แผนงาน not understood ("N1")
    results: tuple[Result, ...] = ()
