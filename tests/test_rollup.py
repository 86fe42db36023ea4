"""The coordinator's roll-up workbook, read back with openpyxl as the coordinator opens it in Excel."""
from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from watcher import WatcherProcess, sandbox, wait_for
from service.cli import main as cli_main
from service.delivery.job import process
from service.delivery.rollup import rebuild, rollup_path
from service.settings import Settings, load_settings
from workbooks import WorkbookSpec, seed000_analysis, seed000_plan, seed002_analysis

from shipped import ROOT, shipped_copy
RED = "00FFC7CE"


def rows(path: Path) -> list[dict[str, object]]:
    """The roll-up's rows as {Thai header: value}."""
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def cells(path: Path, header: str) -> list[openpyxl.cell.Cell]:
    ws = openpyxl.load_workbook(path).active
    column = [c.value for c in ws[1]].index(header)
    return [row[column] for row in ws.iter_rows(min_row=2)]


def at(job_dir: Path, when: float) -> None:
    """Date a job: the roll-up takes a receipt's time as the time of the drop."""
    os.utime(job_dir / "receipt.json", (when, when))


def good_2569() -> WorkbookSpec:
    spec = seed000_analysis()
    spec.sheets.update(seed000_plan().sheets)
    return spec


@pytest.fixture(scope="module")
def coordinator(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, dict[str, Path]]:
    """Real jobs in three sub-folders and one straight in the inbox (charts off: they are not the point)."""
    tmp = tmp_path_factory.mktemp("rollup")
    settings = load_settings(shipped_copy(tmp / "shipped"), outbox=tmp / "outbox", pdf=False, charts=False)
    with_error = good_2569()
    with_error.sheets["คะแนนตัวชี้วัด"][0]["ปี 2569"] = 105   # blocks the analysis; the plan is still made
    drops = {
        "a-first": ("หน่วยงาน-ก", seed002_analysis()),       # 2568, the analysis of seed 002
        "a-second": ("หน่วยงาน-ก", seed002_analysis()),      # dropped again later, another file name
        "b": ("หน่วยงาน-ข", good_2569()),                     # 2569, three documents, 3 activities behind
        "c": ("หน่วยงาน-ค", with_error),                      # 2569, an error
        "root": ("", seed002_analysis()),                      # straight into the inbox
    }
    jobs = {}
    for n, (name, (folder, spec)) in enumerate(drops.items()):
        spec.general["ผู้จัดทำ"] = f"ผู้จัดทำ {name}"               # different bytes, different job folders
        path = spec.save(tmp / "in" / folder / f"{name}.xlsx")
        jobs[name] = process(path, settings, subfolder=folder).job_dir
        at(jobs[name], 1_760_000_000 + 3600 * n)
    rebuild(settings.outbox, settings.frameworks_dir)
    return settings, jobs


def test_one_row_per_unit_per_year_with_scores_and_pass(coordinator) -> None:
    settings, jobs = coordinator
    by_folder = {r["โฟลเดอร์ย่อย"]: r for r in rows(rollup_path(settings.outbox, 2568))}
    assert sorted(by_folder, key=str) == [None, "หน่วยงาน-ก"]   # the inbox's own file: no sub-folder
    a = by_folder["หน่วยงาน-ก"]
    assert a["หน่วยงาน"] == "องค์การบริหารส่วนตำบลคำเนียม" and a["สถานะ"] == "สำเร็จ"
    assert (a["คะแนนรวม"], a["ระดับ"], a["ผ่านเกณฑ์"]) == (93, "A", "ผ่าน")
    assert (a["คะแนน IIT"], a["คะแนน EIT"], a["คะแนน OIT"]) == (99.96, 98.7, 83.5)
    assert a["เครื่องมือที่ไม่ผ่านเกณฑ์"] == "OIT"
    assert a["จำนวนครั้งที่ส่ง"] == 2 and a["โฟลเดอร์งาน"] == f"หน่วยงาน-ก/{jobs['a-second'].name}"
    assert a["จำนวนข้อผิดพลาด"] == 0 and a["วันที่ส่งล่าสุด"].hour is not None


