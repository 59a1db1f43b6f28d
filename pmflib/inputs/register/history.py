"""History: pre-adoption actuals in the long table or the wide shape councils keep in Excel (SPEC §3)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Callable

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError

from pmflib.core import constants as C
from pmflib.core.errors import PeriodError, PmfError, Problem
from pmflib.core.headers import HEADER_SEARCH_ROWS, header_key
from pmflib.core.periods import Period
from pmflib.inputs.register.parsers import (
    _is_number,
    _number_text,
    _text,
)
from pmflib.inputs.register.problems import (
    _Bad,
    _Issues,
)
from pmflib.inputs.register.tables import (
    _ROW_KEY,
    Register,
    SheetTable,
    _is_blank,
    _key,
    locate_table,
)
from pmflib.inputs.register.workbook import (
    _open_grids,
    _sheet_named,
    _unreadable,
    _with_percentages,
    reading_order,
)

# --- history (pre-adoption actuals, SPEC §3) -------------------------------------------------


def _actual(unit: str | None) -> Callable[[object], float]:
    """An Actual: a number (text numbers accepted), or NaN for n/a, ``-`` or blank.

    ``12%`` is read as 12 for a ``%`` indicator (or when there is no register
    to say the unit); for any other unit a % sign is a problem, not a guess.
    """

    def parse(value: object) -> float:
        if _is_blank(value) or _key(value) in C.NO_VALUE_WORDS:
            return float("nan")
        if _is_number(value):
            return float(value)
        text = str(value).strip()
        if text.endswith("%"):
            if unit not in (None, "%"):
                raise _Bad(f"An Actual with a % sign, but the indicator's unit is '{unit}': "
                           "write the number in the indicator's unit")
            text = text[:-1]
        try:
            return _number_text(text)
        except _Bad:
            raise _Bad("Actual must be a plain number like 1234 (or n/a for no value)") from None

    return parse


def _period_label(value: object) -> str:
    if _is_blank(value):
        raise _Bad("Period is blank: write the quarter like 2025-26 Q2")
    try:
        return Period.parse(_text(value)).label
    except PeriodError as error:
        raise _Bad(str(error)) from None


def validate_history(
    table: SheetTable, file: str, units: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Keep the good history rows; report the rest (pure).

    ``units`` (Indicator ID → Unit, from the register) lets unknown indicators
    be reported; without it every Indicator ID is taken as given. Rows with no
    value (blank, n/a, -) are skipped without a problem: nothing was claimed.
    The first of two rows for the same indicator and period is kept.
    """
    issues = _Issues(file)
    keep: dict[tuple[str, str], tuple[int, float]] = {}
    for row in table.rows:
        kept = _history_row(table, row, units, keep, issues)
        if kept is not None:
            keep[kept[0]] = (row[_ROW_KEY], kept[1])
    frame = pd.DataFrame({
        "Indicator ID": pd.Series([k[0] for k in keep], dtype="str"),
        "Period": pd.Series([k[1] for k in keep], dtype="str"),
        "Actual": pd.Series([v[1] for v in keep.values()], dtype="float64"),
    })
    return frame, issues.problems


def _history_row(table, row, units, keep, issues) -> tuple[tuple[str, str], float] | None:
    """One history row → ((Indicator ID, Period), Actual), or None if it cannot be used."""
    if any(name not in table.letters for name in C.HISTORY_COLUMNS):
        return None
    row_id = _text(row["Indicator ID"])
    ok = True
    if not row_id:
        issues.add(table.sheet, table.cell("Indicator ID", row),
                   "Indicator ID is blank: write the register's ID for this value", "")
        ok = False
    elif units is not None and row_id not in units:
        issues.add(table.sheet, table.cell("Indicator ID", row),
                   f"Indicator ID '{row_id}' is not in the register (IDs are case-sensitive): "
                   "correct it or add the indicator to the register", row["Indicator ID"], row_id)
        ok = False
    values = []
    for column, parse in (("Period", _period_label),
                          ("Actual", _actual(None if units is None else units.get(row_id)))):
        try:
            values.append(parse(row[column]))
        except _Bad as bad:
            issues.add(table.sheet, table.cell(column, row), str(bad), row[column], row_id)
            ok = False
    if not ok or values[1] != values[1]:  # NaN: no value, skipped
        return None
    key = (row_id, values[0])
    if key in keep:
        issues.add(table.sheet, table.cell("Period", row),
                   f"A second value for '{row_id}' in {values[0]} (the first, in row "
                   f"{keep[key][0]}, is kept): delete one of the rows", row["Period"], row_id)
        return None
    return key, values[1]


