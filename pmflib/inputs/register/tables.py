"""The validated Register, and one sheet as a plain table located by its header row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from pmflib.core import constants as C
from pmflib.core.headers import best_header_row, header_key
from pmflib.core.tolerance import NUMBER_TEXT
from pmflib.core.values import is_blank as _is_blank

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
_ROW_KEY = "_row"
_EXCEL_EPOCH = datetime(1899, 12, 30)
_MAX_EXCEL_SERIAL = 2958465  # 31/12/9999
_TEXT_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_NUMBER_TEXT = NUMBER_TEXT
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
    """Sheet names, choices and words (Y/N, n/a) match ignoring case and extra
    spaces. Headers are matched by ``core.headers.header_key``, as in a return."""
    return " ".join(str(text).split()).casefold()


def _header_columns(
    sheet: str, header: list[object], header_row: int, standard: tuple[str, ...], issues: "_Issues"
) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """Map each standard header to its column; keep the others as extras."""
    canonical = {header_key(name): name for name in standard}
    columns: dict[str, int] = {}
    extras: list[tuple[str, int]] = []
    for index, cell in enumerate(header):
        if _is_blank(cell):
            continue
        label = str(cell).strip()
        name = canonical.get(header_key(label))
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
    found = best_header_row(grid, standard)
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
