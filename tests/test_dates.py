"""Dates as officers type them: every form round-trips, impossible dates are refused with a reason, CE
years are converted, and a result dated outside its quarter is a warning at its cell (never an error)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.thai.numbers import to_thai_digits
from service.pipeline import run
from service.thai.dates import MONTHS, MONTHS_ABBR, BadDate, parse_date
from workbooks import seed000_plan

DATES = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2150, 12, 31))


@given(DATES, st.sampled_from(["full", "abbr", "slash"]), st.booleans())
def test_every_typed_form_reads_back_as_the_same_date(d, form, thai_digits):
    be = d.year + 543
    text = {"full": f"{d.day} {MONTHS[d.month - 1]} {be}", "abbr": f"{d.day} {MONTHS_ABBR[d.month - 1]} {be}",
            "slash": f"{d.day}/{d.month}/{be}"}[form]
    parsed = parse_date(to_thai_digits(text) if thai_digits else text)
    assert parsed.value == d and not parsed.ce_converted


@given(DATES)
def test_a_common_era_year_is_converted_and_said(d):
    parsed = parse_date(f"{d.day}/{d.month}/{d.year}")
    assert parsed.value == d and parsed.ce_converted == (1900 <= d.year <= 2300)


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_thai_reason(text):
    try:
        assert isinstance(parse_date(text).value, dt.date)
    except BadDate as exc:
        assert exc.reason


@pytest.mark.parametrize("text, reason", [("31 ก.พ. 2569", "ไม่มีวันที่ 31 ในเดือนกุมภาพันธ์"),
                                          ("29/2/2569", "ไม่มีวันที่ 29"), ("31 เมษายน 2568", "ไม่มีวันที่ 31")])
def test_impossible_dates_are_refused(text, reason):
    with pytest.raises(BadDate, match=reason):
        parse_date(text)


def test_an_excel_date_typed_with_a_be_year_is_read_as_be():
    assert parse_date(dt.datetime(2568, 11, 20)).value == dt.date(2025, 11, 20)


def test_result_dated_outside_its_quarter_is_a_warning_at_its_cell(tmp_path, settings):
    spec = seed000_plan()
    results = spec.sheets["ผลการดำเนินงาน"]
    results[0]["วันที่ดำเนินการ"] = "15 ม.ค. 2569"                 # quarter 2, row says quarter 1
    results[1]["วันที่ดำเนินการ"] = "1/10/2025"                    # CE year: converted, in quarter 1
    outcome = run(spec.save(tmp_path / "dates.xlsx"), settings)
    assert outcome.problems.errors == []                            # 4.1 done ahead of plan is no error
    warnings = {(p.code, p.sheet, p.cell) for p in outcome.problems.warnings}
    assert warnings == {("date_outside_quarter", "ผลการดำเนินงาน", "D2"), ("ce_year", "ผลการดำเนินงาน", "D3")}
    message = next(p.message for p in outcome.problems.warnings if p.code == "date_outside_quarter")
    assert "15 ม.ค. 2569" in message and "ไตรมาส 1" in message and "ต.ค. – ธ.ค." in message
