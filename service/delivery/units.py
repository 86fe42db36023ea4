"""Every unit's latest job, read back from the receipts in the outbox (no journal needed).

The unit rule: a workbook belongs to the inbox sub-folder it was dropped into; the unit name typed in
ข้อมูลทั่วไป is shown beside it, and a sub-folder whose workbooks name two different units is flagged. A
workbook dropped straight into the inbox (no sub-folder) belongs to the unit it names; one whose unit
cannot be read stands alone, keyed by its file name, so it is never counted in another unit's row.

Receipts are read defensively: other versions may add or drop fields, and one unreadable receipt is
skipped and logged, never fatal. Parsed receipts are cached by (mtime, size), so a rescan of thousands
of job folders costs one stat each.
"""
from __future__ import annotations

import json
import logging
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from service.thai.dates import fiscal_quarter

log = logging.getLogger("itadoc.units")
RECEIPT = "receipt.json"  # the job folder's marker (job.RECEIPT; not imported, to keep the web light)

STATUS_LABELS = {"ok": "สำเร็จ", "errors": "มีข้อผิดพลาด", "blocked": "ไม่ได้เอกสาร"}


@dataclass(frozen=True)
class Job:
    """One job folder, as its receipt tells it."""

    path: str                  # job folder relative to the outbox, POSIX
    folder: str                # the inbox sub-folder it came from ("" = straight into the inbox)
    workbook: str
    unit: str                  # as typed in ข้อมูลทั่วไป ("" when unreadable)
    fiscal_year: int | None
    status: str                # ok | errors | blocked (STATUS_LABELS)
    errors: int
    warnings: int
    dropped: datetime          # when the receipt was written
    figures: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    messages: tuple[str, ...] = ()   # the first errors' Thai messages, with their cell

    @property
    def key(self) -> tuple[str, str]:
        """(sub-folder, "") — or, straight in the inbox, ("", unit name or "ไฟล์ <workbook>")."""
        if self.folder:
            return self.folder, ""
        return "", self.unit or f"ไฟล์ {self.workbook}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Unit:
    """One row: a unit in one fiscal year, from its latest job."""

    key: tuple[str, str]
    fiscal_year: int
    latest: Job
    jobs: int
    names: list[str]           # distinct unit names the sub-folder's workbooks gave (all years)

    @property
    def folder(self) -> str:
        return self.key[0]

    @property
    def name(self) -> str:
        return self.latest.unit or next(iter(self.names), "") or self.key[1]

    @property
    def warning(self) -> str:
        if len(self.names) < 2:
            return ""
        return "โฟลเดอร์นี้ส่งไฟล์ของหน่วยงานมากกว่าหนึ่งชื่อ: " + ", ".join(self.names)

    @property
    def behind(self) -> bool:
        return bool(number(quarterly(self.latest).get("activities_behind")))

    @property
    def flagged(self) -> bool:
        """Errors or behind plan: what the coordinator must look at first."""
        return self.latest.status != "ok" or self.behind


def number(value: Any) -> int | float | None:
    """A JSON number, or None for anything else (bool, text, null)."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def quarterly(job: Job) -> dict[str, Any]:
    value = job.figures.get("quarterly")
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split()) if isinstance(value, str) else ""


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def _status(data: dict[str, Any]) -> str:
    """blocked: no document made; errors: documents made but an error or a blocked document; else ok."""
    if not _count(data.get("documents")):
        return "blocked"
    if _count(data.get("errors")) or _count(data.get("blocked")) or data.get("status") == "failed":
        return "errors"
    return "ok"


def parse_receipt(data: Any, path: str, dropped: datetime) -> Job:
    """A Job from a receipt's JSON; raises ValueError when it is not a receipt at all."""
    if not isinstance(data, dict) or not isinstance(data.get("workbook", ""), str):
        raise ValueError("not a receipt object")
    year = data.get("fiscal_year")
    figures = data.get("figures")
    parent = PurePosixPath(path).parent.as_posix()
    return Job(path=path, folder="" if parent == "." else parent,
               workbook=_text(data.get("workbook")) or PurePosixPath(path).name,
               unit=_text(data.get("unit")),
               fiscal_year=year if isinstance(year, int) and not isinstance(year, bool) else None,
               status=_status(data), errors=_count(data.get("errors")), warnings=_count(data.get("warnings")),
               dropped=dropped, figures=figures if isinstance(figures, dict) else {},
               messages=_messages(data.get("errors")))


