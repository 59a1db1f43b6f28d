"""The four register sheets as typed tables, checked against each other (pure)."""

from __future__ import annotations

from typing import Callable

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.errors import Problem
from pmflib.inputs.register.parsers import (
    _choice,
    _date,
    _decimals,
    _flag,
    _is_number,
    _target,
    _text,
    _year,
    parse_tolerance,
)
from pmflib.inputs.register.problems import (
    _Bad,
    _Issues,
    _parse_column,
)
from pmflib.inputs.register.tables import (
    _QUARTER_TARGETS,
    _ROW_KEY,
    _STANDARD,
    SheetTable,
    _is_blank,
)

# --- building typed columns ----------------------------------------------------------------


def _text_series(values: list[object]) -> pd.Series:
    return pd.Series([_text(v) for v in values], dtype="str")


def _extra_series(values: list[object]) -> pd.Series:
    """An extra register column: numbers stay numbers, anything else is text."""
    if values and all(_is_blank(v) or _is_number(v) for v in values):
        return pd.Series([float("nan") if _is_blank(v) else float(v) for v in values], dtype="float64")
    return _text_series(values)


def _frame(columns: dict[str, pd.Series], table: SheetTable) -> pd.DataFrame:
    """Standard (and derived) columns in order, then the sheet's extra columns."""
    extras = {
        name: _extra_series([row[name] for row in table.rows])
        for name in table.extras if name not in columns
    }
    return pd.DataFrame(columns | extras, index=pd.RangeIndex(len(table.rows)))


def _ids(table: SheetTable, column: str, issues: _Issues) -> list[str]:
    """The rows' IDs: every row needs one, and no two rows may share it."""
    ids = [_text(row.get(column)) for row in table.rows]
    if column not in table.letters:
        return ids
    first_row: dict[str, int] = {}
    for row, row_id in zip(table.rows, ids):
        cell = table.cell(column, row)
        if not row_id:
            issues.add(table.sheet, cell, f"{column} is blank: give every row an ID", "")
        elif row_id in first_row:
            issues.add(table.sheet, cell,
                       f"{column} '{row_id}' is used twice (first in row {first_row[row_id]}): "
                       "give each row its own ID", row[column], row_id)
        else:
            first_row[row_id] = row[_ROW_KEY]
    return ids


def _check_known(
    table: SheetTable, column: str, values: list[str], ids: list[str],
    known: set[str] | None, where: str, issues: _Issues,
) -> None:
    """Each reference must name a row of another sheet (IDs are case-sensitive)."""
    if known is None or column not in table.letters:
        return
    for row, value, row_id in zip(table.rows, values, ids):
        cell = table.cell(column, row)
        if not value:
            issues.add(table.sheet, cell, f"{column} is blank: write one from the {where} sheet",
                       "", row_id)
        elif value not in known:
            issues.add(table.sheet, cell,
                       f"{column} '{value}' is not in the {where} sheet (IDs are case-sensitive"
                       f"{_case_hint(value, known)}): correct it or add it to {where}",
                       row[column], row_id)


def _case_hint(value: str, known: set[str]) -> str:
    """Point at the ID the officer probably meant when only the case differs."""
    same = sorted(k for k in known if k.casefold() == value.casefold())
    return f"; did you mean '{same[0]}'?" if same else ""


def _check_not_blank(table: SheetTable, column: str, values: list[str], ids: list[str],
                     issues: _Issues, why: str) -> None:
    if column not in table.letters:
        return
    for row, value, row_id in zip(table.rows, values, ids):
        if not value:
            issues.add(table.sheet, table.cell(column, row), f"{column} is blank: {why}", "", row_id)


# --- the four sheets (pure) -------------------------------------------------------------------


def _outcomes(table: SheetTable, issues: _Issues) -> pd.DataFrame:
    ids = _ids(table, "Outcome ID", issues)
    columns = {"Outcome ID": pd.Series(ids, dtype="str")}
    for name in C.REGISTER_OUTCOME_COLUMNS[1:]:
        columns[name] = _text_series([row.get(name) for row in table.rows])
    return _frame(columns, table)


