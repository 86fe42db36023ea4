"""Numbers in every form the contract allows read back exactly; anything else is refused."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from service.thai.numbers import NotANumber, format_number, parse_number, to_thai_digits

AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(AMOUNTS, st.sampled_from(["{}", "ร้อยละ {}", "{} %", "{}%", " {} "]), st.booleans(), st.booleans())
def test_typed_forms_read_back_exactly(value, form, thai, grouping):
    text = form.format(format_number(value, 2, thai=thai, grouping=grouping))
    parsed = parse_number(text)
    assert parsed.value == value and not parsed.mixed_digits


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_a_percent_formatted_cell_reads_as_percent(value):
    assert parse_number(value, "0.00%").value == Decimal(repr(value)) * 100


def test_mixed_thai_and_arabic_digits_are_flagged():
    parsed = parse_number("๙8.๙1")
    assert parsed.value == Decimal("98.91") and parsed.mixed_digits
    assert not parse_number(to_thai_digits("98.91")).mixed_digits


@given(st.text(max_size=20))
def test_any_text_is_a_number_or_refused(text):
    try:
        assert isinstance(parse_number(text).value, Decimal)
    except NotANumber:
        pass
