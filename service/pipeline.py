"""One workbook through the pure core: read → model → checks → prepared documents.

No output is written here; `job.py` writes the job folder and `itadoc context` prints the contexts.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from defusedxml import DefusedXmlException

from service.reader.build import build_document
from service.checks.rules import run_checks
from service.documents.kinds import KINDS, DocumentKind, Prepared
from service.analysis.framework import Framework, FrameworkMissing, load_framework
from service.reader.guard import NOT_READABLE, NotAWorkbook, inspect_file
from service.reader.model import Document
from service.problems import Problem, Problems
from service.reader.contract import SHEET_BY_KEY
from service.settings import Settings
from service.reader.cells import read_workbook
from service.thai.text import normalise_header

log = logging.getLogger("itadoc.pipeline")
UNSAFE_XML = ("ไฟล์นี้มีโครงสร้างข้อมูลภายใน (XML) ที่อาจเป็นอันตราย ระบบจึงไม่เปิดอ่าน ให้คัดลอกข้อมูลลงใน"
              "แบบฟอร์มมาตรฐานฉบับใหม่ แล้ววางไฟล์อีกครั้ง")


@dataclass
class Outcome:
    problems: Problems
    document: Document | None = None
    framework: Framework | None = None
    prepared: list[Prepared] = field(default_factory=list)
    blocked: list[tuple[DocumentKind, str, list[Problem]]] = field(default_factory=list)


def read(path: Path, settings: Settings, problems: Problems) -> Document:
    """The guard decides by content and bounds before openpyxl opens anything (.xls/.ods are converted
    by `convert.readable_copy` before this)."""
    if inspect_file(path, settings.limits) != "xlsx":
        raise NotAWorkbook("not_a_workbook", NOT_READABLE)
    try:
        raw = read_workbook(path, problems, settings.limits)
    except DefusedXmlException as exc:
        raise NotAWorkbook("not_a_workbook", UNSAFE_XML) from exc
    except Exception as exc:
        # openpyxl, zipfile, zlib and lxml raise almost anything on a damaged file (zlib.error,
        # XMLSyntaxError, IndexError, AssertionError … the fuzz run found them): all mean "unreadable".
        log.warning("unreadable workbook %s: %s: %s", path.name, type(exc).__name__, exc)
        raise NotAWorkbook("not_a_workbook", NOT_READABLE) from exc
    return build_document(raw, problems)


def framework_for(doc: Document, settings: Settings, problems: Problems) -> Framework | None:
    year = doc.year or doc.general.fiscal_year
    if year is None:
        return None
    try:
        framework = load_framework(settings.frameworks_dir, year)
    except FrameworkMissing:
        problems.add("unknown_framework", f"ยังไม่มีกรอบการประเมิน ITA ของปี {year} ในระบบ "
                     "ให้ผู้ดูแลระบบเพิ่มไฟล์กรอบการประเมินของปีนี้", sheet=SHEET_BY_KEY["scores"].name,
                     value=year)
        return None
    if framework.fiscal_year != year:
        problems.add("framework_fallback", f"ยังไม่มีกรอบการประเมินของปี {year} ระบบใช้กรอบของปี "
                     f"{framework.fiscal_year} แทน", value=year, severity="warning")
    return framework


def run(path: Path, settings: Settings, today: date | None = None) -> Outcome:
    """Raises NotAWorkbook; everything else about the workbook ends up in `Outcome.problems`."""
    problems = Problems()
    doc = read(path, settings, problems)
    # Only the analysis reads the framework: a plan-only workbook of any year needs none.
    framework = framework_for(doc, settings, problems) if any(r.scores for r in doc.scores) else None
    run_checks(doc, framework, problems, settings.dictionary_dir)
    outcome = Outcome(problems, doc, framework)
    today = today or date.today()
    own_problems: list[Problem] = []       # errors one document alone has: they block no other document
    for kind in KINDS:
        if not kind.has_data(doc):
            continue
        sheets = {normalise_header(SHEET_BY_KEY[k].name) for k in kind.sheets}
        own = kind.requires(doc, problems)
        own_problems.extend(own)
        errors = [p for p in problems.errors if not p.sheet or normalise_header(p.sheet) in sheets] + own
        if errors:
            outcome.blocked.append((kind, f"มีข้อผิดพลาด {len(errors)} รายการในข้อมูลที่ใช้ทำ{kind.title}", errors))
        elif kind.needs_framework and framework is None:
            outcome.blocked.append((kind, "ไม่มีกรอบการประเมินของปีงบประมาณนี้", []))
        else:
            outcome.prepared.append(kind.prepare(doc, framework, today))
    problems.extend(own_problems)
    return outcome
