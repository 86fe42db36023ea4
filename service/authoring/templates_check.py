"""`itadoc templates check` and `itadoc templates reference`: tell the administrator exactly what is
wrong with a Word template before an officer ever sees it.

A template is checked the way it is rendered: docxtpl's own cleaned source (`template_source`), parsed
by the same sandboxed Jinja environment the jobs use (`docx_writer.jinja_env`). Findings: tags split
across runs or paragraphs, Jinja syntax errors (an unclosed block is reported where it was opened),
every variable or attribute the context schema lacks, and finally a render with the schema's example
context so that no runtime error (a filter on the wrong type…) is left for a real job.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateSyntaxError

from service.documents.context_schema import example_context
from service.documents.kinds import KIND_BY_NAME, KINDS
from service.render.docx import jinja_env, load_template, render_docx
from service.settings import Settings
from service.authoring.reference import write_reference
from service.authoring.source import Part, Source, find_split_tags, jinja_source, load_parts
from service.authoring.template_types import TypeChecker

_BLOCK_TAGS = frozenset({"for", "if", "macro", "call", "filter", "with", "autoescape", "block", "set"})
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(\w+)'")


@dataclass(frozen=True)
class Finding:
    template: str
    code: str          # split_tag | tag_across_paragraphs | syntax | unknown_variable | unknown_attribute | …
    where: str         # Thai location in the document
    message: str       # Thai
    fixed: bool = False

    def __str__(self) -> str:
        state = " (แก้ไขแล้ว)" if self.fixed else ""
        where = f"{self.where}: " if self.where else ""
        return f"  - [{self.code}]{state} {where}{self.message}"


def kind_of(path: Path) -> str | None:
    """The document kind a template file is for: its shipped name, or a name that starts with it."""
    for kind in KINDS:
        if path.name == kind.template or path.stem.startswith(kind.kind):
            return kind.kind
    return None


def _unclosed_block(env: Environment, source: str) -> tuple[str, int] | None:
    """The innermost block still open at the end of the source (name, line), from Jinja's lexer."""
    stack: list[tuple[str, int]] = []
    tokens = [t for t in env.lex(source) if t[1] != "whitespace"]
    for i, (lineno, kind, _) in enumerate(tokens):
        if kind != "block_begin" or i + 1 >= len(tokens) or tokens[i + 1][1] != "name":
            continue
        name = tokens[i + 1][2]
        body = []
        for token in tokens[i + 2:]:
            if token[1] == "block_end":
                break
            body.append(token)
        if name == "set" and any(t[1] == "assign" or t[2] == "=" for t in body):
            continue
        if name in _BLOCK_TAGS:
            stack.append((name, lineno))
        elif name.startswith("end"):
            opened = [n for n, _ in stack]
            if name[3:] in opened:
                del stack[len(opened) - 1 - opened[::-1].index(name[3:]):]
    return stack[-1] if stack else None


def _syntax_finding(env: Environment, source: Source, exc: TemplateSyntaxError, name: str) -> Finding:
    if "Unexpected end of template" in exc.message:
        opened = _unclosed_block(env, source.text)
        if opened:
            block, lineno = opened
            return Finding(name, "unclosed_block", source.where(lineno),
                           f'บล็อก "{block}" เปิดไว้ที่นี่แต่ไม่มีแท็กปิด ให้เพิ่ม {{% end{block} %}} '
                           f'(ใช้แบบเดียวกับที่เปิด เช่น {{%p end{block} %}} หรือ {{%tr end{block} %}})')
    unknown = _UNKNOWN_TAG.search(exc.message)
    if unknown:
        return Finding(name, "syntax", source.where(exc.lineno),
                       f'ไม่รู้จักแท็ก "{unknown[1]}" หรือแท็กนี้ไม่มีบล็อกที่เปิดไว้ให้ปิด ({exc.message})')
    return Finding(name, "syntax", source.where(exc.lineno), f"แท็ก Jinja เขียนผิดไวยากรณ์: {exc.message}")


