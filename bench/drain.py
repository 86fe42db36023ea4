"""Memory and national-scale drain of `itadoc watch` with the default settings (PDF on).

    python3 bench/drain.py                         # 200 workbooks dropped at once, memory sampled
    python3 bench/drain.py --drops 400 --workers 2 --code /tmp/before

Starts the watcher on a throw-away folder, lets its workers (and their LibreOffice) come up, samples the
proportional set size (PSS) of the whole service — watcher, forkserver, workers, soffice and bridges,
which run in sessions of their own — at idle, then copies N different workbooks (seed 000, all three
documents: three .docx and three PDFs each) into the inbox at once and times until the last receipt,
sampling PSS every 250 ms. The drain time is extrapolated linearly to the ~8,300 agencies ITA assesses.
The service's CPU seconds per workbook (LibreOffice included) change least with the machine's load: use
them to compare two checkouts, and the drain time only from a quiet machine.
Figures: docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests" / "support")]

from watcher import (WatcherProcess, group_members, office_of, sandbox, tree_cpu_s,  # noqa: E402
                           tree_pss_kb, wait_for)
from latency import latencies, make_workbooks, throughput  # noqa: E402

AGENCIES = 8300


def service_pss_mb(watcher: WatcherProcess) -> float:
    return tree_pss_kb(watcher.proc.pid, office_of) / 1024


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--drops", type=int, default=200)
    p.add_argument("--workers", type=int, default=0, help="0 = the configured default (number of cores)")
    p.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                   help="checkout whose `service` runs the watcher")
    args = p.parse_args()
    env = {"ITADOC_PDF": "true"}
    if args.workers:
        env["ITADOC_WORKERS"] = str(args.workers)
    else:
        env["ITADOC_WORKERS"] = "0"
    with tempfile.TemporaryDirectory(prefix="itadoc-drain-") as tmp:
        root = Path(tmp) / "run"
        root.mkdir()
        sandbox(root)
        batch = make_workbooks(Path(tmp) / "batch", args.drops, "unit")
        watcher = WatcherProcess(root, args.code.resolve(), **env)
        try:
            latencies(root, make_workbooks(Path(tmp) / "warm", 4, "warm"))   # every worker's first job
            wait_for(lambda: office_of(set(group_members(watcher.proc.pid))), 60, "no LibreOffice")
            time.sleep(2)
            idle = service_pss_mb(watcher)
            peak, done = idle, threading.Event()

            def sample() -> None:
                nonlocal peak
                while not done.is_set():
                    peak = max(peak, service_pss_mb(watcher))
                    time.sleep(0.25)

            sampler = threading.Thread(target=sample)
            sampler.start()
            cpu = tree_cpu_s(watcher.proc.pid, office_of)
            started = time.perf_counter()
            rate = throughput(root, batch)
            elapsed = time.perf_counter() - started
            cpu = tree_cpu_s(watcher.proc.pid, office_of) - cpu
            done.set()
            sampler.join()
        finally:
            watcher.stop()
    print(json.dumps({
        "code": str(args.code), "workers": args.workers or "cores", "cpus": os.cpu_count(), "pdf": True,
        "drops": args.drops, "drain_s": round(elapsed, 1), "workbooks_per_s": round(rate, 2),
        "cpu_s_per_workbook": round(cpu / args.drops, 2), "idle_pss_mb": round(idle), "peak_pss_mb": round(peak), "load_avg_1m": round(os.getloadavg()[0], 2),
        f"extrapolated_{AGENCIES}_h": round(AGENCIES / rate / 3600, 2),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
