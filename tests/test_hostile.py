"""Hostile and unusual drops end in a receipt with the right code, inside their job folder, in bounded
time and memory; the job folder and the copy of the file are always written."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest

from service.delivery.job import RECEIPT, JobResult, process
from service.settings import Limits, Settings
from workbooks import WorkbookSpec, seed000_analysis

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)) + "]>")
# The smallest well-formed PDF: what a "renamed PDF" starts with is all the guard looks at.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed000_analysis().save(tmp_path_factory.mktemp("seed") / "seed.xlsx")


def handle(path: Path, settings: Settings, **kw) -> tuple[JobResult, dict, float]:
    """process() plus what every hostile drop must show: job folder inside the outbox, copy, receipt."""
    started = time.perf_counter()
    result = process(path, settings, **kw)
    took = time.perf_counter() - started
    assert result.job_dir.resolve().is_relative_to(settings.outbox.resolve())
    receipt = json.loads((result.job_dir / RECEIPT).read_text(encoding="utf-8"))
    original = path.read_bytes()
    assert any(f.read_bytes() == original for f in result.job_dir.iterdir() if f.is_file())
    return result, receipt, took


def codes(receipt: dict) -> set[str]:
    return {e["code"] for e in receipt["errors"]}


def rezip(src: Path, dst: Path, edit: dict[str, bytes]) -> Path:
    """Copy a workbook's zip with some members replaced or added."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            new.writestr(name, edit.get(name, old.read(name)))
        for name in edit.keys() - set(old.namelist()):
            new.writestr(name, edit[name])
    return dst


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml",
                                    "[Content_Types].xml"])
def test_billion_laughs_is_refused_quickly(seed: Path, tmp_path: Path, settings: Settings, member: str) -> None:
    with zipfile.ZipFile(seed) as z:
        text = z.read(member).decode()
    head = text.index("?>") + 2 if text.startswith("<?xml") else 0
    body = text[head:].replace(">", ">&lol9;", 2) if "sheet" in member else \
        text[head:].replace('"/>', '" x="&lol9;"/>', 1)
    bomb = rezip(seed, tmp_path / "laughs.xlsx", {member: (text[:head] + LAUGHS + body).encode()})
    _, receipt, took = handle(bomb, settings)
    assert codes(receipt) == {"not_a_workbook"} and receipt["status"] == "failed"
    assert took < 10


def _zip_bomb(seed: Path, dst: Path, megabytes: int) -> Path:
    shutil.copyfile(seed, dst)
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(dst, "a", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("xl/media/image1.png", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return dst


@pytest.mark.parametrize("megabytes, bound", [(300, "max_uncompressed_mb"), (20, "max_compression_ratio")])
def test_zip_bomb_is_too_large_before_anything_is_inflated(seed: Path, tmp_path: Path, settings: Settings,
                                                           megabytes: int, bound: str) -> None:
    bomb = _zip_bomb(seed, tmp_path / "bomb.xlsx", megabytes)
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    _, receipt, took = handle(bomb, settings)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert codes(receipt) == {"too_large"}
    assert bound in receipt["errors"][0]["message"]
    assert took < 10 and peak < 20 << 20


def _rows_xml(rows: int) -> bytes:
    """A คะแนนตัวชี้วัด sheet with `rows` data rows, written straight as XML (openpyxl would take a minute),
    with the `<dimension>` that Excel and LibreOffice always write (docs/dev/hostile.md: without it)."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1">' + "".join(
                f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
                for col, text in zip("ABCD", ("เครื่องมือ", "ลำดับ", "ตัวชี้วัด", "ปี 2569")))
            + "</row>")
    body = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>IIT</t></is></c><c r="B{r}"><v>{r % 5 + 1}'
                   f'</v></c><c r="D{r}"><v>{r % 97}.{r % 89}</v></c></row>' for r in range(2, rows + 2))
    return (head.replace("<sheetData>", f'<dimension ref="A1:D{rows + 1}"/><sheetData>') + body
            + "</sheetData></worksheet>").encode()


def test_300000_row_sheet_is_too_large_in_bounded_memory(tmp_path: Path, settings: Settings) -> None:
    spec = WorkbookSpec(general={"หน่วยงาน": "หน่วยทดสอบ", "ปีงบประมาณ": 2569},
                        sheets={"คะแนนตัวชี้วัด": [{"เครื่องมือ": "IIT", "ลำดับ": 1, "ตัวชี้วัด": "x", "ปี 2569": 90}]})
    small = spec.save(tmp_path / "small.xlsx")
    big = rezip(small, tmp_path / "big.xlsx", {"xl/worksheets/sheet2.xml": _rows_xml(300_000)})
    tracemalloc.start()
    _, receipt, _ = handle(big, settings)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    too_large = [e for e in receipt["errors"] if e["code"] == "too_large"]
    assert [e["sheet"] for e in too_large] == ["คะแนนตัวชี้วัด"]
    assert "5,000" in too_large[0]["message"]
    # The reader stops at the row bound: memory stays flat (its time is in bench/, not in a timed test).
    assert peak < 100 << 20, peak


def test_encrypted_workbook_is_named_as_such(seed: Path, tmp_path: Path, settings: Settings) -> None:
    locked = tmp_path / "มีรหัสผ่าน.xlsx"
    with seed.open("rb") as plain, locked.open("wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("รหัส1234", out)
    _, receipt, _ = handle(locked, settings)
    assert codes(receipt) == {"encrypted_workbook"}
    assert "รหัสผ่าน" in receipt["errors"][0]["message"]


def _soffice(src: Path, fmt: str, out_dir: Path) -> Path:
    """Make a test input the way an officer would: LibreOffice saves the valid workbook as .xls/.ods."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out_dir}/profile", "--headless",
                    "--convert-to", fmt, "--outdir", str(out_dir), str(src)],
                   check=True, capture_output=True, timeout=120)
    return out_dir / f"{src.stem}.{fmt}"


