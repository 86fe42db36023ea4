"""The watch-folder service, end to end: a real `python -m service watch` process on temporary folders."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from watcher import WatcherProcess, group_members, sandbox, wait_for
from workbooks import seed000_analysis, seed003_long


@dataclass
class Env:
    """tmp/config and tmp/templates (copies of the shipped ones), tmp/inbox, tmp/outbox."""

    root: Path
    started: list[WatcherProcess] = field(default_factory=list)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def start(self, **env: str) -> WatcherProcess:
        """Charts off: they are most of a job's time and these tests are about the watcher."""
        watcher = WatcherProcess(self.root, **{"ITADOC_CHARTS": "false", **env})
        self.started.append(watcher)
        return watcher


@pytest.fixture
def env(tmp_path: Path):
    sandbox(tmp_path)
    environment = Env(tmp_path)
    yield environment
    for watcher in environment.started:
        watcher.kill_group()


def workbook(path: Path, preparer: str = "นางสาวสมใจ ตั้งใจดี") -> bytes:
    """A good seed-000 workbook whose bytes differ with `preparer`."""
    spec = seed000_analysis()
    spec.general["ผู้จัดทำ"] = preparer
    spec.save(path)
    return path.read_bytes()


def receipts(outbox: Path) -> list[dict]:
    """The receipts of the job folders, outside the service's own state folder (LibreOffice's profiles
    come and go there while we look)."""
    found = []
    for folder, subfolders, files in os.walk(outbox):
        subfolders[:] = [d for d in subfolders if not d.startswith(".")]
        found += [Path(folder, "receipt.json")] if "receipt.json" in files else []
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(found)]


def inbox_files(inbox: Path) -> list[Path]:
    return [p for p in inbox.rglob("*") if p.is_file()]


