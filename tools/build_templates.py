"""Generate the shipped Word templates in templates/ (run: python tools/build_templates.py).

The .docx files are what administrators edit afterwards; this script is how the first version was made
and how it is remade when the typography in docxkit.py changes. Each Jinja tag is written as one run so
that no tag is ever split.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docxkit import new_document, para, table  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def signature_block(doc) -> None:
    """Preparer and approver, each with a signature line, name in brackets and position."""
    para(doc)
    for who, label in (("preparer", "ผู้จัดทำ"), ("approver", "ผู้อนุมัติ")):
        para(doc, f"{{%p if {who} %}}")
        para(doc, f"(ลงชื่อ) ........................................ {label}", align="center")
        para(doc, f"( {{{{ {who} }}}} )", align="center")
        para(doc, f"{{{{ {who}_position }}}}", align="center")
        para(doc)
        para(doc, "{%p endif %}")


def analysis_template() -> None:
    doc = new_document()
    para(doc, "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ",
         bold=True, align="center", style="Title")
    para(doc, "(Integrity and Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ. {{ fiscal_year }}",
         bold=True, align="center")
    para(doc, "{{ unit }}", bold=True, align="center")
    para(doc, "{%p if parent %}")
    para(doc, "{{ parent }}", align="center")
    para(doc, "{%p endif %}")
    para(doc, "{%p if round %}")
    para(doc, "{{ round }}", align="center")
    para(doc, "{%p endif %}")

    para(doc, "1. ผลการประเมินภาพรวม", style="Heading 1")
    para(doc, "{{ overall_sentence }}", indent_first=True, align="justify")
    table(doc, [["เครื่องมือการประเมิน", "น้ำหนัก (ร้อยละ)", "คะแนน"],
                ["{%tr for t in tool_scores %}", "", ""],
                ["{{ t.title }}", "{{ t.weight }}", "{{ t.score }}"],
                ["{%tr endfor %}", "", ""],
                ["คะแนนภาพรวม (ระดับ {{ level }})", "100", "{{ overall }}"]],
          widths_cm=[10, 3, 3], bold_rows=(4,))
    para(doc, "{%p if below_pass %}")
    para(doc, "ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ผ่าน ({{ pass_mark }} คะแนน) ได้แก่", indent_first=True)
    para(doc, "{%p for b in below_pass %}")
    para(doc, "- ตัวชี้วัดที่ {{ b.number }} {{ b.name }} (ร้อยละ {{ b.score }})", indent_first=True)
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")

    para(doc, "2. ผลการประเมินรายเครื่องมือ", style="Heading 1")
    para(doc, "{%p for tool in tools %}")
    para(doc, "2.{{ loop.index }} {{ tool.title }}", style="Heading 2")
    para(doc, "ผลการประเมิน {{ tool.tool }} ของ{{ unit }} ประจำปี {{ year }} ใช้แบบวัด {{ tool.indicator_count }} "
              "ตัวชี้วัด ได้แก่ {{ tool.indicator_names }} ดังตารางที่ {{ tool.table_number }}",
         indent_first=True, align="justify")
    para(doc, "ตารางที่ {{ tool.table_number }} ผลการประเมิน {{ tool.tool }} ของ {{ unit_abbr }} "
              "ประจำปี {{ years | join(' - ') if years | length < 3 else years[0] ~ ' - ' ~ years[-1] }}",
         bold=True, align="center")
    table(doc, [["ตัวชี้วัด", "{%tc for h in year_headers %}", "{{ h }} (ร้อยละ)", "{%tc endfor %}"],
                ["{%tr for row in tool.rows %}", "", "", ""],
                ["{{ row.number }}. {{ row.name }}", "{%tc for s in row.scores %}", "{{ s }}", "{%tc endfor %}"],
                ["{%tr endfor %}", "", "", ""],
                ["คะแนนรวม", "{%tc for m in tool.means %}", "{{ m }}", "{%tc endfor %}"]],
          widths_cm=[7, 0.1, 3, 0.1], bold_rows=(4,))
    para(doc, "{{ tool.narrative }}", indent_first=True, align="justify")
    para(doc, "{%p if tool.has_suggestion_group %}")
    para(doc, "ข้อเสนอแนะของผู้มีส่วนได้ส่วนเสีย{{ 'ภายใน' if tool.tool == 'IIT' else 'ภายนอก' }}", bold=True)
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
    para(doc, "({{ loop.index }}) ตัวชี้วัดที่ {{ n.number }} {{ n.name }} โดยรวมได้คะแนนเท่ากับ {{ n.score }}",
         bold=True)
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
                ["{{ g.indicator }} {{ g.name }}", "{{ g.code }}", "{{ g.issue }}", "{{ g.cause }}", "{{ g.measures }}"],
                ["{%tr endfor %}", "", "", "", ""]], widths_cm=[3, 1.5, 5, 4.5, 2])
    para(doc, "{%p endif %}")

    signature_block(doc)
    doc.save(TEMPLATES / "analysis.docx")


if __name__ == "__main__":
    TEMPLATES.mkdir(exist_ok=True)
    analysis_template()
    print("templates written to", TEMPLATES)
