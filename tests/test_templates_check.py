"""`templates check` finds what a broken template would do to a document, where it is; the reference and
the context schema stay in sync with the code; a broken template never yields a broken document."""
from __future__ import annotations

import copy
import json
import logging
import re
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from service import cli
from service.documents.context_schema import example_context
from service.documents.kinds import KIND_BY_NAME, KINDS
from service.render.docx import load_template, render_docx
from service.delivery.job import process
from service.pipeline import run
from service.authoring.reference import reference_text
from service.authoring.templates_check import check_template
from docxread import full_text
from workbooks import seed000_analysis, seed000_plan, seed002_analysis, seed003_monthly

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = [ROOT / "templates" / kind.template for kind in KINDS]
_VAR = re.compile(r"\{\{ (\w+) \}\}")
_ATTR = re.compile(r"\{\{ (\w+)\.(\w+) \}\}")


def test_shipped_templates_pass(capsys) -> None:
    assert cli.main(["templates", "check", *map(str, SHIPPED)]) == 0
    assert capsys.readouterr().out.count("ไม่พบปัญหา") == len(SHIPPED)


def _first_run(doc, pattern: re.Pattern, in_table: bool):
    """The first run holding a whole tag that matches, in a table cell or in the body."""
    paragraphs = ([p for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
                  if in_table else doc.paragraphs)
    for p in paragraphs:
        for run in p.runs:
            if pattern.search(run.text):
                return p, run
    raise AssertionError(f"no {pattern.pattern} in the template")


@pytest.mark.parametrize("template", SHIPPED, ids=lambda p: p.stem)
def test_each_breakage_is_reported_where_it_is(template: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / template.name

    doc = docx.Document(template)
    doc.add_paragraph("ตรวจ {{ no_such_value }}")
    _, run = _first_run(doc, _ATTR, in_table=True)
    match = _ATTR.search(run.text)
    run.text = run.text.replace(match[0], f"{{{{ {match[1]}.{match[2]}_typo }}}}")
    doc.save(target)
    findings = check_template(target)
    unknown = [f for f in findings if f.code == "unknown_variable"]
    assert len(unknown) == 1 and "no_such_value" in unknown[0].message
    assert "ย่อหน้าที่" in unknown[0].where and "«ตรวจ {{ no_such_value }}»" in unknown[0].where
    attribute = [f for f in findings if f.code == "unknown_attribute"]
    assert len(attribute) == 1 and f"{match[2]}_typo" in attribute[0].message
    assert "ตารางที่" in attribute[0].where and "ช่อง" in attribute[0].where
    assert cli.main(["templates", "check", str(target)]) == 1
    assert "no_such_value" in capsys.readouterr().out

    doc = docx.Document(template)
    doc.add_paragraph("{%p if unit %}")
    doc.save(target)
    [finding] = check_template(target)
    assert finding.code == "unclosed_block" and "«{%p if unit %}»" in finding.where
    assert "endif" in finding.message

    doc = docx.Document(template)
    paragraph, run = _first_run(doc, _VAR, in_table=False)
    tag = _VAR.search(run.text)[0]
    head, tail = run.text.split(tag, 1)
    second = copy.deepcopy(run._r)
    run._r.addnext(second)
    run.text = head + tag[:4]
    second.find(qn("w:t")).text = tag[4:] + tail
    second.get_or_add_rPr().append(second.makeelement(qn("w:b"), {}))
    doc.save(target)
    [finding] = check_template(target)
    assert finding.code == "split_tag" and tag in finding.message and not finding.fixed
    assert f"«{paragraph.text[:20]}" in finding.where

    [fixed] = check_template(target, fix=True)
    assert fixed.fixed and check_template(target) == []
    assert cli.main(["templates", "check", str(target)]) == 0

    doc = docx.Document(template)
    doc.add_paragraph("หน่วยงาน {{ unit")
    doc.add_paragraph("}} ต่อ")
    doc.save(target)
    [finding] = check_template(target)
    assert finding.code == "tag_across_paragraphs" and "«หน่วยงาน {{ unit»" in finding.where


def test_fixed_split_tag_renders_its_value(tmp_path: Path, settings) -> None:
    target = tmp_path / "analysis.docx"
    doc = docx.Document(settings.templates / "analysis.docx")
    p = doc.add_paragraph()
    p.add_run("จัดทำโดย {{ prep")
    p.add_run("arer }} และ {{ ").bold = True
    p.add_run("approver }}")
    doc.save(target)
    assert [f.code for f in check_template(target, fix=True)] == ["split_tag", "split_tag"]
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx(load_template(target), example_context(KIND_BY_NAME["analysis"].context)))
    assert "จัดทำโดย นางสาวสมใจ ตั้งใจดี และ นายสมชาย มั่นคง" in full_text(out)


def test_reference_is_in_sync() -> None:
    shipped = (ROOT / "templates" / "README.md").read_text(encoding="utf-8")
    assert shipped == reference_text(), "run: python -m service templates reference"
    for kind in KINDS:
        for name in kind.context.model_fields:
            assert f"`{name}" in shipped


@pytest.mark.parametrize("spec", [seed000_analysis, seed002_analysis, seed000_plan, seed003_monthly])
def test_real_contexts_match_the_schema(spec, settings, tmp_path: Path) -> None:
    path = spec().save(tmp_path / "wb.xlsx")
    outcome = run(path, settings)
    assert outcome.prepared
    for prepared in outcome.prepared:
        schema = KIND_BY_NAME[prepared.kind].context
        # The context is built as the kind's own model (validating its dump against that same model could
        # not fail); what a template receives is its dump plus the chart images: exactly the described keys.
        assert type(prepared.context) is schema
        received = {**prepared.context.model_dump(), **prepared.images}
        assert set(received) == set(schema.model_fields)
        assert all(getattr(prepared.context, key) is None for key in prepared.images)
        # Through JSON, as `itadoc context` prints it.
        assert schema.model_validate(json.loads(prepared.context.model_dump_json())) == prepared.context


def test_examples_are_complete_contexts() -> None:
    for kind in KINDS:
        kind.context.model_validate(example_context(kind.context))


def test_broken_template_fails_the_document_not_the_job(settings, tmp_path: Path, caplog) -> None:
    templates = settings.templates
    doc = docx.Document(templates / "analysis.docx")
    doc.add_paragraph("{{ no_such_value }}")
    doc.save(templates / "analysis.docx")
    spec = seed000_analysis()
    spec.sheets.update(seed000_plan().sheets)
    workbook = spec.save(tmp_path / "wb.xlsx")
    with caplog.at_level(logging.ERROR, logger="itadoc.job"):
        result = process(workbook, settings)
    receipt = result.receipt
    assert sorted(d.kind for d in receipt.documents) == ["plan", "quarterly"]
    assert not list(result.job_dir.glob("รายงานการวิเคราะห์*"))
    [blocked] = receipt.blocked
    assert blocked.kind == "analysis" and "analysis.docx" in blocked.reason
    assert [e["code"] for e in receipt.errors] == ["template_error"]
    on_disk = json.loads((result.job_dir / "receipt.json").read_text(encoding="utf-8"))
    assert on_disk["blocked"][0]["kind"] == "analysis"
    assert any("analysis.docx" in r.getMessage() and "no_such_value" in r.getMessage() for r in caplog.records)
