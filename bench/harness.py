"""A real `python -m service watch` process on a throw-away folder, shared by the watcher tests and the
latency benchmark: `sandbox()` lays out config/ (copied from the repository's), inbox/ and outbox/.
`ServerThread` runs the web page on a real uvicorn, for the web tests and the web benchmark."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import uvicorn

ROOT = Path(__file__).resolve().parents[1]


def sandbox(root: Path) -> None:
    shutil.copytree(ROOT / "config", root / "config")
    settings = root / "config" / "settings.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('templates = "templates"', f'templates = "{ROOT / "templates"}"'),
                        encoding="utf-8")
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


class WatcherProcess:
    """The watcher in its own session, so that it and its workers can be found and ended by group id."""

    def __init__(self, root: Path, **env: str) -> None:
        self.lines: list[str] = []
        environ = {**os.environ, "ITADOC_PDF": "false", "ITADOC_WORKERS": "2", **env}
        environ.pop("ITADOC_CONFIG", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "service", "watch", "--config", str(root / "config")],
                                     cwd=ROOT, env=environ, stderr=subprocess.PIPE, text=True,
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
