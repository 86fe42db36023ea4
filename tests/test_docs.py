"""The documentation a reader gets: every link leads somewhere, the README stays short, the reference
says what the code says, and no page carries a development log's issue numbers or a machine's paths."""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from shipped import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _make_reference():
    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "tools" / "make_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_every_relative_link_resolves() -> None:
    broken = []
    for page in PAGES:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#", 1)[0]
            if not (page.parent / path).exists():
                broken.append(f"{page.relative_to(ROOT)} → {target}")
    assert broken == []


def test_the_link_check_sees_a_broken_link(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("[a](missing.md) [b](https://example.org) ![c](p.md)", encoding="utf-8")
    targets = [t for t in _LINK.findall(page.read_text(encoding="utf-8")) if not re.match(r"[a-z]+:", t)]
    assert [t for t in targets if not (tmp_path / t).exists()] == ["missing.md"]


def test_readme_is_at_most_15_kb() -> None:
    assert (ROOT / "README.md").stat().st_size <= 15 * 1024


def test_no_issue_numbers_or_machine_paths() -> None:
    # "issue 8", "#12", and absolute machine paths (not a relative "state_dir/work/")
    bad = re.compile(r"\bissues? *#? *\d|#\d|(?<![\w.-])/(?:work|tmp)/", re.IGNORECASE)
    assert len(bad.findall("issue #8, issue 16, (#12), /work/x, `/tmp/y`, the gap issues, #DIV/0!, state_dir/work/")) == 5
    found = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in PAGES for m in bad.finditer(p.read_text(encoding="utf-8"))]
    assert found == []


def test_reference_is_generated_from_the_code() -> None:
    stale = [str(path.relative_to(ROOT)) for path, text in _make_reference().pages().items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    assert stale == [], "run: python tools/make_reference.py"
