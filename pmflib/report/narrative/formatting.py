"""Values as a report prints them: one format for every number a narrative quotes."""

from __future__ import annotations

import math
from decimal import InvalidOperation

import pandas as pd

from pmflib.core.constants import (
    DEFAULT_DECIMALS,
    MAX_DECIMALS,
    NARRATIVE_LIST_SEPARATOR,
    NARRATIVE_NO_VALUE,
    NARRATIVE_NONE,
    NARRATIVE_OTHER_UNIT_FORMAT,
    NARRATIVE_PERCENT_DECIMALS,
    NARRATIVE_UNIT_FORMATS,
    NARRATIVE_UNIT_SINGULAR,
)
from pmflib.core.values import as_text as _text
from pmflib.core.values import is_missing as _missing
from pmflib.rules.status import round_half_up

# --- formatting values ------------------------------------------------------------------


def _flag(value: object) -> bool:
    """A KPI/Headline flag: bool per DESIGN.md, "Y" read the same way."""
    if isinstance(value, str):
        return value.strip().lower() in ("y", "yes", "true")
    return False if _missing(value) else bool(value)


def _decimals(value: object) -> int:
    if _missing(value):
        return DEFAULT_DECIMALS
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return DEFAULT_DECIMALS
    return min(max(number, 0), MAX_DECIMALS)


def format_value(value: object, unit: object = "", decimals: object = DEFAULT_DECIMALS) -> str:
    """A number as a reader expects to see it quoted: ``54.3%``, ``£1,200``,
    ``12 days``, ``3.46 per 1,000 homes``; ``not available`` for no value.

    Rounded half up to the indicator's Decimals, as on paper and as the
    direction-of-travel rule rounds, so the narrative and the tables agree.

    This is the one number format of the reports: ``present.format_value``
    (table cells) and ``charts._fmt`` (chart labels) wrap it and differ only in
    how they say "no value" and in HTML escaping, never in the figure.
    """
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return NARRATIVE_NO_VALUE
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return NARRATIVE_NO_VALUE
    places = _decimals(decimals)
    try:
        rounded = round_half_up(abs(number), places)
    except InvalidOperation:
        return NARRATIVE_NO_VALUE
    digits = f"{rounded:,.{places}f}"
    sign = "-" if number < 0 and rounded != 0 else ""
    unit_text = _text(unit).strip()
    known = unit_text.lower()
    if digits == "1" and known in NARRATIVE_UNIT_SINGULAR:
        template = NARRATIVE_UNIT_SINGULAR[known]
    elif known in NARRATIVE_UNIT_FORMATS:
        template = NARRATIVE_UNIT_FORMATS[known]
    elif unit_text:
        template = NARRATIVE_OTHER_UNIT_FORMAT
    else:
        template = "{number}"
    return sign + template.format(number=digits, unit=unit_text)


def _percent(part: int, whole: int) -> str:
    if whole == 0:
        return NARRATIVE_NO_VALUE
    return format_value(100.0 * part / whole, "%", NARRATIVE_PERCENT_DECIMALS)


def _names(rows: pd.DataFrame) -> str:
    """Indicator names as a list for a sentence (``none`` for no rows)."""
    # Two columns read as they are, not every row turned into a dict of every
    # column (a large council's report asks for some 400 of these lists).
    blank = [None] * len(rows)
    indicators = rows["Indicator"] if "Indicator" in rows.columns else blank
    ids = rows["Indicator ID"] if "Indicator ID" in rows.columns else blank
    names = [_text(name).strip() or _text(ident) for name, ident in zip(indicators, ids)]
    return NARRATIVE_LIST_SEPARATOR.join(names) if names else NARRATIVE_NONE
