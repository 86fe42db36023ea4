"""A Word template as the Jinja source docxtpl renders, with every line traced to its place in Word.

docxtpl cleans the document XML (`patch_xml`) into one Jinja source per part; Jinja then reports errors
by line. We put a marker before every paragraph, table row and cell before docxtpl's cleaning and turn
the markers into line breaks afterwards, so a Jinja line number names "ตารางที่ 2 แถว 3 ช่อง 1" or
"ย่อหน้าที่ 12" — the exact source docxtpl renders, not a re-implementation of its tag rules.

Tags split across runs are found on the original paragraphs: docxtpl joins a split within one
paragraph itself (and `fix_split_tags` merges the runs for good), but a tag that spans paragraphs or
cells cannot be joined and would silently yield a broken document.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Iterator

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

_P, _TR, _TC, _TBL, _T = qn("w:p"), qn("w:tr"), qn("w:tc"), qn("w:tbl"), qn("w:t")
_STARTS = re.compile(r"<w:(?:p|tr|tc)[ >/]")
_MARK = re.compile("\ue000(\\d+)\ue001")
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPEN = re.compile(r"\{\{|\{%|\{#")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@dataclass
class Part:
    """One renderable part (body, a header or a footer) of a template."""

    name: str                          # Thai name of the part, for locations
    element: etree._Element            # its live XML (edits are saved with the document)
    locations: list[str] = field(default_factory=list)   # location of each paragraph/row/cell, in order

    def paragraphs(self) -> Iterator[tuple[etree._Element, str]]:
        """Every paragraph with its location."""
        for el, loc in zip(self.element.iter(_P, _TR, _TC), self.locations):
            if el.tag == _P:
                yield el, loc


def _excerpt(el: etree._Element, limit: int = 50) -> str:
    text = "".join(t.text or "" for t in el.iter(_T)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _locations(part_name: str, root: etree._Element) -> list[str]:
    """A Thai location for each paragraph, table row and table cell, in document order."""
    tables = {tbl: n for n, tbl in enumerate(root.iter(_TBL), 1)}
    body_paragraphs = 0
    out: list[str] = []
    for el in root.iter(_P, _TR, _TC):
        tr = el if el.tag == _TR else next(el.iterancestors(_TR), None)
        if tr is None:
            body_paragraphs += 1
            out.append(f"{part_name} ย่อหน้าที่ {body_paragraphs} «{_excerpt(el)}»")
            continue
        tbl = next(tr.iterancestors(_TBL))
        where = f"{part_name} ตารางที่ {tables[tbl]} แถว {tbl.findall(_TR).index(tr) + 1}"
        tc = el if el.tag == _TC else next(el.iterancestors(_TC), None)
        if tc is not None and el.tag != _TR:
            where += f" ช่อง {tr.findall(_TC).index(tc) + 1}"
        out.append(where + (f" «{_excerpt(el)}»" if el.tag == _P else ""))
    return out


def load_parts(tpl: DocxTemplate) -> list[Part]:
    """Body, headers and footers — the parts docxtpl renders with the context."""
    tpl.init_docx()
    parts = [Part("เนื้อหา", tpl.docx.element.body)]
    for uri, name in ((RT.HEADER, "หัวกระดาษ"), (RT.FOOTER, "ท้ายกระดาษ")):
        for _, part in tpl.get_headers_footers(uri):
            parts.append(Part(name, part.element))
    for part in parts:
        part.locations = _locations(part.name, part.element)
    return parts


@dataclass
class Source:
    """The Jinja source of one part and the Word location of each of its lines."""

    text: str
    line_starts: list[int]             # first line of each traced element (ascending)
    line_locations: list[str]

    def where(self, lineno: int | None) -> str:
        if not lineno or not self.line_starts:
            return ""
        i = bisect_right(self.line_starts, lineno) - 1
        return self.line_locations[i] if i >= 0 else ""


def jinja_source(tpl: DocxTemplate, part: Part) -> Source:
    """docxtpl's own cleaned source of the part, with a line break before each traced element."""
    xml = etree.tostring(part.element, encoding="unicode")
    counter = itertools.count()
    marked = _STARTS.sub(lambda m: f"\ue000{next(counter)}\ue001{m.group(0)}", xml)
    patched = tpl.patch_xml(marked)
    text_parts: list[str] = []
    starts: list[int] = []
    locations: list[str] = []
    line = 1
    pieces = _MARK.split(patched)
    text_parts.append(pieces[0])
    line += pieces[0].count("\n")
    for index, piece in zip(pieces[1::2], pieces[2::2]):
        text_parts.append("\n" + piece)
        line += 1
        i = int(index)
        if i < len(part.locations):
            starts.append(line)
            locations.append(part.locations[i])
        line += piece.count("\n")
    return Source("".join(text_parts), starts, locations)


@dataclass(frozen=True)
class SplitTag:
    where: str
    tag: str
    pieces: int
    across_paragraphs: bool            # docxtpl cannot join these


def _texts(p: etree._Element) -> list[etree._Element]:
    """The paragraph's own w:t elements (not those of a text box nested in it)."""
    return [t for t in p.iter(_T) if next(t.iterancestors(_P), None) is p]


def find_split_tags(part: Part, fix: bool = False) -> list[SplitTag]:
    """Tags whose text lies in more than one run; with `fix`, those inside one paragraph are merged
    into the run where they start (keeping that run's formatting)."""
    found: list[SplitTag] = []
    for p, where in part.paragraphs():
        texts = _texts(p)
        joined = "".join(t.text or "" for t in texts)
        if "{" not in joined:
            continue
        bounds, pos = [], 0
        for t in texts:
            bounds.append((pos, pos + len(t.text or "")))
            pos += len(t.text or "")
        splits = []
        for m in _TAG.finditer(joined):
            touched = [i for i, (s, e) in enumerate(bounds) if s < m.end() and e > m.start()]
            if len(touched) > 1:
                found.append(SplitTag(where, m.group(0), len(touched), False))
                splits.append((touched, m.start(), m.end()))
        if fix:   # right to left: merging a tag never moves the text of the tags before it
            for touched, start, end in reversed(splits):
                _merge(texts, bounds, touched, start, end)
        rest = _TAG.sub("", joined)
        for m in _OPEN.finditer(rest):
            found.append(SplitTag(where, rest[m.start():m.start() + 40], 0, True))
    return found


def _merge(texts: list[etree._Element], bounds: list[tuple[int, int]], touched: list[int],
           start: int, end: int) -> None:
    """Move a tag's text into its first run; the following runs keep only their text after the tag."""
    first, last = touched[0], touched[-1]
    tag = "".join(texts[i].text or "" for i in touched)[start - bounds[first][0]:end - bounds[first][0]]
    head = (texts[first].text or "")[: start - bounds[first][0]]
    texts[first].text = head + tag
    for i in touched[1:-1]:
        texts[i].text = ""
    texts[last].text = (texts[last].text or "")[end - bounds[last][0]:]
    for i in touched:
        texts[i].set(_XML_SPACE, "preserve")
