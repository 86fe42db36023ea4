"""The test helpers themselves: what they promise is what they do."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shipped import ROOT


def test_needs_skips_on_a_desk_and_fails_in_ci(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest("from needs import pytest_configure, pytest_runtest_setup")
    pytester.makepyfile('import pytest\n\n@pytest.mark.needs("itadoc-no-such-program")\ndef test_x():\n    pass\n')
    monkeypatch.delenv("CI", raising=False)
    pytester.runpytest_inprocess().assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "true")
    pytester.runpytest_inprocess().assert_outcomes(errors=1)


def test_settings_point_at_copies_not_at_the_shipped_files(settings) -> None:
    assert settings.config_dir != ROOT / "config" and settings.templates != ROOT / "templates"
    assert (settings.config_dir / "settings.toml").read_bytes() == (ROOT / "config" / "settings.toml").read_bytes()
    assert sorted(p.name for p in settings.templates.iterdir()) == sorted(p.name for p in (ROOT / "templates").iterdir())
    assert not settings.outbox.is_relative_to(ROOT)


def test_tests_never_import_the_benchmarks() -> None:
    """bench/ imports tests/support/, never the other way: no tangle."""
    bench = {p.stem for p in (ROOT / "bench").glob("*.py")} | {"bench"}
    for path in Path(__file__).resolve().parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not {n.split(".")[0] for n in names} & bench, (path, names)
