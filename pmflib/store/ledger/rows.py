"""The boundary: tables checked and normalised before anything is written, and rows turned back into tables."""

from __future__ import annotations

import hashlib
import math
import numbers
from datetime import date, datetime
from pathlib import Path
from typing import Iterable

import pandas as pd

from pmflib.core.constants import (
    DATA_QUALITY_COLUMNS,
    LEDGER_ACTION_UPDATE_COLUMNS,
    LEDGER_INDICATOR_VALUE_COLUMNS,
    RETURN_ACTIONS_SHEET,
    RETURN_INDICATORS_SHEET,
)
from pmflib.core.errors import PeriodError, Problem
from pmflib.core.periods import Period, require_period
from pmflib.core.values import is_missing
from pmflib.store.ledger.errors import (
    LedgerError,
)

# --- Input normalisation (the boundary: checked before anything is written) ------------

def _require(frame: pd.DataFrame, columns: Iterable[str], what: str, file_name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LedgerError(
            f"{file_name}: {what} table lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(map(str, frame.columns)) or 'none'}"
        )


def _indicator_rows(frame: pd.DataFrame, file_name: str) -> list[tuple]:
    """Rows for ``indicator_value``: ``Sheet`` is optional (the return's
    Indicators sheet), every other column of the contract is required."""
    if len(frame) == 0:
        return []
    required = [c for c in LEDGER_INDICATOR_VALUE_COLUMNS if c != "Sheet"]
    _require(frame, required, "indicator", file_name)
    ids = _ids(frame["Indicator ID"], "Indicator ID", file_name)
    sheet = frame["Sheet"] if "Sheet" in frame.columns else [RETURN_INDICATORS_SHEET] * len(frame)
    return list(zip(
        ids,
        _numbers(frame["Actual"], "Actual", file_name),
        _numbers(frame["Forecast Year-End"], "Forecast Year-End", file_name),
        _texts(frame["Commentary"]),
        _texts(frame["Corrective Action"]),
        _texts(frame["Data Note"]),
        _texts(sheet),
        _texts(frame["Actual Cell"]),
        _texts(frame["Forecast Cell"]),
        _rows(frame["Row"], file_name),
    ))


def _action_rows(frame: pd.DataFrame, file_name: str) -> list[tuple]:
    if len(frame) == 0:
        return []
    required = [c for c in LEDGER_ACTION_UPDATE_COLUMNS if c != "Sheet"]
    _require(frame, required, "action", file_name)
    ids = _ids(frame["Action ID"], "Action ID", file_name)
    sheet = frame["Sheet"] if "Sheet" in frame.columns else [RETURN_ACTIONS_SHEET] * len(frame)
    return list(zip(
        ids,
        _texts(frame["Progress"]),
        [_iso_date(v, file_name, "Expected End Date") for v in frame["Expected End Date"]],
        [_iso_date(v, file_name, "Completed Date") for v in frame["Completed Date"]],
        _texts(frame["Commentary"]),
        _texts(frame["Reason For Delay"]),
        _texts(frame["Corrective Action"]),
        _texts(sheet),
        _rows(frame["Row"], file_name),
    ))


def _history_rows(frame: pd.DataFrame, source: str) -> dict[tuple[str, int], tuple]:
    """History rows keyed by (indicator, period index); blank actuals dropped,
    repeated identical rows collapsed, conflicting repeats refused."""
    if len(frame) == 0:
        return {}
    _require(frame, ("Indicator ID", "Period", "Actual"), "history", source)
    ids = _ids(frame["Indicator ID"], "Indicator ID", source, unique=False)
    try:
        periods = [Period.parse(p) for p in frame["Period"]]
    except PeriodError as exc:
        raise LedgerError(f"{source}: {exc}") from exc
    actuals = _numbers(frame["Actual"], "Actual", source)
    sheets = _texts(frame["Sheet"]) if "Sheet" in frame.columns else [""] * len(frame)
    cells = _texts(frame["Cell"]) if "Cell" in frame.columns else [""] * len(frame)
    values: dict[tuple[str, int], tuple] = {}
    conflicts = []
    for indicator, period, actual, sheet, cell in zip(ids, periods, actuals, sheets, cells):
        if actual is None:
            continue
        key = (indicator, period.index)
        row = (indicator, period.label, period.index, actual, sheet, cell)
        if key in values and values[key][3] != actual:
            conflicts.append(f"{indicator} {period.label}")
        values.setdefault(key, row)
    if conflicts:
        raise LedgerError(
            f"{source}: more than one different Actual for {', '.join(sorted(set(conflicts)))}; "
            "keep one row per indicator and period"
        )
    return values


def _ids(series: pd.Series, column: str, file_name: str, unique: bool = True) -> list[str]:
    ids = _texts(series, strip=True)
    blank = [i for i, value in enumerate(ids) if not value]
    if blank:
        raise LedgerError(f"{file_name}: {len(blank)} row(s) with a blank {column}")
    if unique:
        seen, repeated = set(), set()
        for value in ids:
            (repeated if value in seen else seen).add(value)
        if repeated:
            raise LedgerError(
                f"{file_name}: {column} {', '.join(sorted(repeated))} appear(s) more than once; "
                "the reader should keep one row per ID"
            )
    return ids


def _problem_row(problem: "Problem | dict") -> tuple:
    row = problem.as_row() if isinstance(problem, Problem) else problem
    # as given, spaces included: a value typed as " 45 " may be the problem
    return tuple(_texts(row.get(column, "") for column in DATA_QUALITY_COLUMNS))


def _texts(values: Iterable[object], strip: bool = False) -> list[str]:
    """Text as given, ``""`` for blank (never NaN), as docs/DESIGN.md requires."""
    out = []
    for value in values:
        text = "" if is_missing(value) else str(value)
        out.append(text.strip() if strip else text)
    return out


def _clean_text(value: object) -> str:
    return "" if is_missing(value) else str(value).strip()


def _numbers(values: Iterable[object], column: str, file_name: str) -> list[float | None]:
    """Numbers as floats, None for blank. Text is refused, not parsed: reading
    ``"1,234"`` or ``12%`` is the returns reader's job (SPEC §4), done once."""
    out, bad = [], []
    for value in values:
        if is_missing(value):
            out.append(None)
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            out.append(float(value))
        else:
            bad.append(value)
    if bad:
        raise LedgerError(
            f"{file_name}: {column} must hold numbers (NaN for no value), found {bad[:5]!r}"
        )
    return out


def _rows(series: pd.Series, file_name: str) -> list[int | None]:
    out = []
    for value in series:
        if is_missing(value):
            out.append(None)
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not number.is_integer():
            raise LedgerError(f"{file_name}: Row must be a sheet row number, found {value!r}")
        out.append(int(number))
    return out


def _iso_date(value: object, file_name: str, what: str) -> str | None:
    """A date as ISO text (``2026-03-31``) or None; dates are stored ISO."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):  # pd.Timestamp is a datetime
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10]).isoformat()
        except ValueError:
            pass
    raise LedgerError(f"{file_name}: {what} must be a date, found {value!r}")


def _iso_datetime(value: object, file_name: str, what: str) -> str:
    """A naive local date-time as ISO text. Aware times are converted to this
    machine's local time, so every time in one ledger compares alike."""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone().replace(tzinfo=None)
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).isoformat(timespec="seconds")
    raise LedgerError(f"{file_name}: the {what} must be a date and time, found {value!r}")


