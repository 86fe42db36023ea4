"""The `needs(*programs)` marker: a developer without LibreOffice may skip the PDF tests, CI may not.

Loaded by tests/conftest.py. In CI (`CI=true`, as CI services set it) a missing program fails the test
instead of skipping it, so a CI image without LibreOffice can never pass by skipping what it cannot run.
"""
from __future__ import annotations

import os
import shutil

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs(*programs): skip without these programs, but fail in CI (CI=true)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers("needs"):
        missing = [p for p in marker.args if shutil.which(p) is None]
        if not missing:
            continue
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"CI=true but not installed: {', '.join(missing)}", pytrace=False)
        pytest.skip(f"not installed: {', '.join(missing)}")
