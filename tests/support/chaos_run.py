"""The chaos run of `itadoc watch` (see bench/chaos.py, its command line): shared by that benchmark
and tests/test_watch_chaos.py, which runs it in short."""
from __future__ import annotations

import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


from watcher import ROOT, WatcherProcess, sandbox, wait_for  # noqa: E402
from workbooks import seed000_analysis  # noqa: E402

JOB_FOLDER = re.compile(r"-[0-9a-f]{8}$")
SETTLE_SECONDS = float(os.environ.get("CHAOS_SETTLE_SECONDS", 240))  # after the last kill, time allowed to finish everything


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def descendants(root: int) -> list[int]:
    """Every live process below `root`, from /proc (LibreOffice runs in a session of its own)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def is_soffice(pid: int) -> bool:
    """LibreOffice or the UNO bridge that drives it."""
    try:
        line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"soffice" in line or b"office_bridge" in line


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:160]
    except OSError:
        return ""


@dataclass
class Chaos:
    root: Path
    pdf: bool
    workers: int
    rng: random.Random
    watcher: WatcherProcess | None = None
    required: dict[str, bytes] = field(default_factory=dict)   # inbox name → the bytes that must be done
    optional: set[str] = field(default_factory=set)            # sha of inputs withdrawn or replaced
    kills: Counter = field(default_factory=Counter)
    actions: Counter = field(default_factory=Counter)
    seen: set[int] = field(default_factory=set)                # every process the watcher ever started
    soffice_seen: set[int] = field(default_factory=set)
    described: dict[int, str] = field(default_factory=dict)   # pid → "t=12.3s ppid=… cmdline" when first seen
    kill_log: list[str] = field(default_factory=list)          # "t=… kind pid cmdline", for the orphans' story
    started: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    def start(self) -> None:
        self.watcher = WatcherProcess(self.root, ITADOC_CHARTS="false", ITADOC_PDF=str(self.pdf).lower(),
                                      ITADOC_WORKERS=str(self.workers))
        self.seen.add(self.watcher.proc.pid)

    def note_processes(self) -> None:
        if self.watcher is None:
            return
        for pid in descendants(self.watcher.proc.pid):
            if pid not in self.seen:
                self.described[pid] = f"t={time.monotonic() - self.started:.1f}s {cmdline(pid)[:110]}"
            self.seen.add(pid)
            if is_soffice(pid):
                self.soffice_seen.add(pid)

    # ---- drops

    def drop(self, name: str, data: bytes, spare: bytes) -> None:
        target = self.inbox / name
        kind = self.rng.choice(["plain", "plain", "slow", "slow", "delete", "replace", "twice"])
        self.actions[kind] += 1
        if kind == "plain":
            self._put(target, data)
        elif kind == "slow":  # a copy over a slow share: half, a pause, the rest
            with target.open("wb") as fh:
                fh.write(data[: len(data) // 2])
                fh.flush()
                time.sleep(self.rng.uniform(0.3, 2.0))
                fh.write(data[len(data) // 2:])
        elif kind == "delete":
            target.write_bytes(data)
            time.sleep(self.rng.uniform(0, 1.0))
            target.unlink(missing_ok=True)
            self.optional.add(sha(data))
            return
        elif kind == "replace":
            target.write_bytes(spare)
            time.sleep(self.rng.uniform(0, 1.0))
            self._put(target, data)
            self.optional.add(sha(spare))
        elif kind == "twice":
            self._put(target, data)
            time.sleep(self.rng.uniform(0.5, 3.0))
            self._put(self.inbox / f"again-{name}", data)
        self.required[name] = data

    def _put(self, target: Path, data: bytes) -> None:
        tmp = target.with_name(f".~{target.name}")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    # ---- kills

    def kill_something(self) -> None:
        with self.lock:
            if self.watcher is None:
                return
            self.note_processes()
            below = descendants(self.watcher.proc.pid)
            office = [p for p in below if is_soffice(p)]
            workers = [p for p in below if not is_soffice(p) and p not in office]
            choice = self.rng.choice(["watcher", "worker", "worker", "office"] if office else ["watcher", "worker"])
            print(f"{time.strftime('%X')} kill {choice}", file=sys.stderr, flush=True)
            if choice == "watcher":
                self._log_kill(choice, self.watcher.proc.pid)
                os.kill(self.watcher.proc.pid, signal.SIGKILL)
                self.watcher.proc.wait(timeout=10)
                self.kills["watcher"] += 1
                self.start()
            elif choice == "worker" and workers:
                victim = self.rng.choice(workers)
                self._log_kill(choice, victim)
                os.kill(victim, signal.SIGKILL)
                self.kills["worker"] += 1
            elif office:
                victim = self.rng.choice(office)
                self._log_kill(choice, victim)
                os.kill(victim, signal.SIGKILL)
                self.kills["office"] += 1

    def _log_kill(self, kind: str, pid: int) -> None:
        self.kill_log.append(f"t={time.monotonic() - self.started:.1f}s {kind} {pid} {cmdline(pid)[:80]}")

    # ---- the verdict

    def receipts(self) -> list[tuple[Path, dict]]:
        found = []
        for path in self.outbox.rglob("receipt.json"):
            try:
                found.append((path.parent, json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                pass
        return found

    def retry_twice_crashed(self) -> int:
        """A job whose worker was killed twice fails as `worker_crashed` (one automatic retry: a workbook
        that kills every worker must not loop), and its Thai receipt sends the officer to the
        administrator. Do what the administrator does, `itadoc retry --failed`, and count them."""
        crashed = [d for d, r in self.receipts() if [e["code"] for e in r["errors"]] == ["worker_crashed"]]
        if crashed:
            subprocess.run([sys.executable, "-m", "service", "retry", "--config", str(self.root / "config"),
                            "--failed"], cwd=ROOT, check=True, capture_output=True, timeout=300,
                           env={**os.environ, "ITADOC_CHARTS": "false", "ITADOC_PDF": str(self.pdf).lower()})
        return len(crashed)

    def done(self) -> bool:
        settled = {r["sha256"] for _, r in self.receipts()
                   if r["status"] == "ok" or [e["code"] for e in r["errors"]] == ["worker_crashed"]}
        return not any(self.inbox.rglob("*.xlsx")) and all(sha(d) in settled for d in self.required.values())

    def verdict(self) -> list[str]:
        """Everything wrong, in words; empty when the run is clean."""
        wrong = []
        receipts = self.receipts()
        by_sha = Counter(r["sha256"] for _, r in receipts if r["status"] == "ok")
        for name, data in self.required.items():
            if by_sha[sha(data)] != 1:
                wrong.append(f"{name}: {by_sha[sha(data)]} good jobs")
        allowed = {sha(d) for d in self.required.values()} | self.optional
        wrong += [f"{d.name}: unexpected job ({r['status']}, {[e['code'] for e in r['errors']]})"
                  for d, r in receipts if r["sha256"] not in allowed or r["status"] != "ok"]
        for path in self.outbox.rglob("*"):
            if ".itadoc" in path.relative_to(self.outbox).parts:
                continue
            if path.is_dir() and JOB_FOLDER.search(path.name) and not (path / "receipt.json").exists():
                wrong.append(f"{path.name}: job folder without receipt")
            elif path.is_file() and path.name.startswith(".tmp-"):
                wrong.append(f"{path.relative_to(self.outbox)}: half-written file left")
        wrong += [f"inbox: {p.relative_to(self.inbox)} left" for p in self.inbox.rglob("*") if p.is_file()]
        staging = self.outbox / ".itadoc" / "work"
        if staging.is_dir() and any(staging.iterdir()):
            wrong.append(f"staging: {len(list(staging.iterdir()))} copies left")
        return wrong


def run(seconds: float, drops: int, pdf: bool, workers: int, seed: int, root: Path,
        kill_gap: tuple[float, float] = (1.5, 5.0)) -> dict:
    """One run in `root`; `kill_gap` is the range of seconds between two kills."""
    rng = random.Random(seed)
    sandbox(root)
    made = Path(root, "made")
    made.mkdir()
    inputs = []
    for i in range(drops):
        spec = seed000_analysis()
        spec.general["ผู้จัดทำ"] = f"ผู้ทดสอบ {seed} {i}"
        data = spec.save(made / f"in{i:03}.xlsx").read_bytes()
        spec.general["ผู้จัดทำ"] = f"ฉบับร่าง {seed} {i}"
        inputs.append((f"in{i:03}.xlsx", data, spec.save(made / f"draft{i:03}.xlsx").read_bytes()))
    chaos = Chaos(root, pdf, workers, rng)
    chaos.start()
    started = time.monotonic()
    stop_killing = threading.Event()

    def killer() -> None:
        while not stop_killing.wait(rng.uniform(*kill_gap)):
            chaos.kill_something()

    threads = [threading.Thread(target=killer, daemon=True)]
    threads[0].start()
    gap = seconds / max(drops, 1)
    droppers = []
    for name, data, spare in inputs:
        chaos.note_processes()
        t = threading.Thread(target=chaos.drop, args=(name, data, spare))
        t.start()
        droppers.append(t)
        time.sleep(rng.uniform(0, 2 * gap))
    for t in droppers:
        t.join()
    while time.monotonic() - started < seconds:
        chaos.note_processes()
        time.sleep(0.2)
    stop_killing.set()
    threads[0].join()
    with chaos.lock:
        chaos.note_processes()
        settle_started = time.monotonic()
        try:
            wait_for(chaos.done, SETTLE_SECONDS, "inputs not all done", step=0.2)
        except AssertionError:
            pass
        settled = time.monotonic() - settle_started
        chaos.note_processes()
        assert chaos.watcher is not None
        stopped_with = chaos.watcher.stop()
    stopped_at = time.monotonic()
    retried = chaos.retry_twice_crashed()
    wait_for(lambda: not any(alive(p) for p in chaos.seen - chaos.soffice_seen) or time.monotonic() - stopped_at > 5,
             10, "never")
    orphans = [f"{p} {cmdline(p)}" for p in sorted(chaos.seen - chaos.soffice_seen) if alive(p)]
    office_orphans = [f"{p} {cmdline(p)}" for p in sorted(chaos.soffice_seen) if alive(p)]
    return {
        "seconds": round(time.monotonic() - started, 1), "drops": drops, "pdf": pdf, "workers": workers,
        "seed": seed, "actions": dict(chaos.actions), "kills": dict(chaos.kills),
        "good_jobs": sum(1 for _, r in chaos.receipts() if r["status"] == "ok"),
        "retried_after_two_crashes": retried,
        "settle_seconds": round(settled, 1), "exit_code": stopped_with,
        "problems": chaos.verdict(), "orphans": orphans, "soffice_orphans": office_orphans,
        **({"log_tail": chaos.watcher.lines[-40:]} if chaos.verdict() else {}),
        **({"processes_seen": {p: chaos.described.get(p, "") for p in sorted(chaos.seen)}, "kill_log": chaos.kill_log}
           if orphans or office_orphans else {}),
    }
