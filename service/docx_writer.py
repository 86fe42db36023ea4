"""Render a Word template with a context: docxtpl, autoescaped, in a sandboxed Jinja environment.

Officers' text can hold `&`, `<`, `{{ … }}`: autoescape keeps it literal XML text, and the sandbox keeps
a template (edited by an administrator) from reaching Python internals. Thai digits, when asked for,
are applied to the rendered text of the whole document in one pass.
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
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .numbers import to_thai_digits

DOCUMENT_TEMPLATES = {"analysis": "analysis.docx", "plan": "plan.docx", "quarterly": "quarterly.docx"}


@dataclass(frozen=True)
class TemplateFile:
    path: Path
    data: bytes
    sha256: str


def load_template(path: Path) -> TemplateFile:
    data = path.read_bytes()
    return TemplateFile(path, data, hashlib.sha256(data).hexdigest())


def jinja_env() -> SandboxedEnvironment:
    """Strict: a variable the context lacks is an error, never a silently empty field."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def _thai_digits(tpl: DocxTemplate) -> None:
    parts = [tpl.docx.element.body]
    parts += [rel.target_part.element for rel in tpl.docx.part.rels.values()
              if rel.reltype in (RT.HEADER, RT.FOOTER)]
    for part in parts:
        for t in part.iter(qn("w:t")):
            if t.text:
                t.text = to_thai_digits(t.text)


def render_docx(template: TemplateFile, context: dict[str, Any], thai_digits: bool = False,
                images: dict[str, Any] | None = None) -> bytes:
    """The rendered document as bytes; `images` maps context keys to callables(tpl) → InlineImage."""
    tpl = DocxTemplate(BytesIO(template.data))
    ctx = dict(context)
    for key, make in (images or {}).items():
        ctx[key] = make(tpl)
    tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    if thai_digits:
        _thai_digits(tpl)
    out = BytesIO()
    tpl.save(out)
    return out.getvalue()
