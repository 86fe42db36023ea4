"""Render a Word template with a context: docxtpl, autoescaped, in a sandboxed Jinja environment.

Officers' text can hold `&`, `<`, `{{ … }}`: autoescape keeps it literal XML text, and the sandbox keeps
a template (edited by an administrator) from reaching Python internals. Thai digits, when asked for,
are applied to the rendered text of the whole document in one pass.

docxtpl cleans each part's XML with regular expressions and compiles it with Jinja on every render; for
an unchanged template both give the same result every time, so both are cached keyed by the part's XML
text itself (never by name): an edited template is new text, picked up at the next render.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import LRUCache

from service.thai.numbers import to_thai_digits



@dataclass(frozen=True)
class TemplateFile:
    path: Path
    data: bytes
    sha256: str


def load_template(path: Path) -> TemplateFile:
    data = path.read_bytes()
    return TemplateFile(path, data, hashlib.sha256(data).hexdigest())


# Each template has a few parts (body, headers, footers, core properties); a few templates per service.
_CACHE_SIZE = 64


class _Environment(SandboxedEnvironment):
    """Sandboxed, autoescaped and strict (a variable the context lacks is an error, never a silently empty
    field); `from_string` compiles a given source once and reuses it (a compiled template is stateless)."""

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled = LRUCache(_CACHE_SIZE)

    def from_string(self, source, globals=None, template_class=None) -> Template:  # noqa: A002
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


_ENV = _Environment()


def jinja_env() -> SandboxedEnvironment:
    """The one Jinja environment: jobs render with it and `templates check` parses with it."""
    return _ENV


_PATCHED = LRUCache(_CACHE_SIZE)


class _CachedDocxTemplate(DocxTemplate):
    """docxtpl with its XML clean-up (regular expressions over each whole part) done once per part text."""

    def patch_xml(self, src_xml: str) -> str:
        patched = _PATCHED.get(src_xml)
        if patched is None:
            patched = _PATCHED[src_xml] = super().patch_xml(src_xml)
        return patched


def _thai_digits(tpl: DocxTemplate) -> None:
    parts = [tpl.docx.element.body]
    parts += [rel.target_part.element for rel in tpl.docx.part.rels.values()
              if rel.reltype in (RT.HEADER, RT.FOOTER)]
    for part in parts:
        for t in part.iter(qn("w:t")):
            if t.text:
                t.text = to_thai_digits(t.text)
        for instr in part.iter(qn("w:instrText")):  # page numbers too: Word's "- ๒ -"
            if instr.text and instr.text.split()[:1] == ["PAGE"] and "\\*" not in instr.text:
                instr.text = " PAGE \\* ThaiArabic "


def _properties(tpl: DocxTemplate, context: dict[str, Any]) -> None:
    """File ▸ Properties (and the PDF's metadata): the unit as subject, and as keywords the proper names
    the document prints, which the PDF path keeps whole at line ends (`linebreak.NAMES_SEPARATOR`)."""
    names = [context.get(k) or "" for k in ("unit", "unit_abbr", "parent", "preparer", "approver")]
    # The format allows 255 characters a property (a name that long is cut: only the PDF's breaks use it).
    tpl.docx.core_properties.subject = (context.get("unit") or "")[:255]
    tpl.docx.core_properties.keywords = "; ".join(dict.fromkeys(n.strip() for n in names if n.strip()))[:255]


def render_docx(template: TemplateFile, context: dict[str, Any], thai_digits: bool = False,
                images: dict[str, Any] | None = None) -> bytes:
    """The rendered document as bytes; `images` maps context keys to makers(tpl, thai_digits) of what the
    variable renders to (the native charts of `documents.charts`)."""
    tpl = _CachedDocxTemplate(BytesIO(template.data))
    ctx = dict(context)
    for key, make in (images or {}).items():
        ctx[key] = make(tpl, thai_digits)
    tpl.render(ctx, jinja_env=_ENV, autoescape=True)
    if thai_digits:
        _thai_digits(tpl)
    _properties(tpl, context)
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()
