"""What each Word template may use: the documents' contexts described as pydantic models.

One description serves three purposes: `templates check` verifies every variable and attribute of a
template against these models (not against one sample context), `templates reference` writes the
administrators' guide from the descriptions and examples, and the contexts themselves are built as these
models (`context.py`, `context_plan.py`, extra fields forbidden), so what is described is what templates get.
"""
from __future__ import annotations

import typing
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field
from pydantic.fields import FieldInfo

from service.analysis.codes import Direction, StatusCode

# A change against the previous year, or "" when there is none.
ChangeCode = Literal[(*get_args(Direction), "")]  # type: ignore[valid-type]


class ContextModel(BaseModel):
    """A part of a template context: nothing more, nothing less than the fields declared."""

    model_config = ConfigDict(extra="forbid")


def F(description: str, example: Any = None) -> Any:
    """A field with its Thai description and an example value (nested models build their own)."""
    return Field(description=description, examples=None if example is None else [example])


class CommonContext(ContextModel):
    """Header and signature values that every document receives."""

    unit: str = F("ชื่อเต็มของหน่วยงาน", "ศูนย์ความร่วมมือระหว่างประเทศ")
    unit_abbr: str = F("ชื่อย่อของหน่วยงาน (ถ้าไม่ได้กรอก ใช้ชื่อเต็ม)", "ศรป.")
    parent: str = F("สังกัด (อาจว่าง)", "กรมตัวอย่าง")
    fiscal_year: int | None = F("ปีงบประมาณ พ.ศ. ของเอกสาร (แผนและรายงานรายไตรมาสใช้ปีงบประมาณของแผน)", 2569)
    round: str = F("รอบการประเมิน (อาจว่าง)", "รอบ 5 เดือนแรก")
    document_date: str = F("วันที่จัดทำเอกสาร แบบไทยเต็ม", "20 พฤศจิกายน 2568")
    preparer: str = F("ชื่อผู้จัดทำ (อาจว่าง)", "นางสาวสมใจ ตั้งใจดี")
    preparer_position: str = F("ตำแหน่งผู้จัดทำ", "นักวิเคราะห์นโยบายและแผนชำนาญการ")
    approver: str = F("ชื่อผู้อนุมัติ (อาจว่าง)", "นายสมชาย มั่นคง")
    approver_position: str = F("ตำแหน่งผู้อนุมัติ", "ผู้อำนวยการ")


class IndicatorRow(ContextModel):
    number: int = F("ลำดับตัวชี้วัด", 1)
    name: str = F("ชื่อตัวชี้วัด", "การปฏิบัติหน้าที่")
    scores: list[str] = F("คะแนนของแต่ละปี เรียงตาม years (\"-\" = ไม่ได้ประเมิน)", ["98.79", "93.33", "100"])
    latest: str = F("คะแนนปีที่วิเคราะห์", "100")
    below_pass: bool = F("ต่ำกว่าเกณฑ์ผ่านหรือไม่", False)
    change: ChangeCode = F(
        "ทิศทางเทียบกับปีก่อน: up เพิ่มขึ้น, down ลดลง, same เท่าเดิม, ว่าง = ไม่มีปีก่อน", "up")


class ToolContext(ContextModel):
    tool: str = F("รหัสเครื่องมือ IIT, EIT หรือ OIT", "IIT")
    title: str = F("ชื่อเต็มของเครื่องมือตามกรอบการประเมิน", "การรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT)")
    table_number: int = F("เลขที่ตารางของเครื่องมือนี้", 1)
    indicator_count: int = F("จำนวนตัวชี้วัดของเครื่องมือ", 5)
    indicator_names: str = F("ชื่อตัวชี้วัดทั้งหมดต่อกันเป็นประโยค", "ตัวชี้วัดการปฏิบัติหน้าที่ และตัวชี้วัดการใช้อำนาจ")
    rows: list[IndicatorRow] = F("แถวของตาราง หนึ่งแถวต่อหนึ่งตัวชี้วัด")
    means: list[str] = F("คะแนนรวม (ค่าเฉลี่ย) ของแต่ละปี เรียงตาม years", ["98.91", "97.58", "99.27"])
    mean: str = F("คะแนนรวมของปีที่วิเคราะห์", "99.27")
    narrative: str = F("ย่อหน้าบรรยายผล (ตัวชี้วัดสูงสุด ต่ำสุด และแนวโน้ม)",
                       "จากตารางที่ 1 พบว่า ตัวชี้วัดที่ได้คะแนนสูงสุดคือ ...")
    has_suggestion_group: bool = F("เครื่องมือนี้มีข้อเสนอแนะของผู้มีส่วนได้ส่วนเสียหรือไม่ (IIT, EIT)", True)
    suggestions: list[str] = F("ข้อเสนอแนะของกลุ่มนี้", ["ควรเผยแพร่ข้อมูลผ่านเว็บไซต์ให้เป็นปัจจุบัน"])
    no_suggestions: str = F("ประโยคแจ้งว่าไม่มีข้อเสนอแนะ (ว่างเมื่อมีข้อเสนอแนะ)", "")