def _messages(errors: Any, limit: int = 3) -> tuple[str, ...]:
    """'คะแนนตัวชี้วัด D2: คะแนนต้องอยู่ระหว่าง …' for the first errors of a receipt."""
    if not isinstance(errors, list):
        return ()
    found = []
    for error in errors[:limit]:
        if isinstance(error, dict) and _text(error.get("message")):
            where = " ".join(_text(error.get(k)) for k in ("sheet", "cell") if _text(error.get(k)))
            found.append(f"{where}: {_text(error['message'])}" if where else _text(error["message"]))
    return tuple(found)


def job_folders(outbox: Path) -> list[tuple[str, os.stat_result]]:
    """(job folder relative to the outbox, stat of its receipt) for every folder holding a receipt.
    Hidden folders (the state_dir `.itadoc`, temporary files) and symbolic links are never entered.
    Receipts are stat'ed relative to their parent's descriptor: a short path walk each, 5,000 of them."""
    found: list[tuple[str, os.stat_result]] = []
    stack: list[tuple[str, str]] = [(str(outbox), "")]
    while stack:
        directory, relative = stack.pop()
        try:
            # the outbox itself may be a link an administrator made; nothing below it is followed
            fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | (os.O_NOFOLLOW if relative else 0))
        except OSError:
            continue
        try:
            for entry in os.scandir(fd):
                name = entry.name
                if name.startswith(".") or not entry.is_dir(follow_symlinks=False):
                    continue
                rel = f"{relative}/{name}" if relative else name
                try:
                    st = os.stat(f"{name}/{RECEIPT}", dir_fd=fd, follow_symlinks=False)
                except OSError:
                    stack.append((f"{directory}/{name}", rel))
                    continue
                if stat.S_ISREG(st.st_mode):
                    found.append((rel, st))
        finally:
            os.close(fd)
    return found


class Catalog:
    """The outbox's jobs, rescanned on each call; receipts unchanged since the last call are not re-read."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox
        self._cache: dict[str, tuple[tuple[int, int], Job | None]] = {}

    def jobs(self) -> list[Job]:
        cache: dict[str, tuple[tuple[int, int], Job | None]] = {}
        for rel, st in job_folders(self.outbox):
            stamp = (st.st_mtime_ns, st.st_size)
            hit = self._cache.get(rel)
            cache[rel] = hit if hit and hit[0] == stamp else (stamp, self._read(rel, st))
        self._cache = cache
        return [job for _, job in cache.values() if job is not None]

    def _read(self, rel: str, st: os.stat_result) -> Job | None:
        try:
            data = json.loads((self.outbox / rel / RECEIPT).read_bytes())
            return parse_receipt(data, rel, datetime.fromtimestamp(st.st_mtime))
        except (OSError, ValueError) as exc:
            log.warning("unreadable receipt skipped / ข้ามไฟล์ receipt.json ที่อ่านไม่ได้: %s", exc,
                        extra={"job_dir": rel})
            return None


def units(jobs: list[Job]) -> list[Unit]:
    """One Unit per (unit key, fiscal year), from its latest job, sorted by year then name.

    A job without a fiscal year (an unreadable workbook) counts in the year of its unit's latest job
    that has one, else in the fiscal year of the day it was dropped."""
    by_key: dict[tuple[str, str], list[Job]] = {}
    for job in jobs:
        by_key.setdefault(job.key, []).append(job)
    rows: list[Unit] = []
    for key, group in by_key.items():
        group.sort(key=lambda j: (j.dropped, j.path))
        names = list(dict.fromkeys(j.unit for j in group if j.unit))
        known = [j.fiscal_year for j in group if j.fiscal_year is not None]
        by_year: dict[int, list[Job]] = {}
        for job in group:
            year = job.fiscal_year or (known[-1] if known else fiscal_quarter(job.dropped.date())[0])
            by_year.setdefault(year, []).append(job)
        rows += [Unit(key, year, year_jobs[-1], len(year_jobs), names) for year, year_jobs in by_year.items()]
    rows.sort(key=lambda u: (u.fiscal_year, u.name, u.key))
    return rows


def history(jobs: list[Job], key: tuple[str, str]) -> list[Job]:
    """A unit's jobs, newest first: only the jobs whose key is this unit's."""
    return sorted((j for j in jobs if j.key == key), key=lambda j: (j.dropped, j.path), reverse=True)
