"""A private copy of the shipped config/ and templates/ for a test or a benchmark.

Administrators are told to edit config/ and templates/; a test that read them would pass or fail with
their edits. Copied side by side, so the paths in the copied settings.toml (relative to the folder that
holds config/) find the copied templates.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shipped_copy(root: Path, code: Path = ROOT) -> Path:
    """Copy config/ and templates/ of the checkout `code` into `root`; return the copied config folder."""
    for name in ("config", "templates"):
        shutil.copytree(code / name, root / name)
    return root / "config"