def _period_index(period: "Period | None") -> int | None:
    """A period's quarter number for a query, None for "any period"; a label
    is refused (``require_period``): the ledger's callers hold Periods."""
    return None if period is None else require_period(period).index


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _as_text(value: object) -> str:
    """A stored value as the audit trail shows it: ``12``, ``12.5``, ISO dates, words."""
    if is_missing(value):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


# --- Output tables ---------------------------------------------------------------------
# Column kinds follow docs/DESIGN.md: text is ``str`` with "" for blank, numbers
# float64 with NaN, dates datetime64 with NaT, counts int64; ids that may be
# absent (a history value has no submission) are Int64.

_ACTUALS_KINDS = {"Actual": "float", "Forecast Year-End": "float", "Submission ID": "id"}
_INDICATOR_RETURN_KINDS = {
    "Actual": "float", "Forecast Year-End": "float", "Row": "id", "Submission ID": "id",
}
_ACTION_RETURN_KINDS = {
    "Expected End Date": "date", "Completed Date": "date", "Row": "id", "Submission ID": "id",
}
_SUBMISSION_KINDS = {
    "Submission ID": "id", "Received At": "date", "Recorded At": "date", "Date Approved": "date",
    "Late": "bool", "Superseded By": "id", "Indicators": "int", "Actions": "int",
}
_CHANGE_KINDS = {"Changed At": "date"}


def _frame(rows: list[tuple], columns: tuple[str, ...], kinds: dict[str, str]) -> pd.DataFrame:
    """Build an output table with the contract's dtypes, also when it is empty."""
    values = list(zip(*rows)) if rows else [()] * len(columns)
    data = {}
    for column, column_values in zip(columns, values):
        kind = kinds.get(column, "str")
        if kind == "float":
            series = pd.Series(column_values, dtype="float64")
        elif kind == "id":
            series = pd.Series(column_values, dtype="Int64")
        elif kind == "int":
            series = pd.Series(column_values, dtype="int64")
        elif kind == "bool":
            series = pd.Series([bool(v) for v in column_values], dtype="bool")
        elif kind == "date":
            series = pd.to_datetime(
                pd.Series(column_values, dtype="object"), format="ISO8601"
            ).astype("datetime64[us]")
        else:
            series = pd.Series(_texts(column_values), dtype="str")
        data[column] = series
    return pd.DataFrame(data, columns=list(columns))
