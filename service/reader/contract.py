"""The standard workbook contract (shared/spec/workbook.md) as data.

One source of truth: the reader finds sheets and columns through these definitions, and the blank
workbook is generated from them, so the two can never drift apart.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import Enum
from typing import get_args

from service.reader.model import Group, SwocType, Tool
from service.thai.text import normalise_header


class Kind(str, Enum):
    """How a column's cells are interpreted."""

    TEXT = "text"
    NUMBER = "number"        # any number form the contract allows
    INTEGER = "integer"
    DATE = "date"
    CHOICE = "choice"        # one of Column.choices
    COUNT = "count"          # period counts: number, "-" or blank = 0
    TARGET = "target"        # number or text such as "2 ครั้ง"
    NUMBER_LIST = "number_list"  # "3, 5"


@dataclass(frozen=True)
class Column:
    key: str                 # field name in the model
    header: str              # header text in row 1
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    hint: str = ""           # input hint shown in the blank workbook
    example: str | float | int | None = None
    width: int = 18
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    key: str
    name: str
    columns: tuple[Column, ...]
    purpose: str
    # Columns matched by pattern rather than fixed text (score years, periods).
    dynamic: str | None = None
    example_rows: tuple[tuple, ...] = field(default=())

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# Choice lists are stated once, as the Literals that type the model's fields; the form's lists follow.
TOOLS: tuple[str, ...] = get_args(Tool)
QUARTER_HEADERS = tuple(f"ไตรมาส {q}" for q in range(1, 5))
SWOC_TYPES: tuple[str, ...] = get_args(SwocType)
SWOC_ALIASES = {"อุปสรรค": "ท้าทาย"}
GROUPS: tuple[str, ...] = get_args(Group)
YES_NO = ("ใช่", "ไม่ใช่")
# The blank workbook's instructions sheet: part of the form, so the reader skips it without a warning.
INSTRUCTIONS = "คำแนะนำ"

# Rows of ข้อมูลทั่วไป: label → (field key, kind, required).
GENERAL_ITEMS: tuple[Column, ...] = (
    Column("unit", "หน่วยงาน", required=True, hint="ชื่อเต็มของหน่วยงาน", example="ศูนย์ความร่วมมือระหว่างประเทศ"),
    Column("abbreviation", "ชื่อย่อหน่วยงาน", hint="เช่น ศรป.", example="ศรป."),
    Column("parent", "สังกัด", example="กรมตัวอย่าง"),
    Column("fiscal_year", "ปีงบประมาณ", Kind.INTEGER, required=True, hint="พ.ศ. เช่น 2569", example=2569),
    Column("plan_year", "ปีงบประมาณของแผน", Kind.INTEGER,
           hint="พ.ศ. ของแผนงานและรายงานรายไตรมาส เช่น 2570 (ว่างไว้ = ปีงบประมาณ)"),
    Column("round", "รอบการประเมิน", hint='เช่น "รอบ 5 เดือนแรก", "ทั้งปี"', example="ทั้งปี"),
    Column("quarter", "ไตรมาสที่รายงาน", Kind.INTEGER, choices=("1", "2", "3", "4"),
           hint="1–4 ต้องระบุเมื่อต้องการรายงานผลรายไตรมาส", example=1),
    Column("preparer", "ผู้จัดทำ", example="นางสาวตัวอย่าง ใจดี"),
    Column("preparer_position", "ตำแหน่งผู้จัดทำ", example="นักวิเคราะห์นโยบายและแผน"),
    Column("approver", "ผู้อนุมัติ", example="นายตัวอย่าง มั่นคง"),
    Column("approver_position", "ตำแหน่งผู้อนุมัติ", example="ผู้อำนวยการ"),
    Column("document_date", "วันที่จัดทำ", Kind.DATE, hint='เช่น 20 พ.ย. 2568 (ว่างไว้ = วันที่สร้างเอกสาร)'),
    Column("respondents_iit", "จำนวนผู้ตอบ IIT", Kind.INTEGER),
    Column("respondents_eit", "จำนวนผู้ตอบ EIT", Kind.INTEGER),
    Column("thai_digits", "ใช้เลขไทย", Kind.CHOICE, choices=YES_NO, hint="ใช่ = พิมพ์ตัวเลขเป็นเลขไทย"),
)

GENERAL = Sheet(
    "general", "ข้อมูลทั่วไป",
    (Column("label", "รายการ", width=26), Column("value", "ข้อมูล", width=48)),
    "ข้อมูลหน่วยงานและผู้จัดทำ หนึ่งรายการต่อหนึ่งแถว",
)

