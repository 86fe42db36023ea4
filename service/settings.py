"""Settings from `config/settings.toml`, overridden by `ITADOC_*` environment variables (pydantic-settings).

Paths in the file are relative to the folder that holds `config/`. The default `config/` is the
installation's (`$ITADOC_HOME/config`, else the one beside the `service` package), never the current
directory's: a systemd unit or cron job runs from `/` and must still find its frameworks and templates.
"""
from __future__ import annotations

import codecs
import logging
import os
import re
import tomllib
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

log = logging.getLogger("itadoc.settings")
PACKAGE_HOME = Path(__file__).resolve().parents[1]
PATHS = ("inbox", "outbox", "templates", "state_dir")


# Resident memory measured under 200 drops with PDFs (bench/drain.py, docs/performance.md): the watcher
# with the web page's share, a worker at its peak, a LibreOffice instance with its bridge after conversions.
BASE_MB, WORKER_MB, OFFICE_MB = 300, 400, 250


def available_mb() -> int:
    """MemAvailable of /proc/meminfo in MB (a machine without it counts as roomy)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 1 << 20


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_file_mb: float = 25
    max_uncompressed_mb: float = 200
    max_compression_ratio: float = 100
    max_rows: int = 5000
    max_columns: int = 60
    max_cell_chars: int = 10000
    max_merged_ranges: int = 5000          # <mergeCell> elements per sheet
    max_merged_cells: int = 200_000        # cells covered by merges per sheet (a full load builds each one)
    max_shared_strings: int = 500_000      # <si> entries of the shared-string table
    max_shared_string_chars: int = 20_000_000


_toml: ContextVar[dict[str, Any]] = ContextVar("itadoc_toml", default={})


class _TomlData(PydanticBaseSettingsSource):
    """The already-read settings.toml of the `load_settings` call in progress (the file's location is
    known only at that call, while pydantic-settings wants its sources on the class)."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return _toml.get().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(_toml.get())


class Settings(BaseSettings):
    # ITADOC_POLL_SECONDS, ITADOC_LIMITS_MAX_FILE_MB: one split only, so names with "_" stay whole.
    model_config = SettingsConfigDict(extra="forbid", env_prefix="ITADOC_", env_nested_delimiter="_",
                                      env_nested_max_split=1)
    config_dir: Path
    inbox: Path
    outbox: Path
    templates: Path
    state_dir: Path
    pdf: bool = True
    thai_digits: bool = False
    charts: bool = True
    continued_labels: bool = True   # PDF: "(ต่อ)" after a measure's label on its continuation pages
    observer: Literal["auto", "native", "polling"] = "auto"
    poll_seconds: float = 0.25
    rescan_seconds: float = 30
    incomplete_grace_seconds: float = 30  # a file that never becomes a whole workbook is taken after this
    refused_hold_seconds: float = 60      # a refused file stays this long in case its copy was only paused
    workers: int = 0            # 0: as many as the cores and the memory allow (`worker_count`)
    office_instances: int = 0   # warm LibreOffice instances shared by the workers; 0: by cores and memory
    job_timeout_seconds: float = 120
    log_format: Literal["text", "json"] = "text"
    limits: Limits = Limits()

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, **_: PydanticBaseSettingsSource
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, _TomlData(settings_cls)

    @property
    def frameworks_dir(self) -> Path:
        return self.config_dir / "frameworks"

    @property
    def dictionary_dir(self) -> Path:
        return self.config_dir / "dictionary"

    @property
    def worker_count(self) -> int:
        return self.workers or sized(os.cpu_count() or 1, available_mb())[0]

    @property
    def office_count(self) -> int:
        return self.office_instances or sized(os.cpu_count() or 1, available_mb(), self.workers)[1]

    @property
    def one_shot_office_count(self) -> int:
        """For `render` and `retry`, which start LibreOffice for one run: each instance's start-up costs
        about 1.5 s of CPU, so no more instances than cores (one workbook: 5.4 s with 1 or 2, 6.0 s with 3)."""
        return min(self.office_count, os.cpu_count() or 1)


