"""The coordinator's page at agency scale: 500 units, 5,000 jobs (figures in docs/coordinator.md).

    python bench/web_scale.py                    # 500 units × 10 jobs, 30 requests per page
    python bench/web_scale.py --units 500 --jobs-per-unit 10 --requests 30

One real job (seed 000, all three documents) is run once; its receipt is then copied, with the unit, the
year, the scores and the progress counts varied, into 5,000 job folders (three of ten jobs per unit in
2568, the rest in 2569), each with its workbook copy and documents as small files. The page is served by
a real uvicorn on loopback; each figure is the loopback round trip of one request (an upper bound on the
server's time), the median over `--requests` requests after a first, cold one that reads every receipt.
The roll-up's rebuild (what the watcher adds after each job) is timed the same way.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.harness import ServerThread  # noqa: E402
from service.delivery.job import process  # noqa: E402
from service.delivery.rollup import rebuild  # noqa: E402
from service.settings import load_settings  # noqa: E402
from service.web.app import create_app  # noqa: E402
from tests.workbooks import seed000_analysis, seed000_plan  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MS = 200


def populate(outbox: Path, units: int, per_unit: int) -> list[str]:
    """5,000 job folders from one real receipt; returns the sub-folder of each unit."""
    settings = load_settings(ROOT / "config", outbox=outbox / ".." / "real", pdf=False, charts=False)
    spec = seed000_analysis()
    spec.sheets.update(seed000_plan().sheets)
    job = process(spec.save(outbox.parent / "seed.xlsx"), settings).job_dir
    template = json.loads((job / "receipt.json").read_text(encoding="utf-8"))
    rng = random.Random(18)
    folders, start = [], time.time() - units * per_unit
    for u in range(units):
        folder = f"หน่วยงาน-{u:03d}"
        folders.append(folder)
        for j in range(per_unit):
            receipt = json.loads(json.dumps(template))
            receipt.update(unit=f"หน่วยงานทดสอบที่ {u}", fiscal_year=2568 if j < 3 else 2569, workbook=f"ita-{j}.xlsx")
            receipt["figures"]["tool_scores"] = {t: round(rng.uniform(70, 100), 2) for t in ("IIT", "EIT", "OIT")}
            receipt["figures"]["overall_score"] = round(rng.uniform(70, 100), 2)
            receipt["figures"]["quarterly"]["activities_behind"] = rng.choice((0, 0, 1, 3))
            if rng.random() < 0.1:
                receipt.update(status="failed", errors=[{"code": "missing_field", "message": "ไม่มีข้อมูล"}])
            target = outbox / folder / f"ita-{j}-{u:04d}{j:04d}"
            target.mkdir(parents=True)
            for name in [receipt["workbook"]] + [d["docx"] for d in receipt["documents"]]:
                (target / name).write_bytes(b"x" * 2048)
            (target / "receipt.json").write_text(json.dumps(receipt, ensure_ascii=False), encoding="utf-8")
            stamp = start + u * per_unit + j
            os.utime(target / "receipt.json", (stamp, stamp))
    return folders


def timed(server: ServerThread, path: str, requests: int) -> tuple[float, float, int]:
    """(cold ms, median warm ms, bytes) of GET path."""
    def once() -> tuple[float, int]:
        started = time.perf_counter()
        status, body, _ = server.get(path)
        assert status == 200, (path, status)
        return (time.perf_counter() - started) * 1000, len(body)
    cold, size = once()
    return cold, statistics.median(once()[0] for _ in range(requests)), size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--jobs-per-unit", type=int, default=10)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="web-scale-") as tmp:
        outbox = Path(tmp) / "outbox"
        outbox.mkdir()
        folders = populate(outbox, args.units, args.jobs_per_unit)
        frameworks = ROOT / "config" / "frameworks"
        started = time.perf_counter()
        rebuild(outbox, frameworks)
        cold_rollup = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(5):
            started = time.perf_counter()
            rebuild(outbox, frameworks)
            warm.append((time.perf_counter() - started) * 1000)
        server = ServerThread(create_app(outbox, outbox / ".itadoc", frameworks))
        try:
            job = next((outbox / folders[7]).iterdir())
            pages = {"units table (2569)": "/?year=2569", "units table (2568)": "/?year=2568",
                     "one unit's history": "/unit?folder=" + quote(folders[7]),
                     "one download": "/files/" + quote(f"{folders[7]}/{job.name}/receipt.json")}
            print(f"{args.units} units, {args.units * args.jobs_per_unit} jobs; "
                  f"median of {args.requests} requests after a cold first one (loopback round trip)")
            worst = 0.0
            for label, path in pages.items():
                cold, median, size = timed(server, path, args.requests)
                worst = max(worst, median)
                print(f"  {label:22} cold {cold:7.1f} ms   median {median:6.1f} ms   {size / 1024:7.1f} KB")
        finally:
            server.stop()
        print(f"  roll-up rebuild        cold {cold_rollup:7.1f} ms   median {statistics.median(warm):6.1f} ms")
        verdict = "OK" if worst < BUDGET_MS else "OVER BUDGET"
        print(f"slowest page median {worst:.1f} ms against a budget of {BUDGET_MS} ms: {verdict}")
        return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
