"""Small shared readers of table values for the status rules: numbers, dates, flags, lists in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from pmflib.core.constants import AMBER, GREEN, RED, YES_WORDS
from pmflib.core.values import is_blank as _blank
from pmflib.core.values import is_missing as _missing

NAN = float("nan")
#: Statuses that come from comparing a value with a target (the rest say why not).
RAG_STATUSES = (GREEN, AMBER, RED)
_TARGET_COLUMN = "{quarter} Target"
_ANNUAL_TARGET = "Annual Target"
_TARGET_COLUMNS = [_ANNUAL_TARGET] + [_TARGET_COLUMN.format(quarter=f"Q{q}") for q in (1, 2, 3, 4)] + ["Baseline"]


# --- movement between quarters -------------------------------------------------------
def entered_red(was, now):
    """Red now and not Red last quarter (elementwise over Series of statuses).

    One rule for every place that says "moved into Red" (the Cabinet summary's
    counts, the narrative's named lists), so page one and page two agree."""
    return (now == RED) & (was != RED)


def left_red(was, now):
    """Red last quarter and Green or Amber now. A Red KPI that is not reported
    (or only measured) this quarter has not moved out of Red: its status is
    unknown, not better."""
    return (was == RED) & now.isin([GREEN, AMBER])


# --- small helpers ----------------------------------------------------------------
def _number(value: object) -> float:
    """A float, or NaN for no value, so arithmetic never meets None.

    Blank or unreadable text is no value: the returns reader has already
    flagged it, and a rule must not guess a number.
    """
    if _missing(value):
        return NAN
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return NAN
    try:
        return float(value)
    except (TypeError, ValueError):
        return NAN


def _as_date(value: object) -> date | None:
    """A plain date (or None) whatever the table held: Timestamp, datetime, ISO text."""
    if _missing(value):
        return None
    if isinstance(value, datetime):  # includes pd.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"{value!r} is not a date: dates reach the status rules already read (ISO text at most)"
        ) from None


def _flag(value: object) -> bool:
    """A register Y/N flag: bool per DESIGN.md, but "Y" is read the same way."""
    if isinstance(value, str):
        return value.strip().lower() in YES_WORDS
    return False if _missing(value) else bool(value)


def _join_and(items: Iterable[str]) -> str:
    """``["Q2", "Q4"]`` → ``"Q2 and Q4"``: how the reasons read aloud."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _missing_text(supplied: Mapping[str, object]) -> str:
    """What an owner left blank, as a chasing list says it.

    ``{"Commentary": "", "Corrective action": ""}`` → ``"Commentary and
    corrective action"``; ``""`` when nothing is missing.
    """
    parts = [label for label, text in supplied.items() if _blank(text)]
    if not parts:
        return ""
    return _join_and([parts[0]] + [p[:1].lower() + p[1:] for p in parts[1:]])
