"""The chaos run in short: drops that pause, vanish, are replaced or come twice, while the watcher and its
workers are killed at random (bench/chaos.py, whose long form runs by hand). Every complete input ends
with exactly one good job, nothing else is left, and no process outlives the watcher."""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pytest

from chaos_run import alive, descendants, is_soffice, run
from watcher import WatcherProcess, sandbox, wait_for


def test_short_chaos_run_loses_nothing_and_leaves_nothing(tmp_path: Path) -> None:
    result = run(seconds=20, drops=12, pdf=False, workers=2, seed=12, root=tmp_path, kill_gap=(1.0, 3.0))
    assert result["problems"] == [], result
    assert result["orphans"] == [] and result["exit_code"] == 0, result
    assert sum(result["kills"].values()) >= 1, result


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
@pytest.mark.parametrize("stop", ["sigterm", "kill_watcher"])
def test_no_libreoffice_outlives_the_watcher(tmp_path: Path, stop: str) -> None:
    sandbox(tmp_path)
    watcher = WatcherProcess(tmp_path, ITADOC_PDF="true", ITADOC_WORKERS="1")
    office: list[int] = []
    try:
        wait_for(lambda: any(is_soffice(p) for p in descendants(watcher.proc.pid)), 60, "no LibreOffice")
        office = [p for p in descendants(watcher.proc.pid) if is_soffice(p)]
        if stop == "sigterm":
            watcher.proc.send_signal(signal.SIGTERM)
        else:
            os.kill(watcher.proc.pid, signal.SIGKILL)
        watcher.proc.wait(timeout=15)
        stopped = time.monotonic()
        while any(alive(p) for p in office) and time.monotonic() - stopped < 5:
            time.sleep(0.1)
        assert not [p for p in office if alive(p)], "soffice outlived the watcher by more than 5 s"
    finally:
        watcher.kill_group()
        for pid in office:  # what outlived it, so that the rest of the run is not slowed down
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
