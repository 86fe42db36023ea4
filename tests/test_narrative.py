"""Every sentence template with one year, several years, ties and empty sections: Thai that reads as written
by hand (a verb, "และ" before the last item, no zero categories, no "-" as a value)."""
from __future__ import annotations

from decimal import Decimal as D

from service.analysis.scores import IndicatorResult, ToolResult, changes, extremes
from service.documents.narrative import (join_phrases, join_thai, progress_sentence, tool_sentence,
                                         tools_below_pass_sentence)


def _tool(scores: dict[int, dict[int, str]], year: int, tool: str = "IIT") -> ToolResult:
    indicators = tuple(IndicatorResult(n, f"ตัวชี้วัด{n}", tool, {y: D(v) for y, v in s.items()}, D(s[year]),
                                       changes({y: D(v) for y, v in s.items()}, year), False)
                       for n, s in scores.items())
    years = sorted({y for s in scores.values() for y in s})
    means = {y: sum(D(s[y]) for s in scores.values()) / len(scores) for y in years}
    high, low = extremes(list(indicators))
    return ToolResult(tool, indicators, means, means[year], changes(means, year), high, low, ())


def test_one_year_has_a_verb_and_no_comparison():
    text = tool_sentence(_tool({1: {2568: "100"}, 2: {2568: "98"}}, 2568), 2568, 1)
    assert text.startswith("จากตารางที่ 1 พบว่า ผลคะแนนการประเมิน IIT ประจำปี 2568 อยู่ที่ร้อยละ 99 โดย")
    assert "ปี 2567" not in text and "-" not in text


def test_several_years_compare_with_and_before_the_last():
    text = tool_sentence(_tool({1: {2567: "90", 2568: "95", 2569: "99"}}, 2569), 2569, 2)
    assert "อยู่ที่ร้อยละ 99 ซึ่งมากกว่าปี 2567 (ร้อยละ 90) และ ปี 2568 (ร้อยละ 95)" in text


def test_ties_and_all_equal():
    tied = tool_sentence(_tool({1: {2568: "100"}, 2: {2568: "100"}, 3: {2568: "90"}}, 2568), 2568, 1)
    assert "คะแนนสูงสุด คือ ตัวชี้วัดที่ 1 และ 2 (ร้อยละ 100)" in tied
    equal = tool_sentence(_tool({1: {2568: "100"}, 2: {2568: "100"}}, 2568), 2568, 1)
    assert "ทุกตัวชี้วัดได้คะแนนเท่ากัน (ร้อยละ 100)" in equal


def test_lists_put_and_before_the_last_item():
    assert join_thai(["1", "3", "5"]) == "1, 3 และ 5"
    assert join_phrases(["ก", "", "ข", "ค"]) == "ก ข และค"
    assert join_phrases(["ก"]) == "ก" and join_phrases([]) == ""


def test_progress_sentence_without_empty_categories_or_dashes():
    counts = {"total": 3, "done": 0, "on_plan": 3, "behind": 0, "not_due": 0}
    text = progress_sentence("ศรป.", "ไตรมาส 1 (ต.ค. – ธ.ค. 68)", counts, 1, "-", "40.00")
    assert text == ("ณ สิ้นไตรมาส 1 (ต.ค. – ธ.ค. 68) ศรป. มีกิจกรรมตามแผนทั้งหมด 3 กิจกรรม โดยเป็นไปตามแผน 3 กิจกรรม "
                    "ผลการดำเนินงานเฉลี่ยรายกิจกรรมคิดเป็นร้อยละ 40.00 ของเป้าหมายทั้งปี")


def test_whole_tool_under_the_pass_mark():
    oit = _tool({9: {2568: "77"}, 10: {2568: "90"}}, 2568, "OIT")
    iit = _tool({1: {2568: "100"}}, 2568)
    assert tools_below_pass_sentence([iit, oit], D(85)).startswith(
        "ผลคะแนนของเครื่องมือ OIT (ร้อยละ 83.50) ต่ำกว่าเกณฑ์ผ่าน (85 คะแนน)")
    assert tools_below_pass_sentence([iit], D(85)) == ""


def test_a_tool_without_a_score_in_the_analysed_year_says_so():
    tool = _tool({9: {2568: "80"}}, 2568, "OIT")
    missing = ToolResult("OIT", tool.indicators, tool.means, None, (), (), (), ())
    assert tool_sentence(missing, 2569, 3) == "จากตารางที่ 3 ไม่มีผลคะแนนการประเมิน OIT ประจำปี 2569"
