"""Administrators' mistakes are the administrator's, and say where: `itadoc check`, bad frameworks and
dictionaries in a running watcher, paths that do not depend on the current directory, `itadoc retry`,
re-drops after a fix. Real files, real `itadoc` processes, real watchers on temporary folders."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from watcher import ROOT, WatcherProcess, sandbox, wait_for
from service.thai.spelling import lexicon
from tests.test_watch import Env, env, inbox_files, receipts, workbook  # noqa: F401  (env is a fixture)

FRAMEWORK = Path("config/frameworks/2569.toml")  # the year of the seed workbooks


def itadoc(*args: str, cwd: Path = ROOT, **environ: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ITADOC_")}
    return subprocess.run([sys.executable, "-m", "service", *args], cwd=cwd, capture_output=True, text=True,
                          env={**clean, "PYTHONPATH": str(ROOT), **environ}, timeout=180)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An installation of its own (config/ and templates/ copied), for ITADOC_HOME and --config."""
    root = tmp_path / "home"
    root.mkdir()
    sandbox(root)                      # copies config/ and templates/ side by side
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------- itadoc check

def test_check_passes_on_the_shipped_configuration(home: Path) -> None:
    done = itadoc("check", "--config", str(home / "config"))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("file, old, new, says, at", [
    ("config/dictionary/misspellings.txt", "\n#", "\nคำผิด    คำถูก\n#", "แท็บ", "คำผิด"),
    ("config/settings.toml", "poll_seconds =", "pol_seconds =", "pol_seconds", "pol_seconds"),
    ("config/settings.toml", "workers = 0", "workers = many", "ค่าไม่ถูกต้อง", "workers = many"),
    (str(FRAMEWORK), "pass_mark = 85", "pass_mark = = 85", "ค่าไม่ถูกต้อง", "pass_mark = = 85"),
    (str(FRAMEWORK), "[weights]", "[weight]", "weight", "[weight]"),
    (str(FRAMEWORK), "OIT = 40", "OIT = 30", "รวมกันได้ 90", "[weights]"),
    (str(FRAMEWORK), 'tool = "OIT"', 'tool = "OTI"', "OTI", 'tool = "OTI"'),
    (str(FRAMEWORK), "fiscal_year = 2569", "fiscal_year = 2568", "ไม่ตรงกับชื่อไฟล์", "fiscal_year"),
])
def test_check_names_the_file_and_line(home: Path, file: str, old: str, new: str, says: str, at: str) -> None:
    edit(home / file, old, new)
    done = itadoc("check", "--config", str(home / "config"))
    assert done.returncode == 1
    [line] = [ln for ln in done.stdout.splitlines() if Path(file).name in ln]
    assert says in line, line
    lines = (home / file).read_text(encoding="utf-8").splitlines()
    number = next(i for i, text in enumerate(lines, 1) if at in text)
    if file.endswith(".txt"):
        assert f"{Path(file).name}:{number}:" in line
    else:
        assert f"บรรทัด {number}:" in line, line


def test_duplicate_indicator_is_named_with_its_line(home: Path) -> None:
    path = home / FRAMEWORK
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '\n[[indicators]]\nnumber = 1\ntool = "IIT"\nname = "ซ้ำ"\n', encoding="utf-8")
    done = itadoc("check", "--config", str(home / "config"))
    assert done.returncode == 1
    line_no = len(text.splitlines()) + 3  # the added indicator's number
    assert f"บรรทัด {line_no}" in done.stdout and "ตัวชี้วัดที่ 1 ซ้ำกัน" in done.stdout


def test_bom_and_windows_thai_dictionaries_are_read(home: Path) -> None:
    folder = home / "config" / "dictionary"
    (folder / "misspellings.txt").write_bytes("กระเพา\tกระเพาะ\n".encode("cp874"))
    (folder / "words.txt").write_bytes("\ufeffคำศัพท์เฉพาะหน่วย\n".encode("utf-8"))
    framework = home / FRAMEWORK  # Notepad's "UTF-8 with BOM"
    framework.write_bytes(b"\xef\xbb\xbf" + framework.read_bytes())
    assert itadoc("check", "--config", str(home / "config")).returncode == 0
    lex = lexicon(folder)
    assert lex.known_errors["กระเพา"] == "กระเพาะ" and "คำศัพท์เฉพาะหน่วย" in lex.words


# ---------------------------------------------------------------- paths