class ToolScore(ContextModel):
    tool: str = F("รหัสเครื่องมือ", "OIT")
    title: str = F("ชื่อเต็มของเครื่องมือ", "การเปิดเผยข้อมูลสาธารณะ (OIT)")
    score: str = F("คะแนนของเครื่องมือในปีที่วิเคราะห์", "83.50")
    weight: str = F("น้ำหนักของเครื่องมือ (ร้อยละ)", "40")


class BelowPass(ContextModel):
    number: int = F("ลำดับตัวชี้วัด", 9)
    name: str = F("ชื่อตัวชี้วัด", "การเปิดเผยข้อมูล")
    score: str = F("คะแนนปีที่วิเคราะห์", "77")


class IndicatorNote(ContextModel):
    number: int = F("ลำดับตัวชี้วัด", 1)
    name: str = F("ชื่อตัวชี้วัด", "การปฏิบัติหน้าที่")
    score: str = F("คะแนนปีที่วิเคราะห์ (ว่างเมื่อตัวชี้วัดนี้ไม่มีคะแนนในปีนั้น)", "100")
    strength: str = F("จุดแข็ง (อาจว่าง)", "เจ้าหน้าที่ปฏิบัติงานตามขั้นตอน")
    weakness: str = F("จุดอ่อนหรือข้อบกพร่อง (อาจว่าง)", "การสื่อสารภายในยังไม่ทั่วถึง")
    improvement: str = F("แนวทางพัฒนา (อาจว่าง)", "จัดทำคู่มือการปฏิบัติงาน")


class Swoc(ContextModel):
    strengths: list[str] = F("จุดแข็ง", ["ผู้บริหารให้ความสำคัญ"])
    weaknesses: list[str] = F("จุดอ่อน", ["การสื่อสารยังไม่มากพอ"])
    opportunities: list[str] = F("โอกาส", ["กรมสนับสนุนหน่วยงาน"])
    challenges: list[str] = F("ท้าทาย (รวมที่กรอกว่า อุปสรรค)", ["การสร้างความเชื่อมั่น"])


class Gap(ContextModel):
    indicator: int = F("ลำดับตัวชี้วัด", 4)
    name: str = F("ชื่อตัวชี้วัด", "การใช้ทรัพย์สินของราชการ")
    code: str = F("รหัสข้อ (อาจว่าง)", "i10")
    issue: str = F("ประเด็นที่ต้องปิด Gap", "การขอยืมทรัพย์สินของหน่วยงาน")
    cause: str = F("การวิเคราะห์สาเหตุ", "การสื่อสารยังไม่ชัดเจน")
    measures: list[str] = F("มาตรการที่ใช้ เลขและชื่อมาตรการ (เลขอย่างเดียวเมื่อแผ่นงานมาตรการไม่มีมาตรการนั้น)",
                            ["5. พัฒนาทักษะการสื่อสารของบุคลากร"])


class Improvement(ContextModel):
    indicator: int = F("ลำดับตัวชี้วัด", 9)
    name: str = F("ชื่อตัวชี้วัด", "การเปิดเผยข้อมูล")
    measures: list[str] = F("มาตรการที่ระบุตัวชี้วัดนี้ในคอลัมน์ตัวชี้วัดที่เกี่ยวข้อง",
                            ["9. มาตรการปรับปรุงการดำเนินงานตามแบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)"])
    analysis: str = F("ผลการวิเคราะห์ตัวชี้วัด (แนวทางพัฒนา หรือจุดอ่อนเมื่อไม่มีแนวทางพัฒนา; อาจว่าง)",
                      "ควรจัดให้มีการตั้งคณะทำงาน ITA")
    activities: list[str] = F("กิจกรรมของมาตรการเหล่านี้ในแผนงาน (รหัสและชื่อ)", ["9.1 จัดทำคำสั่งมอบหมายงาน"])
    steps: list[str] = F("ขั้นตอน/วิธีดำเนินการของกิจกรรมเหล่านี้", ["1. จัดทำคำสั่งมอบหมายงาน"])
    responsible: str = F("ผู้รับผิดชอบกิจกรรมเหล่านี้", "สำนักปลัด")


