"""Chaos run of `itadoc watch`: drops as a shared folder really gets them (slow copies that pause, files
deleted or replaced while queued, the same bytes twice) while the watcher, its workers and LibreOffice are
killed with SIGKILL at random. At the end every complete input must have exactly one good job, nothing else
may be left (inbox, staging, job folders without receipt, failed receipts), and no process may outlive the
watcher. Figures in docs/inbox.md.

    python3 bench/chaos.py --minutes 5 --drops 100 --pdf      # the long form, by hand
    python3 bench/chaos.py --seconds 25 --drops 14            # about what the CI test runs
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "tests" / "support")]

from chaos_run import run  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    length = p.add_mutually_exclusive_group()
    length.add_argument("--minutes", type=float)
    length.add_argument("--seconds", type=float)
    p.add_argument("--drops", type=int, default=100)
    p.add_argument("--pdf", action="store_true", help="PDF on, so that LibreOffice is killed too")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=int(time.time()))
    args = p.parse_args()
    seconds = args.seconds or (args.minutes or 5) * 60
    with tempfile.TemporaryDirectory(prefix="itadoc-chaos-") as tmp:
        result = run(seconds, args.drops, args.pdf, args.workers, args.seed, Path(tmp))
    print(json.dumps(result, ensure_ascii=False))
    return 1 if result["problems"] or result["orphans"] or result["exit_code"] != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
