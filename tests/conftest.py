"""Shared fixtures: settings on a private copy of config/ and templates/, with a temporary outbox.

The helpers the tests share with the benchmarks live in tests/support/ (on sys.path: `from workbooks import …`).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "support"))

from needs import pytest_configure, pytest_runtest_setup  # noqa: E402,F401  (the `needs` marker)
from shipped import ROOT, shipped_copy  # noqa: E402,F401  (ROOT: the repository, for commands run in it)
from service.settings import Settings, load_settings  # noqa: E402

pytest_plugins = ("pytester",)


@pytest.fixture
def settings(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Copies of the shipped config and templates (in a folder of their own, beside tmp_path), output
    under tmp_path/outbox, no PDF: a test never reads or writes the files administrators edit."""
    config = shipped_copy(tmp_path_factory.mktemp("shipped"))
    return load_settings(config, outbox=tmp_path / "outbox", pdf=False)
