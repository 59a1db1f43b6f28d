"""Read, validate and write the register (SPEC §3) and the history table.

The register is the council's outcome plans: outcomes, indicators, targets
and actions. Everything downstream trusts it, so it is validated once, here,
and every problem is reported at once with its sheet and cell: a policy
officer fixing the workbook should need one round trip, not one per typo.

Reading and writing touch disk only at the edges (``read_register``,
``read_history``, ``write_register``, ``write_history``); everything between
works on plain tables and is pure.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Callable

import openpyxl
import pandas as pd
from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from pmflib.core import constants as C
from pmflib.core.errors import PeriodError, PmfError, Problem, RegisterError
from pmflib.core.periods import Period, parse_year, year_label

# --- writing -------------------------------------------------------------------------

#: Columns the reader derives; writing them back would make them look like
#: extra register columns the officer typed.
_DERIVED_COLUMNS = {
    C.INDICATORS_SHEET: ("Tolerance Value", "Tolerance Relative"),
    C.TARGETS_SHEET: ("Baseline",),
}
_DATE_FORMAT = "yyyy-mm-dd"
_MIN_WIDTH, _MAX_WIDTH, _DATE_WIDTH = 8, 60, 12


def _sheet_order(names: list[str]) -> list[str]:
    """Standard sheets first, in SPEC order, so every register looks the same."""
    standard = [name for name in C.REGISTER_SHEETS if name in names]
    return standard + [name for name in names if name not in C.REGISTER_SHEETS]


def _excel_value(value: object) -> object:
    """Turn one pandas value into what an officer expects to see in Excel.

    Booleans become ``Y``/``N`` text because that is how the register spells
    flags; missing values become empty cells rather than ``nan``.
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return C.YES_NO[0] if value else C.YES_NO[1]
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (datetime, date, str)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _for_writing(sheet: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop derived columns; put a baseline word back where the reader found one.

    This makes ``write_register(read_register(p))`` reproduce the register.
    """
    out = frame.drop(columns=[c for c in _DERIVED_COLUMNS.get(sheet, ()) if c in frame.columns])
    if sheet == C.TARGETS_SHEET and "Baseline" in frame.columns and "Annual Target" in out.columns:
        annual = out["Annual Target"].astype(object)
        is_baseline = frame["Baseline"].fillna(False).astype(bool) & annual.isna()
        out["Annual Target"] = annual.where(~is_baseline, C.BASELINE_TARGET_WORDS[0].capitalize())
    return out


def _column_width(header: str, values: list[object]) -> float:
    """Wide enough for the header and the longest value, within reason."""
    if any(isinstance(v, (datetime, date)) for v in values):
        longest = max(len(str(header)), _DATE_WIDTH)
    else:
        longest = max([len(str(header))] + [len(str(v)) for v in values if v is not None])
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _write_sheet(book: XlsxWorkbook, name: str, frame: pd.DataFrame) -> None:
    """One table as a sheet: bold frozen header, real dates, text kept as text."""
    sheet = book.create_sheet(title=name)
    bold = Font(bold=True)
    for col, header in enumerate(frame.columns, start=1):
        sheet.cell(row=1, column=col, value=str(header)).font = bold
    for col, header in enumerate(frame.columns, start=1):
        values = [_excel_value(v) for v in frame[header].tolist()]
        for row, value in enumerate(values, start=2):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            elif isinstance(value, (datetime, date)):
                cell.number_format = _DATE_FORMAT
        sheet.column_dimensions[get_column_letter(col)].width = _column_width(str(header), values)
    sheet.freeze_panes = "A2"


def _write_workbook(sheets: list[tuple[str, pd.DataFrame]], path: "Path | str") -> Path:
    path = Path(path)
    book = XlsxWorkbook()
    book.remove(book.active)
    for name, frame in sheets:
        _write_sheet(book, name, frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_register(sheets: dict[str, pd.DataFrame], path: "Path | str") -> Path:
    """Write a register workbook: Outcomes, Indicators, Targets, Actions, then extras.

    Used by the demo council and by tests, so the workbook must look like one
    an officer keeps by hand: bold frozen header, ``yyyy-mm-dd`` dates, Y/N
    flags as text. The frames are not modified.
    """
    ordered = [(name, _for_writing(name, sheets[name])) for name in _sheet_order(list(sheets))]
    return _write_workbook(ordered, path)


def write_history(history: pd.DataFrame, path: "Path | str") -> Path:
    """Write the history long table as ``.csv`` or ``.xlsx``, chosen by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        history.to_csv(path, index=False, date_format="%Y-%m-%d")
        return path
    if suffix == ".xlsx":
        return _write_workbook([(C.HISTORY_SHEET, history)], path)
    raise PmfError(f"{path.name}: history can be written as .csv or .xlsx, not '{path.suffix}'")


# --- the Register ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Register:
    """The validated register: four tables (DESIGN.md "Register") and where it came from.

    ``eq=False``: two registers are compared by their tables, explicitly, never
    by ``==`` (which pandas cannot answer with one True or False).
    """

    outcomes: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actions: pd.DataFrame
    path: Path | None = None


#: Columns a register may leave out; the reader fills in the SPEC default.
_OPTIONAL = {
    C.OUTCOMES_SHEET: (),
    C.INDICATORS_SHEET: ("Escalation Owner", "Definition", "Decimals", "Headline",
                         "Tolerance", "Comparator Metric"),
    C.TARGETS_SHEET: ("Q1 Target", "Q2 Target", "Q3 Target", "Q4 Target"),
    C.ACTIONS_SHEET: (),
}
_STANDARD = {
    C.OUTCOMES_SHEET: C.REGISTER_OUTCOME_COLUMNS,
    C.INDICATORS_SHEET: C.REGISTER_INDICATOR_COLUMNS,
    C.TARGETS_SHEET: C.REGISTER_TARGET_COLUMNS,
    C.ACTIONS_SHEET: C.REGISTER_ACTION_COLUMNS,
}
_QUARTER_TARGETS = ("Q1 Target", "Q2 Target", "Q3 Target", "Q4 Target")
#: Columns where Excel may hold ``5%`` as 0.05 in a percent-formatted cell; the
#: edge reads the cell's format so the number is taken as the officer typed it.
_PERCENT_SENSITIVE = {
    C.INDICATORS_SHEET: ("Tolerance",),
    C.TARGETS_SHEET: ("Annual Target",) + _QUARTER_TARGETS,
    C.HISTORY_SHEET: ("Actual",),
}
#: How far down a sheet the header row may sit (a title above it is allowed).
_HEADER_SEARCH_ROWS = 10
_ROW_KEY = "_row"
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAX_EXCEL_SERIAL = 2958465  # 31/12/9999
_TEXT_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")
_SERIAL_TEXT = re.compile(r"^\d+(?:\.\d+)?$")


# --- one sheet as a plain table (the edge hands these to the pure validators) -----------


@dataclass(frozen=True)
class SheetTable:
    """One sheet's table as plain data, with enough position to name any cell.

    ``rows`` hold the raw cell values keyed by the standard column name (or the
    extra column's own header), plus ``_row``, the Excel row number.
    """

    sheet: str
    header_row: int
    letters: dict[str, str]
    rows: tuple[dict[str, object], ...]
    extras: tuple[str, ...] = ()

    def cell(self, column: str, row: dict[str, object]) -> str:
        return f"{self.letters[column]}{row[_ROW_KEY]}"


def _key(text: object) -> str:
    """Headers, sheet names and choices match ignoring case and extra spaces."""
    return " ".join(str(text).split()).casefold()


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and value != value
    )


