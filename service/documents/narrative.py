"""The Thai sentences officers write by hand under each table (seeds 000 and 002), generated from the
figures so they can never disagree with them."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from service.analysis.scores import Change, IndicatorResult, ToolResult
from service.thai.numbers import format_number, format_score


def join_thai(items: Iterable[str]) -> str:
    """"1", "1 และ 3", "1, 3 และ 5" — the way the seeds list ties."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} และ {items[-1]}"


def pct(value: Decimal | None) -> str:
    return f"ร้อยละ {format_score(value)}"


def indicators_phrase(items: tuple[IndicatorResult, ...]) -> str:
    """ตัวชี้วัดที่ 4 การใช้ทรัพย์สินของราชการ (ร้อยละ 96.97); ties without names: ตัวชี้วัดที่ 1, 3 และ 5 (ร้อยละ 100)."""
    if not items:
        return ""
    score = pct(items[0].latest)
    if len(items) == 1:
        return f"ตัวชี้วัดที่ {items[0].number} {items[0].name} ({score})"
    return f"ตัวชี้วัดที่ {join_thai(str(i.number) for i in items)} ({score})"


def change_phrase(changes: tuple[Change, ...]) -> str:
    """มากกว่าปี 2567 และปี 2568 / น้อยกว่าปี 2568 (ร้อยละ 97.58) แต่มากกว่าปี 2567 (ร้อยละ 96.10)."""
    words = {"up": "มากกว่า", "down": "น้อยกว่า", "same": "เท่ากับ"}
    parts = []
    for direction, word in words.items():
        years = sorted((c for c in changes if c.direction == direction), key=lambda c: c.year)
        if years:
            parts.append(word + join_thai(f"ปี {c.year} ({pct(c.previous)})" for c in years))
    return " แต่".join(parts)


def tool_sentence(result: ToolResult, year: int, table_number: int) -> str:
    """The paragraph under a tool's table: level against earlier years, highest, lowest, lowest sub-item."""
    text = f"จากตารางที่ {table_number} พบว่า ผลคะแนนการประเมิน {result.tool} ประจำปี {year} ({pct(result.latest)})"
    comparison = change_phrase(result.changes)
    if comparison:
        text += f" {comparison}"
    if result.highest and result.lowest and result.highest[0].latest != result.lowest[0].latest:
        text += (f" โดยตัวชี้วัดที่ได้คะแนนสูงสุด คือ {indicators_phrase(result.highest)}"
                 f" ขณะที่คะแนนต่ำสุด คือ {indicators_phrase(result.lowest)}")
    elif result.highest:
        text += f" โดยทุกตัวชี้วัดได้คะแนนเท่ากัน ({pct(result.highest[0].latest)})"
    if result.lowest_subitems:
        low = result.lowest_subitems
        questions = join_thai(f"“{s.code} {s.question}”" for s in low)
        text += f" ข้อย่อยที่ได้คะแนนน้อยที่สุด ({pct(low[0].score)}) คือ {questions}"
    return text


def overall_sentence(unit: str, year: int, overall: Decimal | None, level: str | None,
                     passed: bool | None, pass_mark: Decimal) -> str:
    if overall is None:
        return (f"ยังคำนวณคะแนนภาพรวมของ{unit} ประจำปีงบประมาณ พ.ศ. {year} ไม่ได้ "
                "เนื่องจากยังไม่มีคะแนนของเครื่องมือประเมินครบทุกเครื่องมือ")
    verdict = "ผ่านเกณฑ์" if passed else "ไม่ผ่านเกณฑ์"
    return (f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ ประจำปีงบประมาณ พ.ศ. {year} "
            f"ของ{unit} ได้คะแนนภาพรวม {format_number(overall)} คะแนน อยู่ในระดับ {level} "
            f"ซึ่ง{verdict}ที่กำหนดไว้ ({format_score(pass_mark)} คะแนนขึ้นไป)")


def no_suggestions_sentence(group: str, unit: str) -> str:
    who = "ผู้มีส่วนได้ส่วนเสียภายใน" if group == "ภายใน" else "ผู้มีส่วนได้ส่วนเสียภายนอกหรือผู้รับบริการ"
    return f"ไม่มีประเด็นข้อเสนอแนะของ{who}ของ {unit}"
