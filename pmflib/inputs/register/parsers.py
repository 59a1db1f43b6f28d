"""Reading single register cells: choices, flags, decimals, tolerances, targets, years and dates (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.errors import PeriodError
from pmflib.core.periods import parse_year, year_label
from pmflib.core.tolerance import number_text
from pmflib.core.tolerance import parse_tolerance as core_parse_tolerance
from pmflib.inputs.register.problems import (
    _Bad,
    _show,
)
from pmflib.inputs.register.tables import (
    _EXCEL_EPOCH,
    _MAX_EXCEL_SERIAL,
    _SERIAL_TEXT,
    _TEXT_DATE_FORMATS,
    _is_blank,
    _key,
)

# --- reading single cells (pure) -------------------------------------------------------------


def _text(value: object) -> str:
    """Free text, trimmed; a number typed in a text column reads as Excel shows it."""
    return _show(value).strip()


def _number_text(text: str) -> float:
    """``1,234`` / `` 45 `` / ``2.5`` as a float; anything else raises ``_Bad``
    (the rule is ``core.tolerance.number_text``)."""
    try:
        return number_text(text)
    except ValueError as error:
        raise _Bad(str(error)) from None


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
    """``(text, value, relative)`` for a Tolerance cell (SPEC §3): ``core.tolerance``'s
    one reading (``5%`` relative, a number without ``%`` an absolute band in the
    indicator's unit, blank 5%), a bad cell raised as a problem for the register."""
    try:
        return core_parse_tolerance(value)
    except ValueError as error:
        raise _Bad(str(error)) from None


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
