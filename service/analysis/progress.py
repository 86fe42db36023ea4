"""Progress of the activity plan at a reporting quarter: the spec's arithmetic, exactly, in Decimal.

shared/spec/service.md "Progress arithmetic": planned-to-date P = q1+…+qN, actual-to-date A = the sum of
result rows with quarter ≤ N; status done (A ≥ T), not due (P = 0 and A = 0), on plan (A ≥ P), else behind.
The quarterly report and receipt.json both print these figures, so they can never disagree. Work reported
earlier than planned is progress (`ahead`), never an error.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from service.analysis.codes import Status
from service.reader.model import Activity, Document, Result
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


@dataclass(frozen=True)
class ActivityProgress:
    activity: Activity
    planned: Decimal                  # P: planned to date
    achieved: Decimal                 # A: achieved to date
    status: Status
    results: tuple[Result, ...]       # its result rows with quarter ≤ N, in quarter then date order

    @property
    def target(self) -> Decimal | None:
        return self.activity.target.number

    @property
    def ahead(self) -> bool:
        """More done than planned so far: shown as ahead of plan."""
        return self.achieved > self.planned


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


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return round2(100 * part / whole) if whole else None


def progress(doc: Document, quarter: int) -> Progress:
    """Every activity's progress at the end of fiscal quarter `quarter` (1–4), in plan order."""
    by_code: dict[str, list[Result]] = defaultdict(list)
    for result in doc.results:
        if result.quarter <= quarter:
            by_code[result.code].append(result)
    rows = []
    for activity in doc.activities:
        results = tuple(sorted(by_code.get(activity.code, ()),
                               key=lambda r: (r.quarter, r.date or date.max, r.row)))
        planned = sum(activity.quarters[:quarter], ZERO)
        achieved = sum((r.achieved or ZERO for r in results), ZERO)
        rows.append(ActivityProgress(activity, planned, achieved,
                                     status_of(activity.target.number, planned, achieved), results))
    numeric = [a for a in rows if a.target is not None]
    plan_pct = _pct(sum((min(a.achieved, a.planned) for a in numeric), ZERO),
                    sum((a.planned for a in numeric), ZERO))
    return Progress(quarter, tuple(rows), plan_pct, target_share(rows, lambda a: a.achieved))


def target_share(items: Sequence[ActivityProgress], amount: Callable[[ActivityProgress], Decimal]) -> Decimal | None:
    """100·Σmin(amount, T)/ΣT over the activities with a numeric target: the spec's annual progress for
    what was achieved, and the share of the year planned so far for what was planned."""
    numeric = [a for a in items if a.target is not None]
    return _pct(sum((min(amount(a), a.target) for a in numeric), ZERO), sum((a.target for a in numeric), ZERO))
