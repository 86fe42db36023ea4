"""Building blocks for the shipped Word templates: Thai government typography set once in the styles.

Used only by `tools/build_templates.py`; administrators then edit the resulting .docx files in Word.
The typography lives in the styles (not in each run) so that text inserted by the template engine
inherits it: TH Sarabun New 16 pt for Latin and complex scripts, Thai language marking, A4, margins
3 cm left / 2 cm right.
"""
from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "TH Sarabun New"
BODY_PT = 16


def _set_run_fonts(rpr, size_pt: float, bold: bool = False) -> None:
    """Fonts, size and bold for both Latin and complex scripts, and Thai language marking."""
    for tag in ("w:rFonts", "w:b", "w:bCs", "w:sz", "w:szCs", "w:lang"):
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    rpr.append(fonts)
    if bold:
        rpr.append(OxmlElement("w:b"))
        rpr.append(OxmlElement("w:bCs"))
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(int(size_pt * 2)))
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")   # Latin runs are English: Thai marking made LibreOffice cut Latin words
    lang.set(qn("w:bidi"), "th-TH")
    lang.set(qn("w:eastAsia"), "th-TH")
    rpr.append(lang)


def new_document(landscape: bool = False):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2)
    section.header_distance = Cm(1.2)
    styles = doc.styles
    # Document defaults: every run, including those the template engine writes, inherits these.
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_run_fonts(rpr_default, BODY_PT)
    for name, size, bold in (("Normal", BODY_PT, False), ("Title", 20, True), ("Heading 1", 18, True),
                             ("Heading 2", 16, True), ("Heading 3", 16, True), ("Table Grid", BODY_PT, False)):
        style = styles[name]
        _set_run_fonts(style.element.get_or_add_rPr(), size, bold)
        style.font.color.rgb = None
        pf = style.paragraph_format
        pf.space_before, pf.space_after = Pt(6 if name.startswith("Heading") else 0), Pt(0)
        pf.line_spacing = 1.0
        if name.startswith("Heading"):
            pf.keep_with_next = True       # a heading never ends a page
        if name == "Title":
            pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _remove_border(style.element)
    _page_number_header(section)
    _thai_header_style(doc)
    return doc


def _remove_border(style_el) -> None:
    ppr = style_el.find(qn("w:pPr"))
    if ppr is not None:
        for bdr in ppr.findall(qn("w:pBdr")):
            ppr.remove(bdr)


def _page_number_header(section) -> None:
    """"- 2 -" centred at the top from page 2 on (a different first page with an empty header); "- ๒ -"
    when the document is in Thai digits."""
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.add_run("- ")
    _field(para, "PAGE")  # the Thai-digit pass of render/docx.py makes it `PAGE \* ThaiArabic`
    para.add_run(" -")


def _thai_header_style(doc) -> None:
    """Mark the Header style Thai for Latin script too. LibreOffice 7.4 imports `\* ThaiArabic` as
    "native numbering", drawn in the digits of the language of the paragraph holding the field; digits
    are Latin script, so with Latin text marked English "- ๒ -" would print "- 2 -". The header holds
    only the page number: no other digit of the page changes."""
    rpr = doc.styles["Header"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "th-TH")
    lang.set(qn("w:bidi"), "th-TH")
    rpr.append(lang)


def _field(para, instruction: str) -> None:
    """A Word field (begin, instruction, separate, placeholder result, end) in one run."""
    run = para.add_run()
    for kind, text in (("begin", ""), ("instr", f" {instruction} "), ("separate", ""), ("text", "2"),
                       ("end", "")):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def para(doc_or_cell, text: str = "", bold: bool = False, align: str | None = None, style: str | None = None,
         indent_first: bool = False):
    """A paragraph with one run per piece of text, so Jinja tags are never split across runs."""
    p = doc_or_cell.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        if bold:
            run.bold = True
            run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))
    if align:
        p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                       "justify": WD_ALIGN_PARAGRAPH.THAI_JUSTIFY}[align]
    if indent_first:
        p.paragraph_format.first_line_indent = Cm(1.25)
    return p


HEADER_FILL = "D9D9D9"   # light grey: header rows read as headers on paper and in black-and-white copies


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def keep_with_next(*items) -> None:
    """Keep each paragraph (or every paragraph of each table) on the page of what follows it."""
    for item in items:
        paragraphs = [item] if hasattr(item, "paragraph_format") else \
            [p for row in item.rows for cell in row.cells for p in cell.paragraphs]
        for p in paragraphs:
            p.paragraph_format.keep_with_next = True


def borderless(tbl) -> None:
    """No borders at all (a layout grid, such as signature blocks side by side)."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr = tbl._tbl.tblPr
    later = [tbl_pr.find(qn(t)) for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")]
    later = [el for el in later if el is not None]
    later[0].addprevious(borders) if later else tbl_pr.append(borders)   # schema order


def table(doc, rows: list[list[str]], header_rows: int = 1, widths_cm: list[float] | None = None,
          bold_rows: tuple[int, ...] = (), center_cols: tuple[int, ...] = ()):
    """A bordered table whose header rows (shaded) repeat on every page and whose rows never split;
    `center_cols` are centred in every row (scores, numbers, codes)."""
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, values in enumerate(rows):
        row = t.rows[r]
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r < header_rows:
            trpr.append(OxmlElement("w:tblHeader"))
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.paragraphs[0].text = ""
            if value:
                run = cell.paragraphs[0].add_run(value)
                if r < header_rows or r in bold_rows:
                    run.bold = True
                    run._r.get_or_add_rPr().append(OxmlElement("w:bCs"))
            if r < header_rows:
                _shade(cell, HEADER_FILL)
            if r < header_rows or c in center_cols:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            if widths_cm:
                cell.width = Cm(widths_cm[c])
    if widths_cm:   # LibreOffice lays a table out by its grid, not by the cell widths
        for col, width in zip(t.columns, widths_cm):
            col.width = Cm(width)
    return t
