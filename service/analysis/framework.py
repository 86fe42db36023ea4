"""The ITA framework of a fiscal year (indicators, tool weights, level bands, pass mark), read from
`config/frameworks/<year>.toml`: NACC changes it from year to year, administrators edit the file.

A framework is checked whole when it is read (weights add up to 100, tools are IIT/EIT/OIT, indicator
numbers unique, `fiscal_year` matches the file name). A bad file is the administrator's mistake: it is
refused with its file and line, never used, and a running service keeps the last good version it read.
"""
from __future__ import annotations

import logging
import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from service.settings import ConfigFault, field_problem, read_admin_text, toml_line, toml_problem

log = logging.getLogger("itadoc.framework")
TOOLS = ("IIT", "EIT", "OIT")


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    number: int
    tool: str
    name: str
    aliases: tuple[str, ...] = ()


class Level(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    level: str
    min: Decimal


class Framework(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    fiscal_year: int
    provisional: bool = False
    note: str = ""
    pass_mark: Decimal
    tool_names: dict[str, str] = {}
    weights: dict[str, Decimal]
    levels: tuple[Level, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, number: int) -> Indicator | None:
        return next((i for i in self.indicators if i.number == number), None)

    def level_of(self, score: Decimal) -> str:
        for band in sorted(self.levels, key=lambda b: b.min, reverse=True):
            if score >= band.min:
                return band.level
        return self.levels[-1].level


class FrameworkMissing(LookupError):
    pass


class FrameworkInvalid(ConfigFault):
    """A framework file that must not be used; the message names the file and line."""


def available_years(frameworks_dir: Path) -> list[int]:
    return sorted(int(p.stem) for p in frameworks_dir.glob("*.toml") if p.stem.isdigit())


_last_good: dict[Path, Framework] = {}


def load_framework(frameworks_dir: Path, year: int) -> Framework:
    """The framework of `year`, or of the nearest earlier year configured: the caller warns when
    `fiscal_year` differs. Raises FrameworkMissing when no earlier year is configured either, and
    FrameworkInvalid when the file is bad and no good version of it was read before."""
    earlier = [y for y in available_years(frameworks_dir) if y <= year]
    if not earlier:
        raise FrameworkMissing(year)
    path = frameworks_dir / f"{earlier[-1]}.toml"
    try:
        framework = _load(path, path.stat().st_mtime_ns)
    except FrameworkInvalid as exc:
        good = _last_good.get(path)
        if good is None:
            raise
        log.error("framework refused, the last good version stays in use / กรอบการประเมินผิดพลาด "
                  "ระบบใช้ฉบับเดิมต่อไป: %s", exc)
        return good
    _last_good[path] = framework
    return framework


@lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int) -> Framework:
    """Cached by modification time, so an edited framework is picked up without a restart."""
    return read_framework(path)


def read_framework(path: Path) -> Framework:
    """The framework in `path`, checked whole; raises FrameworkInvalid naming the file and line."""
    text = read_admin_text(path)
    try:
        framework = Framework.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkInvalid(path.name, toml_problem(exc)) from exc
    except ValidationError as exc:
        first = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")  # a misspelt key first
        raise FrameworkInvalid(path.name, toml_line(text, first["loc"]) + f"{'.'.join(map(str, first['loc']))}: "
                               f"{field_problem(first)}") from exc
    for loc, problem in _inconsistencies(framework, path):
        raise FrameworkInvalid(path.name, toml_line(text, loc) + problem)
    return framework


def _inconsistencies(f: Framework, path: Path) -> list[tuple[tuple, str]]:
    found: list[tuple[tuple, str]] = []
    if path.stem.isdigit() and f.fiscal_year != int(path.stem):
        found.append((("fiscal_year",), f"fiscal_year = {f.fiscal_year} ไม่ตรงกับชื่อไฟล์ {path.name}"))
    total = sum(f.weights.values(), Decimal(0))
    if total != 100:
        found.append((("weights",), f"น้ำหนักของเครื่องมือรวมกันได้ {total} ต้องเท่ากับ 100"))
    found += [(("weights", tool), f"ไม่รู้จักเครื่องมือ {tool} (ใช้ได้เฉพาะ {', '.join(TOOLS)})")
              for tool in f.weights if tool not in TOOLS]
    seen: set[int] = set()
    for i, indicator in enumerate(f.indicators):
        if indicator.tool not in TOOLS:
            found.append((("indicators", i, "tool"), f"ตัวชี้วัดที่ {indicator.number}: ไม่รู้จักเครื่องมือ "
                          f"{indicator.tool} (ใช้ได้เฉพาะ {', '.join(TOOLS)})"))
        if indicator.number in seen:
            found.append((("indicators", i, "number"), f"ตัวชี้วัดที่ {indicator.number} ซ้ำกัน"))
        seen.add(indicator.number)
    if not f.levels:
        found.append((("levels",), "ไม่มีระดับผลการประเมิน ([[levels]])"))
    return found
