"""The watcher's journal (SQLite in `state_dir`): one row per workbook content, so that the same bytes
are never processed twice and a job cut off by a crash or `kill -9` is found and redone at the next start.

States: received → processing → done (receipt ok) | failed (receipt failed, or the watcher ended the job:
`reason` then says why: timeout, crash, error, gone, superseded). Only a good job makes a re-drop a
duplicate; a failed one is processed again. `stamp` is the configuration the job ran with (a job done
under older templates, frameworks or dictionary is redone on a re-drop), `staged` the watcher's own copy
of the input, from which an interrupted job is redone.
WAL with synchronous=NORMAL survives a killed process; after a power cut the last commits may be lost, which
the start-up recovery covers because the file stays in the inbox until its job has finished. A journal
that cannot be read is set aside and rebuilt from the receipts in the outbox: it is an index, the job
folders are the record.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

log = logging.getLogger("itadoc.journal")
FILE = "journal.sqlite3"
UNFINISHED = ("received", "processing")
_ENTRY = "SELECT sha256, source, job_dir, state, reason, attempts, duplicates, stamp, staged FROM jobs"
_ADDED = {"stamp": "TEXT", "staged": "TEXT"}  # columns newer than the first journals

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    sha256      TEXT PRIMARY KEY,
    source      TEXT NOT NULL,      -- path relative to the inbox, as dropped
    job_dir     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('received', 'processing', 'done', 'failed')),
    reason      TEXT,               -- why the watcher failed the job (timeout, crash); NULL otherwise
    outputs     TEXT,               -- JSON list of the files written into job_dir
    stamp       TEXT,               -- configuration the job ran with (templates, frameworks, dictionary)
    staged      TEXT,               -- the watcher's copy of the input while the job is unfinished
    attempts    INTEGER NOT NULL DEFAULT 0,
    duplicates  INTEGER NOT NULL DEFAULT 0,
    received_at REAL NOT NULL,
    started_at  REAL,
    finished_at REAL
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state);
"""


@dataclass(frozen=True)
class Entry:
    sha256: str
    source: str
    job_dir: str
    state: str
    reason: str | None
    attempts: int
    duplicates: int
    stamp: str | None = None
    staged: str | None = None

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED


class Journal:
    def __init__(self, state_dir: Path, receipts: Iterable[tuple[Path, dict]] = ()) -> None:
        """`receipts` (job folder, receipt) rebuild the rows when the journal had to be set aside."""
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / FILE
        try:
            self.db = self._open()
        except sqlite3.OperationalError:
            raise  # locked, full disk, I/O error: the file may be fine, never set it aside for that
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{FILE}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
            log.error("journal unreadable, set aside and rebuilt from the outbox / สมุดบันทึกงานเสียหาย "
                      "ย้ายไปไว้ที่ %s และสร้างใหม่จากใบรับในโฟลเดอร์ outbox: %s", aside.name, exc)
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                self.path.with_name(FILE + suffix).unlink(missing_ok=True)
            self.db = self._open()
            self._rebuild(receipts)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            db.executescript(_SCHEMA)
            present = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
            for column, kind in _ADDED.items():
                if column not in present:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN {column} {kind}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _rebuild(self, receipts: Iterable[tuple[Path, dict]]) -> None:
        count = 0
        for job_dir, receipt in receipts:
            self.db.execute(
                "INSERT OR REPLACE INTO jobs (sha256, source, job_dir, state, outputs, received_at, finished_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (receipt["sha256"], receipt["workbook"], str(job_dir),
                 "done" if receipt.get("status") == "ok" else "failed",
                 json.dumps(sorted(p.name for p in job_dir.iterdir()), ensure_ascii=False),
                 time.time(), time.time()))
            count += 1
        log.warning("journal rebuilt / สร้างสมุดบันทึกงานใหม่แล้ว", extra={"jobs": count})

    def close(self) -> None:
        self.db.close()

    def get(self, sha: str) -> Entry | None:
        row = self.db.execute(f"{_ENTRY} WHERE sha256 = ?", (sha,)).fetchone()
        return Entry(*row) if row else None

    def unfinished(self) -> list[Entry]:
        rows = self.db.execute(f"{_ENTRY} WHERE state IN (?, ?) ORDER BY received_at", UNFINISHED).fetchall()
        return [Entry(*r) for r in rows]

    def failed(self) -> list[Entry]:
        return [Entry(*r) for r in self.db.execute(f"{_ENTRY} WHERE state = 'failed' ORDER BY received_at")]

    def receive(self, sha: str, source: str, job_dir: Path, stamp: str | None = None,
                staged: Path | None = None) -> None:
        """A new job, or a fresh start of one that was interrupted, failed or made under another configuration."""
        self.db.execute(
            "INSERT INTO jobs (sha256, source, job_dir, state, stamp, staged, received_at) "
            "VALUES (?, ?, ?, 'received', ?, ?, ?) "
            "ON CONFLICT (sha256) DO UPDATE SET source = excluded.source, job_dir = excluded.job_dir, "
            "state = 'received', reason = NULL, outputs = NULL, stamp = excluded.stamp, staged = excluded.staged, "
            "received_at = excluded.received_at, started_at = NULL, finished_at = NULL",
            (sha, source, str(job_dir), stamp, staged and str(staged), time.time()))

    def start(self, sha: str) -> None:
        self.db.execute("UPDATE jobs SET state = 'processing', started_at = ?, attempts = attempts + 1 "
                        "WHERE sha256 = ?", (time.time(), sha))

    def finish(self, sha: str, ok: bool, outputs: list[str], reason: str | None = None) -> None:
        self.db.execute("UPDATE jobs SET state = ?, reason = ?, outputs = ?, finished_at = ?, staged = NULL "
                        "WHERE sha256 = ?",
                        ("done" if ok else "failed", reason, json.dumps(outputs, ensure_ascii=False),
                         time.time(), sha))

    def duplicate(self, sha: str) -> None:
        self.db.execute("UPDATE jobs SET duplicates = duplicates + 1 WHERE sha256 = ?", (sha,))
