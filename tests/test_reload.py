"""Administrators' edits reach the next document without a restart: templates are read per job, the
framework is cached by modification time, and each receipt names the template file and its sha256."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import docx
import pytest

from service.delivery.job import process
from service.settings import Settings, load_settings
import watcher as harness
from docxread import full_text
from shipped import ROOT, shipped_copy
from workbooks import seed000_analysis, seed002_analysis


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A service root of its own: config and templates copied, so edits stay in the test."""
    shipped_copy(tmp_path)
    return tmp_path


def _settings(root: Path) -> Settings:
    return load_settings(root / "config", pdf=False)


def _edit_template(path: Path, text: str) -> None:
    doc = docx.Document(path)
    doc.paragraphs[0].insert_paragraph_before(text)
    doc.save(path)


def _touch_later(path: Path) -> None:
    """A new modification time even on file systems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_edited_template_is_used_by_the_next_job_and_named_in_its_receipt(root: Path, tmp_path: Path) -> None:
    settings = _settings(root)
    template = root / "templates" / "analysis.docx"
    first = process(seed000_analysis().save(tmp_path / "a.xlsx"), settings)
    [entry] = first.receipt.documents
    assert entry.template == "analysis.docx"
    assert entry.template_sha256 == hashlib.sha256(template.read_bytes()).hexdigest()

    _edit_template(template, "ฉบับแก้ไขโดยผู้ดูแลระบบ {{ unit_abbr }}")
    second = process(seed002_analysis().save(tmp_path / "b.xlsx"), settings)
    [changed] = second.receipt.documents
    assert changed.template_sha256 == hashlib.sha256(template.read_bytes()).hexdigest() != entry.template_sha256
    assert "ฉบับแก้ไขโดยผู้ดูแลระบบ อบต.คำเนียม" in full_text(second.job_dir / changed.docx)
    receipt = json.loads((second.job_dir / "receipt.json").read_text(encoding="utf-8"))
    assert receipt["documents"][0]["template_sha256"] == changed.template_sha256


def test_edited_framework_is_used_without_a_restart(root: Path, tmp_path: Path) -> None:
    settings = _settings(root)
    workbook = seed002_analysis().save(tmp_path / "b.xlsx")
    assert process(workbook, settings).receipt.figures["overall_score"] == 93.0
    framework = root / "config" / "frameworks" / "2568.toml"
    text = framework.read_text(encoding="utf-8")
    assert "OIT = 40" in text
    framework.write_text(text.replace("IIT = 30", "IIT = 40").replace("OIT = 40", "OIT = 30"), encoding="utf-8")
    _touch_later(framework)
    # IIT 40 / EIT 30 / OIT 30 over 99.96, 98.70 and 83.50: (3998.40 + 2961.00 + 2505.00) / 100 = 94.644
    assert process(workbook, settings).receipt.figures["overall_score"] == 94.64


def test_template_edited_while_watch_runs(root: Path) -> None:
    (root / "inbox").mkdir()
    watcher = harness.WatcherProcess(root, ITADOC_WORKERS="1")
    try:
        outbox = root / "outbox"

        def document_of(name: str) -> Path:
            receipts = []
            harness.wait_for(lambda: receipts.extend(outbox.glob(f"{name}-*/receipt.json")) or receipts, 60,
                           f"no receipt for {name}")
            receipt = json.loads(receipts[0].read_text(encoding="utf-8"))
            return receipts[0].parent / receipt["documents"][0]["docx"]

        inbox = root / "inbox"
        seed000_analysis().save(inbox / "before.xlsx")
        assert "ฉบับปรับปรุง" not in full_text(document_of("before"))
        template = root / "templates" / "analysis.docx"
        edited = root / "edited.docx"
        shutil.copy(template, edited)
        _edit_template(edited, "ฉบับปรับปรุง {{ unit_abbr }}")
        os.replace(edited, template)             # as an editor saves: the new file replaces the old
        time.sleep(0.1)
        seed002_analysis().save(inbox / "after.xlsx")
        assert "ฉบับปรับปรุง อบต.คำเนียม" in full_text(document_of("after"))
    finally:
        watcher.stop()
        watcher.kill_group()


def test_edited_dictionary_is_used_without_a_restart(tmp_path: Path) -> None:
    """An administrator adds a domain word to config/dictionary: the next check accepts it."""
    from service.thai.spelling import lexicon, misspellings

    dictionary = tmp_path / "dictionary"
    shutil.copytree(ROOT / "config" / "dictionary", dictionary)
    assert [m.word for m in misspellings("ส่งเสริมจริยธรม", lex=lexicon(dictionary))] == ["จริยธรม"]
    words = dictionary / "words.txt"
    words.write_text(words.read_text(encoding="utf-8") + "\nจริยธรม\n", encoding="utf-8")
    os.utime(words, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert misspellings("ส่งเสริมจริยธรม", lex=lexicon(dictionary)) == []


def test_edited_settings_reach_the_next_job(tmp_path: Path) -> None:
    """thai_digits, charts and limits are taken from settings.toml as it is at each job."""
    from service.settings import refreshed

    config = shipped_copy(tmp_path)
    running = load_settings(config)
    assert refreshed(running).thai_digits is False
    path = config / "settings.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("thai_digits = false", "thai_digits = true")
                    .replace("max_rows = 5000", "max_rows = 100"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    now = refreshed(running)
    assert now.thai_digits is True and now.limits.max_rows == 100
    assert now.outbox == running.outbox and now.pdf == running.pdf
    result = process(seed002_analysis().save(tmp_path / "k.xlsx"), now.model_copy(update={"pdf": False}))
    assert "๙๓.๐๐" in full_text(result.job_dir / result.receipt.documents[0].docx)