def _find_header_row(grid: list[list[object]], standard: tuple[str, ...]) -> int:
    """The row (0-based) among the first few that carries most standard headers."""
    wanted = {_key(name) for name in standard}
    scores = [
        sum(_key(cell) in wanted for cell in row if isinstance(cell, str))
        for row in grid[:_HEADER_SEARCH_ROWS]
    ]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0


def _header_columns(
    sheet: str, header: list[object], header_row: int, standard: tuple[str, ...], issues: "_Issues"
) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Map each standard header to its column; keep the others as extras."""
    canonical = {_key(name): name for name in standard}
    columns: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    for index, cell in enumerate(header):
        if _is_blank(cell):
            continue
        label = str(cell).strip()
        name = canonical.get(_key(label))
        if name is None:
            extras.append((label, index))
        elif name in columns:
            first = f"{get_column_letter(columns[name] + 1)}{header_row}"
            issues.add(sheet, f"{get_column_letter(index + 1)}{header_row}",
                       f"A second column is headed '{name}' (the first is {first}): "
                       "delete or rename one of them", label)
        else:
            columns[name] = index
    return columns, extras


def locate_table(
    sheet: str, grid: list[list[object]], standard: tuple[str, ...],
    optional: tuple[str, ...], issues: "_Issues",
) -> SheetTable:
    """Find the header row, report missing headers, and keep every non-blank row."""
    found = _find_header_row(grid, standard)
    header_row = found + 1
    columns, extras = _header_columns(
        sheet, list(grid[found]) if grid else [], header_row, standard, issues
    )
    for name in standard:
        if name not in columns and name not in optional:
            issues.add(sheet, f"{header_row}:{header_row}",
                       f"The header row (row {header_row}) has no '{name}' column: "
                       f"add a column headed exactly '{name}'", "")
    positions = dict(columns) | {label: index for label, index in extras}
    rows = []
    for offset, cells in enumerate(grid[found + 1:], start=header_row + 1):
        row = {name: (cells[i] if i < len(cells) else None) for name, i in positions.items()}
        if all(_is_blank(value) for value in row.values()):
            continue
        rows.append(row | {_ROW_KEY: offset})
    letters = {name: get_column_letter(i + 1) for name, i in positions.items()}
    return SheetTable(sheet, header_row, letters, tuple(rows), tuple(label for label, _ in extras))


# --- collecting problems ------------------------------------------------------------------


@dataclass
class _Issues:
    """Problems found so far in one file: every rule adds to it, nothing stops early."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, sheet: str, cell: str, problem: str, value: object, id: str = "") -> None:
        self.problems.append(Problem(self.file, sheet, cell, problem, _show(value), id))


