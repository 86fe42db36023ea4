"""The administrators' guide to template variables (`templates/README.md`), generated from the context
schema so that it always says what the code provides; a test keeps the shipped file in sync."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from service.documents.context_schema import CommonContext, ContextModel, is_list, model_of
from service.documents.kinds import KINDS

INTRO = """\
# ตัวแปรที่ใช้ได้ในแม่แบบเอกสาร Word

ไฟล์นี้สร้างอัตโนมัติด้วยคำสั่ง `itadoc templates reference` จากคำอธิบายข้อมูลในโปรแกรม
(`service/context_schema.py`) ห้ามแก้ไขด้วยมือ

วิธีเขียนแม่แบบ (docxtpl + Jinja):
- พิมพ์ค่า: `{{ unit }}` ค่าย่อย: `{{ tool.title }}`
- เงื่อนไขทั้งย่อหน้า: ย่อหน้า `{%p if parent %}` … ย่อหน้า `{%p endif %}`
- วนซ้ำย่อหน้า: `{%p for s in tool.suggestions %}` … `{%p endfor %}`
- วนซ้ำแถวตาราง: แถว `{%tr for row in tool.rows %}` … แถว `{%tr endfor %}` วนซ้ำคอลัมน์: `{%tc for … %}`
- ในรายการด้านล่าง `tools[].rows[].latest` หมายถึง `{%tr for tool in tools %}` แล้ว
  `{%tr for row in tool.rows %}` แล้ว `{{ row.latest }}`; ภายในลูปใช้ `{{ loop.index }}` เป็นเลขลำดับได้
- พิมพ์แท็กแต่ละแท็กให้จบในย่อหน้าเดียว และตรวจแม่แบบทุกครั้งหลังแก้ไข: `itadoc templates check`
  (`--fix` รวมแท็กที่ Word แบ่งเป็นหลายช่วงให้เอง)
"""


def _example(info: Any) -> str:
    if model_of(info.annotation) is not None or not info.examples:
        return ""
    text = json.dumps(info.examples[0], ensure_ascii=False)
    return f"`{text}`"


def _rows(model: type[ContextModel], prefix: str = "", skip: frozenset[str] = frozenset()) -> list[str]:
    rows: list[str] = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        path = prefix + name
        nested = model_of(info.annotation)
        suffix = "[]" if is_list(info.annotation) else ""
        note = " (รายการ)" if suffix else ""
        description, example = ((text or "").replace("|", "\\|") for text in (info.description, _example(info)))
        rows.append(f"| `{path}{suffix}` | {description}{note} | {example} |")
        if nested is not None:
            rows += _rows(nested, f"{path}{suffix}.")
    return rows


def _table(rows: list[str]) -> str:
    return "\n".join(["| ตัวแปร | ความหมาย | ตัวอย่าง |", "|---|---|---|", *rows])


def reference_text() -> str:
    common = frozenset(CommonContext.model_fields)
    sections = [INTRO, "## ทุกเอกสาร\n", _table(_rows(CommonContext)), ""]
    for kind in KINDS:
        model = kind.context
        sections += [f"## {(model.__doc__ or kind.title).strip()}\n",
                     f"แม่แบบ: `{kind.template}` — นอกจากตัวแปรของทุกเอกสารแล้ว มีตัวแปรต่อไปนี้\n",
                     _table(_rows(model, skip=common)), ""]
    return "\n".join(sections)


def write_reference(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reference_text(), encoding="utf-8")