def sized(cores: int, memory_mb: int, workers: int = 0) -> tuple[int, int]:
    """(workers, LibreOffice instances) for `cores` and `memory_mb` available: a worker per core as long as
    the memory holds each at its peak (WORKER_MB, beside BASE_MB for the watcher and forkserver); then
    LibreOffice instances in what the workers leave (OFFICE_MB each): one more than the cores, because a
    conversion spends part of its time waiting on its bridge and the disk (on 2 cores, 3 instances convert
    a job's three documents at once: drop → receipt 1.07 s against 1.39 s with 2), and at most three,
    the documents of one job. `workers`: the count chosen in settings.toml, if any."""
    workers = workers or max(1, min(cores, (memory_mb - BASE_MB) // WORKER_MB))
    room = memory_mb - BASE_MB - workers * WORKER_MB
    return workers, max(1, min(cores + 1, 3, room // OFFICE_MB))


class ConfigFault(Exception):
    """An administrator's file (framework, dictionary, settings) that cannot be used: `file` names it, and
    the message says where and what, in Thai."""

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(f"{file}: {detail}")
        self.file = file


class ConfigMissing(FileNotFoundError):
    """An explicit --config / ITADOC_CONFIG / ITADOC_HOME that holds no settings.toml."""


def home() -> Path:
    """The installation: $ITADOC_HOME, else the folder holding the `service` package."""
    return Path(os.environ["ITADOC_HOME"]).resolve() if os.environ.get("ITADOC_HOME") else PACKAGE_HOME


def config_dir_for(explicit: str | Path | None = None) -> Path:
    """--config, else $ITADOC_CONFIG, else the installation's config/. Raises ConfigMissing when the
    folder has no settings.toml: running on built-in defaults would blame every officer for it."""
    chosen = explicit or os.environ.get("ITADOC_CONFIG")
    folder = Path(chosen).resolve() if chosen else home() / "config"
    if not (folder / "settings.toml").is_file():
        raise ConfigMissing(f"ไม่พบไฟล์ตั้งค่า {folder / 'settings.toml'} (ตรวจ --config, ITADOC_CONFIG หรือ ITADOC_HOME)")
    return folder


def read_admin_text(path: Path) -> str:
    """An administrator's text file as Windows editors save it: UTF-8 with or without BOM, UTF-16 with
    BOM, or Thai Windows-874 / TIS-620 (cp874 is a superset of TIS-620)."""
    data = path.read_bytes()
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp874")


def toml_line(text: str, loc: tuple) -> str:
    """`บรรทัด N: ` for a pydantic location in the TOML text (best effort: tables, arrays of tables, keys)."""
    lines = text.splitlines()
    at = 0
    parts = list(loc)
    for i, part in enumerate(parts):
        if isinstance(part, int):
            continue
        nth = parts[i + 1] if i + 1 < len(parts) and isinstance(parts[i + 1], int) else None
        pattern = re.compile(rf"^\s*(\[\[\s*{re.escape(part)}\s*\]\]|\[\s*{re.escape(part)}\s*\]|"
                             rf"\"?{re.escape(part)}\"?\s*=)")
        hits = [n for n in range(at, len(lines)) if pattern.match(lines[n])]
        if nth is not None:
            hits = hits[nth:]
        if not hits:
            break
        at = hits[0]
    return f"บรรทัด {at + 1}: " if lines else ""


# What the TOML parser and pydantic say, as an administrator who edits settings.toml in Notepad needs it:
# what is wrong, in Thai, and how to write it. The parser's own words follow in brackets, for searching.
_TOML_SAYS = {
    "Invalid value": 'ค่าไม่ถูกต้อง: ข้อความต้องอยู่ในเครื่องหมายคำพูด เช่น "inbox" ค่าเปิด/ปิดเขียน true หรือ false '
                     "ตัวพิมพ์เล็ก และตัวเลขเขียนโดยไม่มีเครื่องหมายคำพูด เช่น 2",
    "Unescaped '\\' in a string": "มีเครื่องหมาย \\ ในข้อความที่อยู่ในเครื่องหมายคำพูด \"…\": ใส่ path ในอัญประกาศเดี่ยว "
                                  "เช่น '\\\\fileserver\\ita\\inbox' หรือใช้ / แทน \\",
    "Expected '=' after a key in a key/value pair": "ต้องมีเครื่องหมาย = ระหว่างชื่อการตั้งค่ากับค่า เช่น workers = 2",
    "Unterminated string": "ข้อความขาดเครื่องหมายคำพูดปิด เช่น \"inbox\"",
    "Cannot overwrite a value": "ตั้งค่าเดียวกันไว้สองครั้ง ให้ลบบรรทัดที่ซ้ำ",
    "Expected newline or end of document after a statement": "หนึ่งบรรทัดตั้งค่าได้หนึ่งค่า ข้อความหลัง # เป็นหมายเหตุ",
}
_TOML_ERROR = re.compile(r"^(?P<what>.*?) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$")


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """`บรรทัด N: <what is wrong, in Thai, with the fix> (<the parser's words>)`."""
    m = _TOML_ERROR.match(str(exc))
    what = m["what"] if m else str(exc)
    where = f"บรรทัด {m['line']}: " if m and m["line"] else "ท้ายไฟล์: " if m else ""
    return f"{where}{_TOML_SAYS.get(what, 'รูปแบบไฟล์ไม่ถูกต้อง')} ({what})"


def field_problem(error: dict) -> str:
    """One pydantic error of a settings value, in Thai with the fix, the parser's words in brackets."""
    kind, ctx = error["type"], error.get("ctx", {})
    says = {
        "int_parsing": "ต้องเป็นจำนวนเต็ม เขียนโดยไม่มีเครื่องหมายคำพูด เช่น 2",
        "int_type": "ต้องเป็นจำนวนเต็ม เขียนโดยไม่มีเครื่องหมายคำพูด เช่น 2",
        "int_from_float": "ต้องเป็นจำนวนเต็ม ไม่มีจุดทศนิยม เช่น 2",
        "float_parsing": "ต้องเป็นตัวเลข เขียนโดยไม่มีเครื่องหมายคำพูด เช่น 0.25",
        "float_type": "ต้องเป็นตัวเลข เขียนโดยไม่มีเครื่องหมายคำพูด เช่น 0.25",
        "bool_parsing": "ต้องเป็น true หรือ false ตัวพิมพ์เล็ก ไม่มีเครื่องหมายคำพูด",
        "bool_type": "ต้องเป็น true หรือ false ตัวพิมพ์เล็ก ไม่มีเครื่องหมายคำพูด",
        "string_type": 'ต้องเป็นข้อความในเครื่องหมายคำพูด เช่น "inbox"',
        "extra_forbidden": "ไม่รู้จักการตั้งค่านี้ ตรวจการสะกดชื่อ (การตั้งค่าที่ใช้ได้อยู่ใน docs/configuration.md)",
        "literal_error": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: " + ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected")))),
        "greater_than_equal": f"ต้องไม่น้อยกว่า {ctx.get('ge')}",
        "greater_than": f"ต้องมากกว่า {ctx.get('gt')}",
        "less_than_equal": f"ต้องไม่มากกว่า {ctx.get('le')}",
        "missing": "ยังไม่ได้กำหนดค่า",
    }.get(kind)
    return f"{says} ({error['msg']})" if says else error["msg"]


