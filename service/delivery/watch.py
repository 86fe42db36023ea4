"""`itadoc watch`: the watch-folder service — nothing lost, nothing leaked, a second from drop to document.

One thread owns all state (the journal, the waiting files, the jobs in flight); the watchdog observer and
finished jobs only wake it through a queue. Jobs run in warm worker processes (pebble), so that a slow or
crashing workbook is killed at its timeout without stopping the others, and a `kill -9` of the watcher
takes its workers with it. LibreOffice runs in the watcher, a few warm instances its workers share
(`render/pool.py`), so a job's PDFs convert side by side.

A finished file is first copied into the watcher's own `state_dir/work/` (through `open_inside`, never
through a link), and its identity is the sha256 of that copy: what the job reads is what the receipt
names, whatever happens to the inbox file meanwhile. The inbox file leaves the inbox only when its job
has a receipt and the file on disk still has the bytes processed; a refused file that may be a paused copy
stays a while and is taken again if it changes. Anything that goes wrong with one file is logged and
never ends the watcher.
"""
from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import hashlib
import json
import logging
import multiprocessing
import os
import queue
import re
import shutil
import signal
import sqlite3
import sys
import threading
import time
import uuid
from collections import deque
from concurrent.futures import CancelledError, Future, TimeoutError as FutureTimeout, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Callable, Iterator

from pebble import ProcessExpired, ProcessPool
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from service import logs
from service.analysis.framework import available_years, load_framework
from service.authoring.templates_check import template_problems
from service.check import check_configuration
from service.delivery.intake import Look, NotARegularFile, Stability, candidates, is_candidate, is_whole, open_inside
from service.delivery.job import (INTERNAL_MESSAGE, RECEIPT, inputs_stamp, job_dir_for, process, sha256_file,
                                  workbook_copy)
from service.delivery import rollup
from service.delivery.journal import Journal
from service.render import pool as office_pool
from service.render.pdf import PdfConverter, remote_converter
from service.problems import Problem
from service.delivery.receipt import Receipt, write_atomic, write_receipt
from service.settings import Settings, load_settings, overlapping_folders, refreshed

log = logging.getLogger("itadoc.watch")

NETWORK_FS = frozenset({"cifs", "smb3", "smbfs", "nfs", "nfs4", "9p", "afs", "ceph", "glusterfs", "davfs",
                        "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.glusterfs", "fuse.davfs2",
                        "fuse.gvfsd-fuse"})
HEALTH_SECONDS = 1.0   # how often the observer is checked for life
STOP_GRACE_SECONDS = 1.0  # jobs in hand get this long to finish at SIGTERM; the rest are redone at next start
PR_SET_PDEATHSIG = 1
STAGING = "work"          # under state_dir: the watcher's copies of the inputs in hand
DISK_BACKOFF = (2.0, 60.0)  # first and longest pause of intake while the disk is full
CRASH_RETRIES = 1         # a worker that dies (killed, out of memory) gets its job once more
DUPLICATE_PREFIX = "ไฟล์ซ้ำ_"

# Thai reasons written into a receipt when the watcher, not the workbook, ends a job.
TIMEOUT_MESSAGE = ("ระบบใช้เวลาประมวลผลไฟล์นี้เกิน {seconds:g} วินาที จึงหยุดการประมวลผล "
                   "กรุณาตรวจสอบว่าไฟล์มีข้อมูลมากผิดปกติหรือไม่ แล้วส่งใหม่ หรือแจ้งผู้ดูแลระบบ")
CRASH_MESSAGE = "การประมวลผลไฟล์นี้หยุดลงกลางคันโดยไม่คาดคิด ได้แจ้งผู้ดูแลระบบแล้ว กรุณาส่งไฟล์ใหม่อีกครั้งภายหลัง"
DUPLICATE_MESSAGE = ("ไฟล์นี้มีเนื้อหาเหมือนกับไฟล์ที่ประมวลผลสำเร็จแล้วทุกไบต์ ระบบจึงไม่ประมวลผลซ้ำ "
                     "เอกสารอยู่ในโฟลเดอร์ {job_dir} หากต้องการให้ประมวลผลใหม่ ให้แก้ไขไฟล์แล้ววางใหม่ "
                     "หรือแจ้งผู้ดูแลระบบ (itadoc retry)")


# ---------------------------------------------------------------- worker processes

_worker: dict[str, object] = {}


