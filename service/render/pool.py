"""Several warm LibreOffice instances (`office.Office`) shared by a process's threads, or by the watcher's
workers over a local socket: a job's documents convert at once, and a slow conversion holds only its own
instance.

`local(state_dir, size)` is the process-wide pool (started lazily, stopped at exit). The watcher serves its
pool to the workers (`serve`): LibreOffice then lives in the watcher alone, so the two workers share its
instances, an idle instance serves whichever job needs it, and a worker killed mid-request costs nothing but
that request. The socket is in Linux's abstract namespace (no path to clean up, none too long) and
guarded by a random key the workers get from the watcher, so no other local user can ask for conversions.
"""
from __future__ import annotations

import atexit
import os
import queue
import threading
from multiprocessing.connection import Client, Listener
from pathlib import Path

from service.render.office import Office, OfficeError, clear_stale_profiles


class Pool:
    """`size` Offices; `convert` takes an idle one (waiting for one if all are busy)."""

    def __init__(self, size: int = 1, profiles: Path | None = None) -> None:
        self.offices = [Office(profiles=profiles) for _ in range(max(1, size))]
        self._idle: queue.SimpleQueue[Office] = queue.SimpleQueue()
        for one in self.offices:
            self._idle.put(one)
        self.pid = os.getpid()

    def convert(self, src: Path, fmt: str, out_dir: Path, labels: bool = False) -> Path:
        office = self._idle.get()
        try:
            return office.convert(src, fmt, out_dir, labels)
        finally:
            self._idle.put(office)

    def warm_up(self) -> None:
        """Start every instance now, side by side."""
        starting = [threading.Thread(target=one.warm_up, daemon=True) for one in self.offices]
        for thread in starting:
            thread.start()
        for thread in starting:
            thread.join()

    @property
    def closed(self) -> bool:
        return all(one.closed for one in self.offices)

    def close(self) -> None:
        for one in self.offices:
            one.close()


class Remote:
    """A worker's handle on the watcher's pool: one short connection per conversion."""

    def __init__(self, address: str, authkey: bytes) -> None:
        self.address, self.authkey = address, authkey

    def convert(self, src: Path, fmt: str, out_dir: Path, labels: bool = False) -> Path:
        try:
            with Client(self.address, family="AF_UNIX", authkey=self.authkey) as conn:
                conn.send((str(src), fmt, str(out_dir), labels))
                kind, value = conn.recv()
        except (OSError, EOFError) as exc:
            raise OfficeError(f"the watcher's LibreOffice pool did not answer: {exc}") from exc
        if kind == "error":
            raise OfficeError(value)
        return Path(value)


def serve(pool: Pool) -> tuple[str, bytes]:
    """Serve `pool` on a fresh abstract socket from daemon threads; returns (address, key) for the workers."""
    authkey = os.urandom(32)
    listener = Listener(f"\0itadoc-office-{os.getpid()}-{os.urandom(6).hex()}", "AF_UNIX", authkey=authkey)

    def answer(conn) -> None:
        with conn:
            try:
                src, fmt, out_dir, labels = conn.recv()
                reply = ("ok", str(pool.convert(Path(src), fmt, Path(out_dir), labels)))
            except (OSError, EOFError):     # the worker is gone (killed mid-request): nobody to answer
                return
            except Exception as exc:        # reported to the worker, which turns it into `pdf_failed`
                reply = ("error", f"{type(exc).__name__}: {exc}")
            try:
                conn.send(reply)
            except OSError:
                pass

    def accept() -> None:
        while True:
            try:
                conn = listener.accept()
            except Exception:  # noqa: BLE001  (a client that failed the key, or left at once)
                continue
            threading.Thread(target=answer, args=(conn,), name="office-request", daemon=True).start()

    threading.Thread(target=accept, name="office-server", daemon=True).start()
    return listener.address, authkey


_current: Pool | Remote | None = None
_lock = threading.Lock()


def local(state_dir: Path | None = None, size: int = 1) -> Pool:
    """The process-wide pool (profiles under `state_dir`/office when given), stopped at exit."""
    global _current
    with _lock:
        if not isinstance(_current, Pool) or _current.pid != os.getpid() or _current.closed:
            profiles = state_dir / "office" if state_dir is not None else None
            if profiles is not None and profiles.is_dir():
                clear_stale_profiles(profiles)
            _current = Pool(size, profiles)
            atexit.register(_current.close)
        return _current


def use_remote(address: str, authkey: bytes) -> None:
    """This process (a watcher's worker) converts through the watcher's pool from now on."""
    global _current
    with _lock:
        _current = Remote(address, authkey)


def convert(src: Path, fmt: str, out_dir: Path, labels: bool = False) -> Path:
    """Convert with this process's pool: the watcher's when set by `use_remote`, else a local one."""
    current = _current if isinstance(_current, Remote) else local()   # local(): this process's own pool
    return current.convert(src, fmt, out_dir, labels)
