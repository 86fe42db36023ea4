"""Settings from `config/settings.toml`, overridden by `ITADOC_*` environment variables.

Paths in the file are relative to the folder that holds `config/`, so a clone works wherever it lies.
"""
from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_file_mb: float = 25
    max_uncompressed_mb: float = 200
    max_compression_ratio: float = 100
    max_rows: int = 5000
    max_columns: int = 60
    max_cell_chars: int = 10000


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    config_dir: Path
    inbox: Path
    outbox: Path
    templates: Path
    state_dir: Path
    pdf: bool = True
    thai_digits: bool = False
    charts: bool = True
    observer: Literal["auto", "native", "polling"] = "auto"
    poll_seconds: float = 0.25
    rescan_seconds: float = 30
    workers: int = 0
    job_timeout_seconds: float = 120
    log_format: Literal["text", "json"] = "text"
    limits: Limits = Limits()

    @property
    def frameworks_dir(self) -> Path:
        return self.config_dir / "frameworks"

    @property
    def dictionary_dir(self) -> Path:
        return self.config_dir / "dictionary"

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


def _env_overrides(data: dict[str, Any], prefix: str = "ITADOC_") -> None:
    """Apply ITADOC_KEY and ITADOC_LIMITS_KEY; pydantic converts the strings."""
    for key, value in os.environ.items():
        if not key.startswith(prefix):
            continue
        name = key[len(prefix):].lower()
        if name.startswith("limits_"):
            data.setdefault("limits", {})[name[len("limits_"):]] = value
        elif name != "config":
            data[name] = value


def load_settings(config_dir: str | Path | None = None, **overrides: Any) -> Settings:
    config_dir = Path(config_dir or os.environ.get("ITADOC_CONFIG") or "config").resolve()
    path = config_dir / "settings.toml"
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    _env_overrides(data)
    data.update({k: v for k, v in overrides.items() if v is not None})
    root = config_dir.parent
    for key, default in (("inbox", "inbox"), ("outbox", "outbox"), ("templates", "templates")):
        data[key] = root / (data.get(key) or default)
    outbox = Path(data["outbox"])
    data["state_dir"] = root / data["state_dir"] if data.get("state_dir") else outbox / ".itadoc"
    return Settings(config_dir=config_dir, **data)


# What a running service takes from an edited settings.toml at its next job; the rest (folders, observer,
# workers, PDF on/off, log format) shapes the running process and needs a restart.
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
    except Exception:  # a half-edited file: keep what runs; the administrator sees the error at the next start
        return None
