"""The document kinds: which sheets each needs, when it is produced, and how its context is prepared.

A document is produced when its own sheets have data and none of them holds an error: an error in the
plan must not block the analysis report.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from .analysis import analyse
from .context import analysis_context
from .framework import Framework
from .model import Document
from .numbers import round2


@dataclass
class Prepared:
    """What a writer needs to make one document."""

    kind: str
    context: dict[str, Any]
    figures: dict[str, Any]
    file_stem: str
    quarter: int | None = None
    images: dict[str, Callable[[Any], Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentKind:
    kind: str
    title: str                                   # Thai name, for messages
    sheets: tuple[str, ...]                      # schema keys of the sheets it reads
    has_data: Callable[[Document], bool]
    needs_framework: bool
    prepare: Callable[[Document, Framework | None, date], Prepared]


def _f(value) -> float | None:
    return None if value is None else float(round2(value))


def prepare_analysis(doc: Document, framework: Framework | None, today: date) -> Prepared:
    assert framework is not None
    result = analyse(doc, framework)
    figures = {"overall_score": _f(result.overall), "level": result.level,
               "tool_scores": {t: _f(s) for t, s in result.tool_scores.items()}}
    year = result.year or doc.general.fiscal_year
    return Prepared("analysis", analysis_context(doc, result, framework, today), figures,
                    f"รายงานการวิเคราะห์ผลการประเมิน_ITA_{year}")


KINDS: list[DocumentKind] = [
    DocumentKind("analysis", "รายงานการวิเคราะห์ผลการประเมิน ITA",
                 ("general", "scores", "subitems", "suggestions", "indicator_analysis", "swoc", "gaps"),
                 lambda d: bool(d.scores), True, prepare_analysis),
]