def test_render_from_another_directory_uses_the_installation(tmp_path: Path) -> None:
    workbook(tmp_path / "wb.xlsx")
    done = itadoc("render", "wb.xlsx", "--out", "out", "--no-pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    [receipt] = [json.loads(p.read_text(encoding="utf-8")) for p in (tmp_path / "out").rglob("receipt.json")]
    assert receipt["status"] == "ok" and receipt["fiscal_year"] == 2569


def test_itadoc_home_is_the_installation(home: Path, tmp_path: Path) -> None:
    edit(home / FRAMEWORK, "OIT = 40", "OIT = 30")
    done = itadoc("check", cwd=tmp_path, ITADOC_HOME=str(home))
    assert done.returncode == 1 and str(home / FRAMEWORK) in done.stdout


@pytest.mark.parametrize("args", [("render", "x.xlsx", "--config", "/nowhere"), ("watch", "--config", "/nowhere"),
                                  ("check", "--config", "/nowhere")])
def test_missing_config_is_a_usage_error(args: tuple, tmp_path: Path) -> None:
    done = itadoc(*args, cwd=tmp_path)
    assert done.returncode == 2 and "settings.toml" in done.stderr


def test_templates_check_keeps_its_config(home: Path) -> None:
    (home / "templates" / "plan.docx").write_bytes(b"not a docx")
    done = itadoc("templates", "--config", str(home / "config"), "check")
    assert done.returncode == 1 and "plan.docx" in done.stdout


# ---------------------------------------------------------------- receipts, reloads, retries

def test_render_with_a_bad_framework_writes_a_receipt_blaming_the_configuration(home: Path, tmp_path: Path) -> None:
    edit(home / FRAMEWORK, "OIT = 40", "OIT = 30")
    workbook(tmp_path / "wb.xlsx")
    out = tmp_path / "out"
    done = itadoc("render", str(tmp_path / "wb.xlsx"), "--out", str(out), "--no-pdf", "--config", str(home / "config"))
    assert done.returncode == 1
    [receipt_path] = out.rglob("receipt.json")
    receipt = json.loads(receipt_path.read_text(encoding="utf-8"))
    assert [e["code"] for e in receipt["errors"]] == ["config_error"]
    assert "2569.toml" in receipt["errors"][0]["message"] and "ผู้ดูแลระบบ" in receipt["errors"][0]["message"]
    # the administrator fixes the file and reprocesses what failed
    edit(home / FRAMEWORK, "OIT = 30", "OIT = 40")
    done = itadoc("retry", str(receipt_path.parent), "--no-pdf", "--config", str(home / "config"), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    receipt = json.loads(receipt_path.read_text(encoding="utf-8"))
    assert receipt["status"] == "ok" and receipt["documents"]
    assert not (receipt_path.parent / "รายงานข้อผิดพลาด.txt").exists()  # no stale report from the failure


def test_framework_broken_while_running_keeps_the_last_good_one(env: Env) -> None:
    watcher = env.start(ITADOC_WORKERS="1")
    workbook(env.inbox / "before.xlsx", preparer="ก่อนแก้")
    wait_for(lambda: receipts(env.outbox), 15, "no receipt")
    edit(env.root / FRAMEWORK, "OIT = 40", "OIT = 30")
    workbook(env.inbox / "after.xlsx", preparer="หลังแก้")
    wait_for(lambda: len(receipts(env.outbox)) == 2, 15, "no second receipt")
    assert all(r["status"] == "ok" for r in receipts(env.outbox)), receipts(env.outbox)
    assert all(r["documents"] and r["figures"]["tool_scores"] for r in receipts(env.outbox))
    wait_for(lambda: any("2569.toml" in line and "บรรทัด" in line for line in watcher.log("configuration")), 5,
             "administrator not told which file")
    watcher.stop()


def test_bad_framework_at_start_then_redrop_after_the_fix_is_processed(env: Env) -> None:
    edit(env.root / FRAMEWORK, "OIT = 40", "OIT = 30")
    watcher = env.start()
    wait_for(lambda: watcher.log("configuration problem"), 10, "bad framework not logged at start")
    data = workbook(env.root / "wb.xlsx")
    shutil.copyfile(env.root / "wb.xlsx", env.inbox / "wb.xlsx")
    wait_for(lambda: receipts(env.outbox), 15, "no receipt")
    [failed] = receipts(env.outbox)
    assert [e["code"] for e in failed["errors"]] == ["config_error"], failed
    wait_for(lambda: not inbox_files(env.inbox), 5, "inbox not emptied")
    edit(env.root / FRAMEWORK, "OIT = 30", "OIT = 40")
    (env.inbox / "wb.xlsx").write_bytes(data)  # the officer drops the same file again
    wait_for(lambda: [r["status"] for r in receipts(env.outbox)] == ["ok"], 15, "re-drop after the fix not processed")
    wait_for(lambda: not inbox_files(env.inbox), 5, "inbox not emptied")
    watcher.stop()


def test_misspellings_line_without_tab_blames_the_dictionary(env: Env) -> None:
    path = env.root / "config" / "dictionary" / "misspellings.txt"
    path.write_text(path.read_text(encoding="utf-8") + "คำผิด คำถูก\n", encoding="utf-8")
    watcher = env.start()
    workbook(env.inbox / "wb.xlsx")
    wait_for(lambda: receipts(env.outbox), 15, "no receipt")
    [receipt] = receipts(env.outbox)
    if receipt["status"] == "failed":  # the dictionary is read by the spelling check: its line is named
        assert [e["code"] for e in receipt["errors"]] == ["config_error"]
        assert "misspellings.txt" in receipt["errors"][0]["message"]
    wait_for(lambda: any("misspellings.txt" in line for line in watcher.log("configuration problem")), 5,
             "the dictionary problem was not logged")   # stderr is read by a thread
    watcher.stop()


def test_unreadable_dictionary_of_the_installation_does_not_stop_the_watcher(env: Env) -> None:
    """The installation's own dictionary (the one the workers warm up before any job) saved as bytes no
    Thai encoding reads: the watcher still starts, says which file, and blames the configuration."""
    shutil.copytree(ROOT / "service", env.root / "service")           # the installation is env.root
    path = env.root / "config" / "dictionary" / "misspellings.txt"
    path.write_bytes(path.read_bytes() + b"\x87\x87\n")
    watcher = WatcherProcess(env.root, code=env.root, ITADOC_CHARTS="false")
    env.started.append(watcher)
    wait_for(lambda: any("misspellings.txt" in line for line in watcher.log("configuration problem")), 10,
             "the unreadable dictionary was not logged")
    data = workbook(env.root / "wb.xlsx")
    shutil.copyfile(env.root / "wb.xlsx", env.inbox / "wb.xlsx")
    wait_for(lambda: receipts(env.outbox), 20, "no receipt")
    [failed] = receipts(env.outbox)
    assert [e["code"] for e in failed["errors"]] == ["config_error"], failed
    assert "misspellings.txt" in failed["errors"][0]["message"]
    path.write_bytes(path.read_bytes().replace(b"\x87\x87\n", b""))   # the administrator fixes it
    (env.inbox / "wb.xlsx").write_bytes(data)
    wait_for(lambda: [r["status"] for r in receipts(env.outbox)] == ["ok"], 20, "re-drop after the fix not processed")
    assert watcher.proc.poll() is None
    watcher.stop()


def test_a_watcher_that_cannot_start_its_workers_says_so_and_exits(env: Env) -> None:
    """An installation whose workers cannot start (here its warm-up module is broken) must end with a
    Thai line and a non-zero exit, for systemd to restart it, rather than hang with a traceback."""
    shutil.copytree(ROOT / "service", env.root / "service")
    warm = env.root / "service" / "warm.py"
    warm.write_text(warm.read_text(encoding="utf-8") + "\nraise RuntimeError('broken installation')\n", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ITADOC_")}
    proc = subprocess.run([sys.executable, "-m", "service", "watch", "--config", str(env.root / "config")],
                          cwd=env.root, capture_output=True, text=True, timeout=60, env=clean)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "เริ่มกระบวนการทำงานไม่ได้" in proc.stderr, proc.stderr[-2000:]


@pytest.mark.parametrize("old, new, line, says", [
    ("pdf = true ", "pdf = True ", 10, "true หรือ false"),                           # Python's spelling
    ('inbox = "inbox"', 'inbox = "\\\\fileserver\\ita\\inbox"', 5, "'"),             # a Windows share path
    ("workers = 0 ", 'workers = "two" ', 19, "จำนวนเต็ม"),
    ("observer = \"auto\"", "observer = \"fast\"", 14, "auto, native, polling"),
    ("rescan_seconds = 30", "rescan_secnds = 30", 16, "ไม่รู้จัก"),
])
def test_a_settings_mistake_is_explained_in_thai_with_its_fix(home: Path, old: str, new: str, line: int,
                                                              says: str) -> None:
    """What an administrator sees for the mistakes Notepad users make in settings.toml: the file, the
    line, what is wrong in Thai and how to write it, from `check` and from the commands that refuse
    to run (the outside review found pydantic's and the TOML parser's English)."""
    edit(home / "config" / "settings.toml", old, new)
    config = str(home / "config")
    checked = itadoc("check", "--config", config)
    refused = itadoc("watch", "--config", config)
    assert (checked.returncode, refused.returncode) == (1, 2)
    for text in (checked.stdout, refused.stderr):
        assert "settings.toml" in text and f"บรรทัด {line}" in text and says in text, text
        english = re.sub(r"\([^()]*\)", "", text)          # the parser's own words may follow in brackets
        assert not re.search(r"Input should|Invalid value|Unescaped|Extra inputs", english), text
