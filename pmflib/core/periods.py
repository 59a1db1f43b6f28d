"""UK financial-year quarters (SPEC §2).

A council's year runs April to March: Q1 Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec,
Q4 Jan–Mar. Periods are labelled ``2025-26 Q2`` for people and
``2025-26-Q2`` in file and folder names; both forms parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pmflib.core.constants import MID_YEAR_QUARTER, YEAR_END_QUARTER
from pmflib.core.errors import PeriodError

_LABEL = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{2})\s*[-_ ]?\s*[Qq]([1-4])\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*[-/–]\s*(\d{2})\s*$")
_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}
_QUARTER_END = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}


def _check_year(start_year: int, end_two: int, text: str) -> None:
    if (start_year + 1) % 100 != end_two:
        raise PeriodError(
            f"'{text}' is not a financial year: the second part must be the year "
            f"after {start_year} (write {start_year}-{(start_year + 1) % 100:02d})"
        )


def year_label(start_year: int) -> str:
    """``2025`` → ``2025-26``, the form used in the Targets sheet's Year column."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def parse_year(text: object) -> int:
    """Parse a financial-year label (``2025-26``) into its starting calendar year."""
    match = _YEAR.match(str(text))
    if not match:
        raise PeriodError(f"'{text}' is not a financial year label like 2025-26")
    start, end = int(match.group(1)), int(match.group(2))
    _check_year(start, end, str(text))
    return start


@dataclass(frozen=True, order=True)
class Period:
    """One reporting quarter of a financial year that starts in April ``year``."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise PeriodError(f"quarter must be 1 to 4, not {self.quarter}")

    # --- parsing and printing -------------------------------------------------
    @classmethod
    def parse(cls, text: "str | Period") -> "Period":
        """Accept ``2025-26 Q2``, ``2025-26-Q2`` (and ``2025/26 Q2``)."""
        if isinstance(text, Period):
            return text
        match = _LABEL.match(str(text))
        if not match:
            raise PeriodError(
                f"'{text}' is not a period: write the financial year and quarter "
                "like 2025-26 Q2 (or 2025-26-Q2 in file names)"
            )
        start, end, quarter = int(match.group(1)), int(match.group(2)), int(match.group(3))
        _check_year(start, end, str(text))
        return cls(start, quarter)

    @property
    def label(self) -> str:
        """The label people read: ``2025-26 Q2``."""
        return f"{self.year_label} Q{self.quarter}"

    @property
    def slug(self) -> str:
        """The form used in file and folder names: ``2025-26-Q2``."""
        return f"{self.year_label}-Q{self.quarter}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def quarter_name(self) -> str:
        return f"Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    # --- dates ------------------------------------------------------------------
    @property
    def start_date(self) -> date:
        month = _QUARTER_START_MONTH[self.quarter]
        return date(self.year + (1 if self.quarter == 4 else 0), month, 1)

    @property
    def end_date(self) -> date:
        month, day = _QUARTER_END[self.quarter]
        return date(self.year + (1 if self.quarter == 4 else 0), month, day)

    @property
    def months(self) -> str:
        """``Jul–Sep 2025``: the months a reader recognises."""
        start, end = self.start_date, self.end_date
        return f"{start:%b}–{end:%b} {end.year}"

    # --- flags ------------------------------------------------------------------
    @property
    def is_year_end(self) -> bool:
        return self.quarter == YEAR_END_QUARTER

    @property
    def is_mid_year(self) -> bool:
        return self.quarter == MID_YEAR_QUARTER

    # --- arithmetic ---------------------------------------------------------------
    @property
    def index(self) -> int:
        """A running quarter number, so periods can be subtracted and ranged."""
        return self.year * 4 + (self.quarter - 1)

    @classmethod
    def from_index(cls, index: int) -> "Period":
        return cls(index // 4, index % 4 + 1)

    def shift(self, quarters: int) -> "Period":
        return Period.from_index(self.index + quarters)

    def previous(self) -> "Period":
        """The previous quarter (Q1's previous is the previous year's Q4)."""
        return self.shift(-1)

    def next(self) -> "Period":
        return self.shift(1)

    def same_quarter_last_year(self) -> "Period":
        return Period(self.year - 1, self.quarter)

    def year_end(self) -> "Period":
        """Q4 of this period's financial year."""
        return Period(self.year, 4)

    def quarters_since(self, other: "Period") -> int:
        return self.index - other.index


def require_period(value: object, what: str = "period") -> Period:
    """``value`` itself if it is a ``Period``; anything else is a TypeError.

    Labels are parsed once, where they come in (the command line, notebook
    parameters, file and workbook readers, rows read back from the ledger);
    inside the package a period is a ``Period``. A label reaching a function
    that needs a ``Period`` is a bug in the caller, so it is refused loudly
    rather than parsed quietly here.
    """
    if isinstance(value, Period):
        return value
    raise TypeError(
        f"{what} must be a pmflib Period, not {type(value).__name__} {value!r}; "
        "parse labels with Period.parse where they enter the package"
    )


def period_range(first: "Period | str", last: "Period | str") -> list[Period]:
    """Every quarter from ``first`` to ``last`` inclusive, oldest first."""
    first, last = Period.parse(first), Period.parse(last)
    return [Period.from_index(i) for i in range(first.index, last.index + 1)]


def period_containing(day: date) -> Period:
    """The financial quarter a calendar date falls in."""
    quarter = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[day.month]
    year = day.year - 1 if quarter == 4 else day.year
    return Period(year, quarter)
