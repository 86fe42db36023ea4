"""LibreOffice kept running between conversions: `Office.convert(src, fmt, out_dir)` for PDF, XLSX and friends.

A cold `soffice --convert-to` pays LibreOffice's start-up (about a second and a half) for every file; here
a headless soffice is started on first use and then driven over UNO by a small bridge script run with the
Python that has LibreOffice's `uno` module (`office_bridge.py`). Each instance has its own profile and
pipe; a lock serialises the conversions of one instance, and `pool.py` keeps several side by side.
Profiles live in `<state_dir>/office/<owner pid>-…` when a state folder is given (a temporary folder
otherwise); those of owners that are gone (killed with -9) are removed when the next owner starts.

No soffice outlives its owner: the bridge starts soffice itself, after it has begun to watch its owner,
so that soffice never runs without a guardian; each runs in a session of its own, `close()` (and atexit)
kill both sessions, and the bridge kills soffice's session as soon as its owner is gone in any way
(SIGTERM, SIGINT, kill -9): its stdin closes, and it also checks every 0.5 s that it has not been
reparented, which covers an owner killed in the middle of a long conversion. A bridge killed first is
noticed by its owner within 0.5 s, which stops soffice at once instead of at the next conversion.
`_stop()` ends soffice before the bridge, and the bridge ends soffice on SIGTERM too, so that no order of
deaths leaves soffice without a guardian. A soffice that died is restarted, and a conversion that
overruns its timeout kills soffice (the next call starts a fresh one). soffice gets a fontconfig that
maps "TH Sarabun New" to the derived stand-in.
"""
from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

from service.render import fonts

BRIDGE = Path(__file__).with_name("office_bridge.py")
START_TIMEOUT = 60.0
CONVERT_TIMEOUT = 120.0


class OfficeError(RuntimeError):
    """A conversion failed; the message says why (for logs, not for officers)."""


def uno_python() -> str:
    return os.environ.get("ITADOC_UNO_PYTHON", "/usr/bin/python3")


