"""The watcher's journal (SQLite in `state_dir`): one row per workbook content, so that the same bytes
are never processed twice and a job cut off by a crash or `kill -9` is found and redone at the next start.

States: received → processing → done (receipt ok) | failed (receipt failed, or the watcher had to stop the
job: `reason` then says why, and such a job is retried when the same bytes are dropped again).
WAL with synchronous=NORMAL survives a killed process; after a power cut the last commits may be lost, which
the start-up recovery covers because the file stays in the inbox until its job has finished.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

FILE = "journal.sqlite3"
UNFINISHED = ("received", "processing")
_ENTRY = "SELECT sha256, source, job_dir, state, reason, attempts, duplicates FROM jobs"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    sha256      TEXT PRIMARY KEY,
    source      TEXT NOT NULL,      -- path relative to the inbox, as dropped
    job_dir     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('received', 'processing', 'done', 'failed')),
    reason      TEXT,               -- why the watcher failed the job (timeout, crash); NULL otherwise
    outputs     TEXT,               -- JSON list of the files written into job_dir
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

    @property
    def finished(self) -> bool:
        return self.state not in UNFINISHED


class Journal:
    def __init__(self, state_dir: Path) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.path = state_dir / FILE
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def get(self, sha: str) -> Entry | None:
        row = self.db.execute(f"{_ENTRY} WHERE sha256 = ?", (sha,)).fetchone()
        return Entry(*row) if row else None

    def unfinished(self) -> list[Entry]:
        rows = self.db.execute(f"{_ENTRY} WHERE state IN (?, ?) ORDER BY received_at", UNFINISHED).fetchall()
        return [Entry(*r) for r in rows]

    def receive(self, sha: str, source: str, job_dir: Path) -> None:
        """A new job, or a fresh start of one that was interrupted or stopped by the watcher."""
        self.db.execute(
            "INSERT INTO jobs (sha256, source, job_dir, state, received_at) VALUES (?, ?, ?, 'received', ?) "
            "ON CONFLICT (sha256) DO UPDATE SET source = excluded.source, job_dir = excluded.job_dir, "
            "state = 'received', reason = NULL, outputs = NULL, received_at = excluded.received_at, "
            "started_at = NULL, finished_at = NULL", (sha, source, str(job_dir), time.time()))

    def start(self, sha: str) -> None:
        self.db.execute("UPDATE jobs SET state = 'processing', started_at = ?, attempts = attempts + 1 "
                        "WHERE sha256 = ?", (time.time(), sha))

    def finish(self, sha: str, ok: bool, outputs: list[str], reason: str | None = None) -> None:
        self.db.execute("UPDATE jobs SET state = ?, reason = ?, outputs = ?, finished_at = ? WHERE sha256 = ?",
                        ("done" if ok else "failed", reason, json.dumps(outputs, ensure_ascii=False),
                         time.time(), sha))

    def duplicate(self, sha: str) -> None:
        self.db.execute("UPDATE jobs SET duplicates = duplicates + 1 WHERE sha256 = ?", (sha,))
