"""Drop-to-receipt latency and batch throughput of `itadoc watch` (issue #5; figures in docs/watch.md).

    python3 bench/latency.py                       # 50 single drops, then a batch of 200
    python3 bench/latency.py --observer polling --drops 50 --batch 200 --workers 2

A drop is a plain copy into the inbox, as an officer's file manager does; latency runs from the start of
the copy to the moment receipt.json exists (looked for every 2 ms). Drops are one at a time, so the median
is what one officer waits; the batch copies 200 different workbooks at once and times until the last receipt.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "tests" / "support")]

from watcher import WatcherProcess, sandbox, wait_for  # noqa: E402
from workbooks import seed000_analysis  # noqa: E402


def make_workbooks(folder: Path, count: int, prefix: str) -> list[tuple[Path, str]]:
    """`count` different good workbooks (one cell varies) and the job folder name each will get."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        spec = seed000_analysis()
        spec.general["ผู้จัดทำ"] = f"{prefix} {i}"
        path = spec.save(folder / f"{prefix}{i:03}.xlsx")
        made.append((path, f"{path.stem}-{hashlib.sha256(path.read_bytes()).hexdigest()[:8]}"))
    return made


def latencies(watcher_root: Path, drops: list[tuple[Path, str]]) -> list[tuple[float, float]]:
    """(drop-to-receipt, the job's own time) in seconds per drop; their difference is the watcher's part."""
    inbox, outbox = watcher_root / "inbox", watcher_root / "outbox"
    seconds = []
    for path, job in drops:
        receipt = outbox / job / "receipt.json"
        started = time.perf_counter()
        shutil.copyfile(path, inbox / path.name)
        wait_for(receipt.exists, 60, f"no receipt for {path.name}", step=0.002)
        elapsed = time.perf_counter() - started
        seconds.append((elapsed, json.loads(receipt.read_text(encoding="utf-8"))["timings_ms"]["total"] / 1000))
    return seconds


def throughput(watcher_root: Path, batch: list[tuple[Path, str]]) -> float:
    inbox, outbox = watcher_root / "inbox", watcher_root / "outbox"
    started = time.perf_counter()
    for path, _ in batch:
        shutil.copyfile(path, inbox / path.name)
    pending = {outbox / job / "receipt.json" for _, job in batch}
    deadline = started + 600
    while pending:
        pending = {r for r in pending if not r.exists()}
        if time.perf_counter() > deadline:
            raise AssertionError(f"{len(pending)} receipts missing")
        time.sleep(0.01)
    return len(batch) / (time.perf_counter() - started)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--drops", type=int, default=50)
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--observer", choices=["native", "polling"], default="native")
    p.add_argument("--workers", type=int, default=0, help="0 = number of cores")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadoc-bench-") as tmp:
        root = Path(tmp) / "run"
        root.mkdir()
        sandbox(root)
        singles = make_workbooks(Path(tmp) / "singles", args.drops, "single")
        batch = make_workbooks(Path(tmp) / "batch", args.batch, "batch")
        watcher = WatcherProcess(root, ITADOC_OBSERVER=args.observer, ITADOC_WORKERS=str(args.workers))
        try:
            latencies(root, make_workbooks(Path(tmp) / "warm", 4, "warm"))  # first job per worker is cold
            seconds = latencies(root, singles)
            rate = throughput(root, batch)
        finally:
            watcher.stop()
    total = sorted(t for t, _ in seconds)
    result = {
        "observer": args.observer, "workers": args.workers or "cores", "drops": len(total),
        "median_s": round(statistics.median(total), 3),
        "p95_s": round(statistics.quantiles(total, n=20, method="inclusive")[18], 3),
        "job_median_s": round(statistics.median(j for _, j in seconds), 3),
        "watcher_median_s": round(statistics.median(t - j for t, j in seconds), 3),
        "batch": args.batch, "workbooks_per_s": round(rate, 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
