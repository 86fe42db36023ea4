"""The coordinator's page at agency scale: 500 units, 5,000 jobs (figures in docs/coordinator.md).

    python bench/web_scale.py                    # 500 units × 10 jobs, 30 requests per page
    python bench/web_scale.py --units 500 --jobs-per-unit 10 --requests 30

One real job (seed 000, all three documents) is run once; its receipt is then copied, with the unit, the
year, the scores and the progress counts varied, into 5,000 job folders (three of ten jobs per unit in
2568, the rest in 2569), each with its workbook copy and documents as small files. The page is served by
`itadoc serve` (uvicorn) in its own process on loopback. For each page: the loopback round trip of the cold
first request (it reads every receipt) and the median of `--requests` more; and the server process's own
CPU time per request over those (from /proc, so other load on the machine does not inflate it). The
roll-up's rebuild (what the watcher adds after each job) is timed in this process.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests" / "support")]

from watcher import wait_for  # noqa: E402
from service.delivery.job import process  # noqa: E402
from service.delivery.rollup import rebuild  # noqa: E402
from service.settings import load_settings  # noqa: E402
from workbooks import seed000_analysis, seed000_plan  # noqa: E402

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


class Served:
    """`python -m service serve` on a free loopback port; GETs against it; its CPU time from /proc."""

    def __init__(self, outbox: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.proc = subprocess.Popen([sys.executable, "-m", "service", "serve", "--outbox", str(outbox),
                                      "--port", str(self.port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_for(self._up, 30, "itadoc serve did not start", step=0.1)

    def _up(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            return False

    def get(self, path: str) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200, (path, response.status)
        size = len(response.read())
        conn.close()
        return size

    def cpu_ms(self) -> float:
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def timed(server: Served, path: str, requests: int) -> tuple[float, float, float, int]:
    """(cold ms, median warm ms, server CPU ms per warm request, bytes) of GET path."""
    def once() -> float:
        started = time.perf_counter()
        server.get(path)
        return (time.perf_counter() - started) * 1000
    cold = once()
    cpu = server.cpu_ms()
    median = statistics.median(once() for _ in range(requests))
    return cold, median, (server.cpu_ms() - cpu) / requests, server.get(path)


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
        server = Served(outbox)
        try:
            job = next((outbox / folders[7]).iterdir())
            pages = {"units table (2569)": "/?year=2569", "units table (2568)": "/?year=2568",
                     "one unit's history": "/unit?folder=" + quote(folders[7]),
                     "one download": "/files/" + quote(f"{folders[7]}/{job.name}/receipt.json")}
            print(f"{args.units} units, {args.units * args.jobs_per_unit} jobs; load average "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.requests} requests")
            worst = 0.0
            for label, path in pages.items():
                cold, median, cpu, size = timed(server, path, args.requests)
                worst = max(worst, median)
                print(f"  {label:22} cold {cold:7.1f} ms   median {median:6.1f} ms   "
                      f"server CPU {cpu:6.1f} ms/request   {size / 1024:7.1f} KB")
        finally:
            server.stop()
        print(f"  roll-up rebuild        cold {cold_rollup:7.1f} ms   median {statistics.median(warm):6.1f} ms")
        verdict = "OK" if worst < BUDGET_MS else "OVER BUDGET"
        print(f"slowest page median {worst:.1f} ms against a budget of {BUDGET_MS} ms: {verdict}")
        return 0 if worst < BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
