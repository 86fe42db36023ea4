"""A real `python -m service watch` process on a throw-away folder, shared by the watcher tests and the
latency benchmark: `sandbox()` lays out copies of config/ and templates/, inbox/ and outbox/.
`ServerThread` runs the web page on a real uvicorn, for the web tests and the web benchmark."""
from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import uvicorn

from shipped import ROOT, shipped_copy


def sandbox(root: Path, code: Path = ROOT) -> None:
    """inbox/, outbox/ and a copy of the configuration and templates of the checkout `code`."""
    shipped_copy(root, code)
    (root / "inbox").mkdir()
    (root / "outbox").mkdir()


def wait_for(condition: Callable[[], object], timeout: float, message: str, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(step)


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group, from /proc (zombies excluded)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def tree_pids(root: int, extra: Callable[[set[int]], set[int]] = lambda pids: set()) -> set[int]:
    """`root` and all its descendants; `extra` adds processes outside the tree given its pids (LibreOffice
    runs in sessions of its own), with their descendants (soffice → soffice.bin)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))

    def below(start: set[int]) -> set[int]:
        found, todo = set(), list(start)
        while todo:
            pid = todo.pop()
            found.add(pid)
            todo += children.get(pid, [])
        return found

    tree = below({root})
    return tree | below(extra(tree) - tree)


def tree_pss_kb(root: int, extra: Callable[[set[int]], set[int]] = lambda pids: set()) -> int:
    """PSS of the processes of `tree_pids`, in kB (shared pages counted once across them)."""
    total = 0
    for pid in tree_pids(root, extra):
        with contextlib.suppress(OSError):
            m = re.search(r"^Pss:\s+(\d+)", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)
            total += int(m.group(1)) if m else 0
    return total


def tree_cpu_s(root: int, extra: Callable[[set[int]], set[int]] = lambda pids: set()) -> float:
    """CPU seconds (user + system, with reaped children) used so far by the processes of `tree_pids`."""
    ticks = 0
    for pid in tree_pids(root, extra):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += sum(int(f) for f in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def office_of(owners: set[int]) -> set[int]:
    """The service's LibreOffice processes (soffice and its bridge) whose owner is one of `owners`."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            args = (entry / "cmdline").read_bytes().split(b"\0")
            pipe = next((a for a in args if b"pipe,name=itadoc-" in a or a.startswith(b"itadoc-")), None)
            if pipe and int(pipe.split(b"itadoc-")[1].split(b"-")[0]) in owners:
                found.add(int(entry.name))
    return found


class WatcherProcess:
    """The watcher in its own session, so that it and its workers can be found and ended by group id."""

    def __init__(self, root: Path, code: Path = ROOT, **env: str) -> None:
        """`code`: the tree whose `service` package runs (another checkout, to compare side by side)."""
        self.lines: list[str] = []
        environ = {**os.environ, "ITADOC_PDF": "false", "ITADOC_WORKERS": "2", **env}
        environ.pop("ITADOC_CONFIG", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "service", "watch", "--config", str(root / "config")],
                                     cwd=code, env=environ, stderr=subprocess.PIPE, text=True,
                                     start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()
        wait_for(lambda: self.log("watching"), 30, "watcher did not start")

    def _read(self) -> None:
        for line in self.proc.stderr:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def log(self, word: str) -> list[str]:
        return [line for line in self.lines if word in line]

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=10)

    def kill_group(self) -> None:
        if self.proc.poll() is None or group_members(self.proc.pid):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)


class ServerThread:
    """uvicorn in a thread on 127.0.0.1, on a port the system picks."""

    def __init__(self, app: object) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        wait_for(lambda: self.server.started, 10, "uvicorn did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, bytes, dict]:
        """A raw request: the path is sent as written (no client-side normalisation of `..`)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