class AnalysisContext(CommonContext):
    """รายงานการวิเคราะห์ผลการประเมิน ITA (templates/analysis.docx)."""

    year: int = F("ปีที่วิเคราะห์ (ปีล่าสุดในแผ่นงานคะแนน)", 2569)
    years: list[int] = F("ปีทั้งหมดที่มีคะแนน เรียงจากเก่าไปใหม่", [2567, 2568, 2569])
    year_headers: list[str] = F("หัวคอลัมน์ปีของตาราง", ["ปี 2567", "ปี 2568", "ปี 2569"])
    tools: list[ToolContext] = F("ผลรายเครื่องมือ ตามลำดับ IIT, EIT, OIT")
    overall: str = F("คะแนนภาพรวมถ่วงน้ำหนัก (\"-\" เมื่อคะแนนเครื่องมือไม่ครบ)", "93.00")
    level: str = F("ระดับผลการประเมิน (\"-\" เมื่อคำนวณไม่ได้)", "A")
    passed: bool | None = F("ผ่านเกณฑ์หรือไม่ (ว่างเมื่อคำนวณไม่ได้)", True)
    pass_mark: str = F("เกณฑ์ผ่านของปีนั้น", "85")
    overall_sentence: str = F("ประโยคสรุปผลภาพรวม", "ผลการประเมิน ITA ของหน่วยงาน ได้คะแนน 93.00 คะแนน ...")
    tool_scores: list[ToolScore] = F("คะแนนและน้ำหนักรายเครื่องมือ")
    below_pass: list[BelowPass] = F("ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ผ่าน")
    respondents_iit: int | None = F("จำนวนผู้ตอบ IIT (ว่างถ้าไม่ได้กรอก)", 35)
    respondents_eit: int | None = F("จำนวนผู้ตอบ EIT (ว่างถ้าไม่ได้กรอก)", 6)
    indicator_notes: list[IndicatorNote] = F("การวิเคราะห์รายตัวชี้วัด เรียงตามลำดับตัวชี้วัด")
    swoc: Swoc = F("ข้อความ SWOC แยกตามประเภท")
    has_swoc: bool = F("มีข้อมูล SWOC หรือไม่", True)
    gaps: list[Gap] = F("ประเด็นที่ต้องปิด Gap")
    framework_provisional: bool = F("กรอบการประเมินของปีนี้ยังเป็นฉบับชั่วคราวหรือไม่ (จริง = พิมพ์หมายเหตุ)", False)
    tools_below_pass: str = F("ประโยคเมื่อคะแนนทั้งเครื่องมือต่ำกว่าเกณฑ์ผ่าน (ว่างเมื่อไม่มี)",
                              "ผลคะแนนของเครื่องมือ OIT (ร้อยละ 83.50) ต่ำกว่าเกณฑ์ผ่าน (85 คะแนน) ...")
    plan_year: int | None = F("ปีงบประมาณของแผน (ว่างไว้ในแบบฟอร์ม = ปีงบประมาณ)", 2569)
    plan_period: str = F("ระยะเวลาดำเนินการของแผน", "ตุลาคม 2568 – กันยายน 2569")
    improvements: list[Improvement] = F("การนำผลการวิเคราะห์ไปสู่การปรับปรุง: หนึ่งแถวต่อตัวชี้วัดที่มีมาตรการ")
    chart_indicators: Any = F("กราฟคะแนนรายตัวชี้วัดของปีล่าสุดเทียบเกณฑ์ผ่าน (รูปภาพ ใส่ไว้ในย่อหน้าของตัวเอง; "
                              "ว่างเมื่อปิดการสร้างกราฟ)", None)
    chart_tools: Any = F("กราฟคะแนนรายเครื่องมือในแต่ละปี (รูปภาพ ใส่ไว้ในย่อหน้าของตัวเอง; "
                         "ว่างเมื่อปิดการสร้างกราฟ)", None)


class MeasureRow(ContextModel):
    number: int = F("ลำดับมาตรการ", 1)
    strategy: str = F("กลยุทธ์ (\"-\" ถ้าไม่ได้กรอก)", "P : Partnership")
    measure: str = F("ชื่อมาตรการ", "ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย")
    reason: str = F("เหตุผลในการกำหนดมาตรการ", "เพื่อเปิดโอกาสให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วม")
    knowledge: str = F("ประเด็นความรู้ที่ให้แก่ C/SH", "แบบวัดการรับรู้ IIT")
    indicators: str = F("ลำดับตัวชี้วัดที่เกี่ยวข้อง คั่นด้วยจุลภาค (อาจว่าง)", "1, 8")