class _Bad(ValueError):
    """One cell that cannot be read; the message says what to write instead."""


def _show(value: object) -> str:
    """A cell's value as the officer would recognise it in a problem list."""
    if _is_blank(value):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _parse_column(
    table: SheetTable, column: str, parse: Callable[[object], object],
    ids: list[str], issues: _Issues, fallback: object = None,
) -> list[object]:
    """Parse one column cell by cell, reporting each unreadable cell where it is.

    A column the sheet does not have gets ``parse(None)`` (its default); a
    missing required column has already been reported once for the header.
    """
    if column not in table.letters:
        return [_quietly(parse, fallback) for _ in table.rows]
    out = []
    for row, row_id in zip(table.rows, ids):
        try:
            out.append(parse(row[column]))
        except _Bad as bad:
            issues.add(table.sheet, table.cell(column, row), str(bad), row[column], row_id)
            out.append(fallback)
    return out


def _quietly(parse: Callable[[object], object], fallback: object) -> object:
    try:
        return parse(None)
    except _Bad:
        return fallback


# --- reading single cells (pure) -------------------------------------------------------------


def _text(value: object) -> str:
    """Free text, trimmed; a number typed in a text column reads as Excel shows it."""
    return _show(value).strip()


def _number_text(text: str) -> float:
    """``1,234`` / `` 45 `` / ``2.5`` as a float; anything else raises ``_Bad``."""
    cleaned = text.strip()
    if not cleaned or not _NUMBER_TEXT.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise _Bad(f"'{text}' is not a number")
    return float(cleaned.replace(",", ""))


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _choice(column: str, allowed: tuple[str, ...]) -> Callable[[object], str]:
    """A parser for a fixed vocabulary: any case and spacing, canonical spelling out."""
    canonical = {_key(name): name for name in allowed}
    listed = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"

    def parse(value: object) -> str:
        if _is_blank(value):
            raise _Bad(f"{column} is blank: write one of {listed}")
        if _key(value) not in canonical:
            raise _Bad(f"{column} must be one of {listed}")
        return canonical[_key(value)]

    return parse


