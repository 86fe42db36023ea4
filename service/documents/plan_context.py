"""Template contexts of the plan (แผนขับเคลื่อนการดำเนินงาน) and the quarterly progress report.

Models of `context_schema` (built from plain dicts and validated), every figure already formatted, so templates only place values. Activities are
grouped by measure in plan order; a measure that the มาตรการ sheet does not name is still shown
("มาตรการที่ 3"), because the plan stands on the แผนงาน sheet alone.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from service.documents.common import common_context
from service.documents.context_schema import PlanContext, QuarterlyContext
from service.documents.measures import measure_groups
from service.reader.model import Activity, Document, Result
from service.thai.numbers import format_number, format_score
from service.analysis.progress import STATUS_TEXT, ActivityProgress, Progress, Status
from service.documents.narrative import progress_sentence
from service.thai.dates import FISCAL_MONTHS, month_heading, quarter_heading, thai_date

AHEAD_NOTE = "เร็วกว่าแผน"
NO_REASON = "ไม่ได้ระบุเหตุผล"


def count_text(value: Decimal | None) -> str:
    """A period count as the seed prints it: "-" for nothing, whole numbers without decimals."""
    return "-" if not value else format_score(value)


def money(value: Decimal | None) -> str:
    """Baht with thousands separators; "-" for no budget, as officers write it."""
    if not value:
        return "-"
    return format_number(value, 0 if value == value.to_integral_value() else 2, grouping=True)


def target_text(activity: Activity) -> str:
    """The quantitative target as typed ("2 รูปแบบ (1 infographic 1 PDF)"); a bare number gets its unit."""
    target = activity.target
    if target.number is None or target.unit or target.note:
        return target.text or "-"
    return f"{format_score(target.number)} {activity.unit}".strip()


def period_headers(fiscal_year: int | None, by_month: bool) -> list[str]:
    """ไตรมาส 1 (ต.ค. – ธ.ค. 68) …, or ต.ค. 68 … ก.ย. 69 for a month-based plan."""
    if by_month:
        return [month_heading(m, fiscal_year) for m in FISCAL_MONTHS]
    if fiscal_year is None:
        return [f"ไตรมาส {q}" for q in range(1, 5)]
    return [quarter_heading(fiscal_year, q) for q in range(1, 5)]


def _plan_activity(activity: Activity, by_month: bool) -> dict[str, Any]:
    periods = ([activity.months.get(m) for m in FISCAL_MONTHS] if by_month and activity.months is not None
               else list(activity.quarters))
    return {
        "code": activity.code, "activity": activity.activity, "target": target_text(activity),
        "quality_target": activity.quality_target or "-", "responsible": activity.responsible or "-",
        "budget": money(activity.budget), "steps": activity.steps,
        "periods": [count_text(p) for p in periods],
    }


def plan_context(doc: Document, today: date) -> PlanContext:
    ctx = common_context(doc.general, today, doc.general.plan_fiscal_year)
    ctx.update({
        "plan_by_month": doc.plan_by_month,
        "period_headers": period_headers(doc.general.plan_fiscal_year, doc.plan_by_month),
        "measures": [{"number": m.number, "strategy": m.strategy or "-", "measure": m.measure,
                      "reason": m.reason or "-", "knowledge": m.knowledge or "-",
                      "indicators": ", ".join(map(str, m.indicators))}
                     for m in sorted(doc.measures, key=lambda m: m.number)],
        "groups": [{"number": n, "label": label,
                    "activities": [_plan_activity(a, doc.plan_by_month) for a in activities]}
                   for n, label, activities in measure_groups(doc)],
        "activity_count": len(doc.activities),
        "budget_total": money(sum((a.budget or Decimal(0) for a in doc.activities), Decimal(0))),
    })
    return PlanContext.model_validate(ctx)


def _result(result: Result) -> dict[str, Any]:
    return {
        "code": result.code, "quarter": result.quarter,
        "date": thai_date(result.date) if result.date else "-",
        "achieved": count_text(result.achieved), "details": result.details or "-",
        "output": result.output or "-", "outcome": result.outcome or "-",
        "evidence": result.evidence or "-", "problems": result.problems or "-",
    }


def planned_text(item: ActivityProgress) -> str:
    """Planned to date; for a percentage target, the percentage due ("ร้อยละ 90") or "-" before it is due."""
    if item.activity.percent_target:
        return f"ร้อยละ {format_score(item.target)}" if item.planned else "-"
    return format_score(item.planned)


def achieved_text(item: ActivityProgress) -> str:
    """Achieved to date; for a percentage target, the latest percentage reported ("ร้อยละ 85")."""
    if item.activity.percent_target:
        return f"ร้อยละ {format_score(item.achieved)}" if item.results else "-"
    return format_score(item.achieved)


def _progress_row(item: ActivityProgress) -> dict[str, Any]:
    activity = item.activity
    return {
        "code": activity.code, "activity": activity.activity, "target": target_text(activity),
        "planned": planned_text(item), "achieved": achieved_text(item),
        "status": STATUS_TEXT[item.status], "status_code": item.status.value,
        "ahead": item.ahead, "note": AHEAD_NOTE if item.ahead else "",
        "responsible": activity.responsible or "-",
        "results": [_result(r) for r in item.results],
    }


def _pct(value: Decimal | None) -> str:
    return format_number(value) if value is not None else "-"


def quarterly_context(doc: Document, prog: Progress, today: date) -> QuarterlyContext:
    ctx = common_context(doc.general, today, doc.general.plan_fiscal_year)
    by_row = {p.activity.row: p for p in prog.activities}
    measures = []
    for number, label, activities in measure_groups(doc):
        rows = [_progress_row(by_row[a.row]) for a in activities]
        measures.append({"number": number, "label": label, "activities": rows,
                         "results": [dict(r, activity=row["activity"]) for row in rows for r in row["results"]]})
    behind = [{"code": p.activity.code, "activity": p.activity.activity, "planned": planned_text(p),
               "achieved": achieved_text(p),
               "reasons": "\n".join(r.problems for r in p.results if r.problems) or NO_REASON}
              for p in prog.with_status(Status.BEHIND)]
    fy = doc.general.plan_fiscal_year
    heading = quarter_heading(fy, prog.quarter) if fy else f"ไตรมาส {prog.quarter}"
    summary = {
        "total": len(prog.activities), "done": prog.count(Status.DONE),
        "on_plan": prog.count(Status.ON_PLAN), "behind": prog.count(Status.BEHIND),
        "not_due": prog.count(Status.NOT_DUE), "ahead": sum(1 for p in prog.activities if p.ahead),
        "plan_to_date_pct": _pct(prog.plan_to_date_pct),
        "annual_progress_pct": _pct(prog.annual_progress_pct),
    }
    ctx.update({
        "quarter": prog.quarter,
        "quarter_heading": heading,
        "summary": summary,
        "summary_sentence": progress_sentence(ctx["unit_abbr"], heading, summary, prog.quarter,
                                              summary["plan_to_date_pct"], summary["annual_progress_pct"]),
        "measures": measures,
        "behind": behind,
        "chart_progress": None,
    })
    return QuarterlyContext.model_validate(ctx)
