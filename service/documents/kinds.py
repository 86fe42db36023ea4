"""The registry of document kinds: the one place that says what a document is.

Each entry holds the kind, its Thai title, its template, the sheets it reads, its output file name, its
context model and the builder of that context. Adding a document is one entry here plus a template.

A document is produced when its own sheets have data and none of them holds an error: an error in the
plan must not block the analysis report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from service.analysis.scores import analyse
from service.documents.charts import analysis_images, quarterly_images
from service.documents.analysis_context import analysis_context
from service.documents.context_schema import AnalysisContext, ContextModel, PlanContext, QuarterlyContext
from service.documents.plan_context import plan_context, quarterly_context
from service.analysis.framework import Framework
from service.reader.model import Document
from service.thai.numbers import round2
from service.problems import Problem, Problems
from service.analysis.progress import Status, progress
from service.reader.contract import GENERAL, PLAN, meant_sheet
from service.thai.text import normalise_header


@dataclass
class Prepared:
    """What a writer needs to make one document."""

    kind: str
    context: ContextModel
    figures: dict[str, Any]
    file_stem: str
    quarter: int | None = None
    images: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: str                                   # Thai name, for messages and the blank form
    template: str                                # file name in templates/
    sheets: tuple[str, ...]                      # schema keys of the sheets it reads (an error there blocks it)
    file_name: str                               # output stem; {year} and {quarter} are filled in
    context: type[ContextModel]                  # what its template receives
    has_data: Callable[[Document], bool]
    needs_framework: bool
    prepare: Callable[[Document, Framework | None, date], Prepared]
    # Errors only this document has (a value it alone needs): they block it and no other document.
    requires: Callable[[Document, Problems], list[Problem]] = lambda doc, problems: []


def file_stem(kind: str, year: int | None, quarter: int | None = None) -> str:
    """The output file name (without extension) of a document, from its registry entry."""
    return KIND_BY_NAME[kind].file_name.format(year=year or "", quarter=quarter or "")


def _f(value) -> float | None:
    return None if value is None else float(round2(value))


def prepare_analysis(doc: Document, framework: Framework | None, today: date) -> Prepared:
    assert framework is not None
    result = analyse(doc, framework)
    figures = {"overall_score": _f(result.overall), "level": result.level,
               "tool_scores": {t: _f(s) for t, s in result.tool_scores.items()},
               "framework_provisional": framework.provisional}
    year = result.year or doc.general.fiscal_year
    return Prepared("analysis", analysis_context(doc, result, framework, today), figures,
                    file_stem("analysis", year=year), images=analysis_images(result))


def prepare_plan(doc: Document, framework: Framework | None, today: date) -> Prepared:
    return Prepared("plan", plan_context(doc, today), {}, file_stem("plan", year=doc.general.plan_fiscal_year))


def prepare_quarterly(doc: Document, framework: Framework | None, today: date) -> Prepared:
    quarter = doc.general.quarter
    assert quarter is not None          # `quarterly_requires` blocks the document otherwise
    prog = progress(doc, quarter)
    figures = {"quarterly": {
        "quarter": quarter, "activities_total": len(prog.activities),
        "activities_done": prog.count(Status.DONE), "activities_on_plan": prog.count(Status.ON_PLAN),
        "activities_behind": prog.count(Status.BEHIND), "activities_not_due": prog.count(Status.NOT_DUE),
        "plan_to_date_pct": _f(prog.plan_to_date_pct), "annual_progress_pct": _f(prog.annual_progress_pct)}}
    return Prepared("quarterly", quarterly_context(doc, prog, today), figures,
                    file_stem("quarterly", year=doc.general.plan_fiscal_year, quarter=quarter), quarter=quarter,
                    images=quarterly_images(doc, prog))


def quarterly_requires(doc: Document, problems: Problems) -> list[Problem]:
    """The reporting quarter and a plan to measure results against; only the quarterly report needs them."""
    needed: list[Problem] = []
    cell = doc.general.cells.get("quarter", "")
    general = normalise_header(GENERAL.name)
    reported = bool(cell) and any(p.cell == cell and normalise_header(p.sheet) == general for p in problems.errors)
    if doc.general.quarter is None and not reported:
        needed.append(Problem("missing_field", 'ต้องกรอก "ไตรมาสที่รายงาน" (1–4) ในแผ่นงาน ข้อมูลทั่วไป '
                              "จึงจะสร้างรายงานผลการดำเนินงานรายไตรมาสได้ ให้เพิ่มแถว \"ไตรมาสที่รายงาน\" "
                              "ในคอลัมน์รายการ และกรอกเลขไตรมาส เช่น 1", GENERAL.name, cell))
    if not doc.activities:
        renamed = [p.sheet for p in problems.items if p.code == "unknown_sheet" and meant_sheet(p.sheet) is PLAN]
        fix = (f'ให้เปลี่ยนชื่อแผ่นงาน "{renamed[0]}" เป็น "{PLAN.name}" ตามแบบฟอร์ม (ระบบหาแผ่นงานจากชื่อ)' if renamed
               else "ให้กรอกแผนงานก่อน")
        needed.append(Problem("missing_field", f"มีผลการดำเนินงานแต่ไม่พบกิจกรรมในแผ่นงาน {PLAN.name} "
                              f"จึงเทียบผลกับแผนไม่ได้ {fix}", PLAN.name))
    return needed


KINDS: tuple[DocumentKind, ...] = (
    DocumentKind("analysis", "รายงานการวิเคราะห์ผลการประเมิน ITA", "analysis.docx",
                 ("general", "scores", "subitems", "suggestions", "indicator_analysis", "swoc", "gaps"),
                 "รายงานการวิเคราะห์ผลการประเมิน_ITA_{year}", AnalysisContext,
                 lambda d: any(r.scores for r in d.scores), True, prepare_analysis),   # names alone: blank form
    DocumentKind("plan", "แผนขับเคลื่อนการดำเนินงาน", "plan.docx", ("general", "plan", "measures"),
                 "แผนขับเคลื่อนการดำเนินงาน_ITA_{year}", PlanContext,
                 lambda d: bool(d.activities), False, prepare_plan),
    DocumentKind("quarterly", "รายงานผลการดำเนินงานรายไตรมาส", "quarterly.docx",
                 ("general", "plan", "measures", "results"),
                 "รายงานผลการดำเนินงาน_ไตรมาส_{quarter}_{year}", QuarterlyContext,
                 lambda d: bool(d.results), False, prepare_quarterly, quarterly_requires),
)
KIND_BY_NAME: dict[str, DocumentKind] = {k.kind: k for k in KINDS}
