"""Group problems for the officer's screen: one line per kind of mistake.

Forty-five identical lines for one mistake made down one column hide the
other problems, so rows with the same file, sheet, column and problem text
are folded into one line naming the cell ranges (``K2:K46``) and how many
cells said what. Pure: works on ``Problem`` objects or their ``as_row`` dicts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

_CELL = re.compile(r"^([A-Za-z]{1,3})(\d+)$")


def split_cell(cell: str) -> tuple[str, int] | None:
    """``'K12'`` → ``('K', 12)``; None for an empty or non-A1 reference."""
    match = _CELL.match((cell or "").strip())
    return (match.group(1).upper(), int(match.group(2))) if match else None


def compress_rows(column: str, rows: list[int]) -> str:
    """Rows of one column as contiguous ranges: ``K2:K4, K9``."""
    parts: list[str] = []
    ordered = sorted(set(rows))
    start = prev = None
    for row in ordered + [None]:
        if start is not None and (row is None or row != prev + 1):
            parts.append(f"{column}{start}" if start == prev else f"{column}{start}:{column}{prev}")
            start = None
        if row is not None and start is None:
            start = row
        prev = row
    return ", ".join(parts)


def _field(problem, name: str) -> str:
    if isinstance(problem, dict):
        value = problem.get(name.capitalize() if name != "id" else "ID", problem.get(name, ""))
    else:
        value = getattr(problem, name, "")
    return "" if value is None else str(value)


@dataclass
class ProblemGroup:
    """Problems of one kind in one column of one sheet of one file."""

    file: str
    sheet: str
    column: str
    problem: str
    cells: list[str] = field(default_factory=list)
    values: Counter = field(default_factory=Counter)
    ids: list[str] = field(default_factory=list)

    def where(self, show_file: bool = True) -> str:
        located = [split_cell(c) for c in self.cells]
        rows = [loc[1] for loc in located if loc]
        others = [c for c, loc in zip(self.cells, located) if not loc and c]
        refs = ", ".join(filter(None, [compress_rows(self.column, rows) if rows else "", *others]))
        place = self.sheet + (f"!{refs}" if refs else "")
        return f"{self.file} {place}".strip() if self.file and show_file else place

    def __str__(self) -> str:
        return self.line()

    def line(self, show_file: bool = True) -> str:
        """One printed line; ``show_file=False`` when lines are already listed under their file."""
        count = len(self.cells)
        where = self.where(show_file)
        text = f"{where}: {self.problem}" if where else self.problem
        if self.values:
            said = "; ".join(
                (f"{n} cells say {v!r}" if n > 1 else f"1 cell says {v!r}") if count > 1 else f"the cell says {v!r}"
                for v, n in self.values.most_common(3)
            )
            more = len(self.values) - 3
            text += f" — {said}" + (f" (and {more} other values)" if more > 0 else "")
        elif count > 1:
            text += f" — {count} cells"
        ids = [i for i in dict.fromkeys(self.ids) if i]
        if ids and count <= 5:
            text += f" [ID {', '.join(ids)}]"
        return text


def group_problems(problems) -> list[ProblemGroup]:
    """Fold problems by (file, sheet, column, problem text), keeping first-seen order."""
    groups: dict[tuple, ProblemGroup] = {}
    for problem in problems:
        file, sheet, cell = _field(problem, "file"), _field(problem, "sheet"), _field(problem, "cell")
        located = split_cell(cell)
        column = located[0] if located else ""
        key = (file, sheet, column, _field(problem, "problem"))
        group = groups.setdefault(key, ProblemGroup(file, sheet, column, key[3]))
        group.cells.append(cell)
        value = _field(problem, "value")
        if value:
            group.values[value] += 1
        group.ids.append(_field(problem, "id"))
    return list(groups.values())


def format_problems(problems, *, indent: str = "  ", show_file: bool = True) -> list[str]:
    """The grouped lines, one per kind of mistake, ready to print."""
    return [f"{indent}{group.line(show_file)}" for group in group_problems(problems)]
