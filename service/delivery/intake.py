"""Which files in the inbox to take, and when: only finished workbooks, never lock files or temporaries.

A created event fires before a copy has finished, and network shares send no events at all, so a file
is taken only when its size and mtime are unchanged across two looks `poll_seconds` apart and, for the
zip-based Excel formats, it opens as a zip (the central directory is written last, so a half-copied or
pre-allocated file does not open). A file that never opens is taken after `NOT_ZIP_GRACE_SECONDS`
anyway, so that the officer gets a `not_a_workbook` receipt instead of silence.
"""
from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterator

ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# .xls (OLE2) is not a zip; .ods is, but may be converted from elsewhere: size+mtime only, held longer.
OTHER_SUFFIXES = frozenset({".xls", ".ods"})
ACCEPTED = ZIP_SUFFIXES | OTHER_SUFFIXES
OTHER_SETTLE_SECONDS = 1.0
NOT_ZIP_GRACE_SECONDS = 30.0


def is_candidate(relative: PurePath) -> bool:
    """A workbook an officer dropped, not Excel's `~$x.xlsx` lock, LibreOffice's `.~lock.x#`, a hidden
    file or folder, `x.tmp`, or Excel's extension-less temporary save file."""
    if any(part.startswith((".", "~")) for part in relative.parts):
        return False
    return relative.suffix.lower() in ACCEPTED


def candidates(inbox: Path) -> Iterator[Path]:
    """Every candidate under the inbox, sub-folders included (hidden folders are not entered)."""
    for folder, dirs, files in os.walk(inbox):
        dirs[:] = [d for d in dirs if not d.startswith((".", "~"))]
        for name in files:
            path = Path(folder, name)
            if is_candidate(path.relative_to(inbox)):
                yield path


@dataclass(frozen=True)
class Look:
    """What one stat saw; `same_file` tells whether the file was replaced or changed since."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Look | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


def opens_as_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path):
            return True
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


@dataclass
class Waiting:
    look: Look
    looked_at: float
    settled_since: float | None = None

    def restart(self, look: Look, now: float) -> None:
        self.look, self.looked_at, self.settled_since = look, now, None


class Stability:
    """Files seen but not yet taken; `due()` says when to look again, `ready()` which ones to take."""

    def __init__(self, poll_seconds: float) -> None:
        self.poll = poll_seconds
        self.waiting: dict[Path, Waiting] = {}

    def __contains__(self, path: Path) -> bool:
        return path in self.waiting

    def see(self, path: Path, now: float) -> None:
        """Start watching a file, or restart its wait when an event shows it changed: the wait then runs
        from the writer's last change (its close), not from the create event at the start of a copy."""
        look = Look.of(path)
        if look is None:
            return
        waiting = self.waiting.get(path)
        if waiting is None:
            self.waiting[path] = Waiting(look, now)
        elif waiting.look != look:
            waiting.restart(look, now)

    def forget(self, path: Path) -> None:
        self.waiting.pop(path, None)

    def next_due(self) -> float | None:
        return min((w.looked_at + self.poll for w in self.waiting.values()), default=None)

    def ready(self, now: float) -> list[tuple[Path, Look]]:
        """Look again at every file whose time has come; return those that are finished."""
        taken = []
        for path, w in list(self.waiting.items()):
            if now < w.looked_at + self.poll:
                continue
            look = Look.of(path)
            if look is None:  # gone: renamed by Excel's save, moved away by the officer
                del self.waiting[path]
                continue
            if look != w.look:
                w.restart(look, now)
                continue
            w.looked_at = now
            w.settled_since = w.settled_since or now
            if self._finished(path, w, now):
                del self.waiting[path]
                taken.append((path, look))
        return taken

    @staticmethod
    def _finished(path: Path, w: Waiting, now: float) -> bool:
        if path.suffix.lower() in OTHER_SUFFIXES:
            return now - w.settled_since >= OTHER_SETTLE_SECONDS
        return opens_as_zip(path) or now - w.settled_since >= NOT_ZIP_GRACE_SECONDS