class PlanActivity(ContextModel):
    code: str = F("รหัสกิจกรรม", "1.1")
    activity: str = F("ชื่อโครงการ/กิจกรรม", "ประชุมหารือผู้เกี่ยวข้อง")
    target: str = F("เป้าหมายเชิงปริมาณตามที่กรอก", "2 ครั้ง")
    quality_target: str = F("เป้าหมายเชิงคุณภาพ", "-")
    responsible: str = F("ผู้รับผิดชอบ", "คณะทำงานขับเคลื่อนชมรมจริยธรรม")
    budget: str = F("งบประมาณ (บาท) มีจุลภาคคั่นหลักพัน (\"-\" ถ้าไม่มี)", "5,000")
    steps: str = F("ขั้นตอน/วิธีดำเนินการ (อาจว่าง)", "")
    periods: list[str] = F("จำนวนครั้งรายงวด เรียงตาม period_headers (\"-\" = ไม่มี)", ["1", "-", "1", "-"])


class PlanGroup(ContextModel):
    number: int = F("ลำดับมาตรการ", 1)
    label: str = F("หัวข้อกลุ่ม (เลขและชื่อมาตรการ)", "1. ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย")
    activities: list[PlanActivity] = F("กิจกรรมของมาตรการนี้ ตามลำดับในแผ่นงาน")


class PlanContext(CommonContext):
    """แผนขับเคลื่อนการดำเนินงาน / มาตรการ (templates/plan.docx)."""

    plan_by_month: bool = F("แผนกรอกเป็นรายเดือน (จริง) หรือรายไตรมาส (เท็จ)", False)
    period_headers: list[str] = F("หัวคอลัมน์งวด (ไตรมาสหรือเดือน)", ["ไตรมาส 1 (ต.ค. – ธ.ค. 68)",
                                                                  "ไตรมาส 2 (ม.ค. – มี.ค. 69)",
                                                                  "ไตรมาส 3 (เม.ย. – มิ.ย. 69)",
                                                                  "ไตรมาส 4 (ก.ค. – ก.ย. 69)"])
    measures: list[MeasureRow] = F("มาตรการ เรียงตามลำดับ")
    groups: list[PlanGroup] = F("กิจกรรมจัดกลุ่มตามมาตรการ")
    activity_count: int = F("จำนวนกิจกรรมทั้งหมด", 12)
    budget_total: str = F("งบประมาณรวม (บาท)", "17,500")


class ResultRow(ContextModel):
    code: str = F("รหัสกิจกรรม", "1.1")
    quarter: int = F("ไตรมาสของผล", 1)
    date: str = F("วันที่ดำเนินการแบบไทยเต็ม (\"-\" ถ้าไม่ได้กรอก)", "15 ตุลาคม 2568")
    achieved: str = F("ผลเชิงปริมาณ", "1")
    details: str = F("รายละเอียดผลการดำเนินงาน", "ประชุมหารือผู้เกี่ยวข้องครั้งที่ 1")
    output: str = F("ผลผลิต", "ผู้เข้าร่วม 20 คน")
    outcome: str = F("ผลลัพธ์", "บุคลากรรับทราบ")
    evidence: str = F("หลักฐาน", "รายงานการประชุม")
    problems: str = F("ปัญหาอุปสรรค/หมายเหตุ", "-")


class MeasureResultRow(ResultRow):
    activity: str = F("ชื่อกิจกรรมของผลนี้", "ประชุมหารือผู้เกี่ยวข้อง")


class ProgressRow(ContextModel):
    code: str = F("รหัสกิจกรรม", "1.1")
    activity: str = F("ชื่อกิจกรรม", "ประชุมหารือผู้เกี่ยวข้อง")
    target: str = F("เป้าหมายเชิงปริมาณ", "2 ครั้ง")
    planned: str = F("แผนสะสมถึงไตรมาสที่รายงาน", "1")
    achieved: str = F("ผลสะสมถึงไตรมาสที่รายงาน", "1")
    status: str = F("สถานะ: ดำเนินการแล้วเสร็จ / เป็นไปตามแผน / ล่าช้ากว่าแผน / ยังไม่ถึงกำหนด", "เป็นไปตามแผน")
    status_code: StatusCode = F("รหัสสถานะ สำหรับเงื่อนไขในแม่แบบ", "on_plan")
    ahead: bool = F("ทำได้เร็วกว่าแผนหรือไม่", False)
    note: str = F("หมายเหตุ (\"เร็วกว่าแผน\" หรือว่าง)", "")
    responsible: str = F("ผู้รับผิดชอบ", "คณะทำงาน")
    results: list[ResultRow] = F("ผลการดำเนินงานของกิจกรรมนี้")


