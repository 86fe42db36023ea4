"""Fuzz the whole reader (guard → openpyxl → model → checks → prepared documents) with hypothesis.

Inputs are real workbooks from tests/workbooks.py, mutated three ways: bytes of the zip itself, bytes of
one XML member re-zipped (reaches the XML parsers), and cell values rewritten through openpyxl (reaches
the model, checks and document preparation). The only acceptable ends are an Outcome or NotAWorkbook
(which the job turns into a clean receipt); anything else is a crash and hypothesis shrinks it.

    python3 bench/fuzz_reader.py --examples 2000      # prints the run's size, time and result
"""
from __future__ import annotations

import argparse
import io
import logging
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, seed as hseed, settings as hsettings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import openpyxl  # noqa: E402
from service.pipeline import NotAWorkbook, run  # noqa: E402
from service.settings import load_settings  # noqa: E402
from workbooks import seed000_analysis, seed000_plan, seed002_analysis, seed003_monthly  # noqa: E402

SEEDS = {"seed000_analysis": seed000_analysis, "seed002_analysis": seed002_analysis,
         "seed000_plan": seed000_plan, "seed003_monthly": seed003_monthly}
TOKENS = [b"<f>1/0</f>", b't="e"', b't="s"', b"<v>#REF!</v>", b"<v>1e308</v>", b"<v>-0</v>", b"<v>NaN</v>",
          b'r="XFD1048576"', b'r="A0"', b"<v>99999999999</v>", "๙๘.๙๑".encode(), b"&amp;", b"\x00", b"\xff",
          b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"<row>", b"</c>", "ร้อยละ".encode()]


@cache
def seed_bytes(name: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return SEEDS[name]().save(Path(tmp) / "seed.xlsx").read_bytes()


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """A few byte-level edits: overwrite, insert, delete or splice in a token likely to matter."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(buf) - 1, 0)))
        op = draw(st.sampled_from(["flip", "insert", "delete", "token"]))
        if op == "flip" and buf:
            buf[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del buf[at:at + draw(st.integers(1, 64))]
        else:
            buf[at:at] = draw(st.sampled_from(TOKENS))
    return bytes(buf)


@st.composite
def mutated_member(draw: st.DrawFn, data: bytes) -> bytes:
    """One XML member edited at byte level, the archive re-zipped (so CRCs are right)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        target = draw(st.sampled_from(names))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in names:
                member = src.read(name)
                dst.writestr(name, draw(mutated_bytes(member)) if name == target else member)
    return out.getvalue()


CELL_VALUES = st.one_of(
    st.none(), st.text(max_size=40), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
    st.dates(date(1900, 3, 1), date(9999, 12, 31)), st.sampled_from(
        ["", " ", "-", "๙๘.๙๑", "ร้อยละ 101", "1,2,3", "20 พ.ย. 2568", "31/02/2568", "#DIV/0!", "=1/0",
         "IIT", "ไตรมาส 5", "ทั้งปี", "2026", "ใช่", "x" * 300, "../../etc/passwd", "\x00\x1f"]))


@st.composite
def mutated_cells(draw: st.DrawFn, data: bytes) -> bytes:
    """Cell values rewritten through openpyxl: the workbook stays valid, the data turns hostile."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for _ in range(draw(st.integers(1, 8))):
        ws = wb.worksheets[draw(st.integers(0, len(wb.worksheets) - 1))]
        row = draw(st.integers(1, ws.max_row + 1))
        col = draw(st.integers(1, ws.max_column + 1))
        value = draw(CELL_VALUES)
        if isinstance(value, str):
            value = "".join(c for c in value if c >= " " or c in "\t\n")   # openpyxl refuses controls
        ws.cell(row, col).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@st.composite
def hostile_workbook(draw: st.DrawFn) -> bytes:
    data = seed_bytes(draw(st.sampled_from(sorted(SEEDS))))
    how = draw(st.sampled_from([mutated_bytes, mutated_member, mutated_cells]))
    return draw(how(data))


def check(data: bytes, folder: Path, settings) -> str:
    """Run the reader on one input; returns how it ended, raises for a crash."""
    path = folder / "input.xlsx"
    path.write_bytes(data)
    try:
        outcome = run(path, settings, today=date(2026, 1, 15))
    except NotAWorkbook as exc:
        return exc.code
    return "failed" if outcome.problems.errors else "ok"


def fuzz(examples: int, seed: int = 0) -> dict[str, int]:
    """Run `examples` inputs; returns how many ended each way. A crash propagates (shrunk)."""
    ends: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        settings = load_settings(ROOT / "config", outbox=folder / "outbox", pdf=False)

        @hsettings(max_examples=examples, deadline=None, database=None, derandomize=False,
                   suppress_health_check=list(HealthCheck))
        @given(hostile_workbook())
        def one(data: bytes) -> None:
            end = check(data, folder, settings)
            ends[end] = ends.get(end, 0) + 1

        hseed(seed)(one)()
    return ends


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--examples", type=int, default=500)
    p.add_argument("--seed", type=int, default=int(datetime.now().timestamp()))
    args = p.parse_args()
    logging.basicConfig(level=logging.ERROR)     # unreadable inputs are expected: no warning per input
    started = time.perf_counter()
    ends = fuzz(args.examples, args.seed)
    took = time.perf_counter() - started
    print(f"{sum(ends.values())} inputs (seed {args.seed}) in {took:.0f} s, no crash; ended as "
          f"{dict(sorted(ends.items()))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
