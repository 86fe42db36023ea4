"""Thai dates and the Buddhist Era: parse what officers type, print what government documents print.

"20 พ.ย. 2568", "๑๕ มีนาคม ๒๕๖๖", "20/11/2568" and Excel dates are accepted; years are BE, and a year
that is plainly Common Era is converted (the caller warns with `ce_year`). The fiscal year N runs from
1 October of N-1 to 30 September of N (BE), in quarters Oct–Dec, Jan–Mar, Apr–Jun, Jul–Sep.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from service.thai.numbers import to_arabic

BE_OFFSET = 543
MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
          "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
MONTHS_ABBR = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_MONTH_LOOKUP = {name: i + 1 for i, name in enumerate(MONTHS)}
_MONTH_LOOKUP.update({abbr.replace(".", ""): i + 1 for i, abbr in enumerate(MONTHS_ABBR)})
_TEXT_DATE = re.compile(r"^(\d{1,2})\s*([^\d\s/]+?)\s*(?:พ\.?\s?ศ\.?)?\s*(\d{2,4})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})$")


class BadDate(ValueError):
    """Not a date; `reason` is the Thai explanation."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ParsedDate:
    value: date            # a Gregorian date object (Python's calendar)
    ce_converted: bool = False


def from_ce(year: int) -> tuple[int, bool]:
    """A four-digit year as BE: a plainly Common Era one (1900–2300) is converted; (year, converted)."""
    return (year + BE_OFFSET, True) if 1900 <= year <= 2300 else (year, False)


def be_year(year: int) -> tuple[int, bool]:
    """A year of a typed date as BE, two-digit years included; returns (year, converted_from_ce)."""
    if year < 100:          # "68" → 2568
        return 2500 + year, False
    return from_ce(year)


def parse_date(value: object) -> ParsedDate:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        # "20/11/2568" typed into an Excel without the Thai calendar is stored as the year 2568 AD.
        if value.year > 2400:
            try:
                value = value.replace(year=value.year - BE_OFFSET)
            except ValueError:          # 29 Feb of a year that is leap only when read as AD
                raise BadDate(f"ไม่มีวันที่ 29 ในเดือนกุมภาพันธ์ ปี {value.year}") from None
        return ParsedDate(value)
    if not isinstance(value, str) or not value.strip():
        raise BadDate("ไม่ใช่วันที่")
    text = to_arabic(" ".join(value.split()))
    m = _NUMERIC_DATE.match(text)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _TEXT_DATE.match(text)
        if not m:
            raise BadDate("อ่านเป็นวันที่ไม่ได้")
        day, year = int(m[1]), int(m[3])
        month = _MONTH_LOOKUP.get(m[2].replace(".", "").replace(" ", ""))
        if month is None:
            raise BadDate(f'ไม่รู้จักชื่อเดือน "{m[2]}"')
    be, converted = be_year(year)
    try:
        return ParsedDate(date(be - BE_OFFSET, month, day), converted)
    except ValueError:
        raise BadDate(f"ไม่มีวันที่ {day} ในเดือน{MONTHS[month - 1] if 1 <= month <= 12 else f'ที่ {month}'}"
                      f" ปี {be}") from None


def thai_date(d: date, abbreviated: bool = False) -> str:
    """20 พฤศจิกายน 2568 (or 20 พ.ย. 2568)."""
    months = MONTHS_ABBR if abbreviated else MONTHS
    return f"{d.day} {months[d.month - 1]} {d.year + BE_OFFSET}"


def fiscal_quarter(d: date) -> tuple[int, int]:
    """(fiscal year BE, quarter 1–4) of a date."""
    fy = d.year + BE_OFFSET + (1 if d.month >= 10 else 0)
    return fy, next(q for q in range(1, 5) if d.month in quarter_months(q))


def quarter_months(quarter: int) -> tuple[int, int, int]:
    """Calendar months of a fiscal quarter."""
    return ((10, 11, 12), (1, 2, 3), (4, 5, 6), (7, 8, 9))[quarter - 1]


def quarter_heading(fiscal_year: int, quarter: int) -> str:
    """ไตรมาส 1 (ต.ค. – ธ.ค. 68), as seed 000 heads its columns."""
    months = quarter_months(quarter)
    year = fiscal_year - 1 if quarter == 1 else fiscal_year
    return (f"ไตรมาส {quarter} ({MONTHS_ABBR[months[0] - 1]} – {MONTHS_ABBR[months[-1] - 1]} "
            f"{year % 100:02d})")
