"""Issue 8: what the speed-ups must not change — an edited template is used at the next render (hot
reload through the template caches), and a batch spread over worker processes keeps its order and
exit code. Speed itself is measured in bench/, never here."""
from __future__ import annotations

import os
from pathlib import Path

import docx
import pytest
from jinja2 import UndefinedError

from docxread import full_text
from service import cli
from service.render.docx import load_template, render_docx
from workbooks import seed000_analysis, seed002_analysis


def _template(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.title = "{{ unit }}"
    document.save(str(path))
    return path


def _rendered_text(template: Path, tmp_path: Path, context: dict) -> str:
    out = tmp_path / "out.docx"
    out.write_bytes(render_docx(load_template(template), context))
    return full_text(out)


def test_edited_template_is_used_at_the_next_render(tmp_path):
    template = _template(tmp_path / "t.docx", "ก่อนแก้ {{ unit }}")
    assert _rendered_text(template, tmp_path, {"unit": "ศรป."}) == "ก่อนแก้ ศรป."
    assert _rendered_text(template, tmp_path, {"unit": "กปน."}) == "ก่อนแก้ กปน."   # cached, new context
    stat = template.stat()
    _template(template, "หลังแก้ {{ unit }}")
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))   # same mtime: the content decides
    assert _rendered_text(template, tmp_path, {"unit": "ศรป."}) == "หลังแก้ ศรป."


def test_cached_template_still_escapes_and_is_strict(tmp_path):
    template = _template(tmp_path / "t.docx", "{{ unit }}")
    assert _rendered_text(template, tmp_path, {"unit": "A & <B> {{ x }}"}) == "A & <B> {{ x }}"
    with pytest.raises(UndefinedError, match="unit"):   # strict, cached or not
        _rendered_text(template, tmp_path, {})


def test_batch_over_workers_keeps_order_and_exit_code(tmp_path, monkeypatch, capsys, settings):
    monkeypatch.setenv("ITADOC_WORKERS", "2")
    good = [seed000_analysis().save(tmp_path / f"good{i}.xlsx") for i in range(3)]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    other = seed002_analysis().save(tmp_path / "other.xlsx")
    paths = [good[0], bad, good[1], other, good[2]]
    code = cli.main(["render", *map(str, paths), "--out", str(tmp_path / "out"), "--no-pdf",
                     "--config", str(settings.config_dir)])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [p.name for p in paths]
    assert [": ok" in line for line in lines] == [True, False, True, True, True]
    assert code == 1
    assert len(list((tmp_path / "out").glob("*/receipt.json"))) == 5
