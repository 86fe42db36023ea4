"""Which files in the inbox to take, and when: only finished workbooks, never lock files, temporaries or links.

A created event fires before a copy has finished, and network shares send no events at all, so a file
is taken only when its size and mtime are unchanged across two looks `poll_seconds` apart and it is whole:
the zip formats (.xlsx, .xlsm, .ods) open as a zip whose every member passes its checksum (the central
directory is written last, so a half-copied file does not open, and a pre-allocated file written out of
order fails a checksum), an .xls opens as an OLE2 container with its workbook stream intact. When the
writer's close (or rename onto the name) is seen, a file that is already whole is taken at once: waiting
out `poll_seconds` then only adds to what the officer waits.
A file that never becomes whole is taken after `incomplete_grace_seconds` anyway, so that the officer gets
a `not_a_workbook` receipt instead of silence (and the watcher keeps it a while in case the copy resumes).

Nothing is ever read through a symbolic link: a link in a shared inbox could point at any file the
service may read (`/etc/shadow`, another unit's workbook), so files are looked at with lstat and opened
one path component at a time with O_NOFOLLOW.
"""
from __future__ import annotations

import errno
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterator

import olefile

ZIP_SUFFIXES = frozenset({".xlsx", ".xlsm"})
ACCEPTED = ZIP_SUFFIXES | frozenset({".xls", ".ods"})


def _hidden(part: str) -> bool:
    """`.x` (Unix hidden, macOS `._x`, LibreOffice `.~lock`) and `~x` (Office locks and temporaries);
    `..x.xlsx` is an officer's odd name, not a hidden file."""
    return part.startswith("~") or (part.startswith(".") and not part.startswith(".."))


def is_candidate(relative: PurePath) -> bool:
    """A workbook an officer dropped, not Excel's `~$x.xlsx` lock, LibreOffice's `.~lock.x#`, a hidden
    file or folder, `x.tmp`, or Excel's extension-less temporary save file."""
    if any(_hidden(part) for part in relative.parts):
        return False
    return relative.suffix.lower() in ACCEPTED


def candidates(inbox: Path) -> Iterator[Path]:
    """Every candidate under the inbox, sub-folders included (hidden folders and links are not entered)."""
    for folder, dirs, files in os.walk(inbox):
        dirs[:] = [d for d in dirs if not _hidden(d)]
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
        """The file itself, never a link's target (lstat)."""
        try:
            st = path.lstat()
        except OSError:
            return None
        return cls.of_stat(st)

    @classmethod
    def of_stat(cls, st: os.stat_result) -> Look:
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


class NotARegularFile(OSError):
    """A link, fifo, device or folder where a workbook was expected: never opened, never copied."""


def open_inside(inbox: Path, relative: PurePath) -> int:
    """A read-only descriptor of `inbox/relative`, opened one component at a time with O_NOFOLLOW so that
    no link (the file, or a folder swapped for a link meanwhile) leads out of the inbox. Raises
    NotARegularFile for anything but a plain file, FileNotFoundError when it vanished."""
    fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in relative.parts[:-1]:
            try:
                inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise NotARegularFile(exc.errno, "ไม่ใช่โฟลเดอร์ปกติ (ลิงก์)", str(relative)) from exc
                raise
            os.close(fd)
            fd = inner
        try:  # O_NONBLOCK: a fifo must not hang the watcher before fstat refuses it
            file_fd = os.open(relative.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise NotARegularFile(exc.errno, "เป็นลิงก์ (symbolic link)", str(relative)) from exc
            raise
    finally:
        os.close(fd)
    if not stat.S_ISREG(os.fstat(file_fd).st_mode):
        os.close(file_fd)
        raise NotARegularFile(errno.EINVAL, "ไม่ใช่ไฟล์ปกติ", str(relative))
    os.set_blocking(file_fd, True)
    return file_fd


def is_whole(path: Path) -> bool:
    """The file's last part has been written: a zip's central directory, an OLE2 workbook stream."""
    try:
        if path.suffix.lower() == ".xls":
            with olefile.OleFileIO(str(path)) as ole:
                stream = "Workbook" if ole.exists("Workbook") else "Book"
                ole.openstream(stream).read()
            return True
        with zipfile.ZipFile(path) as z:
            return z.testzip() is None
    except Exception:  # olefile and zipfile raise many kinds for a truncated file; all mean "not yet"
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

    def __init__(self, poll_seconds: float, grace_seconds: float = 30.0) -> None:
        self.poll, self.grace = poll_seconds, grace_seconds
        self.waiting: dict[Path, Waiting] = {}

    def __contains__(self, path: Path) -> bool:
        return path in self.waiting

    def see(self, path: Path, now: float, written: bool = False) -> None:
        """Start watching a file, or restart its wait when an event shows it changed: the wait then runs
        from the writer's last change (its close), not from the create event at the start of a copy.
        `written`: its writer closed it or renamed it onto its name, so it is looked at again now."""
        look = Look.of(path)
        if look is None:
            return
        since = now - self.poll if written else now
        waiting = self.waiting.get(path)
        if waiting is None:
            self.waiting[path] = Waiting(look, since)
        elif waiting.look != look:
            waiting.restart(look, since)
        elif written:
            waiting.looked_at = since

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

    def _finished(self, path: Path, w: Waiting, now: float) -> bool:
        return is_whole(path) or now - (w.settled_since or now) >= self.grace
