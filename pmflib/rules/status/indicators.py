"""SPEC §5–§6 for one indicator: when it reports, what is assessed against what, RAG, direction of travel."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from pmflib.core.constants import (
    AMBER,
    ANNUAL,
    BASIS_ACTUAL_ANNUAL,
    BASIS_ACTUAL_QUARTER,
    BASIS_FORECAST,
    DECLINING,
    DEFAULT_DECIMALS,
    DEFAULT_TOLERANCE,
    DEFAULT_TOLERANCE_FRACTION,
    FREQUENCIES,
    GAP_DECIMALS,
    GREEN,
    HALF_YEARLY,
    HIGHER_IS_BETTER,
    IMPROVING,
    LOWER_IS_BETTER,
    MAINTAINED,
    MEASURED,
    MID_YEAR_QUARTER,
    NEUTRAL,
    NOT_REPORTED,
    REASON_BEYOND_TOLERANCE,
    REASON_MET,
    REASON_NEUTRAL,
    REASON_NO_BASELINE,
    REASON_NO_SURVEY_RESULT,
    REASON_NO_TARGET,
    REASON_NOT_REPORTED,
    REASON_ON_TRACK,
    REASON_OUT_OF_PERIOD,
    REASON_WITHIN_TOLERANCE,
    REASON_ZERO_TARGET_MISSED,
    RED,
    REPORTING_QUARTERS,
    TYPE_PERCEPTION,
    YEAR_END_QUARTER,
)
from pmflib.core.periods import Period
from pmflib.core.values import is_missing as _missing
from pmflib.rules.status.common import (
    NAN,
    _join_and,
    _number,
)


# --- §5 when a measure reports ------------------------------------------------------
def is_due(frequency: str, quarter: int) -> bool:
    """Whether a measure of this frequency reports a value in this quarter.

    Why: an annual measure has nothing to report in Q1–Q3; judging it then
    would wrongly make it Red or Not reported instead of Measured.
    """
    if frequency not in REPORTING_QUARTERS:
        raise ValueError(f"Frequency {frequency!r} is not one of {', '.join(FREQUENCIES)}")
    return int(quarter) in REPORTING_QUARTERS[frequency]


def out_of_period_reason(frequency: str) -> str:
    """``"Annual measure: reported in Q4 only"``: why a measure is Measured this quarter."""
    quarters = [f"Q{q}" for q in REPORTING_QUARTERS[frequency]]
    return REASON_OUT_OF_PERIOD.format(frequency=frequency, quarters=_join_and(quarters))


# --- §5 what is assessed against what ------------------------------------------------
def assessment_basis(
    period: Period | str,
    actual: float,
    forecast: float,
    annual_target: float,
    quarter_target: float,
) -> tuple[float, float, str]:
    """The (value, target, basis text) a status is judged on.

    Why: in-year, the year-end forecast says more about whether the annual
    target will be met than a part-year actual does; at year end only the
    actual counts. ``quarter_target`` is this period's profiled target. The
    target is NaN and the basis "" when there is no target to judge against.
    """
    period = Period.parse(period)
    actual, forecast = _number(actual), _number(forecast)
    annual_target, quarter_target = _number(annual_target), _number(quarter_target)
    quarter_basis = BASIS_ACTUAL_QUARTER.format(quarter=period.quarter_name)
    if period.quarter == YEAR_END_QUARTER:
        if not math.isnan(annual_target):
            return actual, annual_target, BASIS_ACTUAL_ANNUAL
        if not math.isnan(quarter_target):
            return actual, quarter_target, quarter_basis
        return actual, NAN, ""
    if not math.isnan(forecast) and not math.isnan(annual_target):
        return forecast, annual_target, BASIS_FORECAST
    if not math.isnan(quarter_target):
        return actual, quarter_target, quarter_basis
    if not math.isnan(annual_target):
        return actual, annual_target, BASIS_ACTUAL_ANNUAL
    return actual, NAN, ""


# --- §5 RAG ---------------------------------------------------------------------------
def signed_difference(value: float, target: float, polarity: str) -> float:
    """``value − target`` turned so that positive always means better.

    Why: one comparison then serves both polarities (for lower is better,
    coming in under the target is the good side).
    """
    if polarity == HIGHER_IS_BETTER:
        return float(value) - float(target)
    if polarity == LOWER_IS_BETTER:
        return float(target) - float(value)
    raise ValueError(f"Polarity {polarity!r} has no better side: use {HIGHER_IS_BETTER!r} or {LOWER_IS_BETTER!r}")


def relative_gap(value: float, target: float, polarity: str) -> float:
    """The SPEC's gap, ``signed difference / |target|``, rounded to GAP_DECIMALS.

    Why round: 95 against 100 and 0.95 against 1.0 must both be exactly 5%
    short, which binary division alone does not promise. NaN for a target of
    0, where a proportion means nothing.
    """
    if float(target) == 0:
        return NAN
    return round(signed_difference(value, target, polarity) / abs(float(target)), GAP_DECIMALS)


def tolerance_label(tolerance_value: float, tolerance_relative: bool) -> str:
    """``0.05, True`` → ``"5%"``; ``2.0, False`` → ``"2"``: the band as a register writes it."""
    if tolerance_relative:
        return f"{round(float(tolerance_value) * 100, GAP_DECIMALS):g}%"
    return f"{round(float(tolerance_value), GAP_DECIMALS):g}"


def rag_status(
    value: float,
    target: float,
    polarity: str,
    tolerance_value: float = DEFAULT_TOLERANCE_FRACTION,
    tolerance_relative: bool = True,
    *,
    tolerance_text: str | None = None,
    forecast: bool = False,
) -> tuple[str, str]:
    """Green, Amber or Red with its reason, for a value judged against a target.

    Green when the target is met (gap ≥ 0); Amber when missed by no more than
    the tolerance (exactly 5% short is Amber); Red beyond it. A relative
    tolerance is a fraction of the target; an absolute one is in the unit.
    A target of 0 has no relative band (5% of 0 is 0), so it is met or Red.
    ``forecast`` says the value is a year-end forecast, so Green reads "on
    track" rather than "met". ``tolerance_text`` is the register's wording.
    """
    if polarity == NEUTRAL:
        return MEASURED, REASON_NEUTRAL
    if _missing(value) or _missing(target):
        raise ValueError(
            "rag_status needs both a value and a target (indicator_status decides what a gap in them means)"
        )
    met = REASON_ON_TRACK if forecast else REASON_MET
    text = tolerance_text or tolerance_label(tolerance_value, tolerance_relative)
    difference = round(signed_difference(value, target, polarity), GAP_DECIMALS)
    if tolerance_relative and float(target) == 0:
        return (GREEN, met) if difference >= 0 else (RED, REASON_ZERO_TARGET_MISSED)
    shortfall = relative_gap(value, target, polarity) if tolerance_relative else difference
    band = round(abs(float(tolerance_value)), GAP_DECIMALS)
    if shortfall >= 0:
        return GREEN, met
    if shortfall >= -band:
        return AMBER, REASON_WITHIN_TOLERANCE.format(tolerance=text)
    return RED, REASON_BEYOND_TOLERANCE.format(tolerance=text)


def indicator_status(
    period: Period | str,
    *,
    frequency: str,
    polarity: str,
    indicator_type: str,
    value: float,
    target: float,
    basis: str = "",
    baseline: bool = False,
    tolerance_value: float = DEFAULT_TOLERANCE_FRACTION,
    tolerance_relative: bool = True,
    tolerance_text: str = DEFAULT_TOLERANCE,
    actual: float | None = None,
) -> tuple[str, str]:
    """One indicator's status and reason for the period, in the SPEC's order.

    ``actual`` (when given) is checked as well as the assessed value: SPEC §5
    says a due indicator with no *actual* is Not reported, so a forecast
    typed without this quarter's actual does not hide the missing figure.

    Why this order: a reason that makes any judgement impossible (not due,
    neutral, no baseline, no target) must win over a missing value, so a
    service is only chased for a number it actually owed; a due value that
    is missing is a data-quality failure (Not reported), never hidden as
    Measured, except for a survey that has simply not run.
    """
    period = Period.parse(period)
    if not is_due(frequency, period.quarter):
        return MEASURED, out_of_period_reason(frequency)
    if polarity == NEUTRAL:
        return MEASURED, REASON_NEUTRAL
    if baseline:
        return MEASURED, REASON_NO_BASELINE
    if _missing(target):
        return MEASURED, REASON_NO_TARGET.format(year=period.year_label)
    if _missing(value) or (actual is not None and _missing(actual)):
        if indicator_type == TYPE_PERCEPTION:
            return MEASURED, REASON_NO_SURVEY_RESULT
        return NOT_REPORTED, REASON_NOT_REPORTED
    return rag_status(
        value,
        target,
        polarity,
        tolerance_value,
        tolerance_relative,
        tolerance_text=tolerance_text,
        forecast=basis == BASIS_FORECAST,
    )


# --- §6 direction of travel -------------------------------------------------------------
def comparison_period(period: Period | str, frequency: str, cumulative: bool) -> Period:
    """The period whose actual this period's actual is compared with.

    Why: a year-to-date count only grows through the year, so it is compared
    with the same point last year; an annual measure with last year's; Q4
    shows the full year's progress year on year; a half-yearly measure's
    previous reporting period before Q2 is the last Q4; otherwise the
    quarter before.
    """
    period = Period.parse(period)
    if cumulative:
        return period.same_quarter_last_year()
    if frequency == ANNUAL:
        return Period(period.year - 1, YEAR_END_QUARTER)
    if period.quarter == YEAR_END_QUARTER:
        return period.same_quarter_last_year()
    if frequency == HALF_YEARLY and period.quarter == MID_YEAR_QUARTER:
        return Period(period.year - 1, YEAR_END_QUARTER)
    return period.previous()


def round_half_up(value: float, decimals: int) -> Decimal:
    """Round as people do on paper (2.25 → 2.3), not as binary floats do (2.2).

    Why ``repr``: it is the shortest text that gives back the same float, so
    2.25 stays 2.25 rather than 2.2499999….
    """
    step = Decimal(1).scaleb(-int(decimals))
    return Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP)


def direction_of_travel(current: float, previous: float, polarity: str, decimals: int = DEFAULT_DECIMALS) -> str:
    """Improving, Maintained, Declining, or Measured when it cannot be said.

    Why round first: a change smaller than the precision the indicator is
    published to is not a change a reader could see, so it is Maintained.
    """
    if _missing(current) or _missing(previous) or polarity == NEUTRAL:
        return MEASURED
    decimals = DEFAULT_DECIMALS if _missing(decimals) else int(decimals)
    now, then = round_half_up(current, decimals), round_half_up(previous, decimals)
    if now == then:
        return MAINTAINED
    higher = now > then
    if polarity == HIGHER_IS_BETTER:
        return IMPROVING if higher else DECLINING
    if polarity == LOWER_IS_BETTER:
        return DECLINING if higher else IMPROVING
    raise ValueError(f"Polarity {polarity!r} is not one of {HIGHER_IS_BETTER!r}, {LOWER_IS_BETTER!r}, {NEUTRAL!r}")
