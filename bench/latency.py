"""Drop-to-receipt latency and batch throughput of `itadoc watch`, with the default settings (PDF on).

    python3 bench/latency.py                       # 12 single drops, then a batch of 20 (all three documents)
    python3 bench/latency.py --against /tmp/before # and a watcher of another checkout, drops alternating
    python3 bench/latency.py --no-pdf --observer polling --drops 50 --batch 200 --workers 2

Each workbook is seed 000 with all three documents (analysis, plan, quarterly), so a job writes three
.docx and three PDFs. A drop is a plain copy into the inbox, as an officer's file manager does; latency
runs from the start of the copy to the moment receipt.json exists (looked for every 2 ms). Drops are one
at a time, so the median is what one officer waits; the batch copies different workbooks at once and
times until the last receipt. Figures: docs/performance.md.
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
from workbooks import seed000_full  # noqa: E402


def make_workbooks(folder: Path, count: int, prefix: str) -> list[tuple[Path, str]]:
    """`count` different good workbooks (one cell varies) and the job folder name each will get."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(count):
        spec = seed000_full()
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


def summary(seconds: list[tuple[float, float]]) -> dict[str, float]:
    total = sorted(t for t, _ in seconds)
    return {"drops": len(total), "median_s": round(statistics.median(total), 3),
            "p95_s": round(statistics.quantiles(total, n=20, method="inclusive")[18], 3),
            "job_median_s": round(statistics.median(j for _, j in seconds), 3),
            "watcher_median_s": round(statistics.median(t - j for t, j in seconds), 3)}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--drops", type=int, default=12)
    p.add_argument("--batch", type=int, default=20)
    p.add_argument("--no-pdf", action="store_true", help="PDF off (not what officers get)")
    p.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[1],
                   help="checkout whose `service` runs the watcher")
    p.add_argument("--against", type=Path, help="a second checkout: both watchers run, drops alternate")
    p.add_argument("--observer", choices=["native", "polling"], default="native")
    p.add_argument("--workers", type=int, default=0, help="0 = number of cores")
    args = p.parse_args()
    env = {"ITADOC_OBSERVER": args.observer, "ITADOC_WORKERS": str(args.workers),
           "ITADOC_PDF": str(not args.no_pdf).lower()}
    codes = [args.code] + ([args.against] if args.against else [])
    with tempfile.TemporaryDirectory(prefix="itadoc-bench-") as tmp:
        roots = [Path(tmp) / f"run{n}" for n in range(len(codes))]
        for root, code in zip(roots, codes):
            root.mkdir()
            sandbox(root, code.resolve())   # each checkout with its own settings (older ones lack newer keys)
        singles = make_workbooks(Path(tmp) / "singles", args.drops, "single")
        watchers = []
        try:
            for root, code in zip(roots, codes):
                watchers.append(WatcherProcess(root, code.resolve(), **env))
                latencies(root, make_workbooks(Path(tmp) / f"warm-{root.name}", 4, "warm"))  # cold first jobs
            seconds: list[list[tuple[float, float]]] = [[] for _ in codes]
            for drop in singles:             # one at a time, alternating: load changes hit both alike
                for n, root in enumerate(roots):
                    seconds[n] += latencies(root, [drop])
            rate = None if args.against else throughput(roots[0], make_workbooks(Path(tmp) / "batch", args.batch,
                                                                                 "batch"))
        finally:
            for watcher in watchers:
                watcher.stop()
    result = {"pdf": not args.no_pdf, "observer": args.observer, "workers": args.workers or "cores",
              **{str(code): summary(s) for code, s in zip(codes, seconds)}}
    if args.against:
        result["ratio_of_medians"] = round(statistics.median(t for t, _ in seconds[0])
                                           / statistics.median(t for t, _ in seconds[1]), 2)
    else:
        result.update(batch=args.batch, workbooks_per_s=round(rate, 2))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