class MeasureProgress(ContextModel):
    number: int = F("ลำดับมาตรการ", 1)
    label: str = F("หัวข้อกลุ่ม (เลขและชื่อมาตรการ)", "1. ส่งเสริมการมีส่วนร่วมของผู้มีส่วนได้ส่วนเสีย")
    activities: list[ProgressRow] = F("ความก้าวหน้ารายกิจกรรม")
    results: list[MeasureResultRow] = F("ผลการดำเนินงานทุกแถวของมาตรการนี้")


class Summary(ContextModel):
    total: int = F("จำนวนกิจกรรมทั้งหมด", 12)
    done: int = F("ดำเนินการแล้วเสร็จ", 4)
    on_plan: int = F("เป็นไปตามแผน", 5)
    behind: int = F("ล่าช้ากว่าแผน", 2)
    not_due: int = F("ยังไม่ถึงกำหนด", 1)
    ahead: int = F("ทำได้เร็วกว่าแผน", 1)
    plan_to_date_pct: str = F("ค่าเฉลี่ยของร้อยละที่แต่ละกิจกรรมทำได้เทียบกับแผนสะสมถึงไตรมาสที่รายงาน "
                              "(\"-\" เมื่อยังไม่มีกิจกรรมถึงกำหนด)", "81.25")
    annual_progress_pct: str = F("ค่าเฉลี่ยของร้อยละที่แต่ละกิจกรรมทำได้เทียบกับเป้าหมายทั้งปีของตนเอง", "47.50")


class Behind(ContextModel):
    code: str = F("รหัสกิจกรรม", "1.4")
    activity: str = F("ชื่อกิจกรรม", "กำหนดเป้าหมายการพัฒนา")
    planned: str = F("แผนสะสม", "5")
    achieved: str = F("ผลสะสม", "3")
    reasons: str = F("ปัญหาอุปสรรคที่กรอกไว้ (หรือ \"ไม่ได้ระบุเหตุผล\")", "อยู่ระหว่างรวบรวมข้อเสนอ")


class QuarterlyContext(CommonContext):
    """รายงานผลการดำเนินงานรายไตรมาส (templates/quarterly.docx)."""

    quarter: int = F("ไตรมาสที่รายงาน", 1)
    quarter_heading: str = F("หัวเรื่องไตรมาสพร้อมช่วงเดือน", "ไตรมาส 1 (ต.ค. – ธ.ค. 68)")
    summary: Summary = F("สรุปจำนวนกิจกรรมตามสถานะ และร้อยละความก้าวหน้า")
    summary_sentence: str = F("ย่อหน้าสรุปผล (ไม่กล่าวถึงสถานะที่ไม่มีกิจกรรม)",
                              "ณ สิ้นไตรมาส 1 (ต.ค. – ธ.ค. 68) ศรป. มีกิจกรรมตามแผนทั้งหมด 26 กิจกรรม โดย...")
    measures: list[MeasureProgress] = F("ความก้าวหน้าจัดกลุ่มตามมาตรการ")
    behind: list[Behind] = F("กิจกรรมที่ล่าช้ากว่าแผน")
    chart_progress: Any = F("กราฟความก้าวหน้า (รูปภาพ ใส่ไว้ในย่อหน้าของตัวเองด้วย {{ chart_progress }}; "
                            "ว่างเมื่อปิดการสร้างกราฟ)", None)


def model_of(annotation: Any) -> type[ContextModel] | None:
    """The context model an annotation holds (directly or inside list/Optional), if any."""
    if isinstance(annotation, type) and issubclass(annotation, ContextModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (list, tuple)


def example_value(info: FieldInfo) -> Any:
    """A field's example; a nested model (or a list of them) is built from its own fields."""
    nested = model_of(info.annotation)
    if nested is not None:
        value = example_context(nested)
        return [value] if is_list(info.annotation) else value
    return info.examples[0] if info.examples else None


def example_context(model: type[ContextModel]) -> dict[str, Any]:
    """A complete context made of the examples: what `templates check` renders a template with."""
    return {name: example_value(info) for name, info in model.model_fields.items()}
