"""Template contexts: what each Word template receives, built as the models of `context_schema`.

Numbers arrive already formatted (two decimals where the source has them) so templates stay simple and
every document prints a figure the same way. A context is validated by its model when it is built
(extra fields forbidden), so the schema that `templates check` and the template reference use is the
one the documents really get. `itadoc context WORKBOOK` prints them as JSON.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from service.analysis.scores import Analysis, IndicatorResult, ToolResult
from service.documents.common import common_context
from service.documents.context_schema import AnalysisContext
from service.analysis.framework import Framework
from service.reader.model import Document
from service.documents.narrative import (join_phrases, no_suggestions_sentence, overall_sentence, tool_sentence,
                                        tools_below_pass_sentence)
from service.thai.dates import MONTHS, month_year
from service.thai.numbers import format_number, format_score

SWOC_KEYS = {"จุดแข็ง": "strengths", "จุดอ่อน": "weaknesses", "โอกาส": "opportunities", "ท้าทาย": "challenges"}
TOOL_GROUP = {"IIT": "ภายใน", "EIT": "ภายนอก"}


def _indicator_row(ind: IndicatorResult, years: tuple[int, ...]) -> dict[str, Any]:
    return {
        "number": ind.number,
        "name": ind.name,
        "scores": [format_score(ind.scores.get(y)) for y in years],
        "latest": format_score(ind.latest),
        "below_pass": ind.below_pass,
        "change": ind.changes[0].direction if ind.changes else "",
    }


def _tool(result: ToolResult, doc: Document, framework: Framework, year: int, table_number: int,
          unit: str) -> dict[str, Any]:
    group = TOOL_GROUP.get(result.tool)
    suggestions = [s.text for s in doc.suggestions if s.group == group] if group else []
    return {
        "tool": result.tool,
        "title": framework.tool_names.get(result.tool, result.tool),
        "table_number": table_number,
        "indicator_count": len(result.indicators),
        "indicator_names": join_phrases(f"ตัวชี้วัด{i.name}" for i in result.indicators),
        "rows": [_indicator_row(i, doc.years) for i in result.indicators],
        "means": [format_score(result.means.get(y)) for y in doc.years],
        "mean": format_score(result.latest),
        "narrative": tool_sentence(result, year, table_number),
        "has_suggestion_group": group is not None,
        "suggestions": suggestions,
        "no_suggestions": no_suggestions_sentence(group, unit) if group and not suggestions else "",
    }


def _measure_label(number: int, names: dict[int, str]) -> str:
    """ "5. พัฒนาทักษะการสื่อสารของบุคลากร", or "5" when the มาตรการ sheet does not name it."""
    return f"{number}. {names[number]}" if number in names else str(number)


def plan_period(plan_year: int | None) -> str:
    """ตุลาคม 2568 – กันยายน 2569: the fiscal year of the plan, as seed 002 states its schedule."""
    if plan_year is None:
        return ""
    return (f"{MONTHS[9]} {month_year(plan_year, 10)} – {MONTHS[8]} {month_year(plan_year, 9)}")


def improvement_rows(doc: Document, names: dict[int, str]) -> list[dict[str, Any]]:
    """Seed 002's section 4: per indicator that a measure names, the measures, the officer's analysis
    (แนวทางพัฒนา), the steps and activities of the plan for those measures and who is responsible."""
    notes = {n.indicator: n for n in doc.indicator_notes}
    rows = []
    for number in sorted({i for m in doc.measures for i in m.indicators}):
        measures = sorted((m for m in doc.measures if number in m.indicators), key=lambda m: m.number)
        numbers = {m.number for m in measures}
        activities = [a for a in doc.activities if a.measure in numbers]
        note = notes.get(number)
        rows.append({
            "indicator": number, "name": names.get(number, ""),
            "measures": [f"{m.number}. {m.measure}" for m in measures],
            "analysis": (note.improvement or note.weakness) if note else "",
            "activities": [f"{a.code} {a.activity}" for a in activities],
            "steps": [a.steps for a in activities if a.steps],
            "responsible": " ".join(dict.fromkeys(a.responsible for a in activities if a.responsible)),
        })
    return rows


def analysis_context(doc: Document, analysis: Analysis, framework: Framework, today: date) -> AnalysisContext:
    ctx = common_context(doc.general, today)
    year = analysis.year or doc.general.fiscal_year or 0
    unit = ctx["unit_abbr"]
    tools = [_tool(r, doc, framework, year, n, unit) for n, r in enumerate(analysis.tools.values(), 1)]
    names = {i.number: i.name for r in analysis.tools.values() for i in r.indicators}
    scores = {i.number: i.latest for r in analysis.tools.values() for i in r.indicators}
    measure_names = {m.number: m.measure for m in doc.measures}
    swoc: dict[str, list[str]] = {k: [] for k in SWOC_KEYS.values()}
    for item in doc.swoc:
        swoc[SWOC_KEYS[item.type]].append(item.text)
    ctx.update({
        "year": year,
        "years": list(doc.years),
        "year_headers": [f"ปี {y}" + (f" {doc.general.round}" if doc.general.round else "") for y in doc.years],
        "tools": tools,
        "overall": format_number(analysis.overall) if analysis.overall is not None else "-",
        "level": analysis.level or "-",
        "passed": analysis.passed,
        "pass_mark": format_score(analysis.pass_mark),
        "overall_sentence": overall_sentence(doc.general.unit, year, analysis.overall, analysis.level,
                                             analysis.passed, analysis.pass_mark),
        "tool_scores": [{"tool": t, "title": framework.tool_names.get(t, t), "score": format_score(s),
                         "weight": format_score(framework.weights.get(t))}
                        for t, s in analysis.tool_scores.items()],
        "below_pass": [{"number": i.number, "name": i.name, "score": format_score(i.latest)}
                       for i in analysis.below_pass],
        "respondents_iit": doc.general.respondents_iit,
        "respondents_eit": doc.general.respondents_eit,
        "indicator_notes": [{"number": n.indicator, "name": names.get(n.indicator, ""),
                             "score": format_score(s) if (s := scores.get(n.indicator)) is not None else "",
                             "strength": n.strength,
                             "weakness": n.weakness, "improvement": n.improvement}
                            for n in sorted(doc.indicator_notes, key=lambda n: n.indicator)],
        "swoc": swoc,
        "has_swoc": bool(doc.swoc),
        "gaps": [{"indicator": g.indicator, "name": names.get(g.indicator, ""), "code": g.code,
                  "issue": g.issue, "cause": g.cause,
                  "measures": [_measure_label(n, measure_names) for n in g.measures]}
                 for g in doc.gaps],
        "framework_provisional": framework.provisional,
        "tools_below_pass": tools_below_pass_sentence(analysis.tools.values(), analysis.pass_mark),
        "plan_year": doc.general.plan_fiscal_year,
        "plan_period": plan_period(doc.general.plan_fiscal_year),
        "improvements": improvement_rows(doc, names),
        "chart_indicators": None,   # images, filled at render time when charts are on (charts.py)
        "chart_tools": None,
    })
    return AnalysisContext.model_validate(ctx)