def _check_part(tpl: DocxTemplate, part: Part, kind: str | None, name: str, fix: bool) -> list[Finding]:
    findings = [
        Finding(name, "tag_across_paragraphs", s.where,
                f'แท็ก "{s.tag}" เริ่มในย่อหน้านี้แต่ไม่ได้ปิดในย่อหน้าเดียวกัน ระบบซ่อมให้ไม่ได้ '
                "และจะทำให้เอกสารเสีย ให้พิมพ์แท็กทั้งหมดไว้ในย่อหน้า (หรือช่องตาราง) เดียว") if s.across_paragraphs
        else Finding(name, "split_tag", s.where,
                     f'แท็ก "{s.tag}" ถูก Word แบ่งเป็น {s.pieces} ช่วงที่มีรูปแบบต่างกัน ระบบยังอ่านได้ '
                     "แต่ข้อความที่แทนที่จะได้รูปแบบของช่วงแรก ใช้ itadoc templates check --fix เพื่อรวมเป็นช่วงเดียว",
                     fixed=fix)
        for s in find_split_tags(part, fix)]
    if any(f.code == "tag_across_paragraphs" for f in findings):
        return findings            # the cleaned source would be garbage: nothing more to say
    env = jinja_env()
    source = jinja_source(tpl, part)
    try:
        ast = env.parse(source.text)
    except TemplateSyntaxError as exc:
        return findings + [_syntax_finding(env, source, exc, name)]
    if kind is not None:
        def report(lineno: int, code: str, message: str) -> None:
            finding = Finding(name, code, source.where(lineno), message)
            if finding not in findings:
                findings.append(finding)
        TypeChecker(KIND_BY_NAME[kind].context, set(env.globals), report).check(ast)
    return findings


def check_template(path: Path, fix: bool = False) -> list[Finding]:
    """Every problem of one template; with `fix`, split tags are merged and the file is saved."""
    name = path.name
    kind = kind_of(path)
    findings: list[Finding] = []
    if kind is None or kind not in KIND_BY_NAME:
        findings.append(Finding(name, "unknown_kind", "", "ไม่รู้ว่าแม่แบบนี้ใช้กับเอกสารชนิดใด ตั้งชื่อไฟล์ให้ขึ้นต้นด้วย "
                                + " หรือ ".join(sorted(KIND_BY_NAME)) + " จึงจะตรวจตัวแปรได้"))
        kind = None
    try:
        tpl = DocxTemplate(path)
        parts = load_parts(tpl)
    except Exception as exc:  # not a .docx at all: say so instead of crashing the whole check
        return [Finding(name, "not_a_docx", "", f"เปิดไฟล์นี้เป็นเอกสาร Word (.docx) ไม่ได้: {exc}")]
    for part in parts:
        findings += _check_part(tpl, part, kind, name, fix)
    if fix and any(f.fixed for f in findings):
        tpl.docx.save(str(path))
    if kind is not None and all(f.fixed for f in findings):
        try:
            render_docx(load_template(path), example_context(KIND_BY_NAME[kind].context))
        except Exception as exc:
            findings.append(Finding(name, "render_failed", "",
                                    f"ทดลองสร้างเอกสารด้วยข้อมูลตัวอย่างไม่สำเร็จ: {type(exc).__name__}: {exc}"))
    return findings


def _template_paths(paths: list[Path], settings: Settings) -> list[Path]:
    found: list[Path] = []
    for path in paths or [settings.templates]:
        found += sorted(path.glob("*.docx")) if path.is_dir() else [path]
    return [p for p in found if not p.name.startswith("~$")]     # Word's lock files


def run_check(paths: list[Path], settings: Settings, fix: bool = False) -> int:
    missing = [p for p in paths if not p.exists()]
    if missing:
        print("ไม่พบไฟล์: " + ", ".join(map(str, missing)), file=sys.stderr)
        return 2
    status = 0
    for path in _template_paths(paths, settings):
        findings = check_template(path, fix)
        open_ = [f for f in findings if not f.fixed]
        if not findings:
            print(f"{path.name}: ไม่พบปัญหา")
            continue
        print(f"{path.name}: พบปัญหา {len(findings)} รายการ" + (f" (แก้ไขแล้ว {len(findings) - len(open_)})"
                                                            if len(open_) < len(findings) else ""))
        for finding in findings:
            print(finding)
        status = status or (1 if open_ else 0)
    return status


def main(args: argparse.Namespace, settings: Settings) -> int:
    if args.templates_command == "reference":
        out = args.out or settings.templates / "README.md"
        write_reference(out)
        print(f"เขียนคู่มือตัวแปรของแม่แบบแล้ว: {out}")
        return 0
    return run_check(list(args.paths), settings, getattr(args, "fix", False))


def template_problems(templates: Path) -> list[str]:
    """`itadoc check` on the templates: a missing template or an unfixed finding, one line each."""
    problems = []
    for kind in KINDS:
        path = templates / kind.template
        if not path.is_file():
            problems.append(f"{path}: ไม่พบแม่แบบ")
            continue
        problems += [f"{path}: {str(f).strip()}" for f in check_template(path) if not f.fixed]
    return problems