def test_copy_in_two_halves_seconds_apart_gives_one_good_job(env: Env) -> None:
    data = workbook(env.root / "src.xlsx")
    watcher = env.start()
    target = env.inbox / "slow.xlsx"
    with target.open("wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(2.5)  # ten polls of a half file: stable size and mtime, but not a zip yet
        assert receipts(env.outbox) == []
        fh.write(data[len(data) // 2:])
    wait_for(lambda: receipts(env.outbox), 15, "no receipt")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok" and receipt["sha256"] == hashlib.sha256(data).hexdigest()
    assert (env.outbox / f"slow-{receipt['sha256'][:8]}" / "slow.xlsx").read_bytes() == data
    wait_for(lambda: not inbox_files(env.inbox), 5, "inbox not emptied")
    assert watcher.stop() == 0


def test_times_set_after_the_copy_closed_do_not_make_a_duplicate(env: Env) -> None:
    """A file is taken at its writer's close; `cp -p`, a Windows copy or a backup tool may set its
    modification time just after. Still the same bytes: one job, the inbox emptied, no duplicate note."""
    data = workbook(env.root / "src.xlsx")
    watcher = env.start()
    target = env.inbox / "stamped.xlsx"
    target.write_bytes(data)
    wait_for(lambda: watcher.log("received"), 10, "not taken at its close", step=0.005)
    os.utime(target, (1_700_000_000, 1_700_000_000))   # after the take, before the job ends
    wait_for(lambda: receipts(env.outbox), 15, "no receipt")
    wait_for(lambda: not inbox_files(env.inbox), 10, "inbox not emptied")
    time.sleep(1.0)                                    # a second look would make a duplicate note
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok"
    assert not [p.name for p in env.outbox.rglob("*.json") if p.name != "receipt.json"]
    assert watcher.stop() == 0


def test_lock_files_and_temporaries_are_ignored_and_excel_rename_is_taken(env: Env) -> None:
    inbox = env.inbox
    data = workbook(env.root / "src.xlsx")
    watcher = env.start()
    ignored = ["~$plan.xlsx", ".~lock.plan.xlsx#", "plan.tmp", ".hidden.xlsx", "notes.txt"]
    for name in ignored:
        (inbox / name).write_bytes(data)
    (inbox / "8F3A1B2C").write_bytes(data)  # Excel saves into an extension-less temporary file…
    time.sleep(2)
    assert receipts(env.outbox) == []
    os.rename(inbox / "8F3A1B2C", inbox / "plan.xlsx")  # …then renames it onto the workbook's name
    wait_for(lambda: not (inbox / "plan.xlsx").exists(), 15, "renamed workbook not taken")
    assert [r["workbook"] for r in receipts(env.outbox)] == ["plan.xlsx"]
    assert sorted(p.name for p in inbox_files(inbox)) == sorted(ignored)
    watcher.stop()


def test_same_bytes_twice_give_one_job_and_sub_folder_is_kept(env: Env) -> None:
    inbox, outbox = env.inbox, env.outbox
    watcher = env.start()
    (inbox / "unit-a").mkdir()
    data = workbook(inbox / "unit-a" / "report.xlsx")
    wait_for(lambda: receipts(outbox), 15, "no receipt")
    (inbox / "again.xlsx").write_bytes(data)
    wait_for(lambda: not inbox_files(inbox), 10, "duplicate not removed")
    [receipt] = receipts(outbox)
    job = f"report-{receipt['sha256'][:8]}"
    note_name = f"ไฟล์ซ้ำ_again-{receipt['sha256'][:8]}.json"
    assert sorted(p.name for p in outbox.iterdir() if p.name != ".itadoc" and not p.name.startswith("สรุปภาพรวม_ITA_")) == sorted(["unit-a", note_name])
    note = json.loads((outbox / note_name).read_text(encoding="utf-8"))  # the officer's trace of the re-drop
    assert note["status"] == "duplicate" and note["job_dir"] == f"unit-a/{job}" and f"unit-a/{job}" in note["message"]
    # the log is read from the watcher's stderr by a thread: the line may land just after the removal
    wait_for(lambda: watcher.log("duplicate"), 5, "duplicate not logged")
    watcher.stop()
    with sqlite3.connect(outbox / ".itadoc" / "journal.sqlite3") as db:
        assert db.execute("SELECT state, duplicates FROM jobs").fetchall() == [("done", 1)]


def test_kill_9_mid_way_then_restart_finishes_every_job(env: Env) -> None:
    inbox, outbox = env.inbox, env.outbox
    for i in range(20):
        workbook(inbox / f"wb{i:02}.xlsx", preparer=f"ผู้จัดทำ {i}")
    first = env.start(ITADOC_WORKERS="1")
    wait_for(lambda: receipts(outbox), 20, "no job finished")
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait(timeout=5)
    done_at_kill = len(receipts(outbox))
    assert done_at_kill < 20
    wait_for(lambda: not group_members(first.proc.pid), 5, "workers outlived the killed watcher")
    second = env.start()
    wait_for(lambda: not inbox_files(inbox), 30, "inbox not emptied after restart")
    found = receipts(outbox)
    assert len(found) == 20 and all(r["status"] == "ok" for r in found)
    assert sorted(r["workbook"] for r in found) == [f"wb{i:02}.xlsx" for i in range(20)]
    assert second.stop() == 0


@pytest.mark.needs("soffice")
def test_sigterm_mid_job_leaves_no_half_folder_and_the_job_is_done_at_next_start(env: Env) -> None:
    """A job still in hand after the stop's grace is redone at the next start; meanwhile the officer must
    not find a job folder with no receipt (seen at the end of the five-minute chaos run)."""
    # A long plan and its report, their PDFs one after the other on one LibreOffice: longer than the grace.
    watcher = env.start(ITADOC_WORKERS="1", ITADOC_PDF="true", ITADOC_CHARTS="true", ITADOC_OFFICE_INSTANCES="1")
    seed003_long().save(env.inbox / "wb.xlsx")
    wait_for(lambda: [d for d in env.outbox.glob("wb-*") if d.is_dir()], 60, "job never started")
    assert watcher.stop() == 0
    assert not receipts(env.outbox), "the job finished within the grace: it must outlast it for this test"
    assert not [d for d in env.outbox.glob("wb-*") if not (d / "receipt.json").exists()]
    env.start(ITADOC_WORKERS="1", ITADOC_PDF="true")
    wait_for(lambda: receipts(env.outbox), 60, "the job was not redone at the next start")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok" and all(d["pdf"] for d in receipt["documents"]), receipt


def test_sigterm_stops_within_seconds(env: Env) -> None:
    watcher = env.start()
    for i in range(4):
        workbook(env.inbox / f"t{i}.xlsx", preparer=f"คนที่ {i}")
    time.sleep(0.3)
    started = time.monotonic()
    assert watcher.stop() == 0
    assert time.monotonic() - started < 6  # about 2 s on an idle machine
    wait_for(lambda: watcher.log("stopped"), 5, "stop not logged")  # stderr is read by a thread


def test_slow_job_is_stopped_with_a_thai_reason(env: Env) -> None:
    spec = seed000_analysis()  # 4000 SWOC rows: about 1.5 s of work, five times the timeout
    spec.sheets["SWOC"] += [{"ประเภท": "จุดแข็ง", "ข้อความ": f"ข้อความยาว {i} " * 5} for i in range(4000)]
    spec.save(env.root / "slow.xlsx")
    data = (env.root / "slow.xlsx").read_bytes()
    watcher = env.start(ITADOC_JOB_TIMEOUT_SECONDS="0.3")
    shutil.copyfile(env.root / "slow.xlsx", env.inbox / "slow.xlsx")
    wait_for(lambda: watcher.log("job failed"), 15, "slow job not stopped")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "failed" and receipt["errors"][0]["code"] == "job_timeout"
    assert "วินาที" in receipt["errors"][0]["message"]
    job_dir = env.outbox / f"slow-{receipt['sha256'][:8]}"
    assert (job_dir / "slow.xlsx").read_bytes() == data
    wait_for(lambda: not inbox_files(env.inbox), 5, "inbox not emptied")
    watcher.stop()


def test_dead_observer_is_restarted(env: Env) -> None:
    inbox = env.inbox
    watcher = env.start()
    inbox.rmdir()  # the share goes away: the native observer's watch dies with it…
    time.sleep(1.5)
    inbox.mkdir()  # …and comes back
    wait_for(lambda: watcher.log("observer died"), 10, "observer death not noticed")
    workbook(inbox / "after.xlsx")
    wait_for(lambda: receipts(env.outbox), 15, "no job after the observer restart")
    watcher.stop()


def test_polling_observer_takes_drops(env: Env) -> None:
    watcher = env.start(ITADOC_OBSERVER="polling")
    assert watcher.log("observer=polling")
    workbook(env.inbox / "polled.xlsx")
    wait_for(lambda: receipts(env.outbox), 15, "no receipt with the polling observer")
    watcher.stop()
