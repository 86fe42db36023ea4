"""Reading a rendered .docx back as a user sees it: paragraphs and table cells, in order."""
from __future__ import annotations

from pathlib import Path

import docx


def paragraphs(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs if p.text.strip()]


def tables(path: Path) -> list[list[list[str]]]:
    document = docx.Document(str(path))
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def full_text(path: Path) -> str:
    """Every paragraph and every table cell (nested included), newline-separated."""
    document = docx.Document(str(path))
    body = document.element.body
    return "\n".join("".join(t.text or "" for t in p.iter(docx.oxml.ns.qn("w:t")))
                     for p in body.iter(docx.oxml.ns.qn("w:p")))
