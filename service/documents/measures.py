"""Activities grouped by measure, as the plan, the quarterly report and its chart all show them."""
from __future__ import annotations

from service.reader.model import Activity, Document


def measure_groups(doc: Document) -> list[tuple[int, str, list[Activity]]]:
    """(number, label, activities) per measure, by measure number, activities in sheet order."""
    names = {m.number: m.measure for m in doc.measures}
    groups: dict[int, list[Activity]] = {}
    for activity in doc.activities:
        groups.setdefault(activity.measure, []).append(activity)
    return [(n, f"{n}. {names[n]}" if n in names else f"มาตรการที่ {n}", groups[n]) for n in sorted(groups)]
