"""The pure HTML pieces of a report: status basis, plurals, Making Data Count icons, tiles, charts.

No files and no processes: each function is called on a small frame or row
and the HTML it returns is read as a reader (or a screen reader) would.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.report import cabinet, charts, icons, present
from pmflib.rules.spc import SpcResult


def _row(**extra) -> dict:
    row = {"Indicator ID": "ECO-01", "Indicator": "Number of apprenticeship starts", "Outcome ID": "O01",
           "Unit": "number", "Decimals": 0, "Polarity": C.HIGHER_IS_BETTER, "Actual": 638.0,
           "Forecast Year-End": 1151.0, "Assessed Value": 1151.0, "Target": 1090.0,
           "Basis": "Forecast Year-End against annual target", "Status": C.GREEN,
           "Status Reason": "Forecast meets the annual target", "Direction": C.IMPROVING,
           "Variation": C.SPC_COMMON_CAUSE, "Assurance": C.SPC_HIT_AND_MISS, "Owner": "Ann Lee",
           "Period": "2026-27 Q2", "KPI": True}
    return row | extra


def _text(markup: str) -> str:
    """What a reader sees: tags dropped, entities and spaces folded."""
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


# --- the basis of a status -------------------------------------------------------------------------
def test_a_forecast_green_says_it_was_the_forecast_that_was_judged():
    basis = present.status_basis(_row())
    assert basis.startswith("Forecast year-end 1,151 against annual target 1,090")
    assert "on track" in basis


def test_every_table_that_shows_a_status_shows_its_basis():
    frame = pd.DataFrame([_row()])
    spc = {"ECO-01": None}
    for markup in (present.kpi_table(frame, "KPIs"), cabinet.scorecard_table(frame, spc, "Scorecard"),
                   present.exceptions_table(frame, "Red KPIs"), present.attention_list(frame.assign(Status=C.RED))):
        assert "Forecast year-end 1,151 against annual target 1,090" in _text(markup)


def test_a_status_with_no_comparison_keeps_its_reason():
    row = _row(Status=C.NOT_REPORTED, Actual=math.nan, **{"Assessed Value": math.nan,
                                                          "Status Reason": "No actual reported although one was due"})
    assert "No actual reported although one was due" in _text(present.status_with_basis(row))


# --- plurals and tiles -----------------------------------------------------------------------------
def test_counts_agree_with_their_nouns_in_summaries():
    one = pd.DataFrame([_row(Status=C.RED)])
    assert "1 KPI this period" in _text(present.summary_tiles(one, kind="KPIs"))
    actions = pd.DataFrame({"Status": [C.SLIPPED_MORE]})
    assert "(1 action)" in _text(present.action_tiles(actions))
    previous = one.assign(Status=C.GREEN)
    changes = _text(cabinet.changes_summary(one, previous))
    assert "1 KPI changed status" in changes and "1 KPI moved into Red; 0 KPIs moved out of Red" in changes
    assert "moved to or from" not in changes  # every change was better or worse: nothing to add


def test_a_red_kpi_not_reported_now_has_not_moved_out_of_red():
    """The Cabinet summary's counts follow the narrative's rule, so page one's
    named list ("Moved out of Red: ...") and page two's count agree."""
    previous = pd.DataFrame([_row(**{"Indicator ID": i, "Status": C.RED}) for i in ("A", "B", "C")])
    now = pd.DataFrame([_row(**{"Indicator ID": "A", "Status": C.GREEN}),
                        _row(**{"Indicator ID": "B", "Status": C.NOT_REPORTED}),
                        _row(**{"Indicator ID": "C", "Status": C.MEASURED})])
    changes = _text(cabinet.changes_summary(now, previous))
    assert "3 KPIs changed status" in changes
    assert "1 KPI moved to a better status" in changes and "0 KPIs moved to a worse status" in changes
    assert "0 KPIs moved into Red; 1 KPI moved out of Red" in changes
    # The two that were neither better nor worse are counted, so the list adds up to the 3.
    assert "2 KPIs moved to or from Measured or not reported" in changes


def test_tile_counts_are_spaced_from_their_badges():
    text = _text(present.summary_tiles(pd.DataFrame([_row(Status=C.NOT_REPORTED)] * 21), kind="KPIs"))
    assert "Not reported 21" in text
    # the space is a real text node between badge and count, not only CSS, so pdftotext reads it too
    markup = present.summary_tiles(pd.DataFrame([_row()]), kind="KPIs")
    assert markup.count('</span> <span class="tile-count">') == len(C.STATUSES) + len(C.DIRECTIONS)


# --- Making Data Count icons -----------------------------------------------------------------------
@pytest.mark.parametrize(("variation", "polarity", "label", "colour"), [
    (C.SPC_COMMON_CAUSE, C.HIGHER_IS_BETTER, "Common cause — no significant change", icons.MDC_GREY),
    (C.SPC_IMPROVEMENT, C.HIGHER_IS_BETTER, "Special cause — improvement (higher values)", icons.MDC_BLUE),
    (C.SPC_IMPROVEMENT, C.LOWER_IS_BETTER, "Special cause — improvement (lower values)", icons.MDC_BLUE),
    (C.SPC_CONCERN, C.HIGHER_IS_BETTER, "Special cause — concern (lower values)", icons.MDC_ORANGE),
])
def test_variation_icons_are_labelled_images_in_mdc_colours(variation, polarity, label, colour):
    markup = icons.variation_icon(variation, polarity)
    assert re.search(rf'<svg [^>]*role="img" aria-label="{re.escape(label)}"', markup)
    assert f"<title>{label}</title>" in markup
    assert colour in markup
    assert 'class="mdc-word"' in markup  # a short visible word beside the icon