def _flag(column: str) -> Callable[[object], bool]:
    """Y/N (or Yes/No, any case); blank is N, because a flag left empty means 'no'."""

    def parse(value: object) -> bool:
        if _is_blank(value):
            return False
        if isinstance(value, bool):
            return value
        if _key(value) in C.YES_WORDS:
            return True
        if _key(value) in C.NO_WORDS:
            return False
        raise _Bad(f"{column} must be Y or N (or leave it blank for N)")

    return parse


def _decimals(value: object) -> int:
    """Display precision: a whole number from 0 to MAX_DECIMALS; blank is the default."""
    if _is_blank(value):
        return C.DEFAULT_DECIMALS
    try:
        number = float(value) if _is_number(value) else _number_text(str(value))
    except _Bad:
        number = None
    if number is None or not number.is_integer() or not 0 <= number <= C.MAX_DECIMALS:
        raise _Bad(f"Decimals must be a whole number from 0 to {C.MAX_DECIMALS} "
                   f"(blank means {C.DEFAULT_DECIMALS})")
    return int(number)


def parse_tolerance(value: object) -> tuple[str, float, bool]:
    """``(text, value, relative)`` for a Tolerance cell (SPEC §3).

    ``5%`` / ``2.5 %`` are relative (0.05, 0.025 of the target); a number
    without ``%`` — typed as text or as a plain number — is an absolute band
    in the indicator's unit, exactly as SPEC §3 says. Nothing is guessed from
    the size of the number: a cell Excel shows as ``5%`` reaches this function
    as the text ``5%`` because ``read_register`` reads the cell's format.
    """
    if _is_blank(value):
        return C.DEFAULT_TOLERANCE, C.DEFAULT_TOLERANCE_FRACTION, True
    problem = ("Tolerance must be a percentage of the target like 5%, or a number "
               "without % for an absolute band in the indicator's unit (blank means 5%)")
    if isinstance(value, bool):
        raise _Bad(problem)
    if _is_number(value):
        text, number, relative = _show(value), float(value), False
    else:
        text = str(value).strip()
        relative = text.endswith("%")
        try:
            number = _number_text(text[:-1] if relative else text)
        except _Bad:
            raise _Bad(problem) from None
        number = number / 100 if relative else number
    if number < 0:
        raise _Bad("Tolerance cannot be negative: write the size of the amber band, like 5%")
    return text, number, relative


def _target(unit: str, baseline_allowed: bool) -> Callable[[object], float | str]:
    """A target cell: a number (text numbers accepted), blank, or a baseline word.

    Returns NaN for blank, the word itself (lower case) for a baseline word,
    else the number. ``75%`` is accepted only for a ``%`` indicator, where it
    means 75: for any other unit it would be a guess.
    """

    def parse(value: object) -> float | str:
        if _is_blank(value):
            return float("nan")
        if _is_number(value):
            return float(value)
        if isinstance(value, bool):
            raise _Bad("A target must be a number")
        text = str(value).strip()
        if _key(text) in C.BASELINE_TARGET_WORDS:
            return _key(text) if baseline_allowed else float("nan")
        if text.endswith("%"):
            if unit != "%":
                raise _Bad(f"A target with a % sign, but the indicator's unit is '{unit}': "
                           "write the number in the indicator's unit")
            text = text[:-1]
        try:
            return _number_text(text)
        except _Bad:
            words = " / ".join(C.BASELINE_TARGET_WORDS)
            extra = f", or '{words}' if this year sets a baseline" if baseline_allowed else ""
            raise _Bad(f"A target must be a plain number like 1234{extra}") from None

    return parse


