"""Workbooks small on disk that would explode in a full load (the annotated copy of a workbook with errors):
merged ranges and the shared-string table are bounded in the raw XML before any parser runs."""
from __future__ import annotations

import random
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from service.delivery.feedback import ANNOTATED_PREFIX
from service.settings import Settings
from test_hostile import codes, handle, rezip
from workbooks import seed000_analysis


def _with_error(tmp_path: Path) -> Path:
    """A seed workbook with one error (a score of 150), so that the annotated copy would be written."""
    spec = seed000_analysis()
    row = spec.sheets["คะแนนตัวชี้วัด"][0]
    year = next(k for k in row if k.startswith("ปี "))
    row[year] = 150
    return spec.save(tmp_path / "error.xlsx")


def _first_sheet(path: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(path) as z:
        name = sorted(n for n in z.namelist() if n.startswith("xl/worksheets/sheet"))[0]
        return name, z.read(name)


def test_merged_cell_bomb_is_too_large_before_any_full_load(tmp_path: Path, settings: Settings) -> None:
    source = _with_error(tmp_path)
    name, xml = _first_sheet(source)
    merge = b'<mergeCells count="1"><mergeCell ref="F20:XFD1048576"/></mergeCells>'
    xml = xml.replace(b"</sheetData>", b"</sheetData>" + merge, 1) if b"<mergeCells" not in xml else \
        xml.replace(b"</mergeCells>", b'<mergeCell ref="F20:XFD1048576"/></mergeCells>', 1)
    bomb = rezip(source, tmp_path / "merged.xlsx", {name: xml})
    assert bomb.stat().st_size < 64 << 10
    tracemalloc.start()
    result, receipt, took = handle(bomb, settings)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert codes(receipt) == {"too_large"} and "max_merged_cells" in receipt["errors"][0]["message"]
    assert not (result.job_dir / f"{ANNOTATED_PREFIX}{bomb.name}").exists()
    assert took < 10 and peak < 50 << 20, (took, peak)


def test_many_merged_ranges_are_too_large(tmp_path: Path, settings: Settings) -> None:
    source = _with_error(tmp_path)
    name, xml = _first_sheet(source)
    refs = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(100, 100 + settings.limits.max_merged_ranges + 1))
    xml = xml.replace(b"</sheetData>", f'</sheetData><mergeCells>{refs}</mergeCells>'.encode(), 1)
    _, receipt, _ = handle(rezip(source, tmp_path / "ranges.xlsx", {name: xml}), settings)
    assert codes(receipt) == {"too_large"} and "max_merged_ranges" in receipt["errors"][0]["message"]


def test_shipped_form_merges_pass(tmp_path: Path, settings: Settings) -> None:
    _, receipt, _ = handle(seed000_analysis().save(tmp_path / "ok.xlsx"), settings)
    assert receipt["status"] == "ok"


def _strings_table(count: int) -> bytes:
    rng = random.Random(7)  # random text: the zip cannot squeeze it past the compression-ratio bound
    items = "".join(f"<si><t>{escape(''.join(rng.choices('กขคงจฉชซabcdefgh0123456789', k=12)))}</t></si>"
                    for _ in range(count))
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="1" uniqueCount="1">{items}</sst>').encode()


def test_shared_string_table_over_its_bounds_is_too_large(tmp_path: Path, settings: Settings) -> None:
    source = _with_error(tmp_path)
    limits = settings.limits.model_copy(update={"max_shared_strings": 20_000})
    many = rezip(source, tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": _strings_table(20_001)})
    _, receipt, _ = handle(many, settings.model_copy(update={"limits": limits}))
    assert codes(receipt) == {"too_large"} and "max_shared_strings" in receipt["errors"][0]["message"]
    chars = settings.limits.model_copy(update={"max_shared_string_chars": 100_000})
    _, receipt, _ = handle(many, settings.model_copy(update={"limits": chars}))
    assert codes(receipt) == {"too_large"} and "max_shared_string_chars" in receipt["errors"][0]["message"]
