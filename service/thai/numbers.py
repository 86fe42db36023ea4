"""Numbers as officers type them: 98.91, "๙๘.๙๑", "ร้อยละ 98.91", "98.91 %", "1,250", 0.9891 in a % cell.

Values are kept as `Decimal` built from the shortest repr of what Excel stored, so 98.91 stays 98.91
and sums and means are exact to the last decimal; rounding happens once, when printing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_STRIP_WORDS = ("ร้อยละ", "คะแนน", "บาท")


class NotANumber(ValueError):
    """The text is not a number in any form the contract allows."""


@dataclass(frozen=True)
class ParsedNumber:
    value: Decimal
    mixed_digits: bool = False   # Thai and Arabic digits in one number: a warning
    decimals: int = 0            # decimals as typed, to print "where the source has them"


def to_arabic(text: str) -> str:
    return text.translate(_TO_ARABIC)


# A word of Latin letters and digits ("i10", "A4", "COVID-19", "ISO9001"): a code, printed as typed.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_/.][A-Za-z0-9]+)*")


def _thai_token(m: re.Match[str]) -> str:
    word = m[0]
    return word if any("a" <= ch.lower() <= "z" for ch in word) else word.translate(_TO_THAI)


def to_thai_digits(text: str) -> str:
    """Numbers in Thai digits; codes that mix Latin letters and digits ("i10", "A4") stay as typed."""
    return _TOKEN.sub(_thai_token, text)


def _decimals(d: Decimal) -> int:
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def parse_number(value: object, number_format: str = "General") -> ParsedNumber:
    """Parse a cell value; raise NotANumber with nothing else to say (the caller knows the cell)."""
    if isinstance(value, bool):
        raise NotANumber(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise NotANumber(value)
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (number_format or ""):
            d = (d * 100).normalize()
            if d == d.to_integral_value():
                d = Decimal(int(d))     # not quantize(): it fails past 28 digits (1e26 in a % cell)
        return ParsedNumber(d, decimals=_decimals(d))
    if not isinstance(value, str):
        raise NotANumber(value)
    text = value.strip()
    has_thai = any(ch in THAI_DIGITS for ch in text)
    has_arabic = any(ch.isascii() and ch.isdigit() for ch in text)
    text = to_arabic(text)
    for word in _STRIP_WORDS:
        text = text.replace(word, "")
    text = text.replace("%", "").replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(text):
        raise NotANumber(value)
    try:
        d = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid literals
        raise NotANumber(value) from exc
    return ParsedNumber(d, mixed_digits=has_thai and has_arabic, decimals=_decimals(d))


def _quantize(value: Decimal, decimals: int) -> Decimal:
    """Round half up with room for every digit: the default 28-digit context raises for a huge value
    (1e30 typed as a target), and a workbook must never crash the printing of a number."""
    with localcontext(prec=max(28, value.adjusted() + decimals + 2)):
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def round2(value: Decimal) -> Decimal:
    """Round half up to two decimals, as officers round by hand (98.905 → 98.91)."""
    return _quantize(value, 2)


def format_number(value: Decimal | int | float | None, decimals: int = 2, thai: bool = False,
                  grouping: bool = False) -> str:
    """Print a number with fixed decimals (two by default), optionally in Thai digits."""
    if value is None:
        return "-"
    d = Decimal(str(value)) if not isinstance(value, Decimal) else value
    q = _quantize(d, decimals)
    text = f"{q:,.{decimals}f}" if grouping else f"{q:.{decimals}f}"
    return to_thai_digits(text) if thai else text


def format_score(value: Decimal | None, thai: bool = False) -> str:
    """Scores print with two decimals when the source has decimals, else as whole numbers (100)."""
    if value is None:
        return "-"
    decimals = 2 if value != value.to_integral_value() else 0
    return format_number(value, decimals, thai)