@pytest.mark.needs("soffice")
@pytest.mark.parametrize("fmt, name", [("xls", "แบบฟอร์ม.xls"), ("ods", "แบบฟอร์ม.ods"),
                                       ("ods", "ods_renamed.xlsx")])
def test_xls_and_ods_are_converted_and_render_like_the_original(seed: Path, tmp_path: Path,
                                                                 settings: Settings, fmt: str, name: str) -> None:
    _, original, _ = handle(seed, settings)
    dropped = _soffice(seed, fmt, tmp_path).rename(tmp_path / name)
    result, receipt, _ = handle(dropped, settings)
    assert receipt["status"] == "ok" and receipt["converted_from"] == fmt
    assert receipt["figures"] == original["figures"]
    assert [d["kind"] for d in receipt["documents"]] == [d["kind"] for d in original["documents"]]
    assert "converted_format" in {w["code"] for w in receipt["warnings"]}
    assert (result.job_dir / f"แปลงแล้ว_{Path(name).stem}.xlsx").is_file()


@pytest.mark.parametrize("name, data, says", [
    ("รายงาน.xlsx", PDF, "PDF"),
    ("ว่าง.xlsx", b"", "ว่างเปล่า"),
    ("notes.xlsx", "หน่วยงาน,ปีงบประมาณ\n".encode(), "ไม่ใช่ไฟล์ Excel"),
    ("half.xlsx", None, "เสียหรือบันทึกไม่สมบูรณ์"),
])
def test_not_a_workbook_says_what_it_is(seed: Path, tmp_path: Path, settings: Settings, name: str,
                                        data: bytes | None, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(seed.read_bytes()[:3000] if data is None else data)
    _, receipt, took = handle(path, settings)
    assert codes(receipt) == {"not_a_workbook"}
    assert says in receipt["errors"][0]["message"] and took < 5


def test_word_document_renamed_to_xlsx(tmp_path: Path, settings: Settings) -> None:
    import docx
    doc = docx.Document()
    doc.add_paragraph("ไม่ใช่แบบฟอร์ม")
    buf = io.BytesIO()
    doc.save(buf)
    path = tmp_path / "แบบฟอร์ม.xlsx"
    path.write_bytes(buf.getvalue())
    _, receipt, _ = handle(path, settings)
    assert codes(receipt) == {"not_a_workbook"} and "Word" in receipt["errors"][0]["message"]


def test_xlsm_is_read_without_its_macros(seed: Path, tmp_path: Path, settings: Settings) -> None:
    xlsm = rezip(seed, tmp_path / "มาโคร.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"})
    result, receipt, _ = handle(xlsm, settings)
    assert receipt["status"] == "ok" and receipt["documents"]
    assert not any(f.name.endswith(".bin") for f in result.job_dir.iterdir())


def test_file_over_max_file_mb_is_too_large(seed: Path, settings: Settings) -> None:
    small = settings.model_copy(update={"limits": Limits(max_file_mb=0.001)})
    _, receipt, _ = handle(seed, small)
    assert codes(receipt) == {"too_large"} and "max_file_mb" in receipt["errors"][0]["message"]


def test_cell_over_max_cell_chars_is_too_large_at_that_cell(tmp_path: Path, settings: Settings) -> None:
    spec = seed000_analysis()
    spec.general["หน่วยงาน"] = "ก" * 20_000
    _, receipt, _ = handle(spec.save(tmp_path / "long.xlsx"), settings)
    [error] = [e for e in receipt["errors"] if e["code"] == "too_large"]
    assert (error["sheet"], error["cell"]) == ("ข้อมูลทั่วไป", "B2")
    assert "max_cell_chars" in error["message"] and len(error["value"]) <= 200
