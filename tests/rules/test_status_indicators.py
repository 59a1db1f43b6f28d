"""Indicator status and direction of travel (SPEC §5–§6).

Every expected value below was worked out by hand from SPEC.md; the comment
or id beside a case shows the arithmetic.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmflib.core import constants as c
from pmflib.rules import status
from pmflib.core.periods import Period

HIB, LIB, NEU = c.HIGHER_IS_BETTER, c.LOWER_IS_BETTER, c.NEUTRAL
NAN = float("nan")
WITHIN_5 = "Target missed by no more than the tolerance (5%)"
BEYOND_5 = "Target missed by more than the tolerance (5%)"


# --- is_due ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("frequency", "quarter", "due"),
    [
        pytest.param(c.ANNUAL, 1, False, id="annual-not-in-Q1"),
        pytest.param(c.ANNUAL, 2, False, id="annual-not-in-Q2"),
        pytest.param(c.ANNUAL, 3, False, id="annual-not-in-Q3"),
        pytest.param(c.ANNUAL, 4, True, id="annual-in-Q4"),
        pytest.param(c.HALF_YEARLY, 1, False, id="half-yearly-not-in-Q1"),
        pytest.param(c.HALF_YEARLY, 2, True, id="half-yearly-in-Q2"),
        pytest.param(c.HALF_YEARLY, 3, False, id="half-yearly-not-in-Q3"),
        pytest.param(c.HALF_YEARLY, 4, True, id="half-yearly-in-Q4"),
        pytest.param(c.QUARTERLY, 1, True, id="quarterly-Q1"),
        pytest.param(c.QUARTERLY, 3, True, id="quarterly-Q3"),
        pytest.param(c.MONTHLY, 2, True, id="monthly-Q2"),
        pytest.param(c.MONTHLY, 4, True, id="monthly-Q4"),
    ],
)
def test_is_due(frequency, quarter, due):
    assert status.is_due(frequency, quarter) is due


def test_is_due_names_an_unknown_frequency():
    with pytest.raises(ValueError, match="Fortnightly"):
        status.is_due("Fortnightly", 2)


@pytest.mark.parametrize(
    ("frequency", "reason"),
    [
        pytest.param(c.ANNUAL, "Annual measure: reported in Q4 only", id="annual"),
        pytest.param(c.HALF_YEARLY, "Half-yearly measure: reported in Q2 and Q4 only", id="half-yearly"),
    ],
)
def test_out_of_period_reason(frequency, reason):
    assert status.out_of_period_reason(frequency) == reason


# --- assessment_basis -----------------------------------------------------------------
Q2_PROFILE = "Actual against Q2 profiled target"
Q4_PROFILE = "Actual against Q4 profiled target"


@pytest.mark.parametrize(
    ("period", "actual", "forecast", "annual", "quarter", "expected"),
    [
        pytest.param("2025-26 Q4", 80, 90, 100, 95, (80, 100, c.BASIS_ACTUAL_ANNUAL), id="Q4-actual-v-annual-forecast-ignored"),
        pytest.param("2025-26 Q4", 80, NAN, NAN, 95, (80, 95, Q4_PROFILE), id="Q4-no-annual-falls-back-to-Q4-profile"),
        pytest.param("2025-26 Q4", 80, NAN, NAN, NAN, (80, NAN, ""), id="Q4-no-target-at-all"),
        pytest.param("2025-26 Q2", 80, 90, 100, 50, (90, 100, c.BASIS_FORECAST), id="Q2-forecast-v-annual"),
        pytest.param("2025-26 Q2", 80, NAN, 100, 50, (80, 50, Q2_PROFILE), id="Q2-no-forecast-actual-v-profile"),
        pytest.param("2025-26 Q2", 80, NAN, 100, NAN, (80, 100, c.BASIS_ACTUAL_ANNUAL), id="Q2-no-forecast-no-profile-v-annual"),
        pytest.param("2025-26 Q2", 80, 90, NAN, 50, (80, 50, Q2_PROFILE), id="Q2-forecast-but-no-annual-uses-profile"),
        pytest.param("2025-26 Q1", 80, 90, NAN, NAN, (80, NAN, ""), id="Q1-forecast-but-no-target"),
        pytest.param("2025-26-Q3", NAN, 90, 100, NAN, (90, 100, c.BASIS_FORECAST), id="Q3-slug-forecast-without-actual"),
    ],
)
def test_assessment_basis(period, actual, forecast, annual, quarter, expected):
    value, target, basis = status.assessment_basis(period, actual, forecast, annual, quarter)
    want_value, want_target, want_basis = expected
    assert (value, basis) == (want_value, want_basis) or (math.isnan(value) and math.isnan(want_value) and basis == want_basis)
    assert target == want_target or (math.isnan(target) and math.isnan(want_target))


# --- rag_status -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "target", "polarity", "tolerance", "relative", "expected"),
    [
        # Higher is better, default 5%.
        pytest.param(100, 100, HIB, 0.05, True, (c.GREEN, c.REASON_MET), id="HIB-exactly-on-target-green"),
        pytest.param(120, 100, HIB, 0.05, True, (c.GREEN, c.REASON_MET), id="HIB-above-target-green"),
        pytest.param(99.99, 100, HIB, 0.05, True, (c.AMBER, WITHIN_5), id="HIB-just-short-amber"),
        pytest.param(95, 100, HIB, 0.05, True, (c.AMBER, WITHIN_5), id="HIB-95-v-100-exactly-5pc-short-amber"),
        pytest.param(0.95, 1.0, HIB, 0.05, True, (c.AMBER, WITHIN_5), id="HIB-0.95-v-1.0-exactly-5pc-short-amber"),
        pytest.param(57, 60, HIB, 0.05, True, (c.AMBER, WITHIN_5), id="HIB-57-v-60-is-3/60-exactly-5pc-amber"),
        pytest.param(94.99, 100, HIB, 0.05, True, (c.RED, BEYOND_5), id="HIB-94.99-just-beyond-5pc-red"),
        pytest.param(0.9499, 1.0, HIB, 0.05, True, (c.RED, BEYOND_5), id="HIB-0.9499-just-beyond-5pc-red"),
        pytest.param(-105, -100, HIB, 0.05, True, (c.AMBER, WITHIN_5), id="HIB-negative-target-uses-abs-5pc-amber"),
        # Lower is better, default 5%.
        pytest.param(100, 100, LIB, 0.05, True, (c.GREEN, c.REASON_MET), id="LIB-exactly-on-target-green"),
        pytest.param(80, 100, LIB, 0.05, True, (c.GREEN, c.REASON_MET), id="LIB-under-target-green"),
        pytest.param(105, 100, LIB, 0.05, True, (c.AMBER, WITHIN_5), id="LIB-105-v-100-exactly-5pc-over-amber"),
        pytest.param(1.05, 1.0, LIB, 0.05, True, (c.AMBER, WITHIN_5), id="LIB-1.05-v-1.0-exactly-5pc-over-amber"),
        pytest.param(10.5, 10, LIB, 0.05, True, (c.AMBER, WITHIN_5), id="LIB-10.5-v-10-exactly-5pc-amber"),
        pytest.param(105.01, 100, LIB, 0.05, True, (c.RED, BEYOND_5), id="LIB-105.01-just-beyond-5pc-red"),
        pytest.param(-95, -100, LIB, 0.05, True, (c.AMBER, WITHIN_5), id="LIB-negative-target-uses-abs-5pc-amber"),
        # Other relative tolerances.
        pytest.param(90, 100, HIB, 0.10, True, (c.AMBER, "Target missed by no more than the tolerance (10%)"), id="10pc-band-10pc-short-amber"),
        pytest.param(89, 100, HIB, 0.10, True, (c.RED, "Target missed by more than the tolerance (10%)"), id="10pc-band-11pc-short-red"),
        pytest.param(99.9, 100, HIB, 0.0, True, (c.RED, "Target missed by more than the tolerance (0%)"), id="0pc-band-any-miss-red"),
        # Absolute tolerance in the unit ("2" days).
        pytest.param(9, 10, LIB, 2.0, False, (c.GREEN, c.REASON_MET), id="abs-2-days-LIB-under-green"),
        pytest.param(12, 10, LIB, 2.0, False, (c.AMBER, "Target missed by no more than the tolerance (2)"), id="abs-2-days-LIB-2-over-amber"),
        pytest.param(12.01, 10, LIB, 2.0, False, (c.RED, "Target missed by more than the tolerance (2)"), id="abs-2-days-LIB-2.01-over-red"),
        pytest.param(48, 50, HIB, 2.0, False, (c.AMBER, "Target missed by no more than the tolerance (2)"), id="abs-2-HIB-2-short-amber"),
        pytest.param(47.9, 50, HIB, 2.0, False, (c.RED, "Target missed by more than the tolerance (2)"), id="abs-2-HIB-2.1-short-red"),
        pytest.param(0.7, 0.9, HIB, 0.2, False, (c.AMBER, "Target missed by no more than the tolerance (0.2)"), id="abs-0.2-float-boundary-amber"),
        # Target 0: relative tolerance has no amber band.
        pytest.param(0, 0, HIB, 0.05, True, (c.GREEN, c.REASON_MET), id="zero-target-HIB-met-green"),
        pytest.param(1, 0, HIB, 0.05, True, (c.GREEN, c.REASON_MET), id="zero-target-HIB-above-green"),
        pytest.param(-0.5, 0, HIB, 0.05, True, (c.RED, c.REASON_ZERO_TARGET_MISSED), id="zero-target-HIB-missed-red"),
        pytest.param(0, 0, LIB, 0.05, True, (c.GREEN, c.REASON_MET), id="zero-target-LIB-met-green"),
        pytest.param(-1, 0, LIB, 0.05, True, (c.GREEN, c.REASON_MET), id="zero-target-LIB-under-green"),
        pytest.param(1, 0, LIB, 0.05, True, (c.RED, c.REASON_ZERO_TARGET_MISSED), id="zero-target-LIB-one-over-red"),
        # Target 0 with an absolute tolerance keeps its band.
        pytest.param(0, 0, LIB, 2.0, False, (c.GREEN, c.REASON_MET), id="zero-target-abs-LIB-met-green"),
        pytest.param(1, 0, LIB, 2.0, False, (c.AMBER, "Target missed by no more than the tolerance (2)"), id="zero-target-abs-LIB-1-over-amber"),
        pytest.param(3, 0, LIB, 2.0, False, (c.RED, "Target missed by more than the tolerance (2)"), id="zero-target-abs-LIB-3-over-red"),
        pytest.param(-2, 0, HIB, 2.0, False, (c.AMBER, "Target missed by no more than the tolerance (2)"), id="zero-target-abs-HIB-2-short-amber"),
        pytest.param(-2.5, 0, HIB, 2.0, False, (c.RED, "Target missed by more than the tolerance (2)"), id="zero-target-abs-HIB-2.5-short-red"),
        # Neutral cannot be judged.
        pytest.param(50, 100, NEU, 0.05, True, (c.MEASURED, c.REASON_NEUTRAL), id="neutral-measured"),
    ],
)
def test_rag_status(value, target, polarity, tolerance, relative, expected):
    assert status.rag_status(value, target, polarity, tolerance, relative) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(100, (c.GREEN, "Forecast year-end meets the annual target"), id="forecast-met-on-track"),
        pytest.param(96, (c.AMBER, WITHIN_5), id="forecast-4pc-short-amber"),
    ],
)
def test_rag_status_reason_for_a_forecast(value, expected):
    assert status.rag_status(value, 100, HIB, 0.05, True, forecast=True) == expected


def test_rag_status_quotes_the_tolerance_as_the_register_wrote_it():
    assert status.rag_status(48, 50, HIB, 2.0, False, tolerance_text="2 days") == (
        c.AMBER,
        "Target missed by no more than the tolerance (2 days)",
    )


@pytest.mark.parametrize(
    ("value", "target", "polarity"),
    [
        pytest.param(NAN, 100, HIB, id="no-value"),
        pytest.param(95, None, HIB, id="no-target"),
        pytest.param(95, 100, "Bigger is better", id="unknown-polarity"),
    ],
)
def test_rag_status_refuses_what_it_cannot_judge(value, target, polarity):
    with pytest.raises(ValueError):
        status.rag_status(value, target, polarity)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "gap"),
    [
        pytest.param(95, 100, HIB, -0.05, id="HIB-95-v-100-exactly-minus-5pc"),
        pytest.param(0.95, 1.0, HIB, -0.05, id="HIB-0.95-v-1.0-exactly-minus-5pc"),
        pytest.param(80, 100, LIB, 0.2, id="LIB-80-v-100-plus-20pc"),
        pytest.param(-105, -100, HIB, -0.05, id="negative-target-divides-by-abs"),
    ],
)
def test_relative_gap_is_exact_after_rounding(value, target, polarity, gap):
    assert status.relative_gap(value, target, polarity) == gap


def test_relative_gap_is_nan_for_a_zero_target():
    assert math.isnan(status.relative_gap(3, 0, HIB))


@pytest.mark.parametrize(
    ("value", "relative", "text"),
    [
        pytest.param(0.05, True, "5%", id="5pc"),
        pytest.param(0.1, True, "10%", id="10pc-float-noise-hidden"),
        pytest.param(0.025, True, "2.5%", id="2.5pc"),
        pytest.param(2.0, False, "2", id="absolute-2"),
        pytest.param(0.5, False, "0.5", id="absolute-0.5"),
    ],
)
def test_tolerance_label(value, relative, text):
    assert status.tolerance_label(value, relative) == text


# --- indicator_status precedence ------------------------------------------------------
def _status(period="2025-26 Q2", **overrides):
    args = dict(
        frequency=c.QUARTERLY, polarity=HIB, indicator_type=c.TYPE_OUTCOME, value=95.0, target=100.0,
        basis=c.BASIS_ACTUAL_ANNUAL, baseline=False, tolerance_value=0.05, tolerance_relative=True,
        tolerance_text="5%",
    )
    args.update(overrides)
    return status.indicator_status(period, **args)


HALF_OUT = (c.MEASURED, "Half-yearly measure: reported in Q2 and Q4 only")
ANNUAL_OUT = (c.MEASURED, "Annual measure: reported in Q4 only")


@pytest.mark.parametrize(
    ("period", "overrides", "expected"),
    [
        pytest.param("2025-26 Q2", dict(frequency=c.ANNUAL), ANNUAL_OUT, id="annual-in-year-measured"),
        pytest.param("2025-26 Q4", dict(frequency=c.ANNUAL), (c.AMBER, WITHIN_5), id="annual-at-Q4-rag"),
        pytest.param("2025-26 Q1", dict(frequency=c.HALF_YEARLY), HALF_OUT, id="half-yearly-Q1-measured"),
        pytest.param("2025-26 Q3", dict(frequency=c.HALF_YEARLY), HALF_OUT, id="half-yearly-Q3-measured"),
        pytest.param("2025-26 Q2", dict(frequency=c.HALF_YEARLY), (c.AMBER, WITHIN_5), id="half-yearly-Q2-rag"),
        pytest.param("2025-26 Q2", dict(frequency=c.ANNUAL, polarity=NEU, value=NAN), ANNUAL_OUT, id="not-due-wins-over-neutral"),
        pytest.param("2025-26 Q2", dict(polarity=NEU), (c.MEASURED, c.REASON_NEUTRAL), id="neutral-measured"),
        pytest.param("2025-26 Q2", dict(polarity=NEU, target=NAN, value=NAN), (c.MEASURED, c.REASON_NEUTRAL), id="neutral-wins-over-no-target"),
        pytest.param("2025-26 Q2", dict(baseline=True, target=NAN), (c.MEASURED, c.REASON_NO_BASELINE), id="baseline-year-measured"),
        pytest.param("2025-26 Q2", dict(baseline=True, target=NAN, value=NAN), (c.MEASURED, c.REASON_NO_BASELINE), id="baseline-wins-over-no-value"),
        pytest.param("2025-26 Q2", dict(target=NAN), (c.MEASURED, "No target set for 2025-26"), id="no-target-measured-with-year"),
        pytest.param("2025-26 Q2", dict(target=NAN, value=NAN), (c.MEASURED, "No target set for 2025-26"), id="no-target-wins-over-no-value"),
        pytest.param("2025-26 Q2", dict(indicator_type=c.TYPE_PERCEPTION, value=NAN), (c.MEASURED, c.REASON_NO_SURVEY_RESULT), id="perception-no-result-measured"),
        pytest.param("2025-26 Q2", dict(indicator_type=c.TYPE_PERCEPTION, value=100.0), (c.GREEN, c.REASON_MET), id="perception-with-result-rag"),
        pytest.param("2025-26 Q2", dict(value=NAN), (c.NOT_REPORTED, c.REASON_NOT_REPORTED), id="due-outcome-no-value-not-reported"),
        pytest.param("2025-26 Q2", dict(indicator_type=c.TYPE_INPUT, value=None), (c.NOT_REPORTED, c.REASON_NOT_REPORTED), id="due-input-none-not-reported"),
        pytest.param("2025-26 Q2", dict(value=100.0, basis=c.BASIS_FORECAST), (c.GREEN, c.REASON_ON_TRACK), id="forecast-basis-on-track"),
        pytest.param("2025-26 Q2", dict(value=94.0), (c.RED, BEYOND_5), id="rag-red-6pc-short"),
        pytest.param(
            "2025-26 Q2",
            dict(polarity=LIB, value=12.0, target=10.0, tolerance_value=2.0, tolerance_relative=False, tolerance_text="2"),
            (c.AMBER, "Target missed by no more than the tolerance (2)"),
            id="absolute-tolerance-from-register",
        ),
    ],
)
def test_indicator_status_precedence(period, overrides, expected):
    assert _status(period, **overrides) == expected


# --- comparison_period ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("period", "frequency", "cumulative", "expected"),
    [
        pytest.param("2025-26 Q1", c.QUARTERLY, False, "2024-25 Q4", id="Q1-v-previous-Q4"),
        pytest.param("2025-26 Q2", c.QUARTERLY, False, "2025-26 Q1", id="Q2-v-Q1"),
        pytest.param("2025-26 Q3", c.MONTHLY, False, "2025-26 Q2", id="monthly-Q3-v-Q2"),
        pytest.param("2025-26 Q4", c.QUARTERLY, False, "2024-25 Q4", id="Q4-year-on-year"),
        pytest.param("2025-26 Q2", c.QUARTERLY, True, "2024-25 Q2", id="cumulative-Q2-v-Q2-last-year"),
        pytest.param("2025-26 Q1", c.QUARTERLY, True, "2024-25 Q1", id="cumulative-Q1-v-Q1-last-year"),
        pytest.param("2025-26 Q4", c.QUARTERLY, True, "2024-25 Q4", id="cumulative-Q4-v-Q4-last-year"),
        pytest.param("2025-26 Q4", c.ANNUAL, False, "2024-25 Q4", id="annual-Q4-v-previous-Q4"),
        pytest.param("2025-26 Q2", c.ANNUAL, False, "2024-25 Q4", id="annual-in-year-v-previous-Q4"),
        pytest.param("2025-26 Q2", c.HALF_YEARLY, False, "2024-25 Q4", id="half-yearly-Q2-v-previous-Q4"),
        pytest.param("2025-26 Q4", c.HALF_YEARLY, False, "2024-25 Q4", id="half-yearly-Q4-year-on-year"),
    ],
)
def test_comparison_period(period, frequency, cumulative, expected):
    assert status.comparison_period(period, frequency, cumulative) == Period.parse(expected)


# --- direction_of_travel ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("current", "previous", "polarity", "decimals", "expected"),
    [
        pytest.param(12, 10, HIB, 1, c.IMPROVING, id="HIB-up-improving"),
        pytest.param(8, 10, HIB, 1, c.DECLINING, id="HIB-down-declining"),
        pytest.param(8, 10, LIB, 1, c.IMPROVING, id="LIB-down-improving"),
        pytest.param(12, 10, LIB, 1, c.DECLINING, id="LIB-up-declining"),
        pytest.param(10, 10, HIB, 1, c.MAINTAINED, id="equal-maintained"),
        pytest.param(10.04, 10.0, HIB, 1, c.MAINTAINED, id="10.04-rounds-to-10.0-maintained"),
        pytest.param(10.05, 10.0, HIB, 1, c.IMPROVING, id="10.05-rounds-half-up-to-10.1"),
        pytest.param(2.25, 2.3, HIB, 1, c.MAINTAINED, id="2.25-rounds-half-up-to-2.3"),
        pytest.param(2.25, 2.2, LIB, 1, c.DECLINING, id="LIB-2.25-is-2.3-above-2.2"),
        pytest.param(1.005, 1.01, HIB, 2, c.MAINTAINED, id="1.005-rounds-to-1.01-not-1.00"),
        pytest.param(45.5, 46, HIB, 0, c.MAINTAINED, id="0dp-45.5-rounds-to-46"),
        pytest.param(45.4, 46, HIB, 0, c.DECLINING, id="0dp-45.4-rounds-to-45"),
        pytest.param(-2.25, -2.3, HIB, 1, c.MAINTAINED, id="negative-half-rounds-away-from-zero"),
        pytest.param(10.2, 10.0, HIB, NAN, c.IMPROVING, id="blank-decimals-default-1"),
        pytest.param(NAN, 10, HIB, 1, c.MEASURED, id="no-current-measured"),
        pytest.param(10, None, HIB, 1, c.MEASURED, id="no-previous-measured"),
        pytest.param(12, 10, NEU, 1, c.MEASURED, id="neutral-measured"),
    ],
)
def test_direction_of_travel(current, previous, polarity, decimals, expected):
    assert status.direction_of_travel(current, previous, polarity, decimals) == expected


# --- assess_indicators ----------------------------------------------------------------------
def _indicator(indicator_id, frequency=c.QUARTERLY, polarity=HIB, kind=c.TYPE_OUTCOME, cumulative=False,
               kpi=True, tolerance=("5%", 0.05, True), decimals=1):
    text, value, relative = tolerance
    return {
        "Indicator ID": indicator_id, "Indicator": f"Indicator {indicator_id}", "Outcome ID": "O1",
        "Service": "Housing", "Owner": "Ann Owner", "Escalation Owner": "Ed Director", "Definition": "",
        "Unit": "number", "Decimals": decimals, "Polarity": polarity, "Type": kind, "Frequency": frequency,
        "Cumulative": cumulative, "KPI": kpi, "Headline": False, "Tolerance": text,
        "Tolerance Value": value, "Tolerance Relative": relative, "Comparator Metric": "",
    }


INDICATORS = pd.DataFrame([
    _indicator("KPI1"),
    _indicator("PROF", polarity=LIB),
    _indicator("CUM", cumulative=True),
    _indicator("ANN", frequency=c.ANNUAL),
    _indicator("HALF", frequency=c.HALF_YEARLY, polarity=LIB, tolerance=("2", 2.0, False)),
    _indicator("NEU", polarity=NEU),
    _indicator("SURV", kind=c.TYPE_PERCEPTION),
    _indicator("NOTGT"),
    _indicator("BASE"),
    _indicator("HIST"),
    _indicator("MISS", kpi=False),
])


def _target(indicator_id, annual=NAN, q1=NAN, q2=NAN, q3=NAN, q4=NAN, year="2025-26", baseline=False):
    return {"Indicator ID": indicator_id, "Year": year, "Annual Target": annual, "Q1 Target": q1,
            "Q2 Target": q2, "Q3 Target": q3, "Q4 Target": q4, "Baseline": baseline}


TARGETS = pd.DataFrame([
    _target("KPI1", annual=100, q2=90),
    _target("KPI1", annual=50, year="2024-25"),
    _target("PROF", annual=18, q2=20),
    _target("CUM", annual=400),
    _target("ANN", annual=50),
    _target("HALF", annual=10),
    _target("NEU", annual=10),
    _target("SURV", annual=80),
    _target("NOTGT", annual=70, year="2024-25"),
    _target("BASE", baseline=True),
    _target("HIST", annual=70),
    _target("MISS", annual=5),
])

ACTUALS = pd.DataFrame(
    [
        ("KPI1", "2024-25 Q4", 99.0), ("KPI1", "2025-26 Q1", 85.0),
        ("PROF", "2025-26 Q1", 21.0),
        ("CUM", "2024-25 Q2", 160.0), ("CUM", "2025-26 Q1", 75.0),
        ("ANN", "2024-25 Q4", 48.0),
        ("HALF", "2024-25 Q4", 12.0),
        ("NEU", "2025-26 Q1", 3.0),
        ("HIST", "2025-26 Q1", 65.0), ("HIST", "2025-26 Q2", 70.0),
        ("MISS", "2025-26 Q1", 4.0), ("MISS", "2025-26 Q2", 4.0),
    ],
    columns=["Indicator ID", "Period", "Actual"],
)

RETURNS = pd.DataFrame(
    [
        ("KPI1", 88.0, 96.0, "Improving after a slow Q1", "", ""),
        ("PROF", 21.0, NAN, "", "", ""),
        ("CUM", 150.0, NAN, "", "Extra sessions booked", ""),
        ("HALF", 11.5, NAN, "", "", "Provisional"),
        ("NEU", 3.0, NAN, "", "", ""),
        ("MISS", NAN, NAN, "", "", ""),
        ("STRAY", 1.0, NAN, "", "", ""),
    ],
    columns=["Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note"],
)

#: 2025-26 Q2, worked by hand (gap is positive-is-better, as a fraction of |target|):
#: KPI1  forecast 96 v annual 100: gap -0.04 → Amber; actual 88 v Q1 85 → Improving.
#: PROF  no forecast: actual 21 v Q2 profile 20, lower is better: (20-21)/20 = -0.05 → Amber;
#:       21 v Q1 21 → Maintained.
#: CUM   actual 150 v annual 400 (no profile): -0.625 → Red; year-to-date v 2024-25 Q2 160 → Declining.
#: ANN   annual, not due at Q2 → Measured; direction Measured; compared with 2024-25 Q4.
#: HALF  half-yearly due at Q2, absolute band 2: 10 - 11.5 = -1.5 ≥ -2 → Amber; gap (10-11.5)/10 = -0.15;
#:       11.5 v 2024-25 Q4 12, lower is better → Improving.
#: NEU   neutral → Measured, direction Measured.
#: SURV  perception with no return and no actual → Measured (no survey result).
#: NOTGT target only for 2024-25 → Measured "No target set for 2025-26".
#: BASE  baseline year → Measured.
#: HIST  no return row; the known 2025-26 Q2 actual 70 v annual 70 → Green; 70 v Q1 65 → Improving.
#: MISS  return row with no actual (the known 4.0 is not used: the return is the word) → Not reported.
EXPECTED_Q2 = [
    # id,    due,   actual, forecast, value, target, basis,                 gap,    status,        direction,      compared,     comparison
    ("KPI1", True, 88.0, 96.0, 96.0, 100.0, c.BASIS_FORECAST, -0.04, c.AMBER, c.IMPROVING, "2025-26 Q1", 85.0),
    ("PROF", True, 21.0, NAN, 21.0, 20.0, "Actual against Q2 profiled target", -0.05, c.AMBER, c.MAINTAINED, "2025-26 Q1", 21.0),
    ("CUM", True, 150.0, NAN, 150.0, 400.0, c.BASIS_ACTUAL_ANNUAL, -0.625, c.RED, c.DECLINING, "2024-25 Q2", 160.0),
    ("ANN", False, NAN, NAN, NAN, 50.0, c.BASIS_ACTUAL_ANNUAL, NAN, c.MEASURED, c.MEASURED, "2024-25 Q4", 48.0),
    ("HALF", True, 11.5, NAN, 11.5, 10.0, c.BASIS_ACTUAL_ANNUAL, -0.15, c.AMBER, c.IMPROVING, "2024-25 Q4", 12.0),
    ("NEU", True, 3.0, NAN, 3.0, 10.0, c.BASIS_ACTUAL_ANNUAL, NAN, c.MEASURED, c.MEASURED, "2025-26 Q1", 3.0),
    ("SURV", True, NAN, NAN, NAN, 80.0, c.BASIS_ACTUAL_ANNUAL, NAN, c.MEASURED, c.MEASURED, "2025-26 Q1", NAN),
    ("NOTGT", True, NAN, NAN, NAN, NAN, "", NAN, c.MEASURED, c.MEASURED, "2025-26 Q1", NAN),
    ("BASE", True, NAN, NAN, NAN, NAN, "", NAN, c.MEASURED, c.MEASURED, "2025-26 Q1", NAN),
    ("HIST", True, 70.0, NAN, 70.0, 70.0, c.BASIS_ACTUAL_ANNUAL, 0.0, c.GREEN, c.IMPROVING, "2025-26 Q1", 65.0),
    ("MISS", True, NAN, NAN, NAN, 5.0, c.BASIS_ACTUAL_ANNUAL, NAN, c.NOT_REPORTED, c.MEASURED, "2025-26 Q1", 4.0),
]
EXPECTED_Q2_REASONS = {
    "KPI1": WITHIN_5,
    "PROF": WITHIN_5,
    "CUM": BEYOND_5,
    "ANN": "Annual measure: reported in Q4 only",
    "HALF": "Target missed by no more than the tolerance (2)",
    "NEU": c.REASON_NEUTRAL,
    "SURV": c.REASON_NO_SURVEY_RESULT,
    "NOTGT": "No target set for 2025-26",
    "BASE": c.REASON_NO_BASELINE,
    "HIST": c.REASON_MET,
    "MISS": c.REASON_NOT_REPORTED,
}
FIELDS = ["Due", "Actual", "Forecast Year-End", "Assessed Value", "Target", "Basis", "Gap", "Status",
          "Direction", "Compared With", "Comparison Value"]


def _same(a, b):
    if isinstance(b, float) and math.isnan(b):
        return isinstance(a, float) and math.isnan(a)
    return a == b


@pytest.fixture(scope="module")
def assessed_q2():
    return status.assess_indicators(INDICATORS, TARGETS, ACTUALS, RETURNS, Period.parse("2025-26 Q2"))


@pytest.mark.parametrize("expected", EXPECTED_Q2, ids=[row[0] for row in EXPECTED_Q2])
def test_assess_indicators_q2(assessed_q2, expected):
    row = assessed_q2.set_index("Indicator ID").loc[expected[0]]
    got = [row[f] for f in FIELDS]
    want = list(expected[1:])
    assert all(_same(g, w) for g, w in zip(got, want)), list(zip(FIELDS, got, want))
    assert row["Status Reason"] == EXPECTED_Q2_REASONS[expected[0]]
    assert row["Period"] == "2025-26 Q2"


def test_assess_indicators_shape_order_and_types(assessed_q2):
    assert list(assessed_q2.columns) == list(c.ASSESSED_INDICATOR_COLUMNS)
    assert list(assessed_q2["Indicator ID"]) == list(INDICATORS["Indicator ID"])  # register order, stray row dropped
    assert assessed_q2["Due"].dtype == bool
    for column in ("Actual", "Forecast Year-End", "Assessed Value", "Target", "Gap", "Comparison Value"):
        assert assessed_q2[column].dtype == "float64", column
    for column in ("Status", "Status Reason", "Direction", "Commentary", "Corrective Action", "Data Note", "Basis"):
        assert pd.api.types.is_string_dtype(assessed_q2[column]), column
        assert not assessed_q2[column].isna().any(), column


def test_assess_indicators_carries_the_return_text(assessed_q2):
    rows = assessed_q2.set_index("Indicator ID")
    assert rows.loc["KPI1", "Commentary"] == "Improving after a slow Q1"
    assert rows.loc["CUM", "Corrective Action"] == "Extra sessions booked"
    assert rows.loc["HALF", "Data Note"] == "Provisional"
    assert rows.loc["SURV", "Commentary"] == ""


def test_assess_indicators_does_not_mutate_its_inputs():
    frames = [INDICATORS, TARGETS, ACTUALS, RETURNS]
    before = [f.copy(deep=True) for f in frames]
    status.assess_indicators(INDICATORS, TARGETS, ACTUALS, RETURNS, "2025-26 Q2")
    for frame, copy in zip(frames, before):
        pd.testing.assert_frame_equal(frame, copy)


YEAR_END_RETURNS = pd.DataFrame(
    [("KPI1", 97.0, 120.0, "", "", ""), ("ANN", 52.0, NAN, "", "", "")],
    columns=["Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note"],
)


@pytest.mark.parametrize(
    ("indicator_id", "expected"),
    [
        # Year end: actual 97 v annual 100 (forecast 120 ignored): -0.03 → Amber; 97 v 2024-25 Q4 99 → Declining.
        pytest.param("KPI1", (97.0, 100.0, c.BASIS_ACTUAL_ANNUAL, c.AMBER, c.DECLINING, "2024-25 Q4", 99.0), id="Q4-actual-not-forecast-year-on-year"),
        # Annual at Q4: 52 v 50 → Green; 52 v previous year's Q4 48 → Improving.
        pytest.param("ANN", (52.0, 50.0, c.BASIS_ACTUAL_ANNUAL, c.GREEN, c.IMPROVING, "2024-25 Q4", 48.0), id="annual-at-Q4-v-previous-Q4"),
    ],
)
def test_assess_indicators_year_end(indicator_id, expected):
    targets = pd.DataFrame([_target("KPI1", annual=100, q4=90), _target("ANN", annual=50)])
    assessed = status.assess_indicators(INDICATORS, targets, ACTUALS, YEAR_END_RETURNS, "2025-26 Q4")
    row = assessed.set_index("Indicator ID").loc[indicator_id]
    fields = ["Assessed Value", "Target", "Basis", "Status", "Direction", "Compared With", "Comparison Value"]
    assert tuple(row[f] for f in fields) == expected


@pytest.mark.parametrize(
    ("period", "indicator_id", "expected"),
    [
        # Q1, no forecast, no Q1 profile: actual 85 v annual 100 = -0.15 → Red; v 2024-25 Q4 99 → Declining.
        pytest.param("2025-26 Q1", "KPI1", (True, c.RED, c.DECLINING, "2024-25 Q4"), id="Q1-v-previous-Q4"),
        pytest.param("2025-26 Q1", "HALF", (False, c.MEASURED, c.MEASURED, "2024-25 Q4"), id="half-yearly-Q1-not-due"),
        pytest.param("2025-26 Q3", "HALF", (False, c.MEASURED, c.MEASURED, "2025-26 Q2"), id="half-yearly-Q3-not-due"),
    ],
)
def test_assess_indicators_other_quarters(period, indicator_id, expected):
    actuals = pd.DataFrame(
        [("KPI1", "2024-25 Q4", 99.0), ("KPI1", "2025-26 Q1", 85.0), ("HALF", "2025-26 Q1", 9.0)],
        columns=["Indicator ID", "Period", "Actual"],
    )
    empty = RETURNS.iloc[0:0]
    assessed = status.assess_indicators(INDICATORS, TARGETS, actuals, empty, period)
    row = assessed.set_index("Indicator ID").loc[indicator_id]
    assert (row["Due"], row["Status"], row["Direction"], row["Compared With"]) == expected


def test_assess_indicators_accepts_an_all_text_empty_return():
    """The cycle passes an empty return whose columns are all text; nothing is reported then."""
    empty = pd.DataFrame({column: pd.Series(dtype="str") for column in RETURNS.columns})
    assessed = status.assess_indicators(INDICATORS, TARGETS, ACTUALS, empty, "2025-26 Q2")
    rows = assessed.set_index("Indicator ID")
    assert rows.loc["KPI1", "Status"] == c.NOT_REPORTED  # nothing returned, nothing known for 2025-26 Q2
    # No return row, so the known 2025-26 Q2 actual is used: 4 v annual 5 = -20% → Red.
    assert (rows.loc["MISS", "Actual"], rows.loc["MISS", "Status"]) == (4.0, c.RED)


@pytest.mark.parametrize(
    "overrides, expected",
    [
        # SPEC §5: a due indicator with no *actual* is Not reported, even when
        # the return gives a forecast year-end (the forecast alone is not the figure owed).
        (dict(value=102.0, actual=NAN, basis=c.BASIS_FORECAST), (c.NOT_REPORTED, c.REASON_NOT_REPORTED)),
        # A survey with only a forecast has simply not run this period.
        (dict(value=102.0, actual=NAN, basis=c.BASIS_FORECAST, indicator_type=c.TYPE_PERCEPTION),
         (c.MEASURED, c.REASON_NO_SURVEY_RESULT)),
        # Forecast 102 against annual 100 with an actual present: Green, on track.
        (dict(value=102.0, actual=40.0, basis=c.BASIS_FORECAST), (c.GREEN, c.REASON_ON_TRACK)),
    ],
    ids=["forecast-without-actual", "survey-forecast-only", "forecast-with-actual"],
)
def test_forecast_without_actual_is_not_reported(overrides, expected):
    assert _status(**overrides) == expected
