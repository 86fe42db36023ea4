"""A measure that runs onto a new page says so: "1. สื่อสาร… (ต่อ)" above its continuation (PDF only).

Word and LibreOffice repeat a table's heading rows verbatim on every page, so no heading can read
differently where a table continues. On the PDF path, LibreOffice first says where its own layout
continues each table (`Office.convert(..., continued=True)`); the PDF copy's tables are then cut at those
rows, and each continuation becomes a table of its own, starting a page, whose heading rows are a copy of
the original's with CONTINUED after the label (a heading row of a single cell, the measure's name).
Cutting where the layout already turns the page changes nothing before the cut, so the second layout is
the first one with the labels. The .docx the officer edits keeps its one table per measure.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path
from typing import Callable

from lxml import etree

from service.render.office import Continued

CONTINUED = " (ต่อ)"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BODY = "word/document.xml"


def pdf_with_continuations(src: Path, convert: Callable[[Path, bool], Path | Continued]) -> Path:
    """The PDF of `src` (a throw-away copy: it is rewritten when a table continues on another page)."""
    first = convert(src, True)
    if not isinstance(first, Continued):
        return first
    mark_continuations(src, first)
    done = convert(src, False)
    assert not isinstance(done, Continued)
    return done


def mark_continuations(docx: Path, where: Continued) -> None:
    with zipfile.ZipFile(docx) as z:
        items = [(item, z.read(item)) for item in z.infolist()]
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as z:
        for item, data in items:
            z.writestr(item, split_tables(data, where) if item.filename == BODY else data)


def split_tables(xml: bytes, where: Continued) -> bytes:
    root = etree.fromstring(xml)
    tables = root.find(f"{W}body").findall(f"{W}tbl")
    for index, rows in where:
        table = tables[index]
        for row in sorted(rows, reverse=True):   # the last cut first: each new table goes right after
            _cut(table, row)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _cut(table: etree._Element, at: int) -> None:
    """Rows `at`… of `table` move to a new table after it, under a copy of its heading rows."""
    rows = table.findall(f"{W}tr")
    heading = [r for r in rows if r.find(f"{W}trPr/{W}tblHeader") is not None]
    rest = table.makeelement(f"{W}tbl")
    for part in ("tblPr", "tblGrid"):
        if table.find(f"{W}{part}") is not None:
            rest.append(copy.deepcopy(table.find(f"{W}{part}")))
    for row in heading:
        head = copy.deepcopy(row)
        cells = head.findall(f"{W}tc")
        texts = cells[0].findall(f".//{W}t") if len(cells) == 1 else []
        if texts:                                   # the measure's label
            texts[-1].text = (texts[-1].text or "") + CONTINUED
        rest.append(head)
    rest.extend(rows[at:])
    _break_before(rest)
    table.addnext(rest)
    table.addnext(etree.fromstring(HIDDEN_PARAGRAPH))


# Two tables need a paragraph between them, or Word and LibreOffice join them; a hidden one takes no room,
# so the layout before the cut stays as it was (a visible one, however small, can push a row that filled
# its page exactly onto the next and leave a blank page).
HIDDEN_PARAGRAPH = f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr></w:p>'


def _break_before(table: etree._Element) -> None:
    """The continuation starts a page, as it did (a page break on a table's first paragraph)."""
    first = table.find(f"{W}tr/{W}tc/{W}p")
    ppr = first.find(f"{W}pPr")
    if ppr is None:
        ppr = first.makeelement(f"{W}pPr")
        first.insert(0, ppr)
    ppr.insert(1 if ppr.find(f"{W}pStyle") is not None else 0, ppr.makeelement(f"{W}pageBreakBefore"))
