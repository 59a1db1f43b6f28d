"""Reading one cell of a return as the service meant it, or saying why not.

Service managers type numbers as text (``"1,234"``, ``" 45 "``), percentages
as ``12%``, "n/a" for nothing, dates as UK text or as bare Excel serials.
Each parser returns ``(value, problem)``: a value when the meaning is
certain, otherwise ``None`` and a sentence an officer can act on. Nothing is
guessed (``"£3.2m"`` is a problem, not 3,200,000).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from pmflib.core.constants import MAX_ABS_NUMBER, NO_VALUE_WORDS

_EXCEL_EPOCH = date(1899, 12, 30)
#: Dates accepted, however typed: 1990-01-01 to 2100-12-31. Anything else is
#: far more likely a number typed in the wrong column (5 in a date cell is
#: 05/01/1900) or a typo in the year (31/03/0026) than a date.
_DATE_RANGE = (date(1990, 1, 1), date(2100, 12, 31))
_SERIAL_RANGE = tuple((day - _EXCEL_EPOCH).days for day in _DATE_RANGE)
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
#: Thousands separated by spaces ("1 234"); other spaces split two numbers ("12 34").
_SPACED_NUMBER = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d+)?$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")],
        start=1,
    )
    for name in names
}
_WORDY_DATE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
#: Significant digits kept when a percentage cell's 0.12 is turned into 12, so
#: binary noise (12.000000000000002) never reaches a report.
_PERCENT_DIGITS = 10


def is_blank(raw: object) -> bool:
    """Nothing in the cell: empty, spaces, or a "no value" word (n/a, -, –)."""
    if raw is None:
        return True
    if isinstance(raw, float) and math.isnan(raw):
        return True
    if isinstance(raw, str):
        text = raw.strip()
        return text == "" or text.casefold() in NO_VALUE_WORDS
    return False


def _round_significant(value: float, digits: int) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - int(math.floor(math.log10(abs(value)))))


def parse_number(raw: object, unit: str = "", percent_formatted: bool = False) -> tuple[float | None, str | None]:
    """A number from a cell, in the indicator's unit.

    ``percent_formatted``: the cell has a percentage number format, so Excel
    stores 12% as 0.12; for a ``%`` indicator that means 12.
    """
    if is_blank(raw):
        return None, None
    if isinstance(raw, bool):
        return None, f"'{raw}' is not a number — type the figure"
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:  # an int too large for a float
            return _too_large(raw)
        if not math.isfinite(value):
            return None, f"'{raw}' is not a number — type the figure"
        if abs(value) > MAX_ABS_NUMBER:
            return _too_large(raw)
        if percent_formatted and unit == "%":
            value = _round_significant(value * 100, _PERCENT_DIGITS)
        return value, None
    if isinstance(raw, (date, datetime)):
        return None, f"'{raw}' is a date, not a number — type the figure"
    if isinstance(raw, timedelta):
        return None, "this cell holds a duration (a time format), not a number — type the figure in a plain cell"
    text = str(raw).strip().replace("\u00a0", " ")
    # Spaces beside a sign, £ or % go; between digits only as thousands separators.
    compact = re.sub(r"^([+-])\s+", r"\1", re.sub(r"\s*([£%])\s*", r"\1", text))
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    pounds = compact.startswith("£") or compact.startswith("-£")
    if pounds:
        compact = compact.replace("£", "", 1)
    if _SPACED_NUMBER.match(compact):
        compact = compact.replace(" ", "")
    if _GROUPED_NUMBER.match(compact):
        compact = compact.replace(",", "")
    if not _PLAIN_NUMBER.match(compact):
        return None, _not_a_number(text, unit)
    if percent and unit != "%":
        return None, f"'{text}' is a percentage but this indicator is measured in {unit or 'numbers'} — type the figure without %"
    if pounds and unit != "£":
        return None, f"'{text}' is an amount in pounds but this indicator is measured in {unit or 'numbers'} — type the figure alone"
    value = float(compact)
    if not math.isfinite(value) or abs(value) > MAX_ABS_NUMBER:
        return _too_large(text)
    return value, None


def _too_large(raw: object) -> tuple[None, str]:
    """Beyond any council's figure, and beyond what the status rules' decimal
    arithmetic can hold: a slip or an attack, never stored (SECURITY.md)."""
    shown = f"{raw:.6g}" if isinstance(raw, float) else str(raw)[:40]
    return None, (f"'{shown}' is too large to be a figure (the limit is ±{MAX_ABS_NUMBER:,.0f}) — "
                  "check the figure and type it in the indicator's unit")


def _not_a_number(text: str, unit: str) -> str:
    """A fix-it message; for the common '£3.2m' / '12k' shorthand, the figure to type."""
    if unit == "%":
        # '£125k' on a percentage is a wrong-column slip, not a shorthand to expand.
        return f"'{text}' is not a number — type the percentage as a number, e.g. 12.5 for 12.5%"
    match = re.match(r"^£?\s*([\d.,]+)\s*([kKmMbB]n?)$", text)
    # Only when the figure itself is a number: "£3,2m" could be 3.2m or a typo, so no suggestion.
    if match and (_PLAIN_NUMBER.match(match.group(1)) or _GROUPED_NUMBER.match(match.group(1))):
        scale = {"k": 1e3, "m": 1e6, "b": 1e9, "bn": 1e9}[match.group(2).lower()]
        try:
            figure = float(match.group(1).replace(",", "")) * scale
            return f"'{text}' is not a number — type {figure:.0f}"
        except ValueError:
            pass
    return f"'{text}' is not a number — type the figure only (digits, no words)"


def parse_date(raw: object) -> tuple[date | None, str | None]:
    """A date from a real date cell, an Excel serial, or UK-order text."""
    if is_blank(raw):
        return None, None
    if isinstance(raw, datetime):
        return _in_range(raw.date(), f"{raw:%d/%m/%Y}")
    if isinstance(raw, date):
        return _in_range(raw, f"{raw:%d/%m/%Y}")
    if isinstance(raw, bool):
        return None, f"'{raw}' is not a date — type it as dd/mm/yyyy"
    if isinstance(raw, timedelta):
        return None, "this cell holds a duration (a time format), not a date — type it as dd/mm/yyyy"
    if isinstance(raw, (int, float)):
        try:
            return _from_serial(float(raw), str(raw))
        except OverflowError:
            return None, f"'{str(raw)[:40]}' is not a date — type it as dd/mm/yyyy"
    text = str(raw).strip()
    if _PLAIN_NUMBER.match(text):
        return _from_serial(float(text), text)
    for pattern, order in ((_ISO_DATE, "ymd"), (_UK_DATE, "dmy")):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups())))
            # Only a two-digit year is this century's: "0026" is a typo, not 2026.
            year = parts["y"] + (2000 if len(match.group(order.index("y") + 1)) == 2 else 0)
            try:
                return _in_range(date(year, parts["m"], parts["d"]), text)
            except ValueError:
                return None, f"'{text}' is not a date (dates are day/month/year) — type it as dd/mm/yyyy"
    match = _WORDY_DATE.match(text)
    if match and match.group(2).casefold() in _MONTHS:
        try:
            return _in_range(date(int(match.group(3)), _MONTHS[match.group(2).casefold()], int(match.group(1))), text)
        except ValueError:
            pass
    return None, f"'{text}' is not a date — type it as dd/mm/yyyy"


def _in_range(day: date, text: str) -> tuple[date | None, str | None]:
    low, high = _DATE_RANGE
    if low <= day <= high:
        return day, None
    return None, (f"'{text}' is not a date between {low:%d/%m/%Y} and {high:%d/%m/%Y} — "
                  "type it as dd/mm/yyyy")


def _from_serial(serial: float, text: str) -> tuple[date | None, str | None]:
    low, high = _SERIAL_RANGE
    if not math.isfinite(serial) or not low <= serial <= high or serial != int(serial):
        return None, f"'{text}' is not a date — type it as dd/mm/yyyy"
    return _EXCEL_EPOCH + timedelta(days=int(serial)), None


def parse_choice(raw: object, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """One of ``allowed``, matched ignoring case and spaces; ``""`` when blank."""
    if is_blank(raw):
        return "", None
    text = " ".join(str(raw).split())
    for choice in allowed:
        if text.casefold() == choice.casefold():
            return choice, None
    return "", f"'{text}' is not one of: {', '.join(allowed)} — pick one from the list"


def parse_text(raw: object) -> str:
    """Text as typed (trimmed); a number is shown without a trailing ``.0``."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()
