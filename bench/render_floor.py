"""Per-workbook cost of `itadoc render` against the floor of what its libraries cost (issue #8).

    python bench/render_floor.py [--workbooks 64] [--rounds 3]
    python bench/render_floor.py --memory 200
    python bench/render_floor.py --root /tmp/before    # the render side from another copy of the tree
    python bench/render_floor.py --no-charts

Distinct seed-000-sized workbooks (all three documents: analysis, plan, quarterly) are generated in a
temporary folder. Each round times, side by side:

- render: `python -m service render WB... --out DIR --no-pdf` in a fresh process, charts on (the
  configured default), everything a user pays: start-up, imports, both cores, writing the job folders;
- floor: in this process, warm, one core, per workbook: `openpyxl.load_workbook` (read-only, values)
  reading every cell, then for every document `DocxTemplate(template).render(context)` and save, with
  the contexts `itadoc context WORKBOOK` prints (taken before timing, not timed).

Wall and CPU seconds per workbook are medians over rounds; the ratios are render / floor.
`--memory N` runs one batch of N workbooks under `/usr/bin/time -v` and also samples the proportional
set size (PSS) of the whole process tree, since `time -v` reports only the largest single process.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import openpyxl  # noqa: E402
from docxtpl import DocxTemplate  # noqa: E402

from service import cli  # noqa: E402
from service.documents.kinds import KIND_BY_NAME  # noqa: E402
from service.settings import load_settings  # noqa: E402
from watcher import tree_pss_kb  # noqa: E402
from workbooks import WorkbookSpec, seed000_full  # noqa: E402

SCORES_SHEET = "คะแนนตัวชี้วัด"
RENDER_ROOT = ROOT
RENDER_ENV = dict(os.environ)


def variant(i: int) -> WorkbookSpec:
    """Seed 000 (analysis + plan + quarter-1 results) with its own unit name and scores."""
    spec = seed000_full()
    spec.general["หน่วยงาน"] = f"{spec.general['หน่วยงาน']} สาขา {i}"
    rows = spec.sheets[SCORES_SHEET]
    years = [k for k in rows[0] if k.startswith("ปี ")]
    for n, row in enumerate(r for r in rows if "ลำดับ" in r):
        for year in years:
            row[year] = round(max(0.0, row[year] - ((i * 7 + n * 3) % 11) * 0.37), 4)
    for total in (r for r in rows if "ลำดับ" not in r):
        for year in years:
            values = [Decimal(str(r[year])) for r in rows if "ลำดับ" in r and r["เครื่องมือ"] == total["เครื่องมือ"]]
            total[year] = float(round(sum(values) / len(values), 2))
    return spec


def make_workbooks(folder: Path, count: int) -> list[Path]:
    return [variant(i).save(folder / f"unit-{i:03d}.xlsx") for i in range(count)]


def template_contexts(path: Path, config: Path) -> dict[str, dict]:
    """Exactly what `itadoc context WORKBOOK` prints, per document kind."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["context", str(path), "--config", str(config)])
    if code != 0:
        raise SystemExit(f"{path.name}: `itadoc context` exited {code}; the batch must be error-free")
    return json.loads(out.getvalue())


def floor(paths: list[Path], contexts: list[dict[str, dict]], templates: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for path, per_kind in zip(paths, contexts):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for _ in ws.iter_rows(values_only=True):
                pass
        wb.close()
        for kind, context in per_kind.items():
            tpl = DocxTemplate(templates / KIND_BY_NAME[kind].template)
            tpl.render(context, autoescape=True)
            tpl.save(io.BytesIO())
    return time.perf_counter() - wall, time.process_time() - cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def render_command(paths: list[Path], out: Path, config: Path) -> list[str]:
    """`itadoc render` as a user runs it (`python -m service` from the tree in RENDER_ROOT)."""
    return [sys.executable, "-m", "service", "render", *map(str, paths), "--out", str(out), "--no-pdf",
            "--config", str(config)]


def render(paths: list[Path], out: Path, config: Path) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.run(render_command(paths, out, config), cwd=RENDER_ROOT, capture_output=True, text=True,
                          env=RENDER_ENV)
    wall, cpu = time.perf_counter() - wall, children_cpu() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"itadoc render exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return wall, cpu


def memory(paths: list[Path], out: Path, config: Path) -> dict[str, float]:
    cmd = ["/usr/bin/time", "-v", *render_command(paths, out, config)]
    proc = subprocess.Popen(cmd, cwd=RENDER_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=RENDER_ENV)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss_kb(proc.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.perf_counter()
    _, err = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"itadoc render exited {proc.returncode}:\n{err[-2000:]}")
    max_rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    return {"workbooks": len(paths), "wall_s": round(wall, 2), "time_v_max_rss_mb": round(max_rss / 1024, 1),
            "tree_peak_pss_mb": round(peak / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workbooks", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--memory", type=int, metavar="N", help="peak memory of one batch of N workbooks instead")
    ap.add_argument("--config", type=Path, default=ROOT / "config")
    ap.add_argument("--root", type=Path, default=ROOT, help="tree whose `service` package renders")
    ap.add_argument("--no-charts", action="store_true", help="render with ITADOC_CHARTS=false")
    args = ap.parse_args()
    global RENDER_ROOT
    RENDER_ROOT = args.root.resolve()
    if args.no_charts:
        RENDER_ENV["ITADOC_CHARTS"] = "false"
    settings = load_settings(args.config, charts=not args.no_charts)
    with tempfile.TemporaryDirectory(prefix="itadoc-bench-") as tmp:
        folder = Path(tmp)
        paths = make_workbooks(folder / "in", args.memory or args.workbooks)
        if args.memory:
            print(json.dumps(memory(paths, folder / "out", args.config), indent=2))
            return 0
        contexts = [template_contexts(p, args.config) for p in paths]
        kinds = sorted({k for c in contexts for k in c})
        floor(paths[:2], contexts[:2], settings.templates)  # warm this process's imports and caches
        rows = []
        for r in range(args.rounds):
            f_wall, f_cpu = floor(paths, contexts, settings.templates)
            s_wall, s_cpu = render(paths, folder / f"out-{r}", args.config)
            rows.append((f_wall, f_cpu, s_wall, s_cpu))
            print(f"round {r + 1}: floor {f_wall:.2f}s wall {f_cpu:.2f}s cpu | "
                  f"render {s_wall:.2f}s wall {s_cpu:.2f}s cpu", file=sys.stderr)
    n = len(paths)
    med = [statistics.median(col) for col in zip(*rows)]
    report = {
        "workbooks": n, "rounds": args.rounds, "documents": kinds, "workers": settings.worker_count,
        "cpus": os.cpu_count(), "charts": settings.charts, "load_avg_1m": round(os.getloadavg()[0], 2),
        "floor_ms_per_workbook": {"wall": round(med[0] / n * 1000, 1), "cpu": round(med[1] / n * 1000, 1)},
        "render_ms_per_workbook": {"wall": round(med[2] / n * 1000, 1), "cpu": round(med[3] / n * 1000, 1)},
        "ratio_wall": round(med[2] / med[0], 2),
        "ratio_cpu": round(med[3] / med[1], 2),
        "ratio_wall_per_round": [round(s / f, 2) for f, _, s, _ in rows],
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
