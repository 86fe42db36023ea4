"""Generate the shipped Word templates in templates/ (run: python tools/build_templates.py).

The .docx files are what administrators edit afterwards; this script is how the first version was made
and how it is remade when the typography in docxkit.py changes. Each Jinja tag is written as one run so
that no tag is ever split.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docxkit import borderless, keep_with_next, new_document, para, table  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


DOTS = "........................................"
SIGNERS = (("preparer", "ผู้จัดทำ", "document_date"), ("approver", "ผู้อนุมัติ", None))


def signature_block(doc, after=None) -> None:
    """Preparer and approver side by side in the official style (ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงาน
    สารบรรณ): "(ลงชื่อ) …… ผู้จัดทำ", the full name in brackets (a dotted line to fill in when only the
    position is known), "ตำแหน่ง …" and "วันที่ …". Both blocks are always printed, so a document with no
    approver named still has a place to sign. One unsplittable row, kept with `after` (the last table
    or paragraph of the content, which then keeps with the block): never alone on a page."""
    spacer = para(doc)
    grid = table(doc, [["", ""]], header_rows=0, widths_cm=[8, 8])
    borderless(grid)
    for cell, (who, label, when) in zip(grid.rows[0].cells, SIGNERS):
        lines = [f"(ลงชื่อ) {DOTS} {label}", f"( {{{{ {who} or '{DOTS}' }}}} )",
                 f"ตำแหน่ง {{{{ {who}_position or '{DOTS}' }}}}",
                 f"วันที่ {{{{ {when} }}}}" if when else f"วันที่ {DOTS}"]
        cell.paragraphs[0].add_run(lines[0])
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        for line in lines[1:]:
            para(cell, line, align="center")
    keep_with_next(*(x for x in (after, spacer) if x is not None))


def chart(doc, key: str, caption: str) -> None:
    """A chart image in a centred paragraph of its own with its caption, or nothing when charts are off."""
    chart_paragraph(doc, key, caption)


def chart_paragraph(doc, key: str, caption: str = "") -> None:
    """The chart in a centred paragraph of its own, 6 pt below what precedes it (a table's bottom
    border stays clear of the picture), kept with its caption."""
    para(doc, f"{{%p if {key} %}}")
    picture = para(doc, f"{{{{ {key} }}}}", align="center")
    picture.paragraph_format.space_before = Pt(6)
    if caption:
        keep_with_next(picture)
        para(doc, caption, bold=True, align="center")
    para(doc, "{%p endif %}")


def save(doc, name: str) -> None:
    """Write beside, then rename: a running service never reads a half-written template."""
    tmp = TEMPLATES / f".{name}.tmp"
    doc.save(tmp)
    os.replace(tmp, TEMPLATES / name)


def title_block(doc, title: str, *lines: str, optional: tuple[str, ...] = ("parent",)) -> None:
    """The centred title, its bold lines, then each optional context value on a line of its own."""
    para(doc, title, bold=True, align="center", style="Title")
    for line in lines:
        para(doc, line, bold=True, align="center")
    for key in optional:
        para(doc, f"{{%p if {key} %}}")
        para(doc, f"{{{{ {key} }}}}", align="center")
        para(doc, "{%p endif %}")


def analysis_template() -> None:
    doc = new_document()
    title_block(doc, "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
                "(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}",
                "{{ unit }}")
    para(doc, "{%p if round %}")
    para(doc, "รอบการประเมิน {{ round }}", align="center")
    para(doc, "{%p endif %}")

    para(doc, "1. ผลการประเมินภาพรวม", style="Heading 1")
    para(doc, "{{ overall_sentence }}", indent_first=True, align="justify")
    para(doc, "{%p if tools_below_pass %}")
    para(doc, "{{ tools_below_pass }}", indent_first=True, align="justify")
    para(doc, "{%p endif %}")
    table(doc, [["เครื่องมือการประเมิน", "น้ำหนัก (ร้อยละ)", "คะแนน"],
                ["{%tr for t in tool_scores %}", "", ""],
                ["{{ t.title }}", "{{ t.weight }}", "{{ t.score }}"],
                ["{%tr endfor %}", "", ""],
                ["คะแนนภาพรวม{{ ' (ระดับ ' ~ level ~ ')' if passed is not none else '' }}", "100", "{{ overall }}"]],
          widths_cm=[10, 3, 3], bold_rows=(4,), center_cols=(1, 2))
    para(doc, "{%p if framework_provisional %}")
    para(doc, "หมายเหตุ: กรอบการประเมิน ITA ประจำปี {{ year }} ที่ใช้คำนวณเป็นฉบับชั่วคราว คะแนนภาพรวมและระดับ"
              "อาจเปลี่ยนแปลงเมื่อมีการประกาศกรอบการประเมินฉบับจริง", indent_first=True, align="justify")
    para(doc, "{%p endif %}")
    para(doc, "{%p if below_pass %}")
    para(doc, "ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ผ่าน ({{ pass_mark }} คะแนน) ได้แก่", indent_first=True)
    para(doc, "{%p for b in below_pass %}")
    para(doc, "- ตัวชี้วัดที่ {{ b.number }} {{ b.name }} (ร้อยละ {{ b.score }})", indent_first=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    chart(doc, "chart_tools", "แผนภูมิที่ 1 คะแนนรายเครื่องมือ ปี {{ years[0] }}{{ ' - ' ~ years[-1] if years | length > 1 }}"
                              " เทียบกับเกณฑ์ผ่าน")
    chart(doc, "chart_indicators", "แผนภูมิที่ {{ 2 if chart_tools else 1 }} คะแนนรายตัวชี้วัด ปี {{ year }} "
                                   "เทียบกับเกณฑ์ผ่าน ({{ pass_mark }} คะแนน)")

    para(doc, "2. ผลการประเมินรายเครื่องมือ", style="Heading 1")
    para(doc, "{%p for tool in tools %}")
    para(doc, "2.{{ loop.index }} {{ tool.title }}", style="Heading 2")
    para(doc, "ผลการประเมิน {{ tool.tool }} ของ{{ unit }} ประจำปี {{ year }} ใช้แบบวัด {{ tool.indicator_count }} "
              "ตัวชี้วัด ได้แก่ {{ tool.indicator_names }} ดังตารางที่ {{ tool.table_number }}",
         indent_first=True, align="justify")
    keep_with_next(para(doc, "ตารางที่ {{ tool.table_number }} ผลการประเมิน {{ tool.tool }} ของ {{ unit_abbr }} "
              "ประจำปี {{ years | join(' - ') if years | length < 3 else years[0] ~ ' - ' ~ years[-1] }}",
         bold=True, align="center"))
    table(doc, [["ตัวชี้วัด", "{%tc for h in year_headers %}", "{{ h }} (ร้อยละ)", "{%tc endfor %}"],
                ["{%tr for row in tool.rows %}", "", "", ""],
                ["{{ row.number }}. {{ row.name }}", "{%tc for s in row.scores %}", "{{ s }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", ""],
                ["คะแนนรวม", "{%tc for m in tool.means %}", "{{ m }}", "{%tc endfor %}"]],
          # docxtpl keeps a 4-column grid for three years and rescales it for one, two or more years
          widths_cm=[7, 3, 3, 3], bold_rows=(4,), center_cols=(1, 2, 3))
    para(doc, "{{ tool.narrative }}", indent_first=True, align="justify")
    para(doc, "{%p if tool.has_suggestion_group %}")
    keep_with_next(para(doc, "ข้อเสนอแนะของผู้มีส่วนได้ส่วนเสีย{{ 'ภายใน' if tool.tool == 'IIT' else 'ภายนอก' }}", bold=True))
    para(doc, "{%p for s in tool.suggestions %}")
    para(doc, "{{ loop.index }}. {{ s }}", indent_first=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p if tool.no_suggestions %}")
    para(doc, "{{ tool.no_suggestions }}", indent_first=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")

    para(doc, "{%p if respondents_iit or respondents_eit %}")
    para(doc, "จำนวนผู้ตอบแบบประเมิน", style="Heading 2")
    para(doc, "{%p if respondents_iit %}")
    para(doc, "ผู้มีส่วนได้ส่วนเสียภายในของ {{ unit_abbr }} ประจำปี {{ year }} ที่ตอบแบบประเมิน IIT "
              "จำนวน {{ respondents_iit }} ราย", indent_first=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p if respondents_eit %}")
    para(doc, "ผู้มีส่วนได้ส่วนเสียภายนอกของ {{ unit_abbr }} ประจำปี {{ year }} ที่ตอบแบบประเมิน EIT "
              "จำนวน {{ respondents_eit }} ราย", indent_first=True)
    para(doc, "{%p endif %}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if indicator_notes %}")
    para(doc, "3. การวิเคราะห์รายตัวชี้วัด", style="Heading 1")
    para(doc, "{%p for n in indicator_notes %}")
    keep_with_next(para(doc, "({{ loop.index }}) ตัวชี้วัดที่ {{ n.number }} {{ n.name }}"
                        "{{ ' โดยรวมได้คะแนนเท่ากับ ' ~ n.score if n.score else '' }}", bold=True))
    para(doc, "{%p if n.strength %}")
    para(doc, "จุดแข็ง: {{ n.strength }}", indent_first=True, align="justify")
    para(doc, "{%p endif %}")
    para(doc, "{%p if n.weakness %}")
    para(doc, "จุดอ่อนหรือข้อบกพร่องที่ต้องพัฒนา: {{ n.weakness }}", indent_first=True, align="justify")
    para(doc, "{%p endif %}")
    para(doc, "{%p if n.improvement %}")
    para(doc, "แนวทางพัฒนา: {{ n.improvement }}", indent_first=True, align="justify")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if has_swoc %}")
    para(doc, "การวิเคราะห์ผลการประเมินด้วย SWOC Analysis", style="Heading 1")
    para(doc, "จากผลการประเมินของ {{ unit_abbr }} ประจำปี {{ year }} สามารถวิเคราะห์โดยใช้ SWOC Analysis "
              "เพื่อกำหนดมาตรการและแผนการขับเคลื่อนในการปิด Gap ดังนี้", indent_first=True, align="justify")
    swoc = table(doc, [["จุดแข็ง (Strengths)", "จุดอ่อน (Weaknesses)", "โอกาส (Opportunities)",
                        "ท้าทาย (Challenges)"], ["", "", "", ""]], widths_cm=[4, 4, 4, 4])
    for cell, key in zip(swoc.rows[1].cells, ("strengths", "weaknesses", "opportunities", "challenges")):
        cell.paragraphs[0].add_run(f"{{%p for s in swoc.{key} %}}")
        para(cell, "{{ loop.index }}. {{ s }}")
        para(cell, "{%p endfor %}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if gaps %}")
    para(doc, "ประเด็นที่ต้องปิด Gap", style="Heading 1")
    table(doc, [["ตัวชี้วัด", "ข้อ", "ประเด็น", "การวิเคราะห์สาเหตุ", "มาตรการที่ใช้"],
                ["{%tr for g in gaps %}", "", "", "", ""],
                ["{{ g.indicator }} {{ g.name }}", "{{ g.code }}", "{{ g.issue }}", "{{ g.cause }}",
                 "{{ g.measures | join('\\n') }}"],
                ["{%tr endfor %}", "", "", "", ""]], widths_cm=[2.8, 1.3, 4.4, 4, 3.5])
    para(doc, "{%p endif %}")

    para(doc, "{%p if improvements %}")
    para(doc, "{{ 4 if indicator_notes else 3 }}. การนำผลการวิเคราะห์ไปสู่การปรับปรุง หรือพัฒนาองค์กร หรือรักษาระดับ",
         style="Heading 1")
    para(doc, "รายละเอียดแนวทาง/มาตรการเพื่อขับเคลื่อนส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
              "ประจำปีงบประมาณ พ.ศ. {{ plan_year }}", indent_first=True, align="justify")
    improvements = table(doc, [["ตัวชี้วัด", "มาตรการ/โครงการ/กิจกรรม", "ผลการวิเคราะห์ตัวชี้วัด", "ขั้นตอน/วิธีดำเนินการ",
                 "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ"],
                ["{%tr for r in improvements %}", "", "", "", "", ""],
                ["{{ r.indicator }}. {{ r.name }}", "{{ (r.measures + r.activities) | join('\\n') }}",
                 "{{ r.analysis }}", "{{ r.steps | join('\\n') }}", "{{ r.responsible }}", "{{ plan_period }}"],
                ["{%tr endfor %}", "", "", "", "", ""]], widths_cm=[2.6, 3.6, 3.1, 3.1, 2.4, 2.2])
    para(doc, "{%p endif %}")

    keep_with_next(swoc)
    signature_block(doc, after=improvements)
    save(doc, "analysis.docx")


def _narrow_cell_margins(tbl, twips: int = 28) -> None:
    """Small left/right cell margins so that twelve month columns fit a landscape page."""
    mar = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        el = OxmlElement(side)
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl._tbl.tblPr.append(mar)


def _plan_table(doc, periods: int, widths_cm: list[float]):
    """One table per measure, one column per period. The measure's label is a header row of its own
    under the column headers: both repeat on every page the measure continues on, so a continuation
    page says which measure it is. The budget total is a paragraph after the tables, returned: LibreOffice
    keeps a paragraph (not a table) with the signature block that follows it."""
    head = ["โครงการ/กิจกรรม", "เป้าหมายเชิงปริมาณ", "เป้าหมายเชิงคุณภาพ", "ผู้รับผิดชอบ",
            "งบประมาณ (บาท)"] + [f"{{{{ period_headers[{i}] }}}}" for i in range(periods)]
    blank = [""] * (len(head) - 1)
    row = ["{{ a.code }} {{ a.activity }}{{ ('\\nขั้นตอน/วิธีดำเนินการ: ' ~ a.steps) if a.steps else '' }}",
           "{{ a.target }}", "{{ a.quality_target }}", "{{ a.responsible }}",
           "{{ a.budget }}"] + [f"{{{{ a.periods[{i}] }}}}" for i in range(periods)]
    para(doc, "{%p for g in groups %}")
    tbl = table(doc, [head, ["{{ g.label }}"] + blank, ["{%tr for a in g.activities %}"] + blank, row,
                      ["{%tr endfor %}"] + blank], header_rows=2, widths_cm=widths_cm,
                center_cols=tuple(range(5, 5 + periods)))
    _span_row(tbl, 1)
    para(doc)                                   # keeps two measures' tables apart (adjacent tables merge)
    para(doc, "{%p endfor %}")
    total = para(doc, "รวมงบประมาณทั้งสิ้น {{ budget_total }}{{ ' บาท' if budget_total != '-' else '' }}",
                 bold=True, align="right")
    if periods == 12:
        _narrow_cell_margins(tbl)
        for r in (0, 3):  # header and activity rows: month columns in 14 pt, so "พ.ย." never breaks
            for cell in tbl.rows[r].cells[5:]:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(14)
                    size_cs = OxmlElement("w:szCs")
                    size_cs.set(qn("w:val"), "28")
                    run._r.rPr.find(qn("w:sz")).addnext(size_cs)   # schema order: sz, then szCs
    return total


def _span_row(tbl, r: int, cells: int | None = None) -> None:
    """Merge the first `cells` cells of row `r` (all by default) into one, left-aligned."""
    row = tbl.rows[r].cells
    merged = row[0].merge(row[(cells or len(row)) - 1])
    for extra in merged.paragraphs[1:]:      # merging keeps each cell's empty paragraph
        extra._p.getparent().remove(extra._p)
    merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT


def plan_template() -> None:
    doc = new_document(landscape=True)
    title_block(doc, "แผนขับเคลื่อนการดำเนินงานคุณธรรมและความโปร่งใสของหน่วยงาน "
                     "(Integrity and Transparency Assessment : ITA)",
                "ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}", "หน่วยงาน {{ unit }}")

    para(doc, "{%p if measures %}")
    para(doc, "1. มาตรการ กลไก สำหรับขับเคลื่อนการดำเนินงานคุณธรรมและความโปร่งใสของหน่วยงาน", style="Heading 1")
    table(doc, [["กลยุทธ์", "มาตรการ", "เหตุผลในการกำหนดมาตรการ", "ประเด็นความรู้ที่ให้แก่ C/SH",
                 "ตัวชี้วัดที่เกี่ยวข้อง"],
                ["{%tr for m in measures %}", "", "", "", ""],
                ["{{ m.strategy }}", "{{ m.number }}. {{ m.measure }}", "{{ m.reason }}",
                 "{{ m.knowledge }}", "{{ m.indicators or '-' }}"],
                ["{%tr endfor %}", "", "", "", ""]], widths_cm=[3.2, 6, 6.5, 6, 3])
    para(doc, "{%p endif %}")

    para(doc, "{{ '2.' if measures else '1.' }} แผนการดำเนินงาน ({{ activity_count }} กิจกรรม)", style="Heading 1")
    para(doc, "{%p if plan_by_month %}")
    by_month = _plan_table(doc, 12, [5.6, 1.7, 1.7, 2.9, 2.0] + [0.9] * 12)   # "งบประมาณ" fits its column
    para(doc, "{%p else %}")
    total = _plan_table(doc, 4, [5.4, 2.6, 2.6, 3.6, 2.5] + [2.0] * 4)   # targets hold "งบประมาณ"
    para(doc, "{%p endif %}")

    keep_with_next(by_month)
    signature_block(doc, after=total)
    save(doc, "plan.docx")


def quarterly_template() -> None:
    doc = new_document(landscape=True)
    title_block(doc, "รายงานผลการดำเนินงานตามแผนขับเคลื่อนการดำเนินงานคุณธรรมและความโปร่งใสของหน่วยงาน",
                "{{ quarter_heading }} ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}", "หน่วยงาน {{ unit }}",
                optional=())

    para(doc, "1. สรุปผลการดำเนินงาน", style="Heading 1")
    para(doc, "{{ summary_sentence }}", indent_first=True, align="justify")
    table(doc, [["รายการ", "ผลการดำเนินงาน"],
                ["ดำเนินการแล้วเสร็จ (กิจกรรม)", "{{ summary.done }}"],
                ["เป็นไปตามแผน (กิจกรรม)", "{{ summary.on_plan }}"],
                ["ล่าช้ากว่าแผน (กิจกรรม)", "{{ summary.behind }}"],
                ["ยังไม่ถึงกำหนด (กิจกรรม)", "{{ summary.not_due }}"],
                ["รวมกิจกรรมทั้งหมด", "{{ summary.total }}"],
                ["ความก้าวหน้าเทียบกับแผนสะสมถึงไตรมาสที่ {{ quarter }} (ร้อยละ)", "{{ summary.plan_to_date_pct }}"],
                ["ความก้าวหน้าเทียบกับเป้าหมายทั้งปี (ร้อยละ)", "{{ summary.annual_progress_pct }}"]],
          widths_cm=[12, 5], bold_rows=(5,))
    para(doc, "{%p if summary.ahead %}")
    para(doc, "ทั้งนี้ มีกิจกรรมที่ดำเนินการเร็วกว่าแผน {{ summary.ahead }} กิจกรรม", indent_first=True)
    para(doc, "{%p endif %}")
    para(doc, "2. ผลการดำเนินงานรายมาตรการ", style="Heading 1")
    para(doc, "{%p for m in measures %}")
    # The measure's label is a header row under the column headers: both repeat on every page the
    # measure's table continues on.
    progress = table(doc, [["รหัส", "โครงการ/กิจกรรม", "เป้าหมาย", "แผนสะสม", "ผลสะสม", "สถานะ", "ผู้รับผิดชอบ"],
                           ["มาตรการ {{ m.label }}", "", "", "", "", "", ""],
                           ["{%tr for a in m.activities %}", "", "", "", "", "", ""],
                           ["{{ a.code }}", "{{ a.activity }}", "{{ a.target }}", "{{ a.planned }}",
                            "{{ a.achieved }}", "{{ a.status }}{% if a.note %} ({{ a.note }}){% endif %}",
                            "{{ a.responsible }}"],
                           ["{%tr endfor %}", "", "", "", "", "", ""]],
                     header_rows=2, widths_cm=[1.5, 8.2, 3, 2, 2, 4, 4])
    _span_row(progress, 1)
    para(doc, "{%p if m.results %}")
    para(doc)
    details = table(doc, [["กิจกรรม", "วันที่ดำเนินการ", "ผลการดำเนินการ", "ผลผลิต", "ผลลัพธ์", "เอกสาร/หลักฐาน",
                           "ปัญหาอุปสรรค/หมายเหตุ"],
                          ["รายละเอียดผลการดำเนินงาน มาตรการ {{ m.label }}", "", "", "", "", "", ""],
                          ["{%tr for r in m.results %}", "", "", "", "", "", ""],
                          ["{{ r.code }} (ไตรมาส {{ r.quarter }})", "{{ r.date }}", "{{ r.details }}",
                           "{{ r.output }}", "{{ r.outcome }}", "{{ r.evidence }}", "{{ r.problems }}"],
                          ["{%tr endfor %}", "", "", "", "", "", ""]],
                    header_rows=2, widths_cm=[2.3, 2.8, 7, 3.2, 3.2, 3, 3.2])
    _span_row(details, 1)
    para(doc, "{%p endif %}")
    para(doc)                                   # keeps two measures' tables apart (adjacent tables merge)
    para(doc, "{%p endfor %}")
    # The chart closes section 2 rather than follow the summary table: there it did not fit on page 1
    # and left two thirds of that page empty.
    chart_paragraph(doc, "chart_progress")

    para(doc, "3. กิจกรรมที่ล่าช้ากว่าแผน", style="Heading 1")
    para(doc, "{%p if behind %}")
    late = table(doc, [["รหัส", "โครงการ/กิจกรรม", "แผนสะสม", "ผลสะสม", "เหตุผล/ปัญหาอุปสรรค"],
                       ["{%tr for b in behind %}", "", "", "", ""],
                       ["{{ b.code }}", "{{ b.activity }}", "{{ b.planned }}", "{{ b.achieved }}", "{{ b.reasons }}"],
                       ["{%tr endfor %}", "", "", "", ""]], widths_cm=[1.5, 9.2, 2, 2, 10])
    para(doc, "{%p else %}")
    none_late = para(doc, "ไม่มีกิจกรรมที่ล่าช้ากว่าแผน", indent_first=True)
    para(doc, "{%p endif %}")
    keep_with_next(late)
    signature_block(doc, after=none_late)
    save(doc, "quarterly.docx")


if __name__ == "__main__":
    TEMPLATES.mkdir(exist_ok=True)
    analysis_template()
    plan_template()
    quarterly_template()
    print("templates written to", TEMPLATES)
