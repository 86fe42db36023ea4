"""Progress of the activity plan at a reporting quarter: the spec's arithmetic, exactly, in Decimal.

shared/spec/service.md "Progress arithmetic": planned-to-date P = q1+…+qN, actual-to-date A = the sum of
result rows with quarter ≤ N; status done (A ≥ T), not due (P = 0 and A = 0), on plan (A ≥ P), else behind.
A percentage target ("ไม่น้อยกว่าร้อยละ 90") is judged in its own unit: A is the latest percentage reported.
Summary percentages are means of each activity's share of its own target, never sums across units
(docs/workbook-rules.md). The quarterly report and receipt.json both print these figures, so they can never
disagree. Work reported earlier than planned is progress (`ahead`), never an error.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from service.analysis.codes import Status
from service.reader.model import Activity, Document, Result
from service.thai.text import code_key
from service.thai.numbers import round2

ZERO = Decimal(0)


STATUS_TEXT = {Status.DONE: "ดำเนินการแล้วเสร็จ", Status.ON_PLAN: "เป็นไปตามแผน",
               Status.BEHIND: "ล่าช้ากว่าแผน", Status.NOT_DUE: "ยังไม่ถึงกำหนด"}


def status_of(target: Decimal | None, planned: Decimal, achieved: Decimal) -> Status:
    """The spec's rule; without a numeric target an activity can never be "done" by count."""
    if target is not None and achieved >= target:
        return Status.DONE
    if planned == ZERO and achieved == ZERO:
        return Status.NOT_DUE
    return Status.ON_PLAN if achieved >= planned else Status.BEHIND


def percent_status(target: Decimal, due: bool, achieved: Decimal | None) -> Status:
    """A percentage target is reached or not: done when reached, behind when it was due and is not,
    not due before its first measurement, on plan when measured early and not reached yet."""
    if achieved is not None and achieved >= target:
        return Status.DONE
    if due:
        return Status.BEHIND
    return Status.NOT_DUE if achieved is None else Status.ON_PLAN


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return min(part / whole, Decimal(1)) if whole > 0 else Decimal(1)


@dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    planned: Decimal                  # P: planned to date (for a percentage target: measurements due)
    achieved: Decimal                 # A: achieved to date (for a percentage target: the latest result)
    status: Status
    results: tuple[Result, ...]       # its result rows with quarter ≤ N, in quarter then date order

    @property
    def target(self) -> Decimal | None:
        return self.activity.target.number

    @property
    def ahead(self) -> bool:
        """More done than planned so far: shown as ahead of plan (a count, never a percentage)."""
        return not self.activity.percent_target and self.achieved > self.planned

    @property
    def to_date_share(self) -> Decimal | None:
        """Share of what was due so far, in the activity's own unit; None when nothing was due yet or
        there is no numeric target."""
        if self.target is None or self.planned == ZERO:
            return None
        if self.activity.percent_target:
            return _share(self.achieved, self.target)
        return _share(self.achieved, self.planned)

    @property
    def planned_share(self) -> Decimal | None:
        """Share of the year's target planned so far; None without a numeric target."""
        if self.target is None:
            return None
        if self.activity.percent_target:
            return Decimal(1) if self.planned > ZERO else ZERO
        return _share(self.planned, self.target)

    @property
    def achieved_share(self) -> Decimal | None:
        """Share of the year's target achieved so far; None without a numeric target."""
        return None if self.target is None else _share(self.achieved, self.target)


@dataclass(frozen=True)
class Progress:
    quarter: int
    activities: tuple[ActivityProgress, ...]
    plan_to_date_pct: Decimal | None      # None when nothing with a numeric target was due yet
    annual_progress_pct: Decimal | None   # None when no activity has a numeric target

    def count(self, status: Status) -> int:
        return sum(1 for a in self.activities if a.status == status)

    def with_status(self, status: Status) -> tuple[ActivityProgress, ...]:
        return tuple(a for a in self.activities if a.status == status)


def _activity_progress(activity: Activity, results: tuple[Result, ...], quarter: int) -> ActivityProgress:
    planned = sum(activity.quarters[:quarter], ZERO)
    if activity.percent_target:
        measured = [r.achieved for r in results if r.achieved is not None]
        latest = measured[-1] if measured else None
        status = percent_status(activity.target.number, planned > ZERO, latest)
        return ActivityProgress(activity, planned, latest if latest is not None else ZERO, status, results)
    achieved = sum((r.achieved or ZERO for r in results), ZERO)
    return ActivityProgress(activity, planned, achieved, status_of(activity.target.number, planned, achieved),
                            results)


def progress(doc: Document, quarter: int) -> Progress:
    """Every activity's progress at the end of fiscal quarter `quarter` (1–4), in plan order."""
    by_code: dict[str, list[Result]] = defaultdict(list)
    for result in doc.results:
        if result.quarter <= quarter:
            by_code[code_key(result.code)].append(result)
    rows = [_activity_progress(a, tuple(sorted(by_code.get(code_key(a.code), ()),
                                               key=lambda r: (r.quarter, r.date or date.max, r.row))), quarter)
            for a in doc.activities]
    return Progress(quarter, tuple(rows), target_share(rows, lambda a: a.to_date_share),
                    target_share(rows, lambda a: a.achieved_share))


def target_share(items: Sequence[ActivityProgress],
                 share: Callable[[ActivityProgress], Decimal | None]) -> Decimal | None:
    """100 × the mean of each activity's share of its own target (`to_date_share`, `planned_share`,
    `achieved_share`): activities are counted in different units (ครั้ง, หน่วยงาน, ร้อยละ), so only their
    shares can be added. None when no activity has a share."""
    shares = [s for s in map(share, items) if s is not None]
    return round2(100 * sum(shares, ZERO) / len(shares)) if shares else None
