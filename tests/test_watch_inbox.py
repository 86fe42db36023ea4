"""The shared inbox as officers really use it: paused copies, replaced and deleted files, links, odd names,
folders inside one another, a full disk, a corrupt journal, killed workers. Each test runs a real
`python -m service watch` process on temporary folders and looks at what an officer or administrator sees."""
from __future__ import annotations

import hashlib
import json
import os
import signal
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from service.delivery.rollup import PREFIX as ROLLUP_PREFIX

from chaos_run import descendants, is_soffice
from watcher import ROOT, wait_for
from tests.test_watch import Env, env, inbox_files, receipts, workbook  # noqa: F401  (env is a fixture)
from workbooks import seed000_analysis


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def job_copies_match(outbox: Path) -> None:
    """Every job folder's receipt names the bytes that job read (its copy of the workbook)."""
    for receipt_path in outbox.rglob("receipt.json"):
        receipt = json.loads(receipt_path.read_text(encoding="utf-8"))
        copy = receipt_path.parent / receipt["workbook"]
        assert sha(copy.read_bytes()) == receipt["sha256"], receipt_path.parent.name


def slow_workbook(path: Path) -> Path:
    """About 1.5 s of work: keeps a single worker busy so that later drops wait in the queue."""
    spec = seed000_analysis()
    spec.sheets["SWOC"] += [{"ประเภท": "จุดแข็ง", "ข้อความ": f"ข้อความยาว {i} " * 5} for i in range(4000)]
    return spec.save(path)


def busy_worker(env: Env) -> None:
    shutil.copyfile(slow_workbook(env.root / "slow.xlsx"), env.inbox / "slow.xlsx")


def soffice_convert(src: Path, fmt: str, out_dir: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out_dir}/profile", "--headless",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=120)
    return out_dir / f"{src.stem}.{fmt}"


def logged(watcher, event: str, name: str) -> bool:
    return any(event in line and f"path={name}" in line for line in watcher.lines)


