"""`itadoc watch`: the watch-folder service — nothing lost, nothing done twice, a second from drop to document.

One thread owns all state (the journal, the waiting files, the jobs in flight); the watchdog observer and
finished jobs only wake it through a queue. Jobs run in warm worker processes (pebble), so that a slow or
crashing workbook is killed at its timeout without stopping the others, and a `kill -9` of the watcher
takes its workers with it. A file leaves the inbox only after its job folder holds its copy and receipt.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import logging
import multiprocessing
import os
import queue
import re
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, TimeoutError as FutureTimeout, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.util import Finalize
from pathlib import Path, PurePath

from pebble import ProcessExpired, ProcessPool
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from service import logs
from service.delivery.intake import Look, Stability, candidates, is_candidate
from service.delivery.job import RECEIPT, PdfConverter, job_dir_for, process, sha256_file, workbook_copy
from service.delivery import rollup
from service.delivery.journal import Journal
from service.render.pdf import converter_for
from service.problems import Problem
from service.delivery.receipt import Receipt, write_atomic, write_receipt
from service.settings import Settings, load_settings, refreshed

log = logging.getLogger("itadoc.watch")

NETWORK_FS = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "glusterfs", "davfs",
                        "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.glusterfs", "fuse.davfs2",
                        "fuse.gvfsd-fuse"})
HEALTH_SECONDS = 1.0   # how often the observer is checked for life
STOP_GRACE_SECONDS = 1.0  # jobs in hand get this long to finish at SIGTERM; the rest are redone at next start
PR_SET_PDEATHSIG = 1

# Thai reasons written into a receipt when the watcher, not the workbook, ends a job.
TIMEOUT_MESSAGE = ("ระบบใช้เวลาประมวลผลไฟล์นี้เกิน {seconds:g} วินาที จึงหยุดการประมวลผล "
                   "กรุณาตรวจสอบว่าไฟล์มีข้อมูลมากผิดปกติหรือไม่ แล้วส่งใหม่ หรือแจ้งผู้ดูแลระบบ")
CRASH_MESSAGE = "การประมวลผลไฟล์นี้หยุดลงกลางคันโดยไม่คาดคิด ได้แจ้งผู้ดูแลระบบแล้ว กรุณาส่งไฟล์ใหม่อีกครั้งภายหลัง"
INTERNAL_MESSAGE = "เกิดข้อผิดพลาดภายในระบบระหว่างประมวลผลไฟล์นี้ ได้แจ้งผู้ดูแลระบบแล้ว ข้อมูลในไฟล์ของท่านอาจไม่มีปัญหา"


# ---------------------------------------------------------------- worker processes

_worker: dict[str, object] = {}


def _die_with_parent() -> None:
    """Linux: a worker is killed when its parent dies, so `kill -9` of the watcher leaves no orphans."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _worker_init(settings: Settings, json_logs: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the watcher decides
    _die_with_parent()
    logs.setup(json_logs)
    stack = contextlib.ExitStack()
    _worker["pdf"] = stack.enter_context(converter_for(settings.pdf))  # one warm converter per worker
    _worker["settings"] = settings
    Finalize(None, stack.close, exitpriority=10)


def _run_job(path: str, subfolder: str, sha: str) -> dict[str, object]:
    settings = refreshed(_worker["settings"])  # type: ignore[arg-type]
    pdf: PdfConverter | None = _worker["pdf"]  # type: ignore[assignment]
    result = process(Path(path), settings, pdf=pdf, subfolder=subfolder, sha=sha)  # type: ignore[arg-type]
    rollup.refresh(settings.outbox, settings.frameworks_dir)  # the coordinator's roll-up, after every job
    return {"job_dir": str(result.job_dir), "status": result.receipt.status,
            "outputs": sorted(p.name for p in result.job_dir.iterdir())}


def _pool(settings: Settings, json_logs: bool) -> ProcessPool:
    """Workers fork from a forkserver that has loaded the service once (`service.warm`): warm, and free
    of our threads."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["service.warm"])
    pool = ProcessPool(max_workers=settings.worker_count, initializer=_worker_init,
                       initargs=(settings, json_logs), context=context)
    for _ in range(settings.worker_count):  # start the workers (and their LibreOffice) before the first drop
        pool.schedule(_ready)
    return pool


def _ready() -> None:
    """A no-op job: pebble starts workers on demand, and an officer's first drop should not wait for it."""


# ---------------------------------------------------------------- observer

def fs_type(path: Path, mounts: str) -> str:
    """The file-system type of the mount holding `path`, from the text of /proc/mounts."""
    best, kind = "", ""
    target = str(path)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, fields[2]
    return kind


