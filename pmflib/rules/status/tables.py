"""The rules applied to whole tables: every indicator and every action of a period, typed columns out."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from pmflib.core.constants import (
    ASSESSED_ACTION_COLUMNS,
    ASSESSED_INDICATOR_COLUMNS,
    DEFAULT_DECIMALS,
    DEFAULT_TOLERANCE,
    DEFAULT_TOLERANCE_FRACTION,
    MEASURED,
    ON_TARGET,
    SLIPPED_LESS,
    SLIPPED_MORE,
)
from pmflib.core.periods import Period
from pmflib.core.values import as_text as _text
from pmflib.core.values import is_missing as _missing
from pmflib.rules.status.actions import (
    action_status,
    effective_end_date,
    months_between,
)
from pmflib.rules.status.common import (
    _ANNUAL_TARGET,
    _TARGET_COLUMN,
    _TARGET_COLUMNS,
    NAN,
    RAG_STATUSES,
    _as_date,
    _flag,
    _number,
)
from pmflib.rules.status.indicators import (
    assessment_basis,
    comparison_period,
    direction_of_travel,
    indicator_status,
    is_due,
    relative_gap,
    tolerance_label,
)


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
