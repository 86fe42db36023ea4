"""Names that come from outside (dropped file names, inbox sub-folders, unit names and sheet text) never
escape the job folder and always make a file name the file system accepts."""
from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings as hsettings, strategies as st

from service.delivery.job import RECEIPT, job_dir_for, process, safe_component
from service.settings import Settings
from workbooks import seed000_analysis

NASTY = ["..", ".", "/", "../../etc/passwd", "..\\..\\windows", "a/../../b", "\x00\x1f\x7f", "ก" * 300,
         " . . ", "\u202egnp.exe", "C:\\x", "con", "x" * 300 + ".xlsx", "\udcff\udcfe.xlsx"]


@given(st.one_of(st.text(), st.sampled_from(NASTY)), st.integers(20, 200))
@hsettings(max_examples=300, deadline=None)
def test_safe_component_stays_one_name_in_its_parent(name: str, limit: int) -> None:
    safe = safe_component(name, limit)
    assert safe not in ("", ".", "..") and "/" not in safe and "\\" not in safe
    assert len(safe.encode()) <= max(limit, len("workbook"))
    assert all(c >= " " and c != "\x7f" for c in safe)
    assert Path("/outbox", safe).parent == Path("/outbox")


def test_long_name_keeps_its_extension() -> None:
    assert safe_component("ก" * 300 + ".xlsx", 180).endswith("ก.xlsx")
    assert len(safe_component("ก" * 300 + ".xlsx", 180).encode()) <= 180


@given(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(NASTY)), max_size=4))
@hsettings(max_examples=200, deadline=None)
def test_inbox_sub_folders_never_leave_the_outbox(parts: list[str]) -> None:
    job = job_dir_for(Path("/outbox"), Path("x.xlsx"), "0" * 64, "/".join(parts))
    assert Path("/outbox") in job.parents
    assert ".." not in job.parts


def test_traversal_in_unit_name_file_name_and_sub_folder(tmp_path: Path, settings: Settings) -> None:
    spec = seed000_analysis()
    spec.general["หน่วยงาน"] = "../../../../tmp/หนี/" + "ศ" * 300
    spec.general["ชื่อย่อหน่วยงาน"] = "..\\..\\x"
    drop = tmp_path / "in" / (".." + "ก" * 80 + ".xlsx")     # 247 bytes: the longest a drop can be
    spec.save(drop)
    result = process(drop, settings, subfolder="../../.. /\x01หน่วย/../..")
    outbox = settings.outbox.resolve()
    assert result.job_dir.resolve().is_relative_to(outbox)
    assert (result.job_dir / RECEIPT).is_file() and result.receipt.status == "ok"
    written = list(tmp_path.rglob("*"))
    assert all(p.resolve().is_relative_to(outbox) or p.resolve().is_relative_to(tmp_path / "in")
               for p in written)
    assert all(len(p.name.encode()) <= 255 for p in written)
    assert result.receipt.unit.startswith("../../")          # the receipt keeps the text as written
