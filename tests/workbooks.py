"""Test workbooks built with openpyxl through the contract's headers, as an officer would fill them.

`WorkbookSpec` holds sheets as lists of dicts keyed by header text; `save()` writes a real .xlsx.
The seed workbooks reproduce the figures of shared/seeds 000 and 002.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl


@dataclass
class WorkbookSpec:
    general: dict[str, Any] = field(default_factory=dict)
    sheets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def save(self, path: Path) -> Path:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "ข้อมูลทั่วไป"
        ws.append(["รายการ", "ข้อมูล"])
        for label, value in self.general.items():
            ws.append([label, value])
        for name, rows in self.sheets.items():
            ws = wb.create_sheet(name)
            headers: list[str] = []
            for row in rows:
                for key in row:
                    if key not in headers:
                        headers.append(key)
            ws.append(headers)
            for row in rows:
                ws.append([row.get(h) for h in headers])
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
        return path


IND_NAMES = {
    1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 3: "การใช้อำนาจ", 4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต", 6: "คุณภาพการดำเนินงาน", 7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงระบบการทำงาน", 9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต",
}
TOOL_OF = {n: "IIT" if n <= 5 else "EIT" if n <= 8 else "OIT" for n in IND_NAMES}


def score_rows(scores: dict[int, dict[int, float]]) -> list[dict[str, Any]]:
    """{indicator: {year: score}} → rows of คะแนนตัวชี้วัด."""
    rows = []
    for number, by_year in scores.items():
        row: dict[str, Any] = {"เครื่องมือ": TOOL_OF[number], "ลำดับ": number, "ตัวชี้วัด": IND_NAMES[number]}
        row.update({f"ปี {y}": v for y, v in by_year.items()})
        rows.append(row)
    return rows


# Seed 000 (ศรป., fiscal 2569): the ITA system's scores carry more decimals than the report prints
# (93.33 is 93.3333…), which is why the seed's IIT 2568 total is 97.58 and not the 97.57 of the
# printed figures.
SEED000_SCORES = {
    1: {2567: 98.7879, 2568: 93.3333, 2569: 100},
    2: {2567: 99.3939, 2568: 99.3939, 2569: 99.3939},
    3: {2567: 100, 2568: 100, 2569: 100},
    4: {2567: 99.3939, 2568: 96.9697, 2569: 96.9697},
    5: {2567: 96.9697, 2568: 98.1818, 2569: 100},
    6: {2567: 96, 2568: 93.3333, 2569: 95.5556},
    7: {2567: 89.3333, 2568: 91.6667, 2569: 92.2222},
    8: {2567: 69.3333, 2568: 88.3333, 2569: 91.1111},
}
SEED000_GENERAL = {
    "หน่วยงาน": "ศูนย์ความร่วมมือระหว่างประเทศ", "ชื่อย่อหน่วยงาน": "ศรป.", "สังกัด": "กรมตัวอย่าง",
    "ปีงบประมาณ": 2569, "รอบการประเมิน": "รอบ 5 เดือนแรก", "ไตรมาสที่รายงาน": 1,
    "ผู้จัดทำ": "นางสาวสมใจ ตั้งใจดี", "ตำแหน่งผู้จัดทำ": "นักวิเคราะห์นโยบายและแผนชำนาญการ",
    "ผู้อนุมัติ": "นายสมชาย มั่นคง", "ตำแหน่งผู้อนุมัติ": "ผู้อำนวยการศูนย์ความร่วมมือระหว่างประเทศ",
    "วันที่จัดทำ": "20 พ.ย. 2568", "จำนวนผู้ตอบ EIT": 6,
}
I10_QUESTION = ("เจ้าหน้าที่ในหน่วยงานของท่านมีการขอยืมหรือขอใช้ทรัพย์สินของหน่วยงานอย่างถูกต้องตามขั้นตอน/"
                "แนวปฏิบัติ มากน้อยเพียงใด")
E7_QUESTION = "หน่วยงานมีการเปิดโอกาสให้บุคคลภายนอกได้เข้าไปมีส่วนร่วมในการปรับปรุงพัฒนาการดำเนินงานของหน่วยงาน"


def seed000_analysis() -> WorkbookSpec:
    return WorkbookSpec(
        general=dict(SEED000_GENERAL),
        sheets={
            "คะแนนตัวชี้วัด": score_rows(SEED000_SCORES) + [
                {"เครื่องมือ": "IIT", "ตัวชี้วัด": "คะแนนรวม", "ปี 2567": 98.91, "ปี 2568": 97.58, "ปี 2569": 99.27},
                {"เครื่องมือ": "EIT", "ตัวชี้วัด": "คะแนนรวม", "ปี 2567": 84.89, "ปี 2568": 91.11, "ปี 2569": 92.96},
            ],
            "ข้อย่อย": [
                {"รหัสข้อ": "i10", "ตัวชี้วัด": 4, "ข้อคำถาม": I10_QUESTION, "คะแนน": 90.91},
                {"รหัสข้อ": "i1", "ตัวชี้วัด": 1, "ข้อคำถาม": "เจ้าหน้าที่ปฏิบัติงานตามมาตรฐาน", "คะแนน": 100},
                {"รหัสข้อ": "e7", "ตัวชี้วัด": 8, "ข้อคำถาม": E7_QUESTION, "คะแนน": 86.67},
                {"รหัสข้อ": "e1", "ตัวชี้วัด": 6, "ข้อคำถาม": "เจ้าหน้าที่ให้บริการตามขั้นตอน", "คะแนน": 95.56},
            ],
            "SWOC": [
                {"ประเภท": "จุดแข็ง", "ข้อความ": "ผู้บริหารให้ความสำคัญและสนับสนุนการดำเนินงานคุณธรรมและความโปร่งใส"},
                {"ประเภท": "จุดอ่อน", "ข้อความ": "การสื่อสารเกี่ยวกับภารกิจด้านต่าง ๆ ยังไม่มากพอ"},
                {"ประเภท": "โอกาส", "ข้อความ": "กรมให้ความสำคัญและสนับสนุนหน่วยงาน"},
                {"ประเภท": "อุปสรรค", "ข้อความ": "การสร้างให้เกิดความมั่นใจต่อการดำเนินงาน"},
            ],
            "ประเด็นที่ต้องปิด Gap": [
                {"ตัวชี้วัด": 4, "รหัสข้อ": "i10", "ประเด็น": "การขอยืมหรือการใช้ทรัพย์สินของหน่วยงาน",
                 "การวิเคราะห์สาเหตุ": "การสื่อสารที่ยังไม่ชัดเจนเพียงพอ", "มาตรการที่ใช้": "5"},
            ],
        },
    )


SEED002_SCORES = {1: {2568: 100}, 2: {2568: 100}, 3: {2568: 99.81}, 4: {2568: 100}, 5: {2568: 100},
                  6: {2568: 98.84}, 7: {2568: 98.84}, 8: {2568: 98.41}, 9: {2568: 77}, 10: {2568: 90}}


def seed002_analysis() -> WorkbookSpec:
    return WorkbookSpec(
        general={"หน่วยงาน": "องค์การบริหารส่วนตำบลคำเนียม", "ชื่อย่อหน่วยงาน": "อบต.คำเนียม",
                 "สังกัด": "อำเภอกันทรารมย์ จังหวัดศรีสะเกษ", "ปีงบประมาณ": 2568, "รอบการประเมิน": "ทั้งปี"},
        sheets={
            "คะแนนตัวชี้วัด": score_rows(SEED002_SCORES),
            "วิเคราะห์รายตัวชี้วัด": [
                {"ตัวชี้วัด": 1, "จุดแข็ง": "เจ้าหน้าที่ปฏิบัติหน้าที่เป็นไปตามขั้นตอนและระยะเวลาที่กำหนดอย่างเคร่งครัด"},
                {"ตัวชี้วัด": 9, "จุดอ่อนหรือข้อบกพร่อง": "การเปิดเผยข้อมูลบนเว็บไซต์ยังไม่ครบถ้วน",
                 "แนวทางพัฒนา": "ตั้งคณะทำงาน ITA เพื่อแบ่งงานผู้รับผิดชอบอย่างเป็นระบบ"},
            ],
        },
    )