def paused_copy(data: bytes, target: Path, pause: float) -> None:
    with target.open("wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(pause)
        fh.write(data[len(data) // 2:])


# ---------------------------------------------------------------- lost or mislabelled work

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_or_xls_copy_that_pauses_is_not_taken_half_written(env: Env, fmt: str) -> None:
    workbook(env.root / "src.xlsx")
    data = soffice_convert(env.root / "src.xlsx", fmt, env.root).read_bytes()
    watcher = env.start()
    target = env.inbox / f"slow.{fmt}"
    paused_copy(data, target, 2.0)  # a VPN stall: longer than any settling time
    wait_for(lambda: receipts(env.outbox), 30, "no receipt")
    wait_for(lambda: not inbox_files(env.inbox), 10, "inbox not emptied")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok" and receipt["sha256"] == sha(data) and receipt["converted_from"] == fmt
    watcher.stop()


def test_xlsx_copy_paused_past_the_grace_is_refused_then_taken_whole(env: Env) -> None:
    data = workbook(env.root / "src.xlsx")
    watcher = env.start(ITADOC_INCOMPLETE_GRACE_SECONDS="1", ITADOC_REFUSED_HOLD_SECONDS="30")
    target = env.inbox / "stalled.xlsx"
    with target.open("wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        wait_for(lambda: receipts(env.outbox), 15, "half file never refused")
        assert target.exists()  # refused, but kept: the copy may resume
        time.sleep(0.5)
        fh.write(data[len(data) // 2:])
    wait_for(lambda: len(receipts(env.outbox)) == 2, 15, "the whole workbook got no job of its own")
    wait_for(lambda: not inbox_files(env.inbox), 10, "inbox not emptied")
    half, whole = sorted(receipts(env.outbox), key=lambda r: r["status"])
    assert half["status"] == "failed" and half["errors"][0]["code"] == "not_a_workbook"
    assert whole["status"] == "ok" and whole["sha256"] == sha(data)
    assert (env.outbox / f"stalled-{sha(data)[:8]}" / "stalled.xlsx").read_bytes() == data
    watcher.stop()


def test_file_replaced_while_queued_is_processed_as_what_it_is(env: Env) -> None:
    watcher = env.start(ITADOC_WORKERS="1")
    busy_worker(env)
    wait_for(lambda: watcher.log("path=slow.xlsx"), 10, "slow job not received")
    first = workbook(env.root / "v1.xlsx", preparer="ฉบับแรก")
    second = workbook(env.root / "v2.xlsx", preparer="ฉบับแก้ไข")
    shutil.copyfile(env.root / "v1.xlsx", env.inbox / "plan.xlsx")
    wait_for(lambda: logged(watcher, "received", "plan.xlsx"), 10, "version 1 not queued")
    shutil.copyfile(env.root / "v2.xlsx", env.inbox / ".plan.tmp")
    os.replace(env.inbox / ".plan.tmp", env.inbox / "plan.xlsx")  # the officer saves a correction
    wait_for(lambda: any(r["sha256"] == sha(second) for r in receipts(env.outbox)), 20, "version 2 not done")
    wait_for(lambda: not (env.inbox / "plan.xlsx").exists(), 10, "version 2 not removed")
    job_copies_match(env.outbox)
    # version 1 dropped again is work, not a duplicate of something never processed
    shutil.copyfile(env.root / "v1.xlsx", env.inbox / "plan.xlsx")
    wait_for(lambda: any(r["sha256"] == sha(first) for r in receipts(env.outbox)), 15, "version 1 deleted unseen")
    job_copies_match(env.outbox)
    assert all(r["status"] == "ok" for r in receipts(env.outbox))
    watcher.stop()


# ---------------------------------------------------------------- the service stops

def test_deleting_a_queued_file_does_not_stop_the_watcher(env: Env) -> None:
    watcher = env.start(ITADOC_WORKERS="1")
    busy_worker(env)
    wait_for(lambda: watcher.log("path=slow.xlsx"), 10, "slow job not received")
    workbook(env.inbox / "withdrawn.xlsx", preparer="ถอนคืน")
    wait_for(lambda: logged(watcher, "received", "withdrawn.xlsx"), 10, "not queued")
    (env.inbox / "withdrawn.xlsx").unlink()
    wait_for(lambda: watcher.log("vanished"), 15, "vanished file not logged")
    assert watcher.proc.poll() is None
    workbook(env.inbox / "after.xlsx", preparer="หลังจากนั้น")
    wait_for(lambda: any(r["workbook"] == "after.xlsx" for r in receipts(env.outbox)), 15, "watcher stopped")
    names = sorted(p.name.rsplit("-", 1)[0] for p in env.outbox.iterdir() if p.is_dir() and p.name != ".itadoc")
    assert names == ["after", "slow"]  # no empty folder for the withdrawn file
    assert watcher.stop() == 0


def test_symlinks_are_never_followed(env: Env, tmp_path: Path) -> None:
    secret = tmp_path / "private.xlsx"
    workbook(secret, preparer="ความลับ")
    secret.chmod(0o600)
    outside = tmp_path / "outside"
    outside.mkdir()
    workbook(outside / "other.xlsx", preparer="หน่วยอื่น")
    watcher = env.start()
    (env.inbox / "shadow.xlsx").symlink_to("/etc/shadow" if Path("/etc/shadow").exists() else "/etc/passwd")
    (env.inbox / "secret.xlsx").symlink_to(secret)
    (env.inbox / "unit-x").symlink_to(outside, target_is_directory=True)
    wait_for(lambda: len(watcher.log("refused")) >= 2, 10, "links not logged")
    workbook(env.inbox / "real.xlsx", preparer="จริง")
    wait_for(lambda: receipts(env.outbox), 15, "real drop not handled")
    time.sleep(1)
    assert [r["workbook"] for r in receipts(env.outbox)] == ["real.xlsx"]
    copied = [p for p in env.outbox.rglob("*") if p.is_file() and ".itadoc" not in p.parts
              and not p.name.startswith(ROLLUP_PREFIX)]
    assert all(p.parent.name.startswith("real-") for p in copied)
    assert secret.exists() and (outside / "other.xlsx").exists()
    watcher.stop()


def test_name_starting_with_two_dots_is_taken(env: Env) -> None:
    watcher = env.start()
    data = workbook(env.inbox / "..x.xlsx")
    wait_for(lambda: receipts(env.outbox), 15, "..x.xlsx sits in the inbox with no receipt")
    [receipt] = receipts(env.outbox)
    assert receipt["workbook"] == "..x.xlsx" and receipt["sha256"] == sha(data) and receipt["status"] == "ok"
    wait_for(lambda: not inbox_files(env.inbox), 5, "inbox not emptied")
    watcher.stop()


def _watch(env: Env, *args: str, **environ: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service", "watch", "--config", str(env.root / "config"), *args],
                          cwd=ROOT, env={**os.environ, "ITADOC_PDF": "false", **environ},
                          capture_output=True, text=True, timeout=30)


@pytest.mark.parametrize("args, environ", [
    (("--outbox", "{inbox}/out"), {}),
    ((), {"ITADOC_STATE_DIR": "inbox/state"}),
    (("--inbox", "{outbox}/in"), {}),
])
def test_folders_inside_one_another_are_refused_at_start(env: Env, args: tuple, environ: dict) -> None:
    args = tuple(a.format(inbox=env.inbox, outbox=env.outbox) for a in args)
    done = _watch(env, *args, **environ)
    assert done.returncode == 2 and "อยู่ภายใน" in done.stderr
    assert not any(env.inbox.rglob("*-*")), "a job folder was made"


def test_corrupt_journal_is_set_aside_and_rebuilt_from_receipts(env: Env) -> None:
    data = workbook(env.root / "done.xlsx")
    watcher = env.start()
    shutil.copyfile(env.root / "done.xlsx", env.inbox / "done.xlsx")
    wait_for(lambda: not inbox_files(env.inbox), 15, "not processed")
    watcher.stop()
    state = env.outbox / ".itadoc"
    for extra in state.glob("journal.sqlite3-*"):
        extra.unlink()
    (state / "journal.sqlite3").write_bytes(b"this is not a database" * 100)
    watcher = env.start()
    wait_for(lambda: watcher.log("journal unreadable"), 5, "corrupt journal not logged")   # read by a thread
    assert [p.name.split("-")[0] for p in state.glob("journal.sqlite3.corrupt-*")] == ["journal.sqlite3.corrupt"]
    shutil.copyfile(env.root / "done.xlsx", env.inbox / "again.xlsx")  # known from the rebuilt journal
    wait_for(lambda: watcher.log("duplicate removed"), 15, "rebuilt journal does not know the job")
    assert [r["sha256"] for r in receipts(env.outbox)] == [sha(data)]
    watcher.stop()


# ---------------------------------------------------------------- retries

def _workers(watcher_pid: int) -> list[int]:
    """pebble's workers: children of the forkserver, itself a child of the watcher."""
    def children(pid: int) -> list[int]:
        path = Path(f"/proc/{pid}/task/{pid}/children")
        return [int(c) for c in path.read_text().split()] if path.exists() else []
    return [w for server in children(watcher_pid) for w in children(server)]


def test_worker_killed_mid_job_is_retried_once(env: Env) -> None:
    watcher = env.start(ITADOC_WORKERS="1")
    wait_for(lambda: _workers(watcher.proc.pid), 20, "no worker")
    busy_worker(env)
    wait_for(lambda: watcher.log("path=slow.xlsx"), 10, "slow job not received")
    time.sleep(0.5)
    for pid in _workers(watcher.proc.pid):
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: receipts(env.outbox), 30, "no receipt after the crash")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok", receipt["errors"]
    wait_for(lambda: watcher.log("retrying once"), 5, "the retry was not logged")   # stderr is read by a thread
    watcher.stop()



# ---------------------------------------------------------------- a full disk

def _mount_tmpfs(folder: Path, size: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def _fill(folder: Path, leave: int) -> Path:
    """Fill the file system, then give back `leave` bytes."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
        os.ftruncate(fd, max(0, os.fstat(fd).st_size - leave))
    finally:
        os.close(fd)
    return filler


@pytest.mark.parametrize("leave", [0, 96_000])  # nothing at all; room for the copy, not for the documents
def test_full_disk_keeps_the_input_pauses_and_resumes(env: Env, leave: int) -> None:
    if not _mount_tmpfs(env.outbox, "4m"):
        pytest.skip("needs root to mount a small tmpfs as the outbox")
    try:
        watcher = env.start()
        workbook(env.inbox / "first.xlsx", preparer="ก่อนดิสก์เต็ม")
        wait_for(lambda: receipts(env.outbox), 15, "no first receipt")
        watcher.stop()
        filler = _fill(env.outbox, leave)
        watcher = env.start()  # start-up works on a full disk
        data = workbook(env.root / "second.xlsx", preparer="ระหว่างดิสก์เต็ม")
        shutil.copyfile(env.root / "second.xlsx", env.inbox / "second.xlsx")
        wait_for(lambda: watcher.log("DISK FULL"), 15, "full disk not logged")
        time.sleep(1)
        assert (env.inbox / "second.xlsx").read_bytes() == data  # the input stays
        assert watcher.proc.poll() is None
        filler.unlink()
        wait_for(lambda: any(r["sha256"] == sha(data) for r in receipts(env.outbox)), 40, "no job after space came back")
        wait_for(lambda: not inbox_files(env.inbox), 10, "inbox not emptied")
        assert [r["status"] for r in receipts(env.outbox)] == ["ok", "ok"]
        assert watcher.stop() == 0
    finally:
        for started in env.started:
            started.kill_group()
        subprocess.run(["umount", "-l", str(env.outbox)], capture_output=True)


# ---------------------------------------------------------------- LibreOffice killed mid-conversion

def soffice_pids(root: int) -> list[int]:
    """LibreOffice processes started (at any depth) by the process `root`."""
    return [pid for pid in descendants(root) if is_soffice(pid)]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_killed_mid_conversion_is_retried(env: Env) -> None:
    watcher = env.start(ITADOC_PDF="true", ITADOC_WORKERS="1")
    wait_for(lambda: soffice_pids(watcher.proc.pid), 30, "no LibreOffice")
    workbook(env.inbox / "pdf.xlsx")
    wait_for(lambda: any(env.outbox.rglob("*.docx")), 30, "no document")
    for pid in soffice_pids(watcher.proc.pid):
        os.kill(pid, signal.SIGKILL)
    wait_for(lambda: receipts(env.outbox), 90, "no receipt")
    [receipt] = receipts(env.outbox)
    assert receipt["status"] == "ok" and all(d["pdf"] for d in receipt["documents"]), receipt["documents"]
    assert "pdf_failed" not in {w["code"] for w in receipt["warnings"]}
    watcher.stop()