def _die_with_parent() -> None:
    """Linux: a worker is killed when its parent dies, so `kill -9` of the watcher leaves no orphans."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _worker_init(settings: Settings, json_logs: bool, office: tuple[str, bytes]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; the watcher decides
    _die_with_parent()
    logs.setup(json_logs)
    converter = remote_converter(*office, settings.config_dir, settings.continued_labels)  # the watcher's LibreOffice
    _worker["pdf"] = converter if settings.pdf else None
    _worker["settings"] = settings
    for year in available_years(settings.frameworks_dir):  # a good version to keep if one is broken later
        with contextlib.suppress(Exception):
            load_framework(settings.frameworks_dir, year)


def _run_job(path: str, subfolder: str, sha: str) -> dict[str, object]:
    settings = refreshed(_worker["settings"])  # type: ignore[arg-type]
    pdf: PdfConverter | None = _worker["pdf"]  # type: ignore[assignment]
    result = process(Path(path), settings, pdf=pdf, subfolder=subfolder, sha=sha)  # type: ignore[arg-type]
    rollup.refresh(settings.outbox, settings.frameworks_dir)  # the coordinator's roll-up, after every job
    return {"job_dir": str(result.job_dir), "status": result.receipt.status,
            "codes": [e["code"] for e in result.receipt.errors],
            "outputs": sorted(p.name for p in result.job_dir.iterdir())}


def _pool(settings: Settings, json_logs: bool, office: tuple[str, bytes]) -> ProcessPool:
    """Workers fork from a forkserver that has loaded the service once (`service.warm`): warm, and free
    of our threads."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["service.warm"])
    pool = ProcessPool(max_workers=settings.worker_count, initializer=_worker_init,
                       initargs=(settings, json_logs, office), context=context)
    for _ in range(settings.worker_count):  # start the workers before the first drop
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

    def __init__(self, events: queue.SimpleQueue[tuple[Path, bool] | None]) -> None:
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        """(path, written): "closed" is a writer's close (inotify's IN_CLOSE_WRITE), and a move puts a
        finished file in place (Excel saves by renaming its temporary file onto the name)."""
        if event.event_type in ("created", "modified", "closed"):
            self.events.put((Path(os.fsdecode(event.src_path)), event.event_type == "closed"))
        elif event.event_type == "moved":
            self.events.put((Path(os.fsdecode(event.dest_path)), True))


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
    path: Path          # the file the job reads: the watcher's copy, or a job folder's copy when redoing
    source: str         # as dropped, relative to the inbox
    subfolder: str
    sha: str
    look: Look | None   # the inbox file as copied; None when it is no longer there to remove
    job_dir: Path
    received: float
    whole: bool = True  # False: taken after the grace without ever becoming a whole workbook
    crashes: int = 0
    replaces: Path | None = None  # a failed job folder of the same bytes under another name: goes once this is good


@dataclass(frozen=True)
class Held:
    """A refused file kept in the inbox a while: its copy may only have paused (a slow share)."""

    look: Look
    sha: str
    until: float


def _subfolder(relative: PurePath) -> str:
    """`unit-a/plan.xlsx` → `unit-a`: the sub-folder an officer dropped into, kept in the job folder."""
    return "" if relative.parent == PurePath(".") else relative.parent.as_posix()


def _disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.OperationalError) and "full" in str(exc)


