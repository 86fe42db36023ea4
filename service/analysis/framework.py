"""The ITA framework of a fiscal year (indicators, tool weights, level bands, pass mark), read from
`config/frameworks/<year>.toml`: NACC changes it from year to year, administrators edit the file."""
from __future__ import annotations

import tomllib
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict


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


def available_years(frameworks_dir: Path) -> list[int]:
    return sorted(int(p.stem) for p in frameworks_dir.glob("*.toml") if p.stem.isdigit())


def load_framework(frameworks_dir: Path, year: int) -> Framework:
    """The framework of `year`, or of the nearest earlier year configured: the caller warns when
    `fiscal_year` differs. Raises FrameworkMissing when no earlier year is configured either."""
    earlier = [y for y in available_years(frameworks_dir) if y <= year]
    if not earlier:
        raise FrameworkMissing(year)
    path = frameworks_dir / f"{earlier[-1]}.toml"
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _load(path: Path, mtime_ns: int) -> Framework:
    """Cached by modification time, so an edited framework is picked up without a restart."""
    return Framework.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
