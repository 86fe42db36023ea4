"""What every document shares: the header and the signature block."""
from __future__ import annotations

from datetime import date
from typing import Any

from service.reader.model import General
from service.thai.dates import thai_date


def common_context(general: General, today: date, year: int | None = None) -> dict[str, Any]:
    """Header and signature values every document shares; `year` is the document's fiscal year when it is
    not ปีงบประมาณ (the plan and its quarterly reports use ปีงบประมาณของแผน)."""
    doc_date = general.document_date or today
    return {
        "unit": general.unit,
        "unit_abbr": general.abbreviation or general.unit,
        "parent": general.parent,
        "fiscal_year": year or general.fiscal_year,
        "round": general.round,
        "document_date": thai_date(doc_date),
        "preparer": general.preparer,
        "preparer_position": general.preparer_position,
        "approver": general.approver,
        "approver_position": general.approver_position,
    }
