"""The administrator's files as the service will read them, with file and line for each problem: every
framework and the dictionary (`itadoc check` adds the Word templates). The watcher runs the same check at start
and whenever one of those files changes, and logs what it finds."""
from __future__ import annotations

from pathlib import Path

import tomllib

from pydantic import ValidationError

from service.analysis.framework import FrameworkInvalid, read_framework
from service.settings import Settings, field_problem, load_settings, read_admin_text, toml_line, toml_problem

PAIRS = "misspellings.txt"   # "wrong<TAB>right<TAB>source" per line (the source may be left out)


def settings_problems(config_dir: Path) -> list[str]:
    """Why settings.toml (with the ITADOC_* variables) cannot be loaded, one line per mistake."""
    path = config_dir / "settings.toml"
    try:
        load_settings(config_dir)
    except tomllib.TOMLDecodeError as exc:
        return [f"{path}: {toml_problem(exc)}"]
    except ValidationError as exc:
        text = read_admin_text(path)
        return [f"{path}: {toml_line(text, e['loc'])}{'.'.join(map(str, e['loc']))}: {field_problem(e)}"
                for e in exc.errors()]
    return []


def framework_problems(frameworks_dir: Path) -> list[str]:
    problems = []
    for path in sorted(frameworks_dir.glob("*.toml")):
        if not path.stem.isdigit():
            problems.append(f"{path}: ชื่อไฟล์กรอบการประเมินต้องเป็นปีงบประมาณ เช่น 2569.toml")
            continue
        try:
            read_framework(path)
        except FrameworkInvalid as exc:
            problems.append(f"{path.parent / str(exc)}")
    if not problems and not any(frameworks_dir.glob("*.toml")):
        problems.append(f"{frameworks_dir}: ไม่มีไฟล์กรอบการประเมิน (<ปี>.toml)")
    return problems


def dictionary_problems(dictionary_dir: Path) -> list[str]:
    problems = []
    for path in sorted(dictionary_dir.glob("*.txt")):
        try:
            text = read_admin_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: อ่านไฟล์ไม่ได้: {exc}")
            continue
        if path.name != PAIRS:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            fields = [f.strip() for f in line.split("\t")]
            if len(fields) not in (2, 3) or not all(fields):
                problems.append(f"{path}:{number}: ต้องเป็น \"คำที่เขียนผิด<TAB>คำที่ถูก<TAB>ที่มา\" คั่นด้วยแท็บ "
                                f"(พบ {line!r})")
    return problems


def check_configuration(settings: Settings) -> list[str]:
    """Every problem of the frameworks and the dictionary, one Thai line each, starting with the file (and
    line when known). The templates are checked by `authoring.templates_check.template_problems`."""
    return framework_problems(settings.frameworks_dir) + dictionary_problems(settings.dictionary_dir)
