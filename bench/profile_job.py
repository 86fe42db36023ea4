"""Where a warm job's time goes: cProfile of `job.process` on one seed-000-sized workbook (issue #8).

    python bench/profile_job.py [--jobs 10] [--top 25] [--no-charts]

The first job (imports, dictionaries, template compilation) is run before profiling; the
next `--jobs` are profiled. Prints self time per library (the file's top-level package, C functions
counted with their caller; `service` is our own code) and then the functions with the most cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench"), str(ROOT / "tests" / "support")]

from render_floor import variant  # noqa: E402
from service.delivery.job import process  # noqa: E402
from service.settings import load_settings  # noqa: E402

_PACKAGE = re.compile(r"site-packages/([^/]+)")
_STDLIB = re.compile(r"lib/python3\.\d+/([^/]+)")


def package(filename: str) -> str:
    if filename.startswith(str(ROOT / "service")):
        return "service (ours)"
    if m := _PACKAGE.search(filename):
        return m.group(1).removesuffix(".py")
    m = _STDLIB.search(filename)
    return f"stdlib {m.group(1).removesuffix('.py')}" if m else filename


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=10)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--no-charts", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="itadoc-profile-") as tmp:
        work = Path(tmp)
        settings = load_settings(ROOT / "config", outbox=work / "out", pdf=False, charts=not args.no_charts)
        path = variant(1).save(work / "unit.xlsx")
        process(path, settings)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.jobs):
            process(path, settings)
        profiler.disable()
    stats = pstats.Stats(profiler)
    own: Counter[str] = Counter()
    for (filename, _, _), (_, _, tottime, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename != "~":
            own[package(filename)] += tottime
            continue
        for (caller_file, _, _), (_, _, edge_tottime, _) in callers.items():  # a C function: its callers'
            own[package(caller_file)] += edge_tottime
    total = sum(own.values())
    print(f"{args.jobs} warm jobs, {total / args.jobs * 1000:.0f} ms each under the profiler; self time by package:")
    for name, seconds in own.most_common(15):
        print(f"  {seconds / total:6.1%}  {seconds / args.jobs * 1000:7.1f} ms  {name}")
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
