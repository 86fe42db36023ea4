"""Property-based tests of the parsers every cell goes through: whatever an officer (or an attacker)
types, a parser either returns a value or raises its own documented error; what the service prints
reads back as the same value."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings as hsettings, strategies as st

from service.thai.numbers import NotANumber, format_number, parse_number, round2, to_thai_digits
from service.thai.dates import BadDate, fiscal_quarter, parse_date, quarter_months, thai_date
from service.thai.text import clean_text

CELL = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(),
                 st.datetimes(), st.decimals(allow_nan=True))
AMOUNTS = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2)
DATES = st.dates(date(1950, 1, 1), date(2150, 12, 31))
# Per test, not a global profile loaded at import: other test modules keep Hypothesis' own defaults.
THOROUGH = hsettings(max_examples=300, deadline=None)


@THOROUGH
@given(CELL, st.sampled_from(["General", "0.00%", "#,##0", "@"]))
def test_parse_number_returns_or_raises_not_a_number(value: object, fmt: str) -> None:
    try:
        parsed = parse_number(value, fmt)
    except NotANumber:
        return
    assert parsed.value.is_finite()


@THOROUGH
@given(AMOUNTS)
def test_numbers_as_officers_type_them_read_back(d: Decimal) -> None:
    plain = f"{d:f}"
    grouped = f"{d:,f}"
    for typed in (plain, grouped, to_thai_digits(grouped), f"ร้อยละ {plain}", f"{plain} %", f" {plain}\u00a0"):
        assert parse_number(typed).value == d, typed


@THOROUGH
@given(AMOUNTS)
def test_printed_numbers_read_back_rounded(d: Decimal) -> None:
    for thai in (False, True):
        printed = format_number(d, thai=thai, grouping=True)
        assert parse_number(printed).value == round2(d)
    assert round2(round2(d)) == round2(d)


@THOROUGH
@given(st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                 st.integers(1, 10**4).map(lambda n: "9" * n)))
def test_any_number_a_cell_can_hold_prints(value: float | str) -> None:
    d = parse_number(value).value
    assert parse_number(format_number(d, grouping=True)).value == round2(d)


@THOROUGH
@given(st.floats(0, 1, allow_nan=False))
def test_percent_cell_is_a_percentage(x: float) -> None:
    assert parse_number(x, "0.00%").value == (Decimal(repr(x)) * 100).normalize() or x == 0


@THOROUGH
@given(CELL)
def test_parse_date_returns_or_raises_bad_date(value: object) -> None:
    try:
        parsed = parse_date(value)
    except BadDate as exc:
        assert exc.reason
        return
    assert isinstance(parsed.value, date)


@THOROUGH
@given(DATES)
def test_dates_as_officers_type_them_read_back(d: date) -> None:
    be = d.year + 543
    for typed in (thai_date(d), thai_date(d, abbreviated=True), f"{d.day}/{d.month}/{be}",
                  to_thai_digits(thai_date(d)), f"{d.day:02d}-{d.month:02d}-{be}", f"  {thai_date(d)}  "):
        parsed = parse_date(typed)
        assert parsed.value == d and not parsed.ce_converted, typed


@THOROUGH
@given(DATES)
def test_common_era_year_is_converted_and_flagged(d: date) -> None:
    if 1900 <= d.year <= 2300:
        parsed = parse_date(f"{d.day}/{d.month}/{d.year}")
        assert parsed.value == d and parsed.ce_converted


@THOROUGH
@given(DATES)
def test_fiscal_quarter_holds_the_date(d: date) -> None:
    year, quarter = fiscal_quarter(d)
    assert d.month in quarter_months(quarter)
    assert year == d.year + 543 + (1 if d.month >= 10 else 0)


@THOROUGH
@given(st.text())
def test_clean_text_is_idempotent_and_tidy(text: str) -> None:
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert "\u200b" not in cleaned and "  " not in cleaned
    assert cleaned == cleaned.strip()