def test_special_cause_letter_follows_the_side_of_the_change():
    assert icons.high_or_low(C.SPC_IMPROVEMENT, C.HIGHER_IS_BETTER) == "H"
    assert icons.high_or_low(C.SPC_IMPROVEMENT, C.LOWER_IS_BETTER) == "L"
    assert icons.high_or_low(C.SPC_CONCERN, C.LOWER_IS_BETTER) == "H"
    assert icons.high_or_low(C.SPC_COMMON_CAUSE, C.HIGHER_IS_BETTER) == ""


@pytest.mark.parametrize(("assurance", "label", "letter"), [
    (C.SPC_CONSISTENTLY_PASS, "Target consistently met", "P"),
    (C.SPC_CONSISTENTLY_FAIL, "Target consistently not met", "F"),
    (C.SPC_HIT_AND_MISS, "Hit and miss: target sometimes met", "?"),
])
def test_assurance_icons_are_labelled_images(assurance, label, letter):
    markup = icons.assurance_icon(assurance)
    assert f'aria-label="{label}"' in markup and f">{letter}</text>" in markup


def test_no_icon_below_the_spc_minimum_and_the_reason_said_once_per_table():
    assert icons.variation_icon(C.SPC_NOT_ENOUGH_DATA) == ""
    frame = pd.DataFrame([_row(Variation=C.SPC_NOT_ENOUGH_DATA, Assurance="", **{"Indicator ID": f"K{i}"})
                          for i in range(5)])
    table = cabinet.scorecard_table(frame, {}, "Scorecard")
    assert "Not enough data" not in table and "No target to assure" not in table
    assert _text(table).count("not enough for statistical process control") == 1
    assert "for 5 KPIs" in _text(table)


def test_no_target_to_assure_only_when_there_is_no_target():
    with_target = present.assurance_badge("", C.SPC_NOT_ENOUGH_DATA, 1090.0)
    assert "No target" not in with_target
    assert "No target" in present.assurance_badge("", C.SPC_COMMON_CAUSE, math.nan)
    assert "Neutral" in present.assurance_badge("", C.SPC_COMMON_CAUSE, math.nan, C.NEUTRAL)


# --- sparklines and charts -------------------------------------------------------------------------
def test_sparkline_shows_the_unreported_latest_quarter_as_a_gap():
    svg = cabinet.sparkline_svg([10, 12, 11], ["Q1", "Q2", "Q3"], "Missed bins", "", latest="Q4")
    assert "Q4 not reported" in svg
    assert 'stroke-dasharray' in svg and 'fill="#ffffff"' in svg
    reported = cabinet.sparkline_svg([10, 12, 11], ["Q1", "Q2", "Q3"], "Missed bins", "", latest="Q3")
    assert "not reported" not in reported


def _result(values):
    points = pd.DataFrame({"x": [f"2026-27 Q{i + 1}" for i in range(len(values))], "value": values,
                           "point_type": [C.SPC_COMMON_CAUSE] * len(values),
                           "mean": [sum(values) / len(values)] * len(values),
                           "upper": [max(values)] * len(values), "lower": [min(values)] * len(values)})
    return SpcResult(points=points, variation=C.SPC_NOT_ENOUGH_DATA, assurance="", enough_data=False)


def test_two_points_get_no_chart_only_their_figures():
    chart = charts.spc_chart(_row(), _result([600.0, 638.0]), 1090.0)
    html = chart.to_html("chart-eco-01")
    assert chart.png == b"" and "<img" not in html
    assert "2 quarters of figures so far, too few for a chart" in html
    assert "<table" in html and "<details" not in html


def test_percent_axis_stays_within_0_to_100_and_small_changes_are_not_cliffs():
    low, high = charts.y_range([57.1, 57.6, 58.0], "%")
    assert 0 <= low and high <= 100 and high - low >= 10
    low, high = charts.y_range([97.0, 98.0, 99.5], "%")
    assert high == 100.0
    low, high = charts.y_range([1100.0, 1151.0], "", [1090.0])
    assert low < 1090 < 1151 < high


# --- one number format: tables, charts and narrative quote the same figure ------------------
@pytest.mark.parametrize("value, unit, decimals, figure", [
    (54.25, "%", 1, "54.3%"), (1234.5, "£", 0, "£1,235"), (1, "days", 0, "1 day"), (12, "days", 0, "12 days"),
    (-0.04, "%", 1, "0.0%"), (3.456, "per 1,000 <homes>", 2, "3.46 per 1,000 <homes>"), (7, "", 1, "7.0"),
    ("12.5", "rate", 1, "12.5"),
])
def test_tables_charts_and_narrative_quote_the_same_figure(value, unit, decimals, figure):
    import html

    from pmflib.report.narrative import format_value as narrative_value
    assert narrative_value(value, unit, decimals) == figure
    assert present.format_value(value, unit, decimals) == html.escape(figure)
    assert charts._fmt(value, unit, decimals) == figure


def test_no_value_is_said_as_each_place_needs():
    from pmflib.report.narrative import format_value as narrative_value
    assert narrative_value(math.nan, "%", 1) == C.NARRATIVE_NO_VALUE
    assert "visually-hidden\">no value" in present.format_value(math.nan, "%", 1)
    assert charts._fmt(math.nan, "%", 1) == "no value"
