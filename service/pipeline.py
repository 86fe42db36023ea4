"""One workbook through the pure core: read → model → checks → prepared documents.

No output is written here; `job.py` writes the job folder and `itadoc context` prints the contexts.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .build import build_document
from .checks import run_checks
from .documents import KINDS, DocumentKind, Prepared
from .framework import Framework, FrameworkMissing, load_framework
from .model import Document
from .problems import Problem, Problems
from .schema import SHEET_BY_KEY
from .settings import Settings
from .workbook import normalise_header, read_workbook


class NotAWorkbook(Exception):
    """The file cannot be read as a workbook; `code` and Thai `message` go to the receipt."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Outcome:
    problems: Problems
    document: Document | None = None
    framework: Framework | None = None
    prepared: list[Prepared] = field(default_factory=list)
    blocked: list[tuple[DocumentKind, str, list[Problem]]] = field(default_factory=list)


def read(path: Path, settings: Settings, problems: Problems) -> Document:
    try:
        raw = read_workbook(path, problems, settings.limits)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise NotAWorkbook("not_a_workbook", "ไฟล์นี้ไม่ใช่ไฟล์ Excel ที่อ่านได้ (.xlsx หรือ .xlsm) "
                           "ให้เปิดไฟล์ใน Excel แล้วบันทึกเป็น \"Excel Workbook (.xlsx)\" "
                           "จากแบบฟอร์มมาตรฐาน แล้ววางไฟล์อีกครั้ง") from exc
    return build_document(raw, problems)


def framework_for(doc: Document, settings: Settings, problems: Problems) -> Framework | None:
    year = doc.latest_year or doc.general.fiscal_year
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
    framework = framework_for(doc, settings, problems)
    run_checks(doc, framework, problems)
    outcome = Outcome(problems, doc, framework)
    today = today or date.today()
    for kind in KINDS:
        if not kind.has_data(doc):
            continue
        sheets = {normalise_header(SHEET_BY_KEY[k].name) for k in kind.sheets}
        errors = [p for p in problems.errors if not p.sheet or normalise_header(p.sheet) in sheets]
        if errors:
            outcome.blocked.append((kind, f"มีข้อผิดพลาด {len(errors)} รายการในข้อมูลที่{kind.title}ใช้", errors))
        elif kind.needs_framework and framework is None:
            outcome.blocked.append((kind, "ไม่มีกรอบการประเมินของปีงบประมาณนี้", []))
        else:
            outcome.prepared.append(kind.prepare(doc, framework, today))
    return outcome