def _year(value: object) -> str:
    """A Targets Year such as ``2025-26`` (also ``2025/26``), written back canonically."""
    if _is_blank(value):
        raise _Bad("Year is blank: write the financial year like 2025-26")
    try:
        return year_label(parse_year(_text(value)))
    except PeriodError as error:
        raise _Bad(str(error)) from None


def _date(column: str) -> Callable[[object], pd.Timestamp]:
    """A date cell: a real Excel date, a bare Excel serial, or UK/ISO text."""
    problem = f"{column} must be a date like 31/03/2026"

    def parse(value: object) -> pd.Timestamp:
        if _is_blank(value):
            raise _Bad(f"{column} is blank: write a date like 31/03/2026")
        if isinstance(value, datetime):
            return pd.Timestamp(value).normalize()
        if isinstance(value, date):
            return pd.Timestamp(value)
        if isinstance(value, bool):
            raise _Bad(problem)
        if _is_number(value):
            return _excel_serial(float(value), problem)
        return _text_date(str(value).strip(), problem)

    return parse


def _excel_serial(serial: float, problem: str) -> pd.Timestamp:
    if not 1 <= serial <= _MAX_EXCEL_SERIAL:
        raise _Bad(problem)
    return pd.Timestamp(_EXCEL_EPOCH + timedelta(days=int(serial)))


def _text_date(text: str, problem: str) -> pd.Timestamp:
    if _SERIAL_TEXT.match(text):
        return _excel_serial(float(text), problem)
    candidates = (text, text[:10]) if len(text) > 10 else (text,)
    for candidate in candidates:
        for pattern in _TEXT_DATE_FORMATS:
            try:
                return pd.Timestamp(datetime.strptime(candidate, pattern))
            except ValueError:
                continue
    raise _Bad(problem)


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


# --- the edge: reading the workbook -------------------------------------------------------------


def _open_grids(path: Path) -> dict[str, list[list[object]]]:
    """Every sheet's cells, anchored at A1, exactly as calamine reads them."""
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def _sheet_named(grids: dict[str, list[list[object]]], wanted: str) -> str | None:
    """The workbook's own spelling of a sheet name (``indicators `` finds Indicators)."""
    for name in grids:
        if _key(name) == _key(wanted):
            return name
    return None


def _percent_cells(path: Path, wanted: dict[str, set[tuple[int, int]]]) -> set[tuple[str, int, int]]:
    """Which of the ``wanted`` numeric cells (0-based row, col) have a percentage format.

    Calamine gives values only; openpyxl (read-only) is opened just for the
    sheets that hold numbers in percent-sensitive columns.
    """
    if not wanted or path.suffix.lower() not in (".xlsx", ".xlsm"):
        return set()
    found: set[tuple[str, int, int]] = set()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet, cells in wanted.items():
            columns = {col for _, col in cells}
            for r, row in enumerate(book[sheet].iter_rows(max_col=max(columns) + 1)):
                for c in columns:
                    if (r, c) in cells and c < len(row) and "%" in str(getattr(row[c], "number_format", "")):
                        found.add((sheet, r, c))
    finally:
        book.close()
    return found


def _numeric_cells(grid: list[list[object]], columns: list[int], first_row: int) -> set[tuple[int, int]]:
    return {
        (r, c)
        for r in range(first_row, len(grid))
        for c in columns
        if c < len(grid[r]) and _is_number(grid[r][c])
    }


def _percent_text(value: float) -> str:
    """0.05 → ``5%``: what Excel shows for a percentage-formatted cell."""
    shown = f"{round(float(value) * 100, 9):.9f}".rstrip("0").rstrip(".")
    return f"{shown}%"