def _read_csv_grid(path: Path) -> list[list[object]]:
    """A CSV's cells as text, untouched by type guessing (Excel may have saved it as cp1252)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(newline="", encoding=encoding) as handle:
                return [list(row) for row in csv.reader(handle)]
        except UnicodeDecodeError:
            continue
    raise _Bad("the file is not text in UTF-8 or Windows encoding")


#: Headers a wide history table may use for the indicator's ID.
_WIDE_ID_HEADERS = ("Indicator ID", "ID")


def _wide_header(grid: list[list[object]]) -> tuple[int, int, dict[int, str]] | None:
    """(header row index, ID column, {column: period label}) when the history is
    wide — a column per period, as councils keep it in Excel — else None.

    Wide means: a row (in the first ten) with an ID header, no 'Period' header,
    and at least one header that reads as a quarter ("2023-24 Q1").
    """
    id_keys = {header_key(label) for label in _WIDE_ID_HEADERS}
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        headers = [header_key(_text(cell)) for cell in cells]
        if header_key("Period") in headers:
            return None
        id_col = next((i for i, h in enumerate(headers) if h in id_keys), None)
        if id_col is None:
            continue
        periods = {}
        for column, cell in enumerate(cells):
            if column == id_col or _is_blank(cell):
                continue
            try:
                periods[column] = Period.parse(_text(cell)).label
            except PeriodError:
                continue
        return (index, id_col, periods) if periods else None
    return None


def validate_wide_history(
    sheet: str, grid: list[list[object]], file: str, units: dict[str, str] | None = None
) -> tuple[pd.DataFrame, list[Problem]] | None:
    """A wide history table (ID | 2023-24 Q1 | 2023-24 Q2 | …) → the long table
    and problems naming each bad cell (pure); None when the grid is not wide.

    A header that is not a quarter is reported once at its cell, so a typo in
    a period never silently drops a column of figures.
    """
    found = _wide_header(grid)
    if found is None:
        return None
    header, id_col, periods = found
    issues = _Issues(file)
    for column, cell in enumerate(grid[header]):
        if column != id_col and column not in periods and not _is_blank(cell):
            issues.add(sheet, f"{get_column_letter(column + 1)}{header + 1}",
                       f"'{_text(cell)}' is not a quarter: head each period column like 2025-26 Q2", cell)
    keep: dict[tuple[str, str], float] = {}
    for offset, cells in enumerate(grid[header + 1:], start=header + 2):
        raw_id = cells[id_col] if id_col < len(cells) else None
        values = {c: cells[c] for c in periods if c < len(cells) and not _is_blank(cells[c])}
        if _is_blank(raw_id) and not values:
            continue
        row_id = _text(raw_id)
        id_cell = f"{get_column_letter(id_col + 1)}{offset}"
        if not row_id:
            issues.add(sheet, id_cell, "Indicator ID is blank: write the register's ID for these values", "")
            continue
        if units is not None and row_id not in units:
            issues.add(sheet, id_cell, f"Indicator ID '{row_id}' is not in the register (IDs are case-sensitive): "
                       "correct it or add the indicator to the register", raw_id, row_id)
            continue
        parse = _actual(None if units is None else units.get(row_id))
        for column, raw in values.items():
            try:
                actual = parse(raw)
            except _Bad as bad:
                issues.add(sheet, f"{get_column_letter(column + 1)}{offset}", str(bad), raw, row_id)
                continue
            if actual == actual and (row_id, periods[column]) not in keep:
                keep[(row_id, periods[column])] = actual
    frame = pd.DataFrame({
        "Indicator ID": pd.Series([k[0] for k in keep], dtype="str"),
        "Period": pd.Series([k[1] for k in keep], dtype="str"),
        "Actual": pd.Series(list(keep.values()), dtype="float64"),
    })
    return frame, issues.problems


def _history_grid(path: Path) -> tuple[str, list[list[object]]]:
    """(sheet name, cells) of the history file: a CSV has no sheet name."""
    if path.suffix.lower() == ".csv":
        return "", _read_csv_grid(path)
    grids = _open_grids(path)
    name = _sheet_named(grids, C.HISTORY_SHEET) or next(iter(grids))
    grids = _with_percentages(path, grids, {name: (C.HISTORY_SHEET, C.HISTORY_COLUMNS)})
    return name, grids[name]


def read_history(
    path: "Path | str", register: Register | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read the pre-adoption history table (``.csv`` or ``.xlsx``).

    History is not all-or-nothing like the register: good rows are returned
    and bad ones come back as problems (for data-quality.csv), because a typo
    in 2019's figures should not stop this quarter's report. An ``.xlsx``
    uses the sheet named History, else its first sheet.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise PmfError(f"{path.name}: history must be a .csv or .xlsx file, not '{path.suffix}'")
    empty = pd.DataFrame({name: pd.Series([], dtype="float64" if name == "Actual" else "str")
                          for name in C.HISTORY_COLUMNS})
    try:
        sheet, grid = _history_grid(path)
    except (CalamineError, OSError, _Bad) as error:
        return empty, [_unreadable(path, error, "history file")]
    units = None
    if register is not None:
        units = dict(zip(register.indicators["Indicator ID"], register.indicators["Unit"]))
    wide = validate_wide_history(sheet, grid, path.name, units)
    if wide is not None:
        return wide[0], reading_order(wide[1])
    issues = _Issues(path.name)
    table = locate_table(sheet, grid, C.HISTORY_COLUMNS, (), issues)
    frame, problems = validate_history(table, path.name, units)
    return frame, reading_order(issues.problems + problems)