def test_progress_columns_and_red_fill_for_behind_plan_or_errors(coordinator) -> None:
    settings, _ = coordinator
    path = rollup_path(settings.outbox, 2569)
    by_folder = {r["โฟลเดอร์ย่อย"]: r for r in rows(path)}
    b, c = by_folder["หน่วยงาน-ข"], by_folder["หน่วยงาน-ค"]
    assert b["สถานะ"] == "สำเร็จ" and b["ไตรมาสที่รายงานล่าสุด"] == 1
    assert [b[k] for k in ("ดำเนินการแล้วเสร็จ", "เป็นไปตามแผน", "ล่าช้ากว่าแผน", "ยังไม่ถึงกำหนด")] == [4, 2, 3, 17]
    assert (b["ร้อยละตามแผนถึงปัจจุบัน"], b["ร้อยละของทั้งปี"]) == (76.25, 20.9)  # each activity's share of its own target
    assert c["สถานะ"] == "มีข้อผิดพลาด" and c["จำนวนข้อผิดพลาด"] == 1 and c["คะแนนรวม"] is None
    fills = {r.value: r.fill.fgColor.rgb for r in cells(path, "โฟลเดอร์ย่อย")}
    assert fills == {"หน่วยงาน-ข": RED, "หน่วยงาน-ค": RED}        # behind plan; an error
    ok = {r.value: r.fill.fgColor.rgb for r in cells(rollup_path(settings.outbox, 2568), "โฟลเดอร์ย่อย")}
    assert ok["หน่วยงาน-ก"] != RED


def test_thai_headers_frozen_filtered_and_links_to_the_job_folder(coordinator) -> None:
    settings, jobs = coordinator
    path = rollup_path(settings.outbox, 2569)
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "สรุปภาพรวม" and ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
    assert [c.value for c in ws[1]][:5] == ["หน่วยงาน", "โฟลเดอร์ย่อย", "สถานะ", "จำนวนข้อผิดพลาด", "วันที่ส่งล่าสุด"]
    for cell in cells(path, "โฟลเดอร์งาน"):
        target = cell.hyperlink.target
        assert not target.startswith(("/", "file:"))                 # relative: the outbox can move
        folder = (path.parent / unquote(target)).resolve()
        assert folder in (jobs["b"], jobs["c"]) and (folder / "receipt.json").is_file()
    assert not list(settings.outbox.glob(".tmp-*"))                 # written atomically


def test_officers_files_are_never_listed_in_another_units_row(tmp_path: Path, settings: Settings) -> None:
    """Two sub-folders naming the same unit, two units straight in the inbox, two unreadable files:
    six rows, each pointing only into its own folder."""
    drops = [("unit-a", "ศูนย์ ก"), ("unit-b", "ศูนย์ ก"), ("", "ศูนย์ ข"), ("", "ศูนย์ ค")]
    for i, (folder, unit) in enumerate(drops):
        spec = seed002_analysis()
        spec.general["หน่วยงาน"] = unit
        process(spec.save(tmp_path / "in" / folder / f"w{i}.xlsx"), settings, subfolder=folder)
    for name in ("x.xlsx", "y.xlsx"):
        (tmp_path / "in" / name).write_bytes(b"not a workbook " + name.encode())
        process(tmp_path / "in" / name, settings)
    rebuild(settings.outbox, settings.frameworks_dir)
    all_rows = rows(rollup_path(settings.outbox, 2568)) + [
        r for p in settings.outbox.glob("สรุปภาพรวม_ITA_*.xlsx") if not p.name.endswith("2568.xlsx") for r in rows(p)]
    seen = {(r["โฟลเดอร์ย่อย"], r["หน่วยงาน"]): r["โฟลเดอร์งาน"] for r in all_rows}
    assert len(all_rows) == 6 == len(seen)
    assert seen[("unit-a", "ศูนย์ ก")].startswith("unit-a/") and seen[("unit-b", "ศูนย์ ก")].startswith("unit-b/")
    assert seen[(None, "ศูนย์ ข")].startswith("w2-") and seen[(None, "ศูนย์ ค")].startswith("w3-")
    assert seen[(None, "ไฟล์ x.xlsx")].startswith("x-") and seen[(None, "ไฟล์ y.xlsx")].startswith("y-")


def write_receipt(outbox: Path, job: str, data: object, when: float) -> None:
    folder = outbox / job
    folder.mkdir(parents=True)
    (folder / "receipt.json").write_text(json.dumps(data, ensure_ascii=False) if not isinstance(data, str)
                                         else data, encoding="utf-8")
    at(folder, when)


