"""The status rules (SPEC §5–§8): RAG, direction of travel, action status and
the exception lists.

Each rule is a small pure function over plain values, so it can be read
against the SPEC and tested with hand-worked numbers; the DataFrame functions
at the bottom only apply those rules row by row to the tables described in
docs/DESIGN.md ("status outputs"). Nothing here reads or writes files, and no
input DataFrame is ever modified.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pmflib.core.constants import (
    ACTION_STATUSES,
    AMBER,
    ANNUAL,
    ASSESSED_ACTION_COLUMNS,
    ASSESSED_INDICATOR_COLUMNS,
    BASIS_ACTUAL_ANNUAL,
    BASIS_ACTUAL_QUARTER,
    BASIS_FORECAST,
    DECLINING,
    DEFAULT_DECIMALS,
    DEFAULT_TOLERANCE,
    DEFAULT_TOLERANCE_FRACTION,
    DELIVERED,
    DIRECTIONS,
    EXCEPTION_MEASURE_COLUMNS,
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
    MISSING_COMMENTARY,
    MISSING_CORRECTIVE_ACTION,
    MISSING_REASON_FOR_DELAY,
    MOVEMENT,
    NARRATIVE_UNIT_FORMATS,
    NARRATIVE_UNIT_SINGULAR,
    NEUTRAL,
    NOT_REPORTED,
    NOT_REPORTED_KPI_COLUMNS,
    NO_LONGER_VIABLE,
    ON_TARGET,
    PROGRESS_COMPLETED,
    PROGRESS_NOT_STARTED,
    PROGRESS_NOT_VIABLE,
    REASON_BEYOND_TOLERANCE,
    REASON_MET,
    REASON_NEUTRAL,
    REASON_NOT_REPORTED,
    REASON_NO_BASELINE,
    REASON_NO_SURVEY_RESULT,
    REASON_NO_TARGET,
    REASON_ON_TRACK,
    REASON_OUT_OF_PERIOD,
    REASON_WITHIN_TOLERANCE,
    REASON_ZERO_TARGET_MISSED,
    RED,
    RED_KPI_COMMENTARY_QUARTERS,
    RED_KPI_EXCEPTION_COLUMNS,
    REPORTING_QUARTERS,
    SCHEDULED,
    SLIPPAGE_DECIMALS,
    SLIPPAGE_THRESHOLD_MONTHS,
    SLIPPED_ACTION_EXCEPTION_COLUMNS,
    SLIPPED_LESS,
    SLIPPED_MORE,
    STATUSES,
    TYPE_PERCEPTION,
    YEAR_END_QUARTER,
    YES_WORDS,
)
from pmflib.core.values import as_text as _text, is_blank as _blank, is_missing as _missing
from pmflib.core.periods import Period

NAN = float("nan")
#: Statuses that come from comparing a value with a target (the rest say why not).
RAG_STATUSES = (GREEN, AMBER, RED)
_TARGET_COLUMN = "{quarter} Target"
_ANNUAL_TARGET = "Annual Target"
_TARGET_COLUMNS = [_ANNUAL_TARGET] + [_TARGET_COLUMN.format(quarter=f"Q{q}") for q in (1, 2, 3, 4)] + ["Baseline"]


# --- small helpers ----------------------------------------------------------------
def _number(value: object) -> float:
    """A float, or NaN for no value, so arithmetic never meets None.

    Blank or unreadable text is no value: the returns reader has already
    flagged it, and a rule must not guess a number.
    """
    if _missing(value):
        return NAN
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return NAN
    try:
        return float(value)
    except (TypeError, ValueError):
        return NAN


def _as_date(value: object) -> date | None:
    """A plain date (or None) whatever the table held: Timestamp, datetime, ISO text."""
    if _missing(value):
        return None
    if isinstance(value, datetime):  # includes pd.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date: dates reach the status rules already read (ISO text at most)"
        ) from None


def _flag(value: object) -> bool:
    """A register Y/N flag: bool per DESIGN.md, but "Y" is read the same way."""
    if isinstance(value, str):
        return value.strip().lower() in YES_WORDS
    return False if _missing(value) else bool(value)


def _join_and(items: Iterable[str]) -> str:
    """``["Q2", "Q4"]`` → ``"Q2 and Q4"``: how the reasons read aloud."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _missing_text(supplied: Mapping[str, object]) -> str:
    """What an owner left blank, as a chasing list says it.

    ``{"Commentary": "", "Corrective action": ""}`` → ``"Commentary and
    corrective action"``; ``""`` when nothing is missing.
    """
    parts = [label for label, text in supplied.items() if _blank(text)]
    if not parts:
        return ""
    return _join_and([parts[0]] + [p[:1].lower() + p[1:] for p in parts[1:]])


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