def observer_kind(settings: Settings) -> str:
    if settings.observer != "auto":
        return settings.observer
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "native"
    return "polling" if fs_type(settings.inbox.resolve(), mounts) in NETWORK_FS else "native"


class _Forward(FileSystemEventHandler):
    """Runs in the observer's thread: hand the path to the main loop, nothing else."""

    def __init__(self, events: queue.SimpleQueue[Path | None]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("created", "modified", "closed"):
            self.events.put(Path(os.fsdecode(event.src_path)))
        elif event.event_type == "moved":  # Excel saves by renaming its temporary file onto the name
            self.events.put(Path(os.fsdecode(event.dest_path)))


class ObserverGuard:
    """Keeps one observer alive on the inbox: a share that goes away kills it silently, so its threads and
    the inbox folder itself are checked, and a new observer is started (and logged) when needed."""

    def __init__(self, inbox: Path, kind: str, poll_seconds: float, handler: FileSystemEventHandler) -> None:
        self.inbox, self.kind, self.poll, self.handler = inbox, kind, poll_seconds, handler
        self.observer: BaseObserver | None = None
        self.inode: int | None = None

    def start(self) -> bool:
        """True when an observer is running; False when the inbox is unreachable (retried later)."""
        try:
            self.inode = self.inbox.stat().st_ino
            observer = self._make()
            observer.schedule(self.handler, str(self.inbox), recursive=True)
            observer.start()
        except OSError as exc:
            if self.kind == "native" and self.inbox.is_dir():  # e.g. the inotify watch limit
                log.warning("native observer failed, falling back to polling / ใช้การสำรวจแทน: %s", exc)
                self.kind = "polling"
                return self.start()
            log.error("inbox unavailable / เข้าถึงโฟลเดอร์ inbox ไม่ได้: %s", exc)
            self.observer = None
            return False
        self.observer = observer
        return True

    def _make(self) -> BaseObserver:
        return PollingObserver(timeout=max(1.0, self.poll)) if self.kind == "polling" else Observer()

    def healthy(self) -> bool:
        obs = self.observer
        if obs is None or not obs.is_alive() or not all(e.is_alive() for e in obs.emitters):
            return False
        try:
            return self.inbox.stat().st_ino == self.inode
        except OSError:
            return False

    def restart(self) -> bool:
        log.warning("observer died, restarting / ตัวเฝ้าโฟลเดอร์หยุดทำงาน กำลังเริ่มใหม่", extra={"kind": self.kind})
        self.stop()
        return self.start()

    def stop(self) -> None:
        if self.observer is not None:
            self.observer.stop()
            with contextlib.suppress(RuntimeError):
                self.observer.join(timeout=2)
            self.observer = None


# ---------------------------------------------------------------- the watcher

@dataclass
class Ticket:
    path: Path          # the file the job reads
    source: str         # as dropped, relative to the inbox
    subfolder: str
    sha: str
    look: Look | None   # what was hashed; None when redoing from the job folder's own copy
    job_dir: Path
    received: float


def _subfolder(relative: PurePath) -> str:
    """`unit-a/plan.xlsx` → `unit-a`: the sub-folder an officer dropped into, kept in the job folder."""
    return "" if relative.parent == PurePath(".") else relative.parent.as_posix()


class Watcher:
    def __init__(self, settings: Settings, json_logs: bool) -> None:
        self.settings = settings
        self.inbox = settings.inbox.resolve()
        self.json_logs = json_logs
        self.events: queue.SimpleQueue[Path | None] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.stability = Stability(settings.poll_seconds)
        self.ready: deque[Ticket] = deque()
        self.running: dict[Future, Ticket] = {}
        self.busy: dict[str, list[tuple[Path, Look]]] = {}  # sha in hand → same bytes dropped meanwhile
        self.busy_paths: set[Path] = set()
        self.journal = Journal(settings.state_dir)
        self.pool_retry_at: float | None = None  # set when the pool broke: rebuilt then, jobs requeued
        self.guard = ObserverGuard(self.inbox, observer_kind(settings), settings.poll_seconds,
                                   _Forward(self.events))

    def request_stop(self, *_: object) -> None:
        self.stopping.set()
        self.events.put(None)

    def run(self) -> int:
        self.inbox.mkdir(parents=True, exist_ok=True)
        self.pool = _pool(self.settings, self.json_logs)
        self.guard.start()
        log.info("watching / เริ่มเฝ้าโฟลเดอร์", extra={
            "inbox": self.inbox, "outbox": self.settings.outbox, "observer": self.guard.kind,
            "workers": self.settings.worker_count, "pdf": self.settings.pdf})
        self._recover()
        self._scan()
        try:
            self._loop()
        finally:
            self._shutdown()
        return 0

    def _loop(self) -> None:
        next_rescan = time.monotonic() + self.settings.rescan_seconds
        next_health = time.monotonic() + HEALTH_SECONDS
        while not self.stopping.is_set():
            now = time.monotonic()
            due = min(d for d in (self.stability.next_due(), next_rescan, next_health) if d is not None)
            try:
                item = self.events.get(timeout=max(0.0, due - now))
                while True:
                    if item is not None:
                        self._notice(item)
                    item = self.events.get_nowait()
            except queue.Empty:
                pass
            now = time.monotonic()
            for path, look in self.stability.ready(now):
                self._take(path, look)
            self._collect()
            self._dispatch()
            if now >= next_health:
                next_health = now + HEALTH_SECONDS
                if not self.guard.healthy() and self.guard.restart():
                    self._scan()  # whatever arrived while nobody was watching
            if now >= next_rescan:
                next_rescan = now + self.settings.rescan_seconds
                self._scan()

    # ---- intake

    def _notice(self, path: Path) -> None:
        if path in self.busy_paths:
            return
        try:
            relative = path.relative_to(self.inbox)
        except ValueError:
            return
        if path.is_dir():
            self._scan()  # a folder moved in brings files that raise no events of their own
        elif is_candidate(relative):
            self.stability.see(path, time.monotonic())

    def _scan(self) -> None:
        now = time.monotonic()
        for path in candidates(self.inbox):
            if path not in self.busy_paths:
                self.stability.see(path, now)

    def _take(self, path: Path, look: Look) -> None:
        """A finished file: a duplicate of handled bytes is removed; anything else becomes a job."""
        try:
            sha = sha256_file(path)
        except OSError:
            return
        if Look.of(path) != look:  # changed while hashed: wait for it to settle again
            self.stability.see(path, time.monotonic())
            return
        relative = path.relative_to(self.inbox)
        if sha in self.busy:
            self.busy[sha].append((path, look))
            return
        entry = self.journal.get(sha)
        if entry and entry.finished and entry.reason is None and (Path(entry.job_dir) / RECEIPT).exists():
            self.journal.duplicate(sha)
            log.info("duplicate removed / ไฟล์ซ้ำกับที่ประมวลผลแล้ว ลบออกจาก inbox",
                     extra={"path": relative.as_posix(), "sha": sha[:8], "job_dir": entry.job_dir})
            self._remove(path, look)
            return
        if entry and not entry.finished:
            log.warning("redoing interrupted job / ประมวลผลงานที่ค้างอยู่ใหม่",
                        extra={"path": relative.as_posix(), "sha": sha[:8]})
        subfolder = _subfolder(relative)
        job_dir = job_dir_for(self.settings.outbox, path, sha, subfolder)
        self._queue(Ticket(path, relative.as_posix(), subfolder, sha, look, job_dir, time.monotonic()))

    def _queue(self, ticket: Ticket) -> None:
        self.journal.receive(ticket.sha, ticket.source, ticket.job_dir)
        self.busy[ticket.sha] = []
        self.busy_paths.add(ticket.path)
        self.ready.append(ticket)
        log.info("received / รับไฟล์", extra={"path": ticket.source, "sha": ticket.sha[:8]})

    def _recover(self) -> None:
        """Jobs a crash left unfinished: the inbox file is taken again by the scan; when it is gone, the
        job folder's receipt or copy finishes the job."""
        for entry in self.journal.unfinished():
            source, job_dir = self.inbox / entry.source, Path(entry.job_dir)
            if source.is_file() and sha256_file(source) == entry.sha256:
                continue
            receipt = job_dir / RECEIPT
            copy = workbook_copy(job_dir, PurePath(entry.source).name)
            if receipt.exists():
                ok = Receipt.model_validate_json(receipt.read_bytes()).status == "ok"
                self.journal.finish(entry.sha256, ok, sorted(p.name for p in job_dir.iterdir()))
            elif copy.exists():
                log.warning("redoing interrupted job from its copy / ประมวลผลงานที่ค้างอยู่ใหม่จากสำเนา",
                            extra={"path": entry.source, "sha": entry.sha256[:8]})
                self._queue(Ticket(copy, entry.source, _subfolder(PurePath(entry.source)), entry.sha256, None, job_dir, time.monotonic()))
            else:
                log.warning("input gone before its job started / ไฟล์ถูกนำออกก่อนประมวลผล",
                            extra={"path": entry.source, "sha": entry.sha256[:8]})
                self.journal.finish(entry.sha256, False, [], reason="gone")

    # ---- jobs

    def _dispatch(self) -> None:
        if self.pool_retry_at is not None:
            if self.running or time.monotonic() < self.pool_retry_at:
                return
            self.pool.stop()
            self.pool.join()
            self.pool = _pool(self.settings, self.json_logs)
            self.pool_retry_at = None
        while self.ready and len(self.running) < self.settings.worker_count:
            ticket = self.ready.popleft()
            self.journal.start(ticket.sha)
            future = self.pool.schedule(_run_job, args=(str(ticket.path), ticket.subfolder, ticket.sha),
                                        timeout=self.settings.job_timeout_seconds)
            future.add_done_callback(lambda _: self.events.put(None))
            self.running[future] = ticket

    def _collect(self) -> None:
        for future in [f for f in self.running if f.done()]:
            self._finish(self.running.pop(future), future)

    def _finish(self, ticket: Ticket, future: Future) -> None:
        seconds = round(time.monotonic() - ticket.received, 3)
        try:
            result = future.result()
        except BrokenProcessPool as exc:  # the workers, not the workbook: try again with a new pool
            log.error("worker pool broken, rebuilding / กลุ่มกระบวนการทำงานเสียหาย กำลังสร้างใหม่: %s", exc)
            self.pool_retry_at = time.monotonic() + HEALTH_SECONDS
            self.ready.appendleft(ticket)
            return
        except FutureTimeout:
            self._fail(ticket, "job_timeout", "timeout",
                       TIMEOUT_MESSAGE.format(seconds=self.settings.job_timeout_seconds))
        except ProcessExpired as exc:
            log.error("worker died / กระบวนการทำงานหยุดกลางคัน: %s", exc, extra={"path": ticket.source})
            self._fail(ticket, "worker_crashed", "crash", CRASH_MESSAGE)
        except Exception:
            log.exception("job raised / งานผิดพลาดภายใน", extra={"path": ticket.source})
            self._fail(ticket, "internal_error", "error", INTERNAL_MESSAGE)
        else:
            self.journal.finish(ticket.sha, result["status"] == "ok", result["outputs"])  # type: ignore[arg-type]
            log.info("job done / ประมวลผลเสร็จ", extra={
                "path": ticket.source, "status": result["status"], "job_dir": result["job_dir"],
                "seconds": seconds})
        self.busy_paths.discard(ticket.path)
        waiting = self.busy.pop(ticket.sha, [])
        if ticket.look is not None:
            self._remove(ticket.path, ticket.look)
        for path, look in waiting:
            self._take(path, look)

    def _fail(self, ticket: Ticket, code: str, reason: str, message: str) -> None:
        """The watcher ended the job: the copy (if the job had not written it) and a failed receipt."""
        ticket.job_dir.mkdir(parents=True, exist_ok=True)
        copy = workbook_copy(ticket.job_dir, ticket.path.name)
        if not copy.exists():
            write_atomic(copy, ticket.path.read_bytes())
        receipt = Receipt(workbook=ticket.path.name, sha256=ticket.sha)
        receipt.set_problems([Problem(code, message, value=ticket.path.name)])
        write_receipt(ticket.job_dir / RECEIPT, receipt)
        self.journal.finish(ticket.sha, False, sorted(p.name for p in ticket.job_dir.iterdir()), reason=reason)
        log.error("job failed / ประมวลผลไม่สำเร็จ", extra={"path": ticket.source, "code": code,
                                                          "job_dir": ticket.job_dir})

    def _remove(self, path: Path, look: Look) -> None:
        """Remove a handled file, unless the officer replaced it meanwhile: then it is new work."""
        if Look.of(path) != look:
            log.info("file changed since taken, kept / ไฟล์ถูกแก้ไขระหว่างประมวลผล จะประมวลผลใหม่",
                     extra={"path": path.relative_to(self.inbox).as_posix()})
            self.stability.see(path, time.monotonic())
            return
        path.unlink(missing_ok=True)

    def _shutdown(self) -> None:
        log.info("stopping / กำลังหยุด", extra={"running": len(self.running), "queued": len(self.ready)})
        self.guard.stop()
        if self.running:
            wait(list(self.running), timeout=STOP_GRACE_SECONDS)
            self._collect()
        abandoned = len(self.running) + len(self.ready)
        self.pool.stop()
        self.pool.join(timeout=2)
        self.journal.close()
        log.info("stopped / หยุดแล้ว", extra={"abandoned": abandoned})


def main(args: argparse.Namespace, settings: Settings) -> int:
    json_logs = args.json_logs or settings.log_format == "json"
    logs.setup(json_logs)
    if args.inbox or args.outbox:
        settings = load_settings(settings.config_dir, inbox=args.inbox and args.inbox.resolve(),
                                 outbox=args.outbox and args.outbox.resolve())
    watcher = Watcher(settings, json_logs)
    signal.signal(signal.SIGTERM, watcher.request_stop)
    signal.signal(signal.SIGINT, watcher.request_stop)
    return watcher.run()