def _indicators(table: SheetTable, outcome_ids: set[str] | None, issues: _Issues) -> pd.DataFrame:
    ids = _ids(table, "Indicator ID", issues)
    text = {name: [_text(row.get(name)) for row in table.rows] for name in (
        "Indicator", "Outcome ID", "Service", "Owner", "Escalation Owner", "Definition",
        "Unit", "Comparator Metric")}
    _check_known(table, "Outcome ID", text["Outcome ID"], ids, outcome_ids, C.OUTCOMES_SHEET, issues)
    _check_not_blank(table, "Service", text["Service"], ids, issues,
                     "write the service that reports this indicator (each service gets a return)")

    def parse(column: str, parser: Callable[[object], object], fallback: object = None) -> list:
        return _parse_column(table, column, parser, ids, issues, fallback)

    tolerance = parse("Tolerance", parse_tolerance,
                      (C.DEFAULT_TOLERANCE, C.DEFAULT_TOLERANCE_FRACTION, True))
    columns = {"Indicator ID": pd.Series(ids, dtype="str")}
    columns |= {name: pd.Series(text[name], dtype="str") for name in (
        "Indicator", "Outcome ID", "Service", "Owner", "Escalation Owner", "Definition", "Unit")}
    columns["Decimals"] = pd.Series(parse("Decimals", _decimals, C.DEFAULT_DECIMALS), dtype="int64")
    for name, allowed in (("Polarity", C.POLARITIES), ("Type", C.INDICATOR_TYPES),
                          ("Frequency", C.FREQUENCIES)):
        columns[name] = pd.Series(parse(name, _choice(name, allowed), ""), dtype="str")
    for name in ("Cumulative", "KPI", "Headline"):
        columns[name] = pd.Series(parse(name, _flag(name), False), dtype="bool")
    columns["Tolerance"] = pd.Series([t[0] for t in tolerance], dtype="str")
    columns["Tolerance Value"] = pd.Series([t[1] for t in tolerance], dtype="float64")
    columns["Tolerance Relative"] = pd.Series([t[2] for t in tolerance], dtype="bool")
    columns["Comparator Metric"] = pd.Series(text["Comparator Metric"], dtype="str")
    return _frame(columns, table)


def _targets(table: SheetTable, units: dict[str, str] | None, issues: _Issues) -> pd.DataFrame:
    ids = [_text(row.get("Indicator ID")) for row in table.rows]
    _check_known(table, "Indicator ID", ids, ids, None if units is None else set(units),
                 C.INDICATORS_SHEET, issues)
    years = _parse_column(table, "Year", _year, ids, issues, "")
    _check_duplicate_years(table, ids, years, issues)
    columns = {"Indicator ID": pd.Series(ids, dtype="str"), "Year": pd.Series(years, dtype="str")}
    unit_of = (units or {}).get
    annual = _target_column(table, "Annual Target", ids, unit_of, True, issues)
    baseline = [isinstance(v, str) for v in annual]
    columns["Annual Target"] = pd.Series(
        [float("nan") if b else v for v, b in zip(annual, baseline)], dtype="float64")
    for name in _QUARTER_TARGETS:
        columns[name] = pd.Series(_target_column(table, name, ids, unit_of, False, issues),
                                  dtype="float64")
    columns["Baseline"] = pd.Series(baseline, dtype="bool")
    return _frame(columns, table)


def _target_column(table, column, ids, unit_of, baseline_allowed, issues) -> list[object]:
    """Parse one target column; each row's unit decides whether ``75%`` is readable."""
    if column not in table.letters:
        return [float("nan")] * len(table.rows)
    out = []
    for row, row_id in zip(table.rows, ids):
        parse = _target(unit_of(row_id, ""), baseline_allowed)
        try:
            out.append(parse(row[column]))
        except _Bad as bad:
            issues.add(table.sheet, table.cell(column, row), str(bad), row[column], row_id)
            out.append(float("nan"))
    return out