def load_settings(config_dir: str | Path | None = None, **overrides: Any) -> Settings:
    """Raises ConfigMissing, tomllib.TOMLDecodeError or pydantic.ValidationError for a bad configuration."""
    config_dir = config_dir_for(config_dir)
    data = tomllib.loads(read_admin_text(config_dir / "settings.toml"))
    # Folders are resolved here, relative to the folder holding config/: override, ITADOC_*, file, default.
    chosen = {key: overrides.pop(key, None) or os.environ.get(f"ITADOC_{key.upper()}") or data.pop(key, None)
              for key in PATHS}
    root = config_dir.parent
    folders = {key: root / (chosen[key] or key) for key in ("inbox", "outbox", "templates")}
    folders["state_dir"] = root / chosen["state_dir"] if chosen["state_dir"] else folders["outbox"] / ".itadoc"
    token = _toml.set(data)
    try:
        return Settings(config_dir=config_dir, **folders, **{k: v for k, v in overrides.items() if v is not None})
    finally:
        _toml.reset(token)


def overlapping_folders(settings: Settings) -> str | None:
    """Why inbox, outbox and state_dir cannot work together (one inside another), or None. The state
    folder inside the outbox is the default and fine; anything inside the inbox, or the inbox inside
    anything, would feed the service its own output."""
    inbox, outbox, state = (p.resolve() for p in (settings.inbox, settings.outbox, settings.state_dir))
    named = {"inbox": inbox, "outbox": outbox, "state_dir": state}
    for a, b in (("inbox", "outbox"), ("inbox", "state_dir"), ("outbox", "inbox"), ("state_dir", "inbox"),
                 ("state_dir", "outbox")):
        if named[b] == named[a] or named[b].is_relative_to(named[a]):
            return f"โฟลเดอร์ {b} ({named[b]}) อยู่ภายในหรือเป็นโฟลเดอร์เดียวกับ {a} ({named[a]})"
    return None


# What a running service takes from an edited settings.toml at its next job; the rest (folders, observer,
# workers, LibreOffice instances, PDF on/off and its continued labels, log format) shapes the running process
# and needs a restart.
RELOADABLE = ("thai_digits", "charts", "limits")


def refreshed(current: Settings) -> Settings:
    """`current` with the reloadable settings of the file as it is now (read again only when it changed)."""
    path = current.config_dir / "settings.toml"
    try:
        fresh = _load_cached(current.config_dir, path.stat().st_mtime_ns)
    except OSError:
        return current
    if fresh is None:
        return current
    return current.model_copy(update={key: getattr(fresh, key) for key in RELOADABLE})


@lru_cache(maxsize=4)
def _load_cached(config_dir: Path, stamp: int) -> Settings | None:
    try:
        return load_settings(config_dir)
    except Exception as exc:  # a half-edited file: keep what runs, and tell the administrator once
        log.error("settings.toml refused, the last good settings stay in use / ไฟล์ตั้งค่าผิดพลาด "
                  "ระบบใช้ค่าเดิมต่อไป: %s", exc, extra={"file": str(config_dir / "settings.toml")})
        return None
