"""Cold one-shot `itadoc render` of one workbook (all three documents), PDF off, and where its time goes.

    python3 bench/cold_start.py                          # 7 runs, this checkout
    python3 bench/cold_start.py --code /tmp/before       # and another checkout, runs alternating

Each run is a fresh `python -m service render WB --no-pdf` (the interpreter's start-up included); wall
and CPU seconds are medians. The split, also medians of fresh processes: importing what a job needs
(`service.delivery.job`), loading the spelling word list (`spelling.warm_up()`, the lexicon), and the rest
(reading, checking, rendering, writing); the split is CPU seconds, which a busy machine changes least.
Figures: docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

from workbooks import seed000_full  # noqa: E402

PROBE = """
import time, json
t0 = time.process_time()
import service.delivery.job
t1 = time.process_time()
from service.thai import spelling
spelling.warm_up()
t2 = time.process_time()
print(json.dumps({"import_s": t1 - t0, "lexicon_s": t2 - t1}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(code: Path, workbook: Path, out: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), children_cpu()
    subprocess.run([sys.executable, "-m", "service", "render", str(workbook), "--no-pdf", "--out", str(out)],
                   cwd=code, check=True, capture_output=True)
    return time.perf_counter() - wall, children_cpu() - cpu


def probe(code: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", PROBE], cwd=code, check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.splitlines()[-1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7)
    p.add_argument("--code", type=Path, action="append", help="checkout(s) to time (default: this one)")
    args = p.parse_args()
    codes = [c.resolve() for c in args.code] if args.code else [ROOT]
    if args.code and ROOT not in codes:
        codes.insert(0, ROOT)
    rows: dict[Path, list[tuple[float, float, float, float]]] = {c: [] for c in codes}
    with tempfile.TemporaryDirectory(prefix="itadoc-cold-") as tmp:
        workbook = seed000_full().save(Path(tmp) / "seed000.xlsx")
        for i in range(args.runs):
            for code in codes:                       # alternating, so load changes hit both alike
                wall, cpu = run(code, workbook, Path(tmp) / f"out-{i}")
                split = probe(code)
                rows[code].append((wall, cpu, split["import_s"], split["lexicon_s"]))
    for code, values in rows.items():
        med = [statistics.median(col) for col in zip(*values)]
        print(json.dumps({"code": str(code), "runs": args.runs, "wall_s": round(med[0], 2),
                          "cpu_s": round(med[1], 2), "import_job_cpu_s": round(med[2], 2),
                          "lexicon_cpu_s": round(med[3], 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