def _with_percentages(
    path: Path, grids: dict[str, list[list[object]]], sheets: dict[str, tuple[str, tuple[str, ...]]]
) -> dict[str, list[list[object]]]:
    """Replace percent-formatted numbers in percent-sensitive columns by ``N%`` text.

    ``sheets`` maps the workbook's sheet name to (standard sheet, standard
    columns). Returns new grids; the ones passed in are untouched.
    """
    wanted: dict[str, set[tuple[int, int]]] = {}
    for name, (standard, headers) in sheets.items():
        grid = grids[name]
        if not grid:
            continue
        found = _find_header_row(grid, headers)
        keys = {_key(h) for h in _PERCENT_SENSITIVE.get(standard, ())}
        columns = [i for i, cell in enumerate(grid[found]) if isinstance(cell, str) and _key(cell) in keys]
        cells = _numeric_cells(grid, columns, found + 1)
        if cells:
            wanted[name] = cells
    percent = _percent_cells(path, wanted)
    if not percent:
        return grids
    out = {name: [list(row) for row in grid] for name, grid in grids.items()}
    for name, r, c in percent:
        out[name][r][c] = _percent_text(out[name][r][c])
    return out


_CELL = re.compile(r"^([A-Z]*)(\d+)(?::\d+)?$")


def reading_order(problems: list[Problem]) -> list[Problem]:
    """Sheet by sheet (register order), then row by row, then left to right.

    The order an officer works through the workbook, rather than the order
    the rules happened to run in.
    """
    sheets = {_key(name): i for i, name in enumerate(C.REGISTER_SHEETS)}

    def key(problem: Problem) -> tuple[int, str, int, int]:
        match = _CELL.match(problem.cell)
        row, col = (int(match.group(2)), _column_number(match.group(1))) if match else (0, 0)
        return sheets.get(_key(problem.sheet), len(sheets)), _key(problem.sheet), row, col

    return sorted(problems, key=key)


def _column_number(letters: str) -> int:
    return column_index_from_string(letters) if letters else 0


def _unreadable(path: Path, error: Exception, what: str) -> Problem:
    return Problem(path.name, "", "", f"The {what} cannot be read ({error}): save it again "
                   "from Excel (as .xlsx, or CSV UTF-8 for history) and try again", "")


def read_register(path: "Path | str") -> Register:
    """Read and validate ``inputs/register.xlsx``; raise one RegisterError listing every problem.

    Headers are matched ignoring case and surrounding spaces (and may sit
    under a title in the first rows); extra columns are kept after the
    standard ones. A cell formatted as a percentage in Excel (``5%`` stored
    as 0.05) is read as the ``5%`` the officer typed.
    """
    path = Path(path)
    try:
        grids = _open_grids(path)
    except (CalamineError, OSError) as error:
        raise RegisterError(problems=[_unreadable(path, error, "register")],
                            summary=f"The register {path.name} cannot be read") from None
    names = {standard: _sheet_named(grids, standard) for standard in C.REGISTER_SHEETS}
    sensitive = {name: (standard, _STANDARD[standard]) for standard, name in names.items() if name}
    grids = _with_percentages(path, grids, sensitive)
    issues = _Issues(path.name)
    tables = {
        standard: None if name is None else locate_table(
            name, grids[name], _STANDARD[standard], _OPTIONAL[standard], issues)
        for standard, name in names.items()
    }
    frames, problems = validate_register(tables, path.name)
    problems = reading_order(issues.problems + problems)
    if problems:
        raise RegisterError(
            problems=problems,
            summary=f"The register {path.name} has problems; fix them in the workbook and run again",
        )
    return Register(
        outcomes=frames[C.OUTCOMES_SHEET], indicators=frames[C.INDICATORS_SHEET],
        targets=frames[C.TARGETS_SHEET], actions=frames[C.ACTIONS_SHEET], path=path,
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


#: First-column headers a wide history table may use for the indicator's ID.
_WIDE_ID_HEADERS = ("indicator id", "id")


def _wide_header(grid: list[list[object]]) -> tuple[int, int, dict[int, str]] | None:
    """(header row index, ID column, {column: period label}) when the history is
    wide — a column per period, as councils keep it in Excel — else None.

    Wide means: a row (in the first ten) with an ID header, no 'Period' header,
    and at least one header that reads as a quarter ("2023-24 Q1").
    """
    for index, cells in enumerate(grid[:10]):
        headers = [_text(cell).casefold() for cell in cells]
        if "period" in headers:
            return None
        id_col = next((i for i, h in enumerate(headers) if h in _WIDE_ID_HEADERS), None)
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