def test_a_sub_folder_sending_two_unit_names_is_warned(tmp_path: Path, settings: Settings) -> None:
    outbox = settings.outbox
    base = {"sha256": "0" * 64, "status": "ok", "fiscal_year": 2569, "documents": [{"kind": "plan"}]}
    write_receipt(outbox, "unit-a/one-11111111", {**base, "workbook": "one.xlsx", "unit": "กองคลัง"}, 1_760_000_000)
    write_receipt(outbox, "unit-a/two-22222222", {**base, "workbook": "two.xlsx", "unit": "กองช่าง"}, 1_760_000_100)
    write_receipt(outbox, "unit-b/one-33333333", {**base, "workbook": "one.xlsx", "unit": "กองคลัง"}, 1_760_000_200)
    rebuild(outbox, settings.frameworks_dir)
    by_folder = {r["โฟลเดอร์ย่อย"]: r for r in rows(rollup_path(outbox, 2569))}
    assert by_folder["unit-a"]["หน่วยงาน"] == "กองช่าง"                # the latest job's name
    assert by_folder["unit-a"]["คำเตือน"] == "โฟลเดอร์นี้ส่งไฟล์ของหน่วยงานมากกว่าหนึ่งชื่อ: กองคลัง, กองช่าง"
    assert by_folder["unit-b"]["คำเตือน"] is None


def test_bad_receipts_are_skipped_and_logged_and_missing_fields_give_empty_cells(
        tmp_path: Path, settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    outbox = settings.outbox
    write_receipt(outbox, "u/broken-11111111", "{not json", 1_760_000_000)
    write_receipt(outbox, "u/alist-22222222", [1, 2], 1_760_000_000)
    write_receipt(outbox, "v/bare-33333333", {"workbook": "bare.xlsx", "fiscal_year": 2569,
                                              "figures": {"tool_scores": "garbage", "quarterly": [1]},
                                              "documents": [{"kind": "plan"}], "future_field": {"x": 1}},
                  1_760_000_000)
    with caplog.at_level(logging.WARNING, logger="itadoc.units"):
        rebuild(outbox, settings.frameworks_dir)
    assert sorted(r.job_dir for r in caplog.records) == ["u/alist-22222222", "u/broken-11111111"]
    [row] = rows(rollup_path(outbox, 2569))
    assert row["โฟลเดอร์ย่อย"] == "v" and row["สถานะ"] == "สำเร็จ" and row["หน่วยงาน"] is None
    assert row["คะแนนรวม"] is row["คะแนน IIT"] is row["ไตรมาสที่รายงานล่าสุด"] is None


def test_one_shot_render_writes_it_and_it_survives_a_lost_journal(tmp_path: Path) -> None:
    sandbox(tmp_path)
    out = tmp_path / "outbox"
    spec = seed002_analysis()
    workbook = spec.save(tmp_path / "w.xlsx")
    assert cli_main(["render", str(workbook), "--out", str(out), "--no-pdf",
                     "--config", str(tmp_path / "config")]) == 0
    path = rollup_path(out, 2568)
    before = rows(path)
    assert [r["หน่วยงาน"] for r in before] == ["องค์การบริหารส่วนตำบลคำเนียม"]
    (out / ".itadoc").mkdir(exist_ok=True)
    (out / ".itadoc" / "journal.sqlite3").write_bytes(b"lost")
    shutil.rmtree(out / ".itadoc")
    path.unlink()
    rebuild(out, tmp_path / "config" / "frameworks")
    assert rows(path) == before


def test_the_watcher_rebuilds_it_after_every_job(tmp_path: Path) -> None:
    sandbox(tmp_path)
    watcher = WatcherProcess(tmp_path, ITADOC_CHARTS="false")
    try:
        path = rollup_path(tmp_path / "outbox", 2568)
        for folder in ("unit-a", "unit-b"):
            spec = seed002_analysis()
            spec.general["ผู้จัดทำ"] = folder   # other bytes: the same bytes twice would be one job
            spec.save(tmp_path / "inbox" / folder / "ita.xlsx")
            wait_for(lambda: path.exists() and folder in {r["โฟลเดอร์ย่อย"] for r in rows(path)}, 30,
                     f"{folder} not in the roll-up")
        assert watcher.stop() == 0
    finally:
        watcher.kill_group()
    assert sorted(r["โฟลเดอร์ย่อย"] for r in rows(path)) == ["unit-a", "unit-b"]
