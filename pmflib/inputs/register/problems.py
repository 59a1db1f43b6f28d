"""Collecting every problem of the register at once, each with its sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from pmflib.core.errors import Problem
from pmflib.inputs.register.tables import (
    SheetTable,
    _is_blank,
)

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
