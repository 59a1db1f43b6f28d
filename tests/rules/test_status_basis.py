"""The basis of every status in words (SPEC §9, §10): what was compared, the gap, the band."""

import math

import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.rules.status import assess_indicator, quote_number, status_basis, status_basis_of_row, status_bases
from pmflib.core.periods import Period

HIGHER, LOWER = C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER
Q2 = C.BASIS_ACTUAL_QUARTER.format(quarter="Q2")


def test_forecast_red_names_forecast_target_gap_and_tolerance():
    text = status_basis(C.RED, "r", C.BASIS_FORECAST, 139, 198, HIGHER, decimals=0)
    assert text == "Forecast year-end 139 against annual target 198: 29.8% short, beyond the 5% tolerance"


def test_forecast_green_says_on_track_with_thousands_separators():
    text = status_basis(C.GREEN, "r", C.BASIS_FORECAST, 1151, 1090, HIGHER, decimals=0)
    assert text == "Forecast year-end 1,151 against annual target 1,090: on track to meet it"


def test_actual_against_quarter_profile():
    text = status_basis(C.GREEN, "r", Q2, 206, 194, HIGHER, decimals=0)
    assert text == "Actual 206 against the Q2 profile of 194: target met"


def test_amber_within_tolerance_in_percent_units():
    text = status_basis(C.AMBER, "r", C.BASIS_ACTUAL_ANNUAL, 95.0, 100.0, HIGHER, unit="%", decimals=1)
    assert text == "Actual 95.0% against annual target 100.0%: 5.0% short, within the 5% tolerance"


def test_lower_is_better_reads_over_with_absolute_tolerance_in_unit():
    text = status_basis(C.AMBER, "r", C.BASIS_ACTUAL_ANNUAL, 12, 10, LOWER, unit="days", decimals=0,
                        tolerance_value=2, tolerance_relative=False)
    assert text == "Actual 12 days against annual target 10 days: 2 days over, within the tolerance of 2 days"


def test_money_red():
    text = status_basis(C.RED, "r", C.BASIS_ACTUAL_ANNUAL, 800, 1000, HIGHER, unit="£", decimals=0)
    assert text == "Actual £800 against annual target £1,000: 20.0% short, beyond the 5% tolerance"


def test_zero_target_missed_has_no_amber_band():
    text = status_basis(C.RED, "r", C.BASIS_ACTUAL_ANNUAL, 3, 0, LOWER, decimals=0)
    assert text == "Actual 3 against annual target 0: missed, with no amber band for a target of 0"


@pytest.mark.parametrize("status,reason", [
    (C.MEASURED, "No target set for 2026-27"),
    (C.NOT_REPORTED, C.REASON_NOT_REPORTED),
    (C.MEASURED, "Annual measure: reported in Q4 only"),
])
def test_no_comparison_keeps_the_reason(status, reason):
    assert status_basis(status, reason, "", float("nan"), float("nan"), HIGHER) == reason


def test_quote_number_units():
    assert quote_number(57.62, "%", 1) == "57.6%"
    assert quote_number(1234567, "", 0) == "1,234,567"
    assert quote_number(1, "days", 0) == "1 day"
    assert quote_number(2.25, "rate", 1) == "2.3"
    assert quote_number(float("nan")) == "no value"


def _register(**extra):
    row = {"Indicator ID": "I1", "Frequency": "Quarterly", "Polarity": HIGHER, "Type": "Output",
           "Cumulative": False, "Decimals": 0, "Unit": "number", "Tolerance Value": float("nan")}
    row.update(extra)
    return row


def test_assessed_row_basis_matches_status_and_never_changes_it():
    """The forecast at Q2 decides; the basis says so, and the status is the rule's own."""
    register = _register()
    assessed = assess_indicator(register, {"Annual Target": 1090, "Q2 Target": 545}, Period.parse("2026-27 Q2"),
                                638, 1151, {})
    row = {**register, **assessed}
    assert assessed["Status"] == C.GREEN
    assert status_basis_of_row(row) == "Forecast year-end 1,151 against annual target 1,090: on track to meet it"
    frame = pd.DataFrame([row])
    before = frame.copy()
    assert list(status_bases(frame)) == [status_basis_of_row(row)]
    pd.testing.assert_frame_equal(frame, before)


def test_assessed_row_without_forecast_uses_the_quarter_profile():
    register = _register()
    assessed = assess_indicator(register, {"Annual Target": 800, "Q2 Target": 194}, Period.parse("2026-27 Q2"),
                                206, float("nan"), {})
    assert status_basis_of_row({**register, **assessed}) == "Actual 206 against the Q2 profile of 194: target met"


def test_neutral_keeps_reason():
    register = _register(Polarity=C.NEUTRAL)
    assessed = assess_indicator(register, {"Annual Target": 10}, Period.parse("2026-27 Q2"), 5, math.nan, {})
    assert status_basis_of_row({**register, **assessed}) == C.REASON_NEUTRAL