SCORES = Sheet(
    "scores", "คะแนนตัวชี้วัด",
    (
        Column("tool", "เครื่องมือ", Kind.CHOICE, required=True, choices=TOOLS, example="IIT", width=12),
        Column("number", "ลำดับ", Kind.INTEGER, required=True, example=1, width=8),
        Column("name", "ตัวชี้วัด", required=True, example="การปฏิบัติหน้าที่", width=36),
    ),
    "คะแนนรายตัวชี้วัด หนึ่งคอลัมน์ต่อปี (ปี 2567, ปี 2568 …) ปีล่าสุดคือปีที่วิเคราะห์"
    " แถวที่ตัวชี้วัดเป็น \"คะแนนรวม\" คือคะแนนรวมที่หน่วยงานคำนวณเอง",
    dynamic="years",
)

SUBITEMS = Sheet(
    "subitems", "ข้อย่อย",
    (
        Column("code", "รหัสข้อ", required=True, example="i13", width=10),
        Column("indicator", "ตัวชี้วัด", Kind.INTEGER, required=True, example=4, width=10),
        Column("question", "ข้อคำถาม", required=True, width=60,
               example="หน่วยงานของท่านมีแนวทางการใช้ทรัพย์สินของราชการให้บุคลากรทราบอย่างชัดเจนหรือไม่"),
        Column("score", "คะแนน", Kind.NUMBER, required=True, example=90.91, width=10),
    ),
    "คะแนนข้อย่อยของปีที่วิเคราะห์",
)

SUGGESTIONS = Sheet(
    "suggestions", "ข้อเสนอแนะ",
    (
        Column("group", "กลุ่ม", Kind.CHOICE, required=True, choices=GROUPS, example="ภายใน", width=12),
        Column("text", "ข้อเสนอแนะ", required=True, example="ควรเผยแพร่ข้อมูลผ่านเว็บไซต์ให้เป็นปัจจุบัน", width=80),
    ),
    "ข้อเสนอแนะของผู้มีส่วนได้ส่วนเสีย (กลุ่มที่ไม่มีข้อเสนอแนะ เอกสารจะเขียนว่าไม่มี)",
)

INDICATOR_ANALYSIS = Sheet(
    "indicator_analysis", "วิเคราะห์รายตัวชี้วัด",
    (
        Column("indicator", "ตัวชี้วัด", Kind.INTEGER, required=True, example=1, width=10),
        Column("strength", "จุดแข็ง", width=45, example="เจ้าหน้าที่ปฏิบัติงานตามขั้นตอนและระยะเวลาที่กำหนด"),
        Column("weakness", "จุดอ่อนหรือข้อบกพร่อง", width=45, example="การสื่อสารภายในยังไม่ทั่วถึง"),
        Column("improvement", "แนวทางพัฒนา", width=45, example="จัดทำคู่มือการปฏิบัติงานและเผยแพร่"),
    ),
    "จุดแข็ง จุดอ่อน และแนวทางพัฒนา รายตัวชี้วัด",
)

SWOC = Sheet(
    "swoc", "SWOC",
    (
        Column("type", "ประเภท", Kind.CHOICE, required=True, choices=SWOC_TYPES, example="จุดแข็ง", width=14),
        Column("text", "ข้อความ", required=True, example="ผู้บริหารให้ความสำคัญและสนับสนุนการดำเนินงาน", width=80),
    ),
    "การวิเคราะห์ SWOC หนึ่งข้อความต่อหนึ่งแถว (อุปสรรค ถือเป็น ท้าทาย)",
)

GAPS = Sheet(
    "gaps", "ประเด็นที่ต้องปิด Gap",
    (
        Column("indicator", "ตัวชี้วัด", Kind.INTEGER, required=True, example=4, width=10),
        Column("code", "รหัสข้อ", example="i10", width=10),
        Column("issue", "ประเด็น", required=True, width=45,
               example="การขอยืมหรือการใช้ทรัพย์สินของหน่วยงานให้ถูกต้องตามขั้นตอน"),
        Column("cause", "การวิเคราะห์สาเหตุ", width=45, example="การสื่อสารยังไม่ชัดเจนเพียงพอ"),
        Column("measures", "มาตรการที่ใช้", Kind.NUMBER_LIST, example="5", width=14),
    ),
    "ประเด็นที่ต้องปิด Gap และมาตรการที่ใช้ (เลขมาตรการ เช่น 3, 5)",
)

