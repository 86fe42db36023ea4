"""No LibreOffice (soffice and its bridge) outlives the process that started it by more than 5 s, however that process stops:
SIGTERM, SIGINT, kill -9 of a converter's owner, of the watcher, of one of its workers. Real processes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from watcher import WatcherProcess, group_members, office_of, sandbox, wait_for
from workbooks import seed000_full, seed003_long
from service.render import office

pytestmark = pytest.mark.needs("soffice")
GRACE = 5.0


def assert_gone_within_grace(owners: set[int]) -> None:
    deadline = time.monotonic() + GRACE
    while office_of(owners):
        assert time.monotonic() < deadline, f"soffice still running {GRACE} s after its owner: {office_of(owners)}"
        time.sleep(0.1)


OWNER = """
import sys, time
from pathlib import Path
from service.render import pool
pool.local(Path(sys.argv[1])).warm_up()
print("ready", flush=True)
time.sleep(120)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_converters_owner_takes_its_soffice_along(tmp_path, sig):
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(tmp_path / "state")], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert owner.stdout.readline().strip() == "ready"
        assert office_of({owner.pid})
        assert [p.name for p in (tmp_path / "state" / "office").iterdir()][0].startswith(f"{owner.pid}-")
        owner.send_signal(sig)
        owner.wait(10)
        assert_gone_within_grace({owner.pid})
    finally:
        owner.kill()
        owner.wait()


def test_a_bridge_killed_first_takes_soffice_along_while_its_owner_lives(tmp_path):
    """The bridge is what kills soffice when the owner dies: killed itself, its owner must stop soffice at
    once, or an owner killed next would leave soffice behind (seen in the five-minute chaos run)."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(tmp_path / "state")], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert owner.stdout.readline().strip() == "ready"
        bridge = [p for p in office_of({owner.pid})
                  if b"office_bridge" in Path(f"/proc/{p}/cmdline").read_bytes()]
        assert len(bridge) == 1
        os.kill(bridge[0], signal.SIGKILL)
        assert_gone_within_grace({owner.pid})
        assert owner.poll() is None                      # the owner lives on; its next conversion restarts
    finally:
        owner.kill()
        owner.wait()


def test_a_bridge_stopped_while_its_owner_cannot_act_takes_soffice_along(tmp_path):
    """An owner stopping its office ends the bridge and soffice one after the other; killed in between,
    it must not leave soffice behind (seen in the five-minute chaos run). Here the owner is frozen
    (SIGSTOP: its own watch cannot act) and its bridge gets SIGTERM alone."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(tmp_path / "state")], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert owner.stdout.readline().strip() == "ready"
        [bridge] = [p for p in office_of({owner.pid}) if b"office_bridge" in Path(f"/proc/{p}/cmdline").read_bytes()]
        os.kill(owner.pid, signal.SIGSTOP)
        os.kill(bridge, signal.SIGTERM)
        assert_gone_within_grace({owner.pid})
    finally:
        owner.kill()
        owner.wait()


def test_soffice_is_started_by_its_bridge_so_it_is_never_unguarded(tmp_path):
    """An owner killed between starting soffice and starting the bridge left soffice with no guardian:
    the bridge now starts soffice itself, after its watch on the owner has begun."""
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(tmp_path / "state")], stdout=subprocess.PIPE,
                             text=True, cwd=Path(__file__).resolve().parents[1])
    try:
        assert owner.stdout.readline().strip() == "ready"
        [bridge] = [p for p in office_of({owner.pid}) if b"office_bridge" in Path(f"/proc/{p}/cmdline").read_bytes()]
        parents = {p: int(Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()[1])
                   for p in office_of({owner.pid}) if p != bridge}
        assert parents and set(parents.values()) <= {bridge} | set(parents), parents   # soffice under the bridge
        assert bridge in parents.values()
    finally:
        owner.kill()
        owner.wait()
    assert_gone_within_grace({owner.pid})


def _watcher_with_pdf(tmp_path) -> tuple[WatcherProcess, set[int]]:
    root = tmp_path / "run"
    root.mkdir()
    sandbox(root)
    watcher = WatcherProcess(root, ITADOC_PDF="true", ITADOC_WORKERS="2", ITADOC_OFFICE_INSTANCES="2")
    wait_for(lambda: len(office_of({watcher.proc.pid})) >= 4, 60, "the watcher's two LibreOffice did not start")
    return watcher, set(group_members(watcher.proc.pid))


def test_kill_9_of_the_watcher_takes_every_soffice_along(tmp_path):
    watcher, members = _watcher_with_pdf(tmp_path)
    try:
        watcher.proc.kill()
        watcher.proc.wait(10)
        assert_gone_within_grace(members)
    finally:
        watcher.kill_group()


def test_a_worker_killed_mid_conversion_leaves_the_shared_libreoffice_serving(tmp_path):
    """LibreOffice is the watcher's, shared by the workers: a worker killed while its PDFs convert costs
    that job one retry, and the next job still gets its PDFs from the same instances."""
    watcher, members = _watcher_with_pdf(tmp_path)
    try:
        office_before = office_of({watcher.proc.pid})
        assert not any(office_of({w}) for w in members - {watcher.proc.pid})   # no worker has its own
        seed003_long().save(watcher_root(watcher) / "inbox" / "long.xlsx")
        wait_for(lambda: any(watcher_root(watcher).glob("outbox/long-*/*.docx")), 60, "the job did not start")
        worker = next(w for w in group_members(watcher.proc.pid) if w != watcher.proc.pid and w not in office_before
                      and b"forkserver" in Path(f"/proc/{w}/cmdline").read_bytes() and _has_parent_forkserver(w))
        os.kill(worker, signal.SIGKILL)
        seed000_full().save(watcher_root(watcher) / "inbox" / "next.xlsx")
        wait_for(lambda: len(list(watcher_root(watcher).glob("outbox/*/receipt.json"))) == 2, 120, "jobs not done")
        for receipt in watcher_root(watcher).glob("outbox/*/receipt.json"):
            data = json.loads(receipt.read_text(encoding="utf-8"))
            assert data["status"] == "ok" and all(d["pdf"] for d in data["documents"]), data
        assert office_of({watcher.proc.pid}) == office_before          # the same instances served both
    finally:
        watcher.kill_group()


def watcher_root(watcher: WatcherProcess) -> Path:
    return Path(watcher.proc.args[watcher.proc.args.index("--config") + 1]).parent


def _has_parent_forkserver(pid: int) -> bool:
    """A pool worker: forked from the fork server (whose command line it shares)."""
    ppid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return b"forkserver" in Path(f"/proc/{ppid}/cmdline").read_bytes()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_watcher_stops_every_soffice(tmp_path, sig):
    watcher, members = _watcher_with_pdf(tmp_path)
    try:
        watcher.proc.send_signal(sig)
        watcher.proc.wait(30)
        assert_gone_within_grace(members)
    finally:
        watcher.kill_group()


def test_profiles_of_owners_that_are_gone_are_cleared(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f"{dead.pid}-abc"
    live = tmp_path / f"{os.getpid()}-def"
    for folder in (stale, live):
        (folder / "user").mkdir(parents=True)
    office.clear_stale_profiles(tmp_path)
    assert not stale.exists() and live.exists()
