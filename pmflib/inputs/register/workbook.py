"""The edge: reading register.xlsx (values, and percentages as the officer typed them)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
from openpyxl.utils import column_index_from_string
from python_calamine import CalamineError, CalamineWorkbook

from pmflib.core import constants as C
from pmflib.core.errors import Problem, RegisterError
from pmflib.core.headers import best_header_row, header_key
from pmflib.inputs.files import LastRead
from pmflib.inputs.register.parsers import (
    _is_number,
)
from pmflib.inputs.register.problems import (
    _Issues,
)
from pmflib.inputs.register.sheets import (
    validate_register,
)
from pmflib.inputs.register.tables import (
    _OPTIONAL,
    _PERCENT_SENSITIVE,
    _STANDARD,
    Register,
    _key,
    locate_table,
)

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
        found = best_header_row(grid, headers)
        keys = {header_key(h) for h in _PERCENT_SENSITIVE.get(standard, ())}
        columns = [i for i, cell in enumerate(grid[found]) if isinstance(cell, str) and header_key(cell) in keys]
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


#: The register last read (by its path, modification time and size).
_LAST_READ = LastRead()


def read_register(path: "Path | str") -> Register:
    """Read and validate ``inputs/register.xlsx``; raise one RegisterError listing every problem.

    One run reads the register from several places (ingest, the period, the
    reports, the site); while the file is unchanged (same path, modification
    time and size) the validated register is read once and handed out again.
    Callers treat a Register as read-only.
    """
    path = Path(path)
    return _LAST_READ.get([path], lambda: _read_register_file(path))


def _read_register_file(path: Path) -> Register:
    """Read and validate the register workbook itself (no cache).

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
