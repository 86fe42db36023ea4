"""Which files the web page may hand out: regular files directly inside a job folder, nothing else.

A request names a path relative to the outbox. It is refused when any part is empty, `.`/`..`, hidden
(the state_dir `.itadoc`, temporary files) or a symbolic link; when the file's folder holds no receipt
(so the outbox root, with its roll-ups, and plain sub-folders are out); or when it lies in the state_dir.
Each part is checked with lstat, so no link, inside or outside the outbox, is ever followed.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from service.delivery.units import RECEIPT


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except OSError:
        return None


def job_file(outbox: Path, state_dir: Path, relative: str) -> Path | None:
    """The file `relative` names inside a job folder of `outbox` (both resolved), or None."""
    parts = relative.split("/")
    if len(parts) < 2 or any(p in ("", ".", "..") or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
        return None
    current = outbox
    for part in parts:
        current = current / part
        st = _lstat(current)
        if st is None or stat.S_ISLNK(st.st_mode):
            return None
    receipt = _lstat(current.parent / RECEIPT)
    if not stat.S_ISREG(st.st_mode) or receipt is None or not stat.S_ISREG(receipt.st_mode):
        return None
    if current.parent == state_dir or state_dir in current.parents:
        return None
    return current


def listing(outbox: Path, job_path: str) -> list[str]:
    """The files of a job folder the page offers: regular, not hidden, not links."""
    try:
        entries = list(os.scandir(outbox / job_path))
    except OSError:
        return []
    return sorted(e.name for e in entries if not e.name.startswith(".") and e.is_file(follow_symlinks=False))
