"""Problems found in a workbook: what, where, and how to fix it, in Thai.

Every stage appends to one `Problems` collector instead of raising, so that one drop reports every bad
cell at once. Codes are stable (shared/spec/service.md); messages are for officers.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Literal

Severity = Literal["error", "warning"]

WARNING_CODES = frozenset({
    "ce_year", "spelling", "abbreviation_mismatch", "date_outside_quarter", "unknown_column",
    "unknown_sheet", "mixed_digits", "indicator_name_mismatch", "text_normalised", "converted_format",
})


@dataclass(frozen=True)
class Problem:
    code: str
    message: str
    sheet: str = ""
    cell: str = ""
    value: str = ""
    severity: Severity = "error"

    @property
    def where(self) -> str:
        """`แผนงาน!I7` as officers see it in Excel."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("severity")
        return data


def display(value: Any) -> str:
    """The value as the officer typed it, short enough for a message."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 200 else text[:197] + "…"


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, sheet: str = "", cell: str = "", value: Any = None,
            severity: Severity | None = None) -> None:
        sev: Severity = severity or ("warning" if code in WARNING_CODES else "error")
        self.items.append(Problem(code, message, sheet, cell, display(value), sev))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

