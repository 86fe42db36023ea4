"""Shared fixtures: settings pointing at a temporary outbox, and reading rendered documents back."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from service.settings import Settings, load_settings  # noqa: E402


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The repository's config and templates, with output under tmp_path and no PDF."""
    return load_settings(ROOT / "config", outbox=tmp_path / "outbox", pdf=False)
