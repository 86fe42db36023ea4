"""A real `python -m service watch` process on a throw-away folder, shared by the watcher tests and the
latency benchmark: `sandbox()` lays out copies of config/ and templates/, inbox/ and outbox/."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from shipped import ROOT, shipped_copy


def sandbox(root: Path) -> None:
    shipped_copy(root)
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