def _check_duplicate_years(table: SheetTable, ids: list[str], years: list[str], issues: _Issues) -> None:
    """One target row per indicator per year, else which one counts is a guess."""
    if "Indicator ID" not in table.letters:
        return
    first_row: dict[tuple[str, str], int] = {}
    for row, row_id, year in zip(table.rows, ids, years):
        if not row_id or not year:
            continue
        if (row_id, year) in first_row:
            issues.add(table.sheet, table.cell("Indicator ID", row),
                       f"A second target row for '{row_id}' in {year} (the first is row "
                       f"{first_row[(row_id, year)]}): keep one row per indicator per year",
                       row["Indicator ID"], row_id)
        else:
            first_row[(row_id, year)] = row[_ROW_KEY]


def _actions(table: SheetTable, outcome_ids: set[str] | None, issues: _Issues) -> pd.DataFrame:
    ids = _ids(table, "Action ID", issues)
    text = {name: [_text(row.get(name)) for row in table.rows]
            for name in ("Action", "Outcome ID", "Service", "Owner")}
    _check_known(table, "Outcome ID", text["Outcome ID"], ids, outcome_ids, C.OUTCOMES_SHEET, issues)
    _check_not_blank(table, "Service", text["Service"], ids, issues,
                     "write the service that delivers this action (each service gets a return)")
    starts = _parse_column(table, "Start Date", _date("Start Date"), ids, issues, pd.NaT)
    ends = _parse_column(table, "End Date", _date("End Date"), ids, issues, pd.NaT)
    _check_end_after_start(table, starts, ends, ids, issues)
    columns = {"Action ID": pd.Series(ids, dtype="str")}
    columns |= {name: pd.Series(values, dtype="str") for name, values in text.items()}
    columns["Start Date"] = pd.Series(starts, dtype="datetime64[ns]")
    columns["End Date"] = pd.Series(ends, dtype="datetime64[ns]")
    return _frame(columns, table)


def _check_end_after_start(table, starts, ends, ids, issues) -> None:
    for row, start, end, row_id in zip(table.rows, starts, ends, ids):
        if start is not pd.NaT and end is not pd.NaT and end < start:
            issues.add(table.sheet, table.cell("End Date", row),
                       f"End Date is before the Start Date ({start:%d/%m/%Y}): "
                       "correct one of the dates", row["End Date"], row_id)


def validate_register(
    tables: dict[str, SheetTable | None], file: str
) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Check the four register tables together; return typed tables and every problem.

    Pure: ``tables`` come from ``locate_table`` (``None`` for a missing sheet).
    Cross-sheet checks (unknown Outcome IDs, targets for unknown indicators)
    are made only when the sheet they refer to could be read, so a missing
    sheet is reported once rather than once per row that refers to it.
    """
    issues = _Issues(file)
    for name in C.REGISTER_SHEETS:
        if tables.get(name) is None:
            issues.add(name, "", f"The register has no '{name}' sheet: add a sheet named "
                       f"{name} with the headers {', '.join(_STANDARD[name])}", "")
    present = {name: table or _empty_table(name) for name, table in tables.items()} | {
        name: _empty_table(name) for name in C.REGISTER_SHEETS if tables.get(name) is None}
    outcomes = _outcomes(present[C.OUTCOMES_SHEET], issues)
    outcome_ids = _known(tables, C.OUTCOMES_SHEET, "Outcome ID", outcomes)
    indicators = _indicators(present[C.INDICATORS_SHEET], outcome_ids, issues)
    units = None
    if _known(tables, C.INDICATORS_SHEET, "Indicator ID", indicators) is not None:
        units = dict(zip(indicators["Indicator ID"], indicators["Unit"]))
    frames = {
        C.OUTCOMES_SHEET: outcomes,
        C.INDICATORS_SHEET: indicators,
        C.TARGETS_SHEET: _targets(present[C.TARGETS_SHEET], units, issues),
        C.ACTIONS_SHEET: _actions(present[C.ACTIONS_SHEET], outcome_ids, issues),
    }
    return frames, issues.problems


def _known(tables, sheet: str, column: str, frame: pd.DataFrame) -> set[str] | None:
    """The IDs another sheet may refer to, or None when they could not be read."""
    table = tables.get(sheet)
    if table is None or column not in table.letters:
        return None
    return {value for value in frame[column] if value}


def _empty_table(sheet: str) -> SheetTable:
    return SheetTable(sheet, 1, {}, ())