class Watcher:
    def __init__(self, settings: Settings, json_logs: bool) -> None:
        # Sized once, by cores and the memory available at start (settings.py), for the whole run.
        self.settings = settings.model_copy(update={"workers": settings.worker_count,
                                                    "office_instances": settings.office_count})
        self.inbox = settings.inbox.resolve()
        self.outbox = settings.outbox.resolve()
        self.staging = settings.state_dir.resolve() / STAGING
        self.json_logs = json_logs
        self.events: queue.SimpleQueue[tuple[Path, bool] | None] = queue.SimpleQueue()
        self.stopping = threading.Event()
        self.stability = Stability(settings.poll_seconds, settings.incomplete_grace_seconds)
        self.ready: deque[Ticket] = deque()
        self.running: dict[Future, Ticket] = {}
        self.busy: dict[str, list[tuple[Path, Look]]] = {}  # sha in hand → same bytes dropped meanwhile
        self.busy_paths: set[Path] = set()
        self.held: dict[Path, Held] = {}
        self.refused_links: set[Path] = set()
        self.stamp = ""
        self.paused_until: float | None = None      # intake and jobs wait while the disk is full
        self.backoff = DISK_BACKOFF[0]
        self.journal: Journal | None = None  # opened by run(): on a full disk that may take a while
        self.pool_retry_at: float | None = None  # set when the pool broke: rebuilt then, jobs requeued
        self.guard = ObserverGuard(self.inbox, observer_kind(settings), settings.poll_seconds,
                                   _Forward(self.events))

    def request_stop(self, *_: object) -> None:
        self.stopping.set()
        self.events.put(None)

    def run(self) -> int:
        self.inbox.mkdir(parents=True, exist_ok=True)
        # LibreOffice lives here, shared by the workers: started now when PDFs are on (it starts while the
        # workers load), else on the first .xls/.ods to convert.
        self.office = office_pool.local(self.settings.state_dir, self.settings.office_count)
        if self.settings.pdf:
            threading.Thread(target=self.office.warm_up, name="office-start", daemon=True).start()
        self.office_link = office_pool.serve(self.office)
        os.environ["ITADOC_CONFIG"] = str(self.settings.config_dir)  # for the forkserver's warm-up (warm.py)
        try:
            self.pool = _pool(self.settings, self.json_logs, self.office_link)
        except Exception:  # a broken installation: say so and exit non-zero, for systemd to restart us
            log.critical("cannot start workers / เริ่มกระบวนการทำงานไม่ได้ ตรวจการติดตั้ง", exc_info=True)
            return 1
        self.guard.start()
        log.info("watching / เริ่มเฝ้าโฟลเดอร์", extra={
            "inbox": self.inbox, "outbox": self.settings.outbox, "observer": self.guard.kind,
            "workers": self.settings.worker_count, "libreoffice": self.settings.office_count, "pdf": self.settings.pdf})
        try:
            self.journal = self._open_journal()
            if self.journal is not None:
                self._configuration()
                self._recover()
                self._scan()
                self._loop()
        finally:
            self._shutdown()
        return 0

    def _open_journal(self) -> Journal | None:
        """The journal, waiting (and saying so) while the disk is too full to open it; None when stopped."""
        while True:
            try:
                journal = Journal(self.settings.state_dir, self._receipts())
                self.backoff = DISK_BACKOFF[0]
                return journal
            except (OSError, sqlite3.OperationalError) as exc:
                if not (_disk_full(exc) or "disk I/O" in str(exc)):
                    raise
                log.critical("DISK FULL, cannot open the journal / พื้นที่ดิสก์เต็ม เปิดสมุดบันทึกงานไม่ได้ "
                             "จะลองใหม่ใน %g วินาที: %s", self.backoff, exc, extra={"state_dir": self.settings.state_dir})
                if self.stopping.wait(self.backoff):
                    return None
                self.backoff = min(self.backoff * 2, DISK_BACKOFF[1])

    def _loop(self) -> None:
        next_rescan = time.monotonic() + self.settings.rescan_seconds
        next_health = time.monotonic() + HEALTH_SECONDS
        while not self.stopping.is_set():
            now = time.monotonic()
            dues = (self.stability.next_due(), next_rescan, next_health, self.paused_until,
                    min((h.until for h in self.held.values()), default=None),
                    now + self.settings.poll_seconds if self.held else None)
            due = min(d for d in dues if d is not None)
            try:
                item = self.events.get(timeout=max(0.0, due - now))
                while True:
                    if item is not None:
                        self._safely(self._notice, *item)
                    item = self.events.get_nowait()
            except queue.Empty:
                pass
            now = time.monotonic()
            if self.paused_until is not None and now >= self.paused_until:
                self.paused_until = None
                log.warning("retrying after a full disk / ลองทำงานต่อหลังพื้นที่ดิสก์เต็ม")
                self._scan()
            if self.paused_until is None:
                for path, look in self.stability.ready(now):
                    self._safely(self._take, path, look)
            self._safely(self._collect)
            self._safely(self._dispatch)
            self._safely(self._release_held, now)
            if now >= next_health:
                next_health = now + HEALTH_SECONDS
                if not self.guard.healthy() and self.guard.restart():
                    self._scan()  # whatever arrived while nobody was watching
            if now >= next_rescan:
                next_rescan = now + self.settings.rescan_seconds
                self._scan()

    def _safely(self, step: Callable[..., None], *args: object) -> None:
        """One file's problem (it vanished, it is a link, the disk is full) never ends the watcher."""
        try:
            step(*args)
        except Exception as exc:
            if _disk_full(exc):
                self._pause(exc)
            else:
                log.exception("per-file problem, watcher continues / เกิดปัญหากับไฟล์หนึ่ง ระบบทำงานต่อ",
                              extra={"step": getattr(step, "__name__", str(step))})

    def _pause(self, exc: BaseException) -> None:
        """Disk full: nothing leaves the inbox, intake and jobs wait, and the wait doubles up to a minute."""
        if self.paused_until is None:
            log.critical("DISK FULL, intake paused / พื้นที่ดิสก์เต็ม หยุดรับไฟล์ชั่วคราว จะลองใหม่ใน %g วินาที "
                         "ให้ผู้ดูแลระบบเพิ่มพื้นที่: %s", self.backoff, exc, extra={"outbox": self.outbox})
            self.paused_until = time.monotonic() + self.backoff
            self.backoff = min(self.backoff * 2, DISK_BACKOFF[1])

    def _configuration(self) -> None:
        """`itadoc check` at start and whenever templates, frameworks or dictionary change: each problem is
        an administrator's log line; a refused framework or setting keeps its last good version in use."""
        stamp = inputs_stamp(self.settings)
        if stamp == self.stamp:
            return
        self.stamp = stamp
        for problem in check_configuration(self.settings) + template_problems(self.settings.templates):
            log.error("configuration problem / การตั้งค่าผิดพลาด: %s", problem)

    # ---- intake

    def _notice(self, path: Path, written: bool = False) -> None:
        if path in self.busy_paths or path in self.held:
            return
        try:
            relative = path.relative_to(self.inbox)
        except ValueError:
            return
        if path.is_dir() and not path.is_symlink():
            self._scan()  # a folder moved in brings files that raise no events of their own
        elif is_candidate(relative):
            self._see(path, time.monotonic(), written)

    def _see(self, path: Path, now: float, written: bool = False) -> None:
        if path.is_symlink():
            self._refuse_link(path.relative_to(self.inbox), "เป็นลิงก์ (symbolic link)")
        else:
            self.stability.see(path, now, written)

    def _refuse_link(self, relative: PurePath, why: str) -> None:
        """Logged once per path: never followed, never copied, left where it is for the administrator."""
        if self.inbox / relative not in self.refused_links:
            self.refused_links.add(self.inbox / relative)
            log.error("refused, not a plain file (link?) / ไม่รับไฟล์ที่ไม่ใช่ไฟล์ปกติ ไม่ได้คัดลอกสิ่งใด",
                      extra={"path": relative.as_posix(), "why": why})

    def _scan(self) -> None:
        now = time.monotonic()
        for path in candidates(self.inbox):
            if path not in self.busy_paths and path not in self.held:
                self._see(path, now)

    def _stage(self, relative: PurePath) -> tuple[Path, str, Look]:
        """Copy the inbox file into the staging folder, then hash the copy: the identity of a job is the
        bytes it reads. Raises when the file vanished or changed during the copy (FileNotFoundError,
        ChangedWhileCopied), or is no plain file (NotARegularFile)."""
        target = self.staging / uuid.uuid4().hex / relative.name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = open_inside(self.inbox, relative)
            with os.fdopen(fd, "rb") as src:
                before = Look.of_stat(os.fstat(src.fileno()))
                with target.open("wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
                after = Look.of_stat(os.fstat(src.fileno()))
            if before != after or Look.of(self.inbox / relative) != before:
                raise ChangedWhileCopied(relative)
            return target, sha256_file(target), before
        except BaseException:
            shutil.rmtree(target.parent, ignore_errors=True)
            raise

    def _take(self, path: Path, look: Look) -> None:
        """A finished file: a duplicate of a good job leaves a note and goes; anything else becomes a job."""
        staged = self._take_copy(path, look)
        if staged is None:
            return
        try:
            self._decide(path, look, *staged)
        except BaseException:
            shutil.rmtree(staged[0].parent, ignore_errors=True)
            raise

    def _take_copy(self, path: Path, look: Look) -> tuple[Path, str] | None:
        """The watcher's copy and its sha256, or None when the file cannot be taken now."""
        relative = path.relative_to(self.inbox)
        try:
            staged, sha, copied = self._stage(relative)
        except FileNotFoundError:
            log.info("vanished before it was taken / ไฟล์ถูกนำออกไปก่อนรับเข้า", extra={"path": relative.as_posix()})
            return None
        except NotARegularFile as exc:
            self._refuse_link(relative, exc.strerror or "")
            return None
        except ChangedWhileCopied:
            self.stability.see(path, time.monotonic())
            return None
        if copied != look:  # changed since it settled: wait for it to settle again
            shutil.rmtree(staged.parent, ignore_errors=True)
            self.stability.see(path, time.monotonic())
            return None
        return staged, sha

    def _decide(self, path: Path, look: Look, staged: Path, sha: str) -> None:
        relative = path.relative_to(self.inbox)
        self._configuration()
        if sha in self.busy:
            shutil.rmtree(staged.parent, ignore_errors=True)
            self.busy[sha].append((path, look))
            return
        entry = self.journal.get(sha)
        if entry and entry.finished and entry.stamp in (None, self.stamp) and self._good(Path(entry.job_dir)):
            shutil.rmtree(staged.parent, ignore_errors=True)
            self._duplicate(path, look, sha, Path(entry.job_dir))
            return
        if entry and entry.finished:
            log.info("processing again (earlier job failed, or configuration changed) / ประมวลผลใหม่",
                     extra={"path": relative.as_posix(), "sha": sha[:8], "job_dir": entry.job_dir})
        elif entry:
            log.warning("redoing interrupted job / ประมวลผลงานที่ค้างอยู่ใหม่",
                        extra={"path": relative.as_posix(), "sha": sha[:8]})
        subfolder = _subfolder(relative)
        job_dir = job_dir_for(self.settings.outbox, path, sha, subfolder)
        earlier = Path(entry.job_dir) if entry and Path(entry.job_dir) != job_dir else None
        self._queue(Ticket(staged, relative.as_posix(), subfolder, sha, look, job_dir, time.monotonic(),
                           whole=is_whole(staged), replaces=earlier))

    @staticmethod
    def _good(job_dir: Path) -> bool:
        """A job whose receipt is ok with every document made: only that makes a re-drop a duplicate."""
        try:
            receipt = json.loads((job_dir / RECEIPT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return receipt.get("status") == "ok" and not receipt.get("blocked")

    def _duplicate(self, path: Path, look: Look, sha: str, job_dir: Path) -> None:
        """The officer sees why nothing new appeared: a short note in their sub-folder of the outbox."""
        relative = path.relative_to(self.inbox)
        folder = job_dir_for(self.settings.outbox, path, sha, _subfolder(relative))
        note = folder.with_name(f"{DUPLICATE_PREFIX}{folder.name}.json")
        shown = job_dir.relative_to(self.outbox).as_posix() if job_dir.is_relative_to(self.outbox) else job_dir.name
        note.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(note, json.dumps({
            "workbook": path.name, "sha256": sha, "status": "duplicate", "job_dir": shown,
            "message": DUPLICATE_MESSAGE.format(job_dir=shown)}, ensure_ascii=False, indent=2).encode("utf-8"))
        self.journal.duplicate(sha)
        log.info("duplicate removed / ไฟล์ซ้ำกับที่ประมวลผลแล้ว ลบออกจาก inbox",
                 extra={"path": relative.as_posix(), "sha": sha[:8], "job_dir": str(job_dir)})
        self._remove(path, look, sha)

    def _queue(self, ticket: Ticket) -> None:
        self.journal.receive(ticket.sha, ticket.source, ticket.job_dir, self.stamp,
                             ticket.path if ticket.path.is_relative_to(self.staging) else None)
        self.busy[ticket.sha] = []
        if ticket.look is not None:
            self.busy_paths.add(self.inbox / ticket.source)
        self.ready.append(ticket)
        log.info("received / รับไฟล์", extra={"path": ticket.source, "sha": ticket.sha[:8]})

    def _receipts(self) -> Iterator[tuple[Path, dict]]:
        """Every job folder's receipt, for rebuilding a journal that had to be set aside."""
        state = self.settings.state_dir.resolve()
        for receipt in self.outbox.rglob(RECEIPT):
            if receipt.is_relative_to(state):
                continue
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(receipt.read_text(encoding="utf-8"))
                sub = receipt.parent.parent.relative_to(self.outbox)
                data["workbook"] = (sub / data["workbook"]).as_posix()
                yield receipt.parent, data

    def _recover(self) -> None:
        """Jobs a crash left unfinished are redone from the watcher's copy, or the job folder's; a job that
        has its receipt is recorded; the staging folder keeps nothing else."""
        for entry in self.journal.unfinished():
            source, job_dir = self.inbox / entry.source, Path(entry.job_dir)
            copy = workbook_copy(job_dir, PurePath(entry.source).name)
            staged = Path(entry.staged) if entry.staged else None
            if (job_dir / RECEIPT).exists():
                ok = Receipt.model_validate_json((job_dir / RECEIPT).read_bytes()).status == "ok"
                self.journal.finish(entry.sha256, ok, sorted(p.name for p in job_dir.iterdir()))
                continue
            redo_from = staged if staged and staged.is_file() else copy if copy.is_file() else None
            if redo_from is None:
                if not source.is_file():
                    log.warning("input gone before its job started / ไฟล์ถูกนำออกก่อนประมวลผล",
                                extra={"path": entry.source, "sha": entry.sha256[:8]})
                self.journal.finish(entry.sha256, False, [], reason="gone")  # a file still there is taken anew
                self._discard_unfinished(job_dir)
                continue
            look = Look.of(source)
            with contextlib.suppress(OSError):
                if look is not None and sha256_file(source) != entry.sha256:
                    look = None  # replaced meanwhile: the new version is taken as new work
            log.warning("redoing interrupted job / ประมวลผลงานที่ค้างอยู่ใหม่",
                        extra={"path": entry.source, "sha": entry.sha256[:8]})
            self._queue(Ticket(redo_from, entry.source, _subfolder(PurePath(entry.source)), entry.sha256,
                               look, job_dir, time.monotonic()))
        kept = {t.path.parent for t in self.ready}
        if self.staging.is_dir():
            for leftover in self.staging.iterdir():
                if leftover not in kept:
                    shutil.rmtree(leftover, ignore_errors=True)

    # ---- jobs

    def _dispatch(self) -> None:
        if self.paused_until is not None:
            return
        if self.pool_retry_at is not None:
            if time.monotonic() < self.pool_retry_at:
                return
            self._rebuild_pool()
        while self.ready and len(self.running) < self.settings.worker_count:
            ticket = self.ready.popleft()
            try:
                if not self._still_wanted(ticket):
                    continue
                self.journal.start(ticket.sha)
                future = self.pool.schedule(_run_job, args=(str(ticket.path), ticket.subfolder, ticket.sha),
                                            timeout=self.settings.job_timeout_seconds)
            except RuntimeError as exc:  # pebble's pool is broken (its forkserver was killed): a new one
                self.ready.appendleft(ticket)
                log.error("worker pool broken, rebuilding / กลุ่มกระบวนการทำงานเสียหาย กำลังสร้างใหม่: %s", exc)
                self.pool_retry_at = time.monotonic()
                return
            except BaseException:
                self.ready.appendleft(ticket)  # e.g. the disk is full: the ticket waits, nothing is lost
                raise
            future.add_done_callback(lambda _: self.events.put(None))
            self.running[future] = ticket

    def _rebuild_pool(self) -> None:
        """A new pool; the jobs the old one held are redone from the watcher's copies."""
        for ticket in reversed(list(self.running.values())):
            self.ready.appendleft(ticket)
        self.running.clear()
        self.pool.stop()
        self.pool.join(timeout=5)
        self.pool = _pool(self.settings, self.json_logs, self.office_link)
        self.pool_retry_at = None

    def _still_wanted(self, ticket: Ticket) -> bool:
        """A queued file deleted or replaced in the inbox is dropped: the officer withdrew or corrected it
        (a replacement is taken as new work)."""
        if ticket.look is None:
            return True
        path = self.inbox / ticket.source
        now = Look.of(path)
        if now == ticket.look:
            return True
        reason = "gone" if now is None else "superseded"
        log.info("queued file vanished, dropped / ไฟล์ถูกลบออกก่อนประมวลผล" if now is None else
                 "queued file replaced, new version taken / ไฟล์ถูกแทนที่ระหว่างรอ จะประมวลผลฉบับใหม่",
                 extra={"path": ticket.source, "sha": ticket.sha[:8]})
        self.journal.finish(ticket.sha, False, [], reason=reason)
        self._release(ticket)
        self._discard_unfinished(ticket.job_dir)
        if now is not None:
            self.stability.see(path, time.monotonic())
        return False

    @staticmethod
    def _discard_unfinished(job_dir: Path) -> None:
        """A job folder a killed worker left half-written, for a job that will not run again."""
        if job_dir.is_dir() and not (job_dir / RECEIPT).exists():
            shutil.rmtree(job_dir, ignore_errors=True)

    def _collect(self) -> None:
        for future in [f for f in self.running if f.done()]:
            ticket = self.running.pop(future)
            try:
                self._finish(ticket, future)
            except Exception as exc:
                if _disk_full(exc):  # the job is redone once there is room; the input has not moved
                    self.ready.appendleft(ticket)
                else:
                    self._release(ticket)
                raise

    def _finish(self, ticket: Ticket, future: Future) -> None:
        seconds = round(time.monotonic() - ticket.received, 3)
        codes: list[str] = []
        try:
            result = future.result()
        except (BrokenProcessPool, CancelledError) as exc:  # the workers, not the workbook: a new pool
            log.error("worker pool broken, rebuilding / กลุ่มกระบวนการทำงานเสียหาย กำลังสร้างใหม่: %s", exc)
            self.pool_retry_at = time.monotonic() + HEALTH_SECONDS
            self.ready.appendleft(ticket)
            return
        except FutureTimeout:
            self._fail(ticket, "job_timeout", "timeout",
                       TIMEOUT_MESSAGE.format(seconds=self.settings.job_timeout_seconds))
        except ProcessExpired as exc:
            if ticket.crashes < CRASH_RETRIES:
                ticket.crashes += 1
                log.error("worker died, retrying once / กระบวนการทำงานหยุดกลางคัน ลองใหม่อีกครั้ง: %s", exc,
                          extra={"path": ticket.source})
                self.ready.appendleft(ticket)
                return
            log.error("worker died again / กระบวนการทำงานหยุดกลางคันซ้ำ: %s", exc, extra={"path": ticket.source})
            self._fail(ticket, "worker_crashed", "crash", CRASH_MESSAGE)
        except Exception as exc:
            if _disk_full(exc):
                self.ready.appendleft(ticket)  # the input stays where it is; the job is redone after the pause
                self._pause(exc)
                return
            log.exception("job raised / งานผิดพลาดภายใน", extra={"path": ticket.source})
            self._fail(ticket, "internal_error", "error", INTERNAL_MESSAGE)
        else:
            codes = result["codes"]  # type: ignore[assignment]
            self.journal.finish(ticket.sha, result["status"] == "ok", result["outputs"])  # type: ignore[arg-type]
            if result["status"] == "ok" and ticket.replaces is not None and not self._good(ticket.replaces):
                shutil.rmtree(ticket.replaces, ignore_errors=True)  # the same bytes are now done well
                log.info("earlier failed job of the same file removed / ลบผลการประมวลผลที่ไม่สำเร็จครั้งก่อน",
                         extra={"job_dir": ticket.replaces})
            self.backoff = DISK_BACKOFF[0]
            log.info("job done / ประมวลผลเสร็จ", extra={
                "path": ticket.source, "status": result["status"], "job_dir": result["job_dir"],
                "seconds": seconds})
        self._release(ticket)
        if ticket.look is not None:
            path = self.inbox / ticket.source
            if not ticket.whole or "not_a_workbook" in codes:
                self.held[path] = Held(ticket.look, ticket.sha, time.monotonic() + self.settings.refused_hold_seconds)
                self.busy_paths.add(path)
            else:
                self._remove(path, ticket.look, ticket.sha)

    def _release(self, ticket: Ticket) -> None:
        """The ticket is over: its copy goes, same bytes dropped meanwhile are looked at again."""
        if ticket.path.is_relative_to(self.staging):
            shutil.rmtree(ticket.path.parent, ignore_errors=True)
        path = self.inbox / ticket.source
        if ticket.look is not None:
            self.busy_paths.discard(path)
        for other, look in self.busy.pop(ticket.sha, []):
            if other != path:
                self._take(other, look)

    def _release_held(self, now: float) -> None:
        """A held file that changed is new work; one unchanged for the whole hold is removed."""
        for path, held in list(self.held.items()):
            look = Look.of(path)
            if look != held.look:
                del self.held[path]
                self.busy_paths.discard(path)
                if look is not None:
                    log.info("refused file changed, taken again / ไฟล์ที่ถูกปฏิเสธมีการเปลี่ยนแปลง รับใหม่",
                             extra={"path": path.relative_to(self.inbox).as_posix()})
                    self.stability.see(path, now)
            elif now >= held.until:
                del self.held[path]
                self.busy_paths.discard(path)
                self._remove(path, held.look, held.sha)

    def _fail(self, ticket: Ticket, code: str, reason: str, message: str) -> None:
        """The watcher ended the job: the copy (if the job had not written it) and a failed receipt."""
        name = PurePath(ticket.source).name
        ticket.job_dir.mkdir(parents=True, exist_ok=True)
        copy = workbook_copy(ticket.job_dir, name)
        if not copy.exists() and ticket.path.is_file():
            write_atomic(copy, ticket.path.read_bytes())
        receipt = Receipt(workbook=name, sha256=ticket.sha)
        receipt.set_problems([Problem(code, message, value=name)])
        write_receipt(ticket.job_dir / RECEIPT, receipt)
        self.journal.finish(ticket.sha, False, sorted(p.name for p in ticket.job_dir.iterdir()), reason=reason)
        log.error("job failed / ประมวลผลไม่สำเร็จ", extra={"path": ticket.source, "code": code,
                                                          "job_dir": ticket.job_dir})

    def _remove(self, path: Path, look: Look, sha: str) -> None:
        """Remove a handled file only when it is still the bytes processed: a file replaced or written to
        meanwhile is new work, and is looked at again. Only the bytes count: a copy program that sets the
        file's times after closing it (`cp -p`, a Windows copy) leaves the same work, not new work."""
        relative = path.relative_to(self.inbox)
        now = Look.of(path)
        same = now is not None and now.size == look.size
        if same:
            try:
                with os.fdopen(open_inside(self.inbox, relative), "rb") as fh:
                    same = hashlib.file_digest(fh, "sha256").hexdigest() == sha and Look.of(path) == now
            except OSError:
                same = False
        if not same:
            if Look.of(path) is not None:
                log.info("file changed since taken, kept / ไฟล์ถูกแก้ไขระหว่างประมวลผล จะประมวลผลใหม่",
                         extra={"path": relative.as_posix()})
                self.stability.see(path, time.monotonic())
            return
        path.unlink(missing_ok=True)

    def _shutdown(self) -> None:
        log.info("stopping / กำลังหยุด", extra={"running": len(self.running), "queued": len(self.ready)})
        self.guard.stop()
        if self.running:
            wait(list(self.running), timeout=STOP_GRACE_SECONDS)
            self._safely(self._collect)
        abandoned = len(self.running) + len(self.ready)
        self.pool.stop()
        self.pool.join(timeout=2)
        for worker in multiprocessing.active_children():  # not stopped in time: they must not outlive us
            worker.kill()
            worker.join(timeout=2)
        self.office.close()            # and the PDFs they asked for: none may land in a folder removed below
        for ticket in self.running.values():  # redone at the next start: no half-written folder meanwhile
            if ticket.path.is_file() and not ticket.path.is_relative_to(ticket.job_dir):
                self._discard_unfinished(ticket.job_dir)
        if self.journal is not None:
            self.journal.close()
        log.info("stopped / หยุดแล้ว", extra={"abandoned": abandoned})


class ChangedWhileCopied(Exception):
    """The inbox file was written to or replaced while the watcher copied it: wait for it to settle."""


def main(args: argparse.Namespace, settings: Settings) -> int:
    json_logs = args.json_logs or settings.log_format == "json"
    logs.setup(json_logs)
    if args.inbox or args.outbox:
        settings = load_settings(settings.config_dir, inbox=args.inbox and args.inbox.resolve(),
                                 outbox=args.outbox and args.outbox.resolve())
    overlap = overlapping_folders(settings)
    if overlap:
        print(f"เริ่มเฝ้าโฟลเดอร์ไม่ได้: {overlap} ให้แยกโฟลเดอร์ inbox, outbox และ state_dir ออกจากกัน",
              file=sys.stderr)
        return 2
    watcher = Watcher(settings, json_logs)
    signal.signal(signal.SIGTERM, watcher.request_stop)
    signal.signal(signal.SIGINT, watcher.request_stop)
    return watcher.run()