MEASURES = Sheet(
    "measures", "มาตรการ",
    (
        Column("number", "ลำดับ", Kind.INTEGER, required=True, example=1, width=8),
        Column("strategy", "กลยุทธ์", example="P : Partnership", width=18),
        Column("measure", "มาตรการ", required=True, width=45,
               example="ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย"),
        Column("reason", "เหตุผลในการกำหนดมาตรการ", width=45, example="เพื่อเปิดโอกาสให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วม"),
        Column("knowledge", "ประเด็นความรู้ที่ให้แก่ C/SH", width=40, example="แบบวัดการรับรู้ IIT"),
        Column("indicators", "ตัวชี้วัดที่เกี่ยวข้อง", Kind.NUMBER_LIST, example="1, 8", width=14),
    ),
    "มาตรการ หนึ่งมาตรการต่อหนึ่งแถว",
)

PLAN = Sheet(
    "plan", "แผนงาน",
    (
        Column("measure", "มาตรการที่", Kind.INTEGER, required=True, example=1, width=10),
        Column("code", "รหัสกิจกรรม", required=True, example="1.1", width=10),
        Column("activity", "โครงการ/กิจกรรม", required=True, width=45,
               example="ประชุมหารือผู้เกี่ยวข้องเพื่อทบทวนสถานการณ์การดำเนินงาน"),
        Column("target", "เป้าหมายเชิงปริมาณ", Kind.TARGET, example="2 ครั้ง", width=14),
        Column("unit", "หน่วยนับ", example="ครั้ง", width=10),
        Column("quality_target", "เป้าหมายเชิงคุณภาพ", width=25, example="-"),
        Column("responsible", "ผู้รับผิดชอบ", width=25, example="คณะทำงานขับเคลื่อนชมรมจริยธรรม"),
        Column("budget", "งบประมาณ (บาท)", Kind.NUMBER, example=0, width=14),
        Column("steps", "ขั้นตอน/วิธีดำเนินการ", width=35, example="-"),
    ),
    "แผนงาน หนึ่งกิจกรรมต่อหนึ่งแถว ระบุจำนวนครั้งรายไตรมาส (ไตรมาส 1–4) หรือรายเดือน (ต.ค.–ก.ย.)",
    dynamic="periods",
)

RESULTS = Sheet(
    "results", "ผลการดำเนินงาน",
    (
        Column("code", "รหัสกิจกรรม", required=True, example="1.1", width=10),
        Column("quarter", "ไตรมาส", Kind.INTEGER, required=True, choices=("1", "2", "3", "4"), example=1, width=8),
        Column("achieved", "ผลเชิงปริมาณ", Kind.NUMBER, example=1, width=12),
        Column("date", "วันที่ดำเนินการ", Kind.DATE, example="20 พ.ย. 2568", width=16),
        Column("details", "รายละเอียดผลการดำเนินงาน", width=45, example="จัดประชุมภายในเพื่อชี้แจงผลการประเมิน"),
        Column("output", "ผลผลิต", width=25, example="ผู้เข้าร่วมประชุม 20 คน"),
        Column("outcome", "ผลลัพธ์", width=25, example="บุคลากรเข้าใจมาตรการ"),
        Column("evidence", "หลักฐาน", width=25, example="รายงานการประชุม"),
        Column("problems", "ปัญหาอุปสรรค/หมายเหตุ", width=25, example="-"),
    ),
    "ผลการดำเนินงาน หนึ่งแถวต่อหนึ่งกิจกรรมต่อหนึ่งไตรมาส",
)

SHEETS: tuple[Sheet, ...] = (
    GENERAL, SCORES, SUBITEMS, SUGGESTIONS, INDICATOR_ANALYSIS, SWOC, GAPS, MEASURES, PLAN, RESULTS,
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}


def meant_sheet(title: str, present: set[str] = frozenset()) -> Sheet | None:
    """The contract sheet an unknown sheet `title` was most likely meant to be ("แผนงาน 2569", "ผลการดำเนินงาน
    (แก้ไข)"): one whose name it contains or nearly spells, and that the workbook does not have by name
    (`present`: the workbook's sheet names, normalised). Sheets are found by name, so it is only named."""
    folded = normalise_header(title)
    scored = [(SequenceMatcher(None, folded, normalise_header(s.name)).ratio(), s) for s in SHEETS
              if normalise_header(s.name) not in present]
    scored = [(1.0 if normalise_header(s.name) in folded else ratio, s) for ratio, s in scored]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= 0.75 else None

TOTAL_LABEL = "คะแนนรวม"
