"""SPEC §7 for one action: calendar months, the effective end date, slippage and its status."""

from __future__ import annotations

import calendar
from datetime import date

from pmflib.core.constants import (
    DELIVERED,
    NO_LONGER_VIABLE,
    ON_TARGET,
    PROGRESS_COMPLETED,
    PROGRESS_NOT_STARTED,
    PROGRESS_NOT_VIABLE,
    SCHEDULED,
    SLIPPAGE_DECIMALS,
    SLIPPAGE_THRESHOLD_MONTHS,
    SLIPPED_LESS,
    SLIPPED_MORE,
)
from pmflib.core.values import as_text as _text
from pmflib.rules.status.common import (
    NAN,
    _as_date,
)


# --- §7 calendar months ---------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months on, month-end aware.

    Why: a plan that ends on 30 June and is re-phased "three months" ends on
    30 September, and one ending 31 December moves to 31 March; a day that
    does not exist in the target month (31st, 29 Feb) is clamped to its end.
    """
    day = _as_date(day)
    if day is None:
        raise ValueError("add_months needs a date")
    index = day.year * 12 + (day.month - 1) + int(months)
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month, last if month_end else min(day.day, last))


def months_between(start: date, end: date, decimals: int | None = SLIPPAGE_DECIMALS) -> float:
    """Calendar months from ``start`` to ``end`` (negative when ``end`` is earlier).

    Whole months first (the most that ``add_months`` can add without passing
    ``end``), then the part-month as a share of the next month's days, so
    30 Sep → 31 Dec is exactly 3 and 30 Jun → 1 Oct is a little over 3.
    Rounded to ``decimals`` for display; ``None`` keeps full precision.
    """
    start, end = _as_date(start), _as_date(end)
    if start is None or end is None:
        return NAN
    if end < start:
        return -months_between(end, start, decimals)
    whole = (end.year - start.year) * 12 + (end.month - start.month)
    while whole > 0 and add_months(start, whole) > end:
        whole -= 1
    while add_months(start, whole + 1) <= end:
        whole += 1
    reached, following = add_months(start, whole), add_months(start, whole + 1)
    result = whole + (end - reached).days / (following - reached).days
    return result if decimals is None else round(result, decimals)


# --- §7 action status --------------------------------------------------------------------
def effective_end_date(baseline_end: date, expected_end: date | None, period_end: date) -> date | None:
    """When the action is now expected to finish, as at the period end.

    Why: an action past its baseline end date, undelivered, with no new date
    has slipped at least to today (the period end) even if nobody said so.
    """
    baseline_end, expected_end, period_end = _as_date(baseline_end), _as_date(expected_end), _as_date(period_end)
    if expected_end is not None:
        return expected_end
    if baseline_end is not None and period_end is not None and baseline_end < period_end:
        return period_end
    return baseline_end


def slippage_status(baseline_end: date, effective_end: date) -> tuple[str, float]:
    """On target, Slipped (less than 3 months) or Slipped (more than 3 months), with the months.

    Why compare dates, not the rounded months: "up to and including three
    calendar months" is a date (the baseline plus three months); rounding
    3.004 months to 3.0 must not hide a slip of a day more.
    """
    baseline_end, effective_end = _as_date(baseline_end), _as_date(effective_end)
    if baseline_end is None or effective_end is None:
        return ON_TARGET, NAN
    if effective_end <= baseline_end:
        return ON_TARGET, 0.0
    months = months_between(baseline_end, effective_end)
    if add_months(baseline_end, SLIPPAGE_THRESHOLD_MONTHS) >= effective_end:
        return SLIPPED_LESS, months
    return SLIPPED_MORE, months


def action_status(
    progress: str,
    start: date | None,
    baseline_end: date | None,
    expected_end: date | None,
    completed: date | None,
    period_end: date,
) -> tuple[str, float]:
    """An action's status as at ``period_end`` and its slippage in calendar months.

    Why this order: delivery and withdrawal are facts that end the story;
    an action not due to start is not late; only then do dates decide. A
    "Completed" with no completed date is not taken on trust as Delivered
    (the returns reader flags it) and is judged on its dates instead.
    Slippage is NaN where it means nothing (No longer viable).
    """
    progress = _text(progress).strip()
    completed, start, period_end = _as_date(completed), _as_date(start), _as_date(period_end)
    baseline_end = _as_date(baseline_end)
    if progress == PROGRESS_COMPLETED and completed is not None:
        if baseline_end is None:
            return DELIVERED, NAN
        return DELIVERED, max(0.0, months_between(baseline_end, completed))
    if progress == PROGRESS_NOT_VIABLE:
        return NO_LONGER_VIABLE, NAN
    if start is not None and start > period_end and progress in ("", PROGRESS_NOT_STARTED):
        return SCHEDULED, 0.0
    return slippage_status(baseline_end, effective_end_date(baseline_end, expected_end, period_end))
