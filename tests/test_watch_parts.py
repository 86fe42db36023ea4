"""The watcher's parts on their own: which files are taken, when, the journal, mount detection, log lines."""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path, PurePath

import pytest

from service import logs
from service.delivery.intake import Stability, candidates, is_candidate
from service.delivery.journal import Journal
from service.delivery.watch import fs_type
from workbooks import seed000_analysis


@pytest.mark.parametrize("name, taken", [
    ("plan.xlsx", True), ("PLAN.XLSM", True), ("old.xls", True), ("calc.ods", True),
    ("unit-a/plan.xlsx", True), ("~$plan.xlsx", False), (".~lock.plan.xlsx#", False), ("plan.tmp", False),
    ("8F3A1B2C", False), (".hidden.xlsx", False), (".git/x.xlsx", False), ("notes.txt", False),
    ("~WRL0001.tmp", False), ("plan.xlsx.part", False), ("..x.xlsx", True), ("unit/..x.xlsx", True),
    ("._plan.xlsx", False), ("..unit/plan.xlsx", True),
])
def test_is_candidate(name: str, taken: bool) -> None:
    assert is_candidate(PurePath(name)) is taken


def test_candidates_walk_sub_folders_but_not_hidden_ones(tmp_path: Path) -> None:
    for name in ("a.xlsx", "u/b.xlsx", ".state/c.xlsx", "u/~$b.xlsx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in candidates(tmp_path)) == ["a.xlsx", "u/b.xlsx"]


def test_stability_waits_for_a_whole_zip(tmp_path: Path) -> None:
    data = seed000_analysis().save(tmp_path / "src.xlsx").read_bytes()
    path = tmp_path / "drop.xlsx"
    path.write_bytes(data[:1000])
    stable = Stability(poll_seconds=0.01)
    now = time.monotonic()
    stable.see(path, now)
    assert stable.ready(now + 0.02) == [] and stable.ready(now + 0.04) == []  # settled, but not a zip
    with path.open("ab") as fh:
        fh.write(data[1000:])
    assert stable.ready(now + 0.06) == []  # changed since the last look
    [(taken, look)] = stable.ready(now + 0.08)
    assert taken == path and look.size == len(data) and path not in stable


def test_a_file_its_writer_closed_whole_is_taken_without_waiting(tmp_path: Path) -> None:
    data = seed000_analysis().save(tmp_path / "src.xlsx").read_bytes()
    whole, half = tmp_path / "whole.xlsx", tmp_path / "half.xlsx"
    whole.write_bytes(data)
    half.write_bytes(data[:-200])            # closed by a copy that will resume: never whole
    stable = Stability(poll_seconds=10.0)
    stable.see(whole, 0.0, written=True)
    stable.see(half, 0.0, written=True)
    assert [p for p, _ in stable.ready(0.0)] == [whole]
    assert half in stable and stable.ready(5.0) == []   # the half file waits like any other


def test_a_closed_file_whose_members_are_damaged_is_not_taken_at_once(tmp_path: Path) -> None:
    """A pre-allocated file written out of order can have its central directory before its contents:
    taken early, it must pass every member's checksum."""
    data = bytearray(seed000_analysis().save(tmp_path / "src.xlsx").read_bytes())
    data[200:400] = bytes(200)
    path = tmp_path / "holes.xlsx"
    path.write_bytes(bytes(data))
    stable = Stability(poll_seconds=10.0)
    stable.see(path, 0.0, written=True)
    assert stable.ready(0.0) == []


def test_stability_gives_up_waiting_for_a_zip_after_the_grace(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"not a zip at all")
    stable = Stability(poll_seconds=0.01)
    stable.see(path, 0.0)
    assert stable.ready(0.02) == []
    assert [p for p, _ in stable.ready(31.0)] == [path]  # the officer gets a not_a_workbook receipt


MOUNTS = """/dev/vda / ext4 rw 0 0
//nas/ita /mnt/share cifs rw 0 0
server:/export /mnt/share/nfs nfs4 rw 0 0
host:/x /mnt/with\\040space fuse.sshfs rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/work/inbox", "ext4"), ("/mnt/share/inbox", "cifs"), ("/mnt/share/nfs/in", "nfs4"),
    ("/mnt/sharex", "ext4"), ("/mnt/with space/inbox", "fuse.sshfs"),
])
def test_fs_type_finds_the_longest_mount(path: str, kind: str) -> None:
    assert fs_type(Path(path), MOUNTS) == kind


def test_journal_states_and_duplicates(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "state")
    journal.receive("ab" * 32, "u/a.xlsx", tmp_path / "u" / "a-abababab")
    journal.start("ab" * 32)
    assert [e.state for e in journal.unfinished()] == ["processing"]
    journal.close()
    journal = Journal(tmp_path / "state")  # as after a restart
    [entry] = journal.unfinished()
    assert (entry.source, entry.attempts, entry.finished) == ("u/a.xlsx", 1, False)
    journal.receive(entry.sha256, entry.source, Path(entry.job_dir))
    journal.start(entry.sha256)
    journal.finish(entry.sha256, ok=True, outputs=["receipt.json"])
    journal.duplicate(entry.sha256)
    done = journal.get(entry.sha256)
    assert done is not None and (done.state, done.attempts, done.duplicates, done.finished) == ("done", 2, 1, True)
    assert journal.unfinished() == []


@pytest.fixture
def restore_logging():
    logger = logging.getLogger("itadoc")
    saved = logger.handlers[:], logger.level, logger.propagate
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.mark.usefixtures("restore_logging")
def test_log_lines_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    log = logging.getLogger("itadoc.test")
    logs.setup(json_lines=False)
    log.info("job done", extra={"path": "ก.xlsx", "status": "ok"})
    logs.setup(json_lines=True)
    log.info("job done", extra={"path": "ก.xlsx", "status": "ok"})
    text, line = capsys.readouterr().err.splitlines()
    assert text.endswith("INFO itadoc.test job done path=ก.xlsx status=ok")
    assert json.loads(line) | {"ts": ""} == {"ts": "", "level": "INFO", "logger": "itadoc.test",
                                             "event": "job done", "path": "ก.xlsx", "status": "ok"}
