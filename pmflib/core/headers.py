"""Finding a table's header row and its columns by their labels: one rule for
the register, the history file and every service return.

An officer retypes a heading as ``indicator id``, ``Indicator  ID``,
``Indicator ID:`` or with a non-breaking space from a pasted web page; each
is the same heading. A label is matched by its letters, digits and ``%``
alone, ignoring case (``header_key``), so a heading either reader matched
before still matches, and the register and the returns can never disagree
about what a heading says.

Pure: cells in, positions out (the readers open the files).
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from pmflib.core.constants import HEADER_SEARCH_ROWS

_NOT_A_LABEL_CHARACTER = re.compile(r"[^a-z0-9%]+")


def header_key(text: object) -> str:
    """A heading (or a sheet or form label) as compared: case, spaces of any
    kind and punctuation ignored. ``" Indicator\u00a0ID: "`` → ``"indicatorid"``."""
    return _NOT_A_LABEL_CHARACTER.sub("", str(text).casefold())


def header_matches(row: Iterable[object], wanted: Sequence[str]) -> dict[str, int]:
    """Each wanted label found in ``row`` → its first column (0-based).
    Only text cells are headings: a number or date never matches."""
    keys = {header_key(label): label for label in wanted}
    found: dict[str, int] = {}
    for column, value in enumerate(row):
        label = keys.get(header_key(value)) if isinstance(value, str) else None
        if label and label not in found:
            found[label] = column
    return found


def best_header_row(grid: Sequence[Sequence[object]], wanted: Sequence[str],
                    rows: int = HEADER_SEARCH_ROWS) -> int:
    """The register's rule: the row (0-based) among the first ``rows`` whose text
    cells carry most wanted headings; the earliest such row on a tie; 0 for an
    empty grid. A register sheet has many columns, so the fullest row wins."""
    keys = {header_key(label) for label in wanted}
    scores = [sum(header_key(cell) in keys for cell in row if isinstance(cell, str)) for row in grid[:rows]]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0


def first_header_row(grid: Sequence[Sequence[object]], wanted: Sequence[str],
                     rows: int = HEADER_SEARCH_ROWS) -> tuple[int, dict[str, int]] | None:
    """The return's rule: the first row (0-based) among the first ``rows`` that
    has the first wanted heading (the table's ID) and at least one other, with
    each wanted heading's column; None when no row does. A return's title and
    hint lines above the table may repeat a heading, never two."""
    for number, row in enumerate(grid[:rows]):
        found = header_matches(row, wanted)
        if wanted[0] in found and len(found) >= 2:
            return number, found
    return None


__all__ = ["HEADER_SEARCH_ROWS", "header_key", "header_matches", "best_header_row", "first_header_row"]