# --- §7 calendar months ---------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months on, month-end aware.

    Why: a plan that ends on 30 June and is re-phased "three months" ends on
    30 September, and one ending 31 December moves to 31 March; a day that
    does not exist in the target month (31st, 29 Feb) is clamped to its end.
    """
    day = _as_date(day)
    if day is None:
        raise ValueError("add_months needs a date")
    index = day.year * 12 + (day.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if month_end else min(day.day, last))


def months_between(start: date, end: date, decimals: int | None = SLIPPAGE_DECIMALS) -> float:
    """Calendar months from ``start`` to ``end`` (negative when ``end`` is earlier).

    Whole months first (the most that ``add_months`` can add without passing
    ``end``), then the part-month as a share of the next month's days, so
    30 Sep → 31 Dec is exactly 3 and 30 Jun → 1 Oct is a little over 3.
    Rounded to ``decimals`` for display; ``None`` keeps full precision.
    """
    start, end = _as_date(start), _as_date(end)
    if start is None or end is None:
        return NAN
    if end < start:
        return -months_between(end, start, decimals)
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    while add_months(start, whole + 1) <= end:
        whole += 1
    reached, following = add_months(start, whole), add_months(start, whole + 1)
    result = whole + (end - reached).days / (following - reached).days
    return result if decimals is None else round(result, decimals)


# --- §7 action status --------------------------------------------------------------------
def effective_end_date(baseline_end: date, expected_end: date | None, period_end: date) -> date | None:
    """When the action is now expected to finish, as at the period end.

    Why: an action past its baseline end date, undelivered, with no new date
    has slipped at least to today (the period end) even if nobody said so.
    """
    baseline_end, expected_end, period_end = _as_date(baseline_end), _as_date(expected_end), _as_date(period_end)
    if expected_end is not None:
        return expected_end
    if baseline_end is not None and period_end is not None and baseline_end < period_end:
        return period_end
    return baseline_end


def slippage_status(baseline_end: date, effective_end: date) -> tuple[str, float]:
    """On target, Slipped (less than 3 months) or Slipped (more than 3 months), with the months.

    Why compare dates, not the rounded months: "up to and including three
    calendar months" is a date (the baseline plus three months); rounding
    3.004 months to 3.0 must not hide a slip of a day more.
    """
    baseline_end, effective_end = _as_date(baseline_end), _as_date(effective_end)
    if baseline_end is None or effective_end is None:
        return ON_TARGET, NAN
    if effective_end <= baseline_end:
        return ON_TARGET, 0.0
    months = months_between(baseline_end, effective_end)
    if add_months(baseline_end, SLIPPAGE_THRESHOLD_MONTHS) >= effective_end:
        return SLIPPED_LESS, months
    return SLIPPED_MORE, months


def action_status(
    progress: str,
    start: date | None,
    baseline_end: date | None,
    expected_end: date | None,
    completed: date | None,
    period_end: date,
) -> tuple[str, float]:
    """An action's status as at ``period_end`` and its slippage in calendar months.

    Why this order: delivery and withdrawal are facts that end the story;
    an action not due to start is not late; only then do dates decide. A
    "Completed" with no completed date is not taken on trust as Delivered
    (the returns reader flags it) and is judged on its dates instead.
    Slippage is NaN where it means nothing (No longer viable).
    """
    progress = _text(progress).strip()
    completed, start, period_end = _as_date(completed), _as_date(start), _as_date(period_end)
    baseline_end = _as_date(baseline_end)
    if progress == PROGRESS_COMPLETED and completed is not None:
        if baseline_end is None:
            return DELIVERED, NAN
        return DELIVERED, max(0.0, months_between(baseline_end, completed))
    if progress == PROGRESS_NOT_VIABLE:
        return NO_LONGER_VIABLE, NAN
    if start is not None and start > period_end and progress in ("", PROGRESS_NOT_STARTED):
        return SCHEDULED, 0.0
    return slippage_status(baseline_end, effective_end_date(baseline_end, expected_end, period_end))


# --- tables: indicators -----------------------------------------------------------------
def _first_by(frame: pd.DataFrame | None, key: str, columns: Iterable[str]) -> pd.DataFrame:
    """One row per key (the first: later duplicates are the returns reader's to flag).

    Missing columns are added blank so a small or empty return still works.
    """
    columns = list(columns)
    if frame is None or key not in frame.columns:
        return pd.DataFrame(columns=[key] + columns).set_index(key)
    frame = frame.reindex(columns=[key] + columns)
    return frame.drop_duplicates(subset=key, keep="first").set_index(key)


def _numbers(series: pd.Series) -> pd.Series:
    return series.map(_number).astype("float64")


def _dates(series: pd.Series) -> pd.Series:
    """datetime64 at midnight, NaT for none (text "" or NaN included)."""
    cleaned = series.map(lambda v: pd.NaT if _missing(v) or (isinstance(v, str) and not v.strip()) else v)
    return pd.to_datetime(cleaned, errors="coerce").dt.normalize()


def _texts(series: pd.Series) -> pd.Series:
    return series.map(_text).astype("str")


def _actual_lookup(actuals: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    """(Indicator ID, period label) → actual; a later row for the same pair wins."""
    if actuals is None or actuals.empty:
        return {}
    values = actuals["Actual"].map(_number)
    return {
        (str(i), str(p)): v
        for i, p, v in zip(actuals["Indicator ID"], actuals["Period"], values)
        if not math.isnan(v)
    }


def _tolerance(row: Mapping) -> tuple[float, bool, str]:
    """The indicator's amber band (value, relative?, as written), defaulting to 5%."""
    value = row.get("Tolerance Value", NAN)
    if _missing(value):
        return DEFAULT_TOLERANCE_FRACTION, True, DEFAULT_TOLERANCE
    relative = row.get("Tolerance Relative", True)
    relative = True if _missing(relative) else bool(relative)
    text = _text(row.get("Tolerance", "")).strip() or tolerance_label(value, relative)
    return float(value), relative, text


def assess_indicator(
    indicator: Mapping,
    target_row: Mapping | None,
    period: Period,
    actual: float,
    forecast: float,
    known_actuals: Mapping[tuple[str, str], float],
) -> dict[str, object]:
    """Every assessed field for one register indicator (one output row, less the text returns).

    ``known_actuals`` maps (Indicator ID, period label) to an actual; it
    supplies the value compared with for direction of travel.
    """
    target_row = target_row or {}
    frequency, polarity = indicator["Frequency"], indicator["Polarity"]
    annual_target = target_row.get(_ANNUAL_TARGET, NAN)
    quarter_target = target_row.get(_TARGET_COLUMN.format(quarter=period.quarter_name), NAN)
    value, target, basis = assessment_basis(period, actual, forecast, annual_target, quarter_target)
    tolerance_value, tolerance_relative, tolerance_text = _tolerance(indicator)
    due = is_due(frequency, period.quarter)
    status, reason = indicator_status(
        period,
        frequency=frequency,
        polarity=polarity,
        indicator_type=indicator.get("Type", ""),
        value=value,
        target=target,
        basis=basis,
        baseline=_flag(target_row.get("Baseline", False)),
        tolerance_value=tolerance_value,
        tolerance_relative=tolerance_relative,
        tolerance_text=tolerance_text,
        actual=NAN if _missing(actual) else actual,
    )
    gap = relative_gap(value, target, polarity) if status in RAG_STATUSES else NAN
    compared = comparison_period(period, frequency, _flag(indicator.get("Cumulative", False)))
    comparison_value = known_actuals.get((indicator["Indicator ID"], compared.label), NAN)
    direction = direction_of_travel(actual, comparison_value, polarity, indicator.get("Decimals", DEFAULT_DECIMALS))
    return {
        "Indicator ID": indicator["Indicator ID"],
        "Period": period.label,
        "Due": due,
        "Actual": _number(actual),
        "Forecast Year-End": _number(forecast),
        "Assessed Value": _number(value),
        "Target": target,
        "Basis": basis,
        "Gap": gap,
        "Status": status,
        "Status Reason": reason,
        "Direction": direction if due else MEASURED,
        "Compared With": compared.label,
        "Comparison Value": _number(comparison_value),
    }


def assess_indicators(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    returns: pd.DataFrame | None,
    period: Period | str,
) -> pd.DataFrame:
    """Status and direction of every register indicator for ``period``, in register order.

    The current actual is the return's; where the return has no row for an
    indicator, the actual already known for this period (e.g. history) is
    used. The comparison value always comes from ``actuals``. A measure not
    due this quarter has direction Measured: it has no value to move.
    """
    period = Period.parse(period)
    year_targets = targets[targets["Year"].map(_text) == period.year_label]
    target_rows = _first_by(year_targets, "Indicator ID", _TARGET_COLUMNS)
    text_columns = ["Commentary", "Corrective Action", "Data Note"]
    returned = _first_by(returns, "Indicator ID", ["Actual", "Forecast Year-End"] + text_columns)
    known = _actual_lookup(actuals)
    rows = []
    for indicator in indicators.to_dict("records"):
        indicator_id = indicator["Indicator ID"]
        has_return = indicator_id in returned.index
        entry = returned.loc[indicator_id].to_dict() if has_return else {}
        actual = _number(entry.get("Actual")) if has_return else known.get((indicator_id, period.label), NAN)
        forecast = _number(entry.get("Forecast Year-End"))
        target_row = target_rows.loc[indicator_id].to_dict() if indicator_id in target_rows.index else None
        row = assess_indicator(indicator, target_row, period, actual, forecast, known)
        row.update({column: _text(entry.get(column)) for column in text_columns})
        rows.append(row)
    return _typed_indicator_frame(rows)


def _typed_indicator_frame(rows: list[dict]) -> pd.DataFrame:
    """The DESIGN.md dtypes: str text, float64 numbers, bool Due; columns in contract order."""
    frame = pd.DataFrame(rows, columns=list(ASSESSED_INDICATOR_COLUMNS))
    for column in ("Actual", "Forecast Year-End", "Assessed Value", "Target", "Gap", "Comparison Value"):
        frame[column] = _numbers(frame[column])
    for column in ("Indicator ID", "Period", "Basis", "Status", "Status Reason", "Direction",
                   "Compared With", "Commentary", "Corrective Action", "Data Note"):
        frame[column] = _texts(frame[column])
    frame["Due"] = frame["Due"].astype("bool")
    return frame


# --- tables: actions ------------------------------------------------------------------------
def assess_actions(
    actions: pd.DataFrame,
    returns: pd.DataFrame | None,
    period: Period | str,
    previous_returns: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status and slippage of every register action as at the period end, in register order.

    Slippage since last quarter compares this quarter's effective end date
    with last quarter's expected end date (or the baseline when last
    quarter gave none), so a re-phasing is reported in the quarter it
    happens; it is NaN where slippage means nothing (Delivered, No longer
    viable, Scheduled).
    """
    period = Period.parse(period)
    text_columns = ["Progress", "Commentary", "Reason For Delay", "Corrective Action"]
    returned = _first_by(returns, "Action ID", text_columns + ["Expected End Date", "Completed Date"])
    previous = _first_by(previous_returns, "Action ID", ["Expected End Date"])
    rows = []
    for action in actions.to_dict("records"):
        action_id = action["Action ID"]
        entry = returned.loc[action_id].to_dict() if action_id in returned.index else {}
        before = previous.loc[action_id].to_dict() if action_id in previous.index else {}
        expected, completed = _as_date_cell(entry.get("Expected End Date")), _as_date_cell(entry.get("Completed Date"))
        baseline = _as_date(action.get("End Date"))
        status, slippage = action_status(
            entry.get("Progress"), _as_date(action.get("Start Date")), baseline, expected, completed, period.end_date
        )
        since = NAN
        if status in (ON_TARGET, SLIPPED_LESS, SLIPPED_MORE):
            then = _as_date_cell(before.get("Expected End Date")) or baseline
            since = months_between(then, effective_end_date(baseline, expected, period.end_date))
        rows.append({
            "Action ID": action_id,
            "Period": period.label,
            "Start Date": action.get("Start Date"),
            "Baseline End Date": action.get("End Date"),
            "Expected End Date": expected,
            "Completed Date": completed,
            "Status": status,
            "Slippage Months": slippage,
            "Slippage Since Last Quarter": since,
            **{column: _text(entry.get(column)) for column in text_columns},
        })
    frame = pd.DataFrame(rows, columns=list(ASSESSED_ACTION_COLUMNS))
    for column in ("Start Date", "Baseline End Date", "Expected End Date", "Completed Date"):
        frame[column] = _dates(frame[column])
    for column in ("Slippage Months", "Slippage Since Last Quarter"):
        frame[column] = _numbers(frame[column])
    for column in ("Action ID", "Period", "Status", *text_columns):
        frame[column] = _texts(frame[column])
    return frame


def _as_date_cell(value: object) -> date | None:
    """A return's date cell, where blank text also means no date."""
    if isinstance(value, str) and not value.strip():
        return None
    return _as_date(value)


# --- §8 exception lists ------------------------------------------------------------------------
def _with_register(assessed: pd.DataFrame, register: pd.DataFrame, key: str, columns: Iterable[str]) -> pd.DataFrame:
    """The assessment with the register facts a chasing list needs (owner, service…)."""
    facts = register.reindex(columns=[key] + [c for c in columns if c != key])
    return assessed.drop(columns=[c for c in facts.columns if c in assessed.columns and c != key]).merge(
        facts, on=key, how="left"
    )


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="str") for column in columns})


