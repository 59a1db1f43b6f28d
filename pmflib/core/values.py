"""What counts as "no value": one answer for every layer.

Tables reach the rules from spreadsheets, the ledger and pandas, so "nothing
here" arrives as None, NaN, NaT, pd.NA or a string of spaces. Every module
asks these two questions the same way, so a register header, a return cell
and a report table never disagree about whether something was given.
(A return *cell* also treats "n/a" and "-" as blank: that is
``pmflib.core.cells.is_blank``, which reads what an officer typed.)
"""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA: every way a table says "no value"."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists, arrays: a value, not a missing one
        return False


def as_text(value: object) -> str:
    """The value as text, ``""`` for no value (never "nan")."""
    return "" if is_missing(value) else str(value)


def is_blank(value: object) -> bool:
    """No value, or text of only spaces: what "left blank" means for a text column."""
    return as_text(value).strip() == ""