def soffice_binary() -> str:
    found = os.environ.get("ITADOC_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise OfficeError("LibreOffice (soffice) is not installed")
    return found


class Office:
    """One soffice and its bridge, started lazily; thread-safe; `close()` stops both."""

    def __init__(self, convert_timeout: float = CONVERT_TIMEOUT, start_timeout: float = START_TIMEOUT,
                 profiles: Path | None = None):
        self.convert_timeout = convert_timeout
        self.profiles = profiles
        self.start_timeout = start_timeout
        self._lock = threading.Lock()
        self._soffice: int | None = None      # soffice's pid (and session): the bridge's child
        self._bridge: subprocess.Popen | None = None
        self._profile: Path | None = None
        self._pid = os.getpid()
        self._watching = 0                    # pid whose bridge-watch thread runs (threads do not survive fork)
        self._closed = False                  # close() is final: no conversion after it starts soffice again
        self.starts = 0

    # -- public -------------------------------------------------------------------------------------
    def convert(self, src: Path, fmt: str, out_dir: Path, labels: bool = False) -> Path:
        """`src` converted to `fmt` ("pdf", "xlsx", "docx", "odt", "ods") in `out_dir`, same stem; with
        `labels` (PDF), a measure's label says "(ต่อ)" on its table's continuation pages."""
        src, out_dir = Path(src).resolve(), Path(out_dir).resolve()
        if not src.is_file():
            raise OfficeError(f"no such file: {src}")
        if not out_dir.is_dir():   # never made here: a job folder removed meanwhile must stay removed
            raise OfficeError(f"no such folder: {out_dir}")
        out = out_dir / f"{src.stem}.{fmt}"
        tmp = out_dir / f".{src.stem}.{uuid.uuid4().hex[:8]}.{fmt}"
        request = {"src": str(src), "fmt": fmt, "out": str(tmp), "labels": labels}
        with self._lock:
            if self._closed:   # a request queued while its owner stopped: its folder may be going away
                raise OfficeError("LibreOffice was stopped (the service is stopping)")
            try:
                reply = self._ask(request)
                if reply.get("dead"):           # soffice died since the last call: one fresh try
                    self._stop()
                    reply = self._ask(request)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        if "ok" not in reply:
            tmp.unlink(missing_ok=True)
            raise OfficeError(reply.get("error", "conversion failed"))
        os.replace(tmp, out)
        return out

    @property
    def closed(self) -> bool:
        return self._closed

    def warm_up(self) -> None:
        """Start soffice now rather than at the first conversion; a failure shows at that conversion."""
        with self._lock, contextlib.suppress(OfficeError, OSError):
            if not self._closed:
                self._ensure_running()

    def close(self) -> None:
        """Stop soffice and refuse what is still asked: a conversion queued behind the one in hand would
        otherwise start a fresh soffice after the owner has stopped."""
        with self._lock:
            self._closed = True
            self._stop()

    def __enter__(self) -> "Office":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------------------------
    def _ask(self, request: dict) -> dict:
        self._ensure_running()
        assert self._bridge is not None and self._bridge.stdin is not None
        try:
            self._bridge.stdin.write(json.dumps(request) + "\n")
            self._bridge.stdin.flush()
        except OSError:
            return {"error": "bridge gone", "dead": True}
        return self._read(self.convert_timeout)

    def _ensure_running(self) -> None:
        if os.getpid() != self._pid:          # a forked child must not drive its parent's soffice
            self._soffice = self._bridge = None
            self._profile, self._pid = None, os.getpid()
        if not self._alive():
            self._stop()
            self._start()

    def _read(self, timeout: float) -> dict:
        assert self._bridge is not None and self._bridge.stdout is not None
        ready, _, _ = select.select([self._bridge.stdout], [], [], timeout)
        if not ready:
            self._stop()
            raise OfficeError(f"LibreOffice did not answer within {timeout:.0f} s; it was restarted")
        line = self._bridge.stdout.readline()
        if not line:
            return {"error": "bridge gone", "dead": True}
        return json.loads(line)

    def _alive(self) -> bool:
        """The bridge runs (a soffice that died is reported dead by the bridge at the next request)."""
        return self._bridge is not None and self._bridge.poll() is None

    def _start(self) -> None:
        if self.profiles is None:
            self._profile = Path(tempfile.mkdtemp(prefix="itadoc-office-"))
        else:
            self.profiles.mkdir(parents=True, exist_ok=True)
            self._profile = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=self.profiles))
        pipe = f"itadoc-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        soffice = [soffice_binary(), "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
                   "--nolockcheck", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                   f"-env:UserInstallation={self._profile.as_uri()}"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update(FONTCONFIG_FILE=str(fonts.fontconfig_file()), SAL_USE_VCLPLUGIN="svp")
        # The bridge starts soffice itself, once it watches us: no soffice ever runs without its guardian.
        self._bridge = subprocess.Popen(
            [uno_python(), str(BRIDGE), pipe, str(os.getpid()), *soffice],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, encoding="utf-8",
            start_new_session=True, env=env)
        self.starts += 1
        reply = self._read(self.start_timeout)
        if not reply.get("ready"):
            self._stop()
            raise OfficeError("LibreOffice did not start")
        self._soffice = reply["soffice"]
        if self._watching != os.getpid():
            self._watching = os.getpid()
            threading.Thread(target=self._watch_bridge, name="office-bridge-watch", daemon=True).start()

    def _watch_bridge(self) -> None:
        """The bridge takes soffice along when we die; when the bridge dies first (killed), we take soffice
        along at once rather than at the next conversion, so no soffice is left if we die before it."""
        while True:
            time.sleep(0.5)
            bridge = self._bridge
            if bridge is None or bridge.poll() is None or not self._lock.acquire(blocking=False):
                continue
            try:
                if self._bridge is bridge:
                    self._stop()
            finally:
                self._lock.release()

    def _stop(self) -> None:
        # soffice first: were we killed between the two, the bridge, still alive, would take soffice along
        # (the other way round, a bridge stopped first leaves nobody to stop soffice).
        if self._soffice is not None:
            # The whole session: soffice is a launcher whose soffice.bin outlives it when killed alone.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._soffice, signal.SIGKILL)
            _wait_gone(self._soffice, 3)
        if self._bridge is not None:
            for sig in (signal.SIGTERM, signal.SIGKILL):   # SIGTERM: the bridge ends its soffice too
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._bridge.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._bridge.wait(3)
            for stream in (self._bridge.stdin, self._bridge.stdout):
                if stream:
                    stream.close()
        self._bridge = self._soffice = None
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None


def _wait_gone(pid: int, timeout: float) -> None:
    """Until `pid` has exited (gone, or a zombie its parent, the bridge, has not reaped yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return
        if state in ("Z", "X"):
            return
        time.sleep(0.01)


def clear_stale_profiles(profiles: Path) -> None:
    """Remove the profiles whose owner process is gone (their soffice went with it, see the bridge)."""
    for folder in profiles.glob("*-*"):
        pid = folder.name.split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # alive, someone else's
        pass
    return True