def _finish(rows: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Exactly the list's columns, renumbered, text as str, for a report table."""
    columns = list(columns)
    if rows.empty:
        return _empty(columns)
    frame = rows.reindex(columns=columns).reset_index(drop=True)
    for column in columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = _texts(frame[column])
    return frame


def red_kpis_missing_commentary(assessed: pd.DataFrame, indicators: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """Red KPIs whose owner has not given commentary and/or corrective action (Q2 and Q4 only).

    Why: at mid-year and year end every Red KPI must be explained and acted
    on; a missing explanation is chased, not silently published.
    """
    period = Period.parse(period)
    if period.quarter not in RED_KPI_COMMENTARY_QUARTERS:
        return _empty(RED_KPI_EXCEPTION_COLUMNS)
    table = _with_register(assessed, indicators, "Indicator ID", RED_KPI_EXCEPTION_COLUMNS[:-1] + ("KPI",))
    table = table[(table["Status"] == RED) & table["KPI"].map(_flag)].copy()
    table["Missing"] = [
        _missing_text({MISSING_COMMENTARY: commentary, MISSING_CORRECTIVE_ACTION: action})
        for commentary, action in zip(table["Commentary"], table["Corrective Action"])
    ]
    return _finish(table[table["Missing"] != ""], RED_KPI_EXCEPTION_COLUMNS)


def exception_measures(current: pd.DataFrame, previous: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Every measure (KPI or not) that was Red last quarter, and how it has moved since.

    Why: the Q1 and Q3 exception report follows up last quarter's Reds so
    none drops out of sight. Register order; Movement reads "Red → Amber".
    """
    red_before = previous.loc[previous["Status"] == RED, ["Indicator ID", "Status"]].rename(
        columns={"Status": "Previous Status"}
    )
    register = indicators.reindex(columns=["Indicator ID", "Indicator", "KPI", "Service", "Owner", "Escalation Owner"])
    current_rows = current.reindex(
        columns=["Indicator ID", "Status", "Direction", "Actual", "Target", "Commentary", "Corrective Action"]
    )
    table = register.merge(red_before, on="Indicator ID", how="inner").merge(current_rows, on="Indicator ID", how="left")
    if table.empty:
        return _empty(EXCEPTION_MEASURE_COLUMNS)
    table = table.rename(columns={"Status": "Current Status"})
    table["KPI"] = table["KPI"].map(_flag)
    table["Current Status"] = table["Current Status"].map(_text)
    table["Direction"] = table["Direction"].map(lambda d: _text(d) or MEASURED)
    table["Movement"] = [
        MOVEMENT.format(previous=before, current=now)
        for before, now in zip(table["Previous Status"], table["Current Status"])
    ]
    return _finish(table, EXCEPTION_MEASURE_COLUMNS)


def slipped_actions_missing_reason(assessed_actions: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Actions slipped more than 3 months with no reason for the delay and/or corrective action.

    Why: a long slip must be explained and recovered, and the plan's owner
    chased when it is not.
    """
    table = _with_register(assessed_actions, actions, "Action ID", SLIPPED_ACTION_EXCEPTION_COLUMNS[:-1])
    table = table[table["Status"] == SLIPPED_MORE].copy()
    table["Missing"] = [
        _missing_text({MISSING_REASON_FOR_DELAY: reason, MISSING_CORRECTIVE_ACTION: action})
        for reason, action in zip(table["Reason For Delay"], table["Corrective Action"])
    ]
    return _finish(table[table["Missing"] != ""], SLIPPED_ACTION_EXCEPTION_COLUMNS)


def kpis_not_reported(assessed: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """KPIs with no actual although one was due, with who to chase and who to escalate to."""
    table = _with_register(assessed, indicators, "Indicator ID", NOT_REPORTED_KPI_COLUMNS + ("KPI",))
    table = table[(table["Status"] == NOT_REPORTED) & table["KPI"].map(_flag)]
    return _finish(table, NOT_REPORTED_KPI_COLUMNS)


# --- summaries --------------------------------------------------------------------------------
def _counts(values: pd.Series, labels: Iterable[str], name: str) -> pd.Series:
    labels = list(labels)
    counts = values.value_counts().reindex(labels, fill_value=0).astype("int64")
    counts.index = pd.Index(labels, name=name, dtype="str")
    counts.name = "Count"
    return counts


def status_counts(assessed: pd.DataFrame) -> pd.Series:
    """How many indicators have each status, in STATUSES order, zeros included (for the summary)."""
    return _counts(assessed["Status"], STATUSES, "Status")


def direction_counts(assessed: pd.DataFrame) -> pd.Series:
    """How many indicators have each direction, in DIRECTIONS order, zeros included."""
    return _counts(assessed["Direction"], DIRECTIONS, "Direction")


def action_status_counts(assessed_actions: pd.DataFrame) -> pd.Series:
    """How many actions have each status, in ACTION_STATUSES order, zeros included."""
    return _counts(assessed_actions["Status"], ACTION_STATUSES, "Status")


# --- §9/§10 the basis of a status, in words ---------------------------------------------------
def quote_number(value: float, unit: object = "", decimals: object = DEFAULT_DECIMALS) -> str:
    """A figure as prose quotes it: ``1,151``, ``57.6%``, ``£1,200``, ``12 days``.

    Why here and not in the report layer: the open data's ``Status Reason``
    is built from the rules alone, and a reader must see the same figure in
    the reason as in the report tables (rounded half up to the Decimals).
    """
    number = _number(value)
    if math.isnan(number) or math.isinf(number):
        return "no value"
    places = DEFAULT_DECIMALS if _missing(decimals) else int(_number(decimals))
    rounded = round_half_up(abs(number), places)
    digits = f"{rounded:,.{places}f}"
    sign = "-" if number < 0 and rounded != 0 else ""
    unit_text = _text(unit).strip()
    known = unit_text.lower()
    if known in NARRATIVE_UNIT_SINGULAR and digits == "1":
        return sign + NARRATIVE_UNIT_SINGULAR[known].format(number=digits)
    if known in NARRATIVE_UNIT_FORMATS:
        return sign + NARRATIVE_UNIT_FORMATS[known].format(number=digits)
    if unit_text in NARRATIVE_UNIT_FORMATS:
        return sign + NARRATIVE_UNIT_FORMATS[unit_text].format(number=digits)
    return sign + (f"{digits} {unit_text}" if unit_text else digits)


def _compared_text(basis: str, value_text: str, target_text: str) -> str:
    """``"Forecast year-end 1,151 against annual target 1,090"``: the two figures a status compares."""
    if basis == BASIS_FORECAST:
        return f"Forecast year-end {value_text} against annual target {target_text}"
    if basis == BASIS_ACTUAL_ANNUAL:
        return f"Actual {value_text} against annual target {target_text}"
    quarter = ""
    prefix, suffix = BASIS_ACTUAL_QUARTER.split("{quarter}")
    if basis.startswith(prefix) and basis.endswith(suffix):
        quarter = basis[len(prefix):len(basis) - len(suffix)].strip()
    if quarter:
        return f"Actual {value_text} against the {quarter} profile of {target_text}"
    return f"{value_text} against target {target_text}"


def status_basis(
    status: str,
    reason: str,
    basis: str,
    value: float,
    target: float,
    polarity: str,
    *,
    unit: object = "",
    decimals: object = DEFAULT_DECIMALS,
    tolerance_value: float = DEFAULT_TOLERANCE_FRACTION,
    tolerance_relative: bool = True,
    tolerance_text: str = "",
) -> str:
    """The status's reason with what was compared, for every reader (SPEC §9, §10).

    ``"Forecast year-end 139 against annual target 198: 29.8% short, beyond
    the 5% tolerance"``; ``"Actual 206 against the Q2 profile of 194: target
    met"``. Why: a Green beside an actual below its target reads as a
    mistake unless the reader sees it was the forecast that was judged.
    A status with no comparison (Measured, Not reported) keeps its reason,
    which already says why there is no RAG. The status itself is never
    changed here; this only puts it into words.
    """
    reason = _text(reason)
    if status not in RAG_STATUSES or _missing(value) or _missing(target):
        return reason
    value_f, target_f = _number(value), _number(target)
    compared = _compared_text(_text(basis), quote_number(value_f, unit, decimals),
                              quote_number(target_f, unit, decimals))
    text = _text(tolerance_text).strip() or tolerance_label(tolerance_value, tolerance_relative)
    if status == GREEN:
        verdict = "on track to meet it" if _text(basis) == BASIS_FORECAST else "target met"
        return f"{compared}: {verdict}"
    if tolerance_relative and target_f == 0:
        return f"{compared}: missed, with no amber band for a target of 0"
    if tolerance_relative:
        short = abs(relative_gap(value_f, target_f, polarity)) * 100
        shortfall = f"{round_half_up(short, 1):f}%"
        band = f"the {text} tolerance"
    else:
        short = abs(signed_difference(value_f, target_f, polarity))
        shortfall = quote_number(short, unit, decimals)
        band = f"the tolerance of {quote_number(_number(tolerance_value), unit, decimals)}"
    where = "within" if status == AMBER else "beyond"
    side = "over" if polarity == LOWER_IS_BETTER else "short"
    return f"{compared}: {shortfall} {side}, {where} {band}"


def status_basis_of_row(row: Mapping) -> str:
    """:func:`status_basis` for one assessed indicator row joined to its register row.

    Uses ``Assessed Value`` (falling back to the actual), ``Target``,
    ``Basis``, ``Unit``, ``Decimals``, ``Polarity`` and the tolerance
    columns; any that are missing fall back to the defaults.
    """
    value = row.get("Assessed Value", NAN)
    if _missing(value):
        value = row.get("Actual", NAN)
    tolerance_value, tolerance_relative, tolerance_text = _tolerance(row)
    polarity = _text(row.get("Polarity", HIGHER_IS_BETTER)) or HIGHER_IS_BETTER
    if polarity == NEUTRAL:
        return _text(row.get("Status Reason", ""))
    return status_basis(
        _text(row.get("Status", "")), _text(row.get("Status Reason", "")), _text(row.get("Basis", "")),
        value, row.get("Target", NAN), polarity,
        unit=row.get("Unit", ""), decimals=row.get("Decimals", DEFAULT_DECIMALS),
        tolerance_value=tolerance_value, tolerance_relative=tolerance_relative, tolerance_text=tolerance_text,
    )


def status_bases(indicators: pd.DataFrame) -> pd.Series:
    """:func:`status_basis_of_row` for every row, as str (index kept): the open data's Status Reason."""
    return pd.Series([status_basis_of_row(r) for r in indicators.to_dict("records")],
                     index=indicators.index, dtype="str")
