"""Making Data Count XmR charts: limits, special-cause rules and the two icons.

Councils borrow NHS England's *Making Data Count* way of reading a run of
values: an XmR (individuals) chart whose process limits say how much a measure
moves by chance, four rules that flag a change worth talking about, and two
icons, *variation* (what the latest point is doing) and *assurance* (whether
the target can be met by the process as it runs). The behaviour mirrors NHS-R's
NHSRplotthedots (``ptd_spc``), so a council's chart agrees with its health
partners' charts. Where this module decides something NHSRplotthedots leaves
open, or departs from it on purpose, the docstring says so.

The calculation is a pipe of named steps, each a small pure function that can
be tested with a handful of numbers:

    limits → side of mean / beyond / near → trend, shift, two-in-three
    → rule per point → point type → variation and assurance

Nothing here reads or writes files or mutates its inputs. Thresholds and
published labels live in ``pmflib.constants`` ("SPC (Making Data Count)").

Two deliberate choices that apply throughout:

* Missing values (NaN/None) are dropped before anything is computed, so a gap
  simply joins its neighbours; their rows do not appear in the result, and the
  ``x`` column keeps each point's own label so the gap stays visible.
* "Exactly on" a line (the mean, a limit, a near limit) is judged with the
  relative slack ``FLOAT_SLACK``, so a value that equals a limit on paper is not
  pushed over it by binary rounding (10 + 2.66 × 1 is not exactly 12.66).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pmflib.core.values import is_missing as _is_missing

from pmflib.core.constants import (
    FLOAT_SLACK,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NEUTRAL,
    POLARITIES,
    SPC_ASSURANCE_COLUMN,
    SPC_ASSURANCE_ICON_LABELS,
    SPC_ASSURANCES,
    SPC_COMMON_CAUSE,
    SPC_CONCERN,
    SPC_CONSISTENTLY_FAIL,
    SPC_CONSISTENTLY_PASS,
    SPC_HIT_AND_MISS,
    SPC_IMPROVEMENT,
    SPC_LIMIT_FACTOR,
    SPC_MIN_POINTS,
    SPC_MR_SCREEN_FACTOR,
    SPC_NEAR_COUNT,
    SPC_NEAR_LIMIT_FRACTION,
    SPC_NEAR_WINDOW,
    SPC_NEUTRAL_HIGH,
    SPC_NEUTRAL_LOW,
    SPC_NO_ASSURANCE,
    SPC_NO_ASSURANCE_HEADING,
    SPC_NOT_ENOUGH_DATA,
    SPC_RULE_TREND,
    SPC_RULES,
    SPC_RUN_LENGTH,
    SPC_VARIATION_COLUMN,
    SPC_VARIATION_ICON_LABELS,
    SPC_VARIATIONS,
)
from pmflib.core.errors import PmfError

#: Fewer points than this in the series (or in its latest segment): no icons.
MIN_POINTS = SPC_MIN_POINTS

#: Columns of ``SpcResult.points``, in order.
POINT_COLUMNS = (
    "x", "value", "segment", "mean", "upper", "lower", "near_upper", "near_lower",
    "moving_range", "short_segment", "special_cause", "point_type",
)


class SpcError(PmfError, ValueError):
    """An argument to an SPC function that cannot be used.

    A ``ValueError`` too, so callers that only know Python's own errors still
    catch it; the message names the argument and the offending value.
    """


# --- Limits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """The lines of one XmR chart segment (all NaN when there is nothing to fit)."""

    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    near_upper: float
    near_lower: float


def moving_ranges(values: Iterable[float]) -> np.ndarray:
    """|xᵢ − xᵢ₋₁| for each point, NaN for the first (it has no predecessor).

    Same length as the input so it can sit beside the values as a column.
    """
    y = np.asarray(list(values), dtype=float)
    if y.size == 0:
        return np.array([], dtype=float)
    return np.concatenate(([np.nan], np.abs(np.diff(y))))


def mean_moving_range(values: Iterable[float], screen_outliers: bool = True) -> float:
    """The average moving range, optionally screened for one-off jumps.

    Screening (NHSRplotthedots' default) drops moving ranges of at least
    3.267 × the mean moving range and averages the rest once, so a single
    freak month does not widen the limits enough to hide real change. Turn it
    off to match the Making Data Count Excel tool. When the mean moving range
    is 0 (all values equal) nothing is screened: every range would be "at least
    0", and dropping them all would leave no limits at all (NHSRplotthedots
    returns NaN there; a flat series deserves flat limits).
    """
    y = _without_missing(values)
    ranges = np.abs(np.diff(y))
    if ranges.size == 0:
        return math.nan
    average = float(np.mean(ranges))
    if screen_outliers and average > 0:
        average = float(np.mean(ranges[ranges < SPC_MR_SCREEN_FACTOR * average]))
    return average


def limits(values: Iterable[float], screen_outliers: bool = True) -> Limits:
    """Mean, process limits (± 2.66 mean moving ranges) and near limits (⅔ of that).

    Missing values are dropped first. One point gives a mean but no moving
    range, so its limits are NaN; no points give NaN throughout.
    """
    y = _without_missing(values)
    if y.size == 0:
        return Limits(*[math.nan] * 6)
    centre = _mean(y)
    mr_bar = mean_moving_range(y, screen_outliers)
    width = SPC_LIMIT_FACTOR * mr_bar
    near = SPC_NEAR_LIMIT_FRACTION * width
    return Limits(centre, mr_bar, centre + width, centre - width, centre + near, centre - near)


def _mean(y: np.ndarray) -> float:
    """The centre line, exact when every value is the same.

    ``np.mean([0.1] * 12)`` is not exactly 0.1, which would put every point of
    a flat series a hair off its own mean; a flat series must sit on it.
    """
    if np.all(y == y[0]):
        return float(y[0])
    return math.fsum(y) / y.size


def _without_missing(values: Iterable[float]) -> np.ndarray:
    y = np.asarray(list(values), dtype=float)
    return y[~np.isnan(y)]


# --- Where each point sits ------------------------------------------------------------


def tolerance(lines: Limits) -> float:
    """How close to a line counts as *on* it: ``FLOAT_SLACK`` × the chart's scale."""
    scale = [abs(v) for v in (lines.mean, lines.upper, lines.lower) if not math.isnan(v)]
    return FLOAT_SLACK * max(scale, default=0.0)


def side_of_mean(values: Iterable[float], mean: float, tol: float = 0.0) -> np.ndarray:
    """+1 above the mean, −1 below, 0 on it (within ``tol``): a 0 breaks a shift."""
    y = np.asarray(list(values), dtype=float)
    return np.where(y > mean + tol, 1, np.where(y < mean - tol, -1, 0)).astype(np.int8)


def beyond_limit(
    values: Iterable[float], upper: float, lower: float, tol: float = 0.0,
) -> np.ndarray:
    """Rule 1: a point strictly outside a process limit (on the limit is inside)."""
    y = np.asarray(list(values), dtype=float)
    return (y > upper + tol) | (y < lower - tol)


def near_limit(values: Iterable[float], lines: Limits, tol: float = 0.0) -> np.ndarray:
    """Points strictly beyond a near limit but not beyond the process limit.

    A point outside the process limits is already special cause on its own and,
    as in NHSRplotthedots (``close_to_limits``), does not count towards two in
    three; a point exactly on a process limit does count.
    """
    y = np.asarray(list(values), dtype=float)
    past_near = (y > lines.near_upper + tol) | (y < lines.near_lower - tol)
    return past_near & ~beyond_limit(y, lines.upper, lines.lower, tol)


# --- Special-cause rules --------------------------------------------------------------


def _runs(values: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, stop) of each maximal run of equal consecutive values."""
    start = 0
    for i in range(1, values.size + 1):
        if i == values.size or values[i] != values[start]:
            yield start, i
            start = i


def shift(side: Iterable[int]) -> np.ndarray:
    """Rule 2: every point of a run of 7 or more on the same side of the mean.

    ``side`` comes from ``side_of_mean``; a point on the mean (0) ends a run.
    """
    side = np.asarray(list(side), dtype=np.int8)
    flagged = np.zeros(side.size, dtype=bool)
    for start, stop in _runs(side):
        if side[start] != 0 and stop - start >= SPC_RUN_LENGTH:
            flagged[start:stop] = True
    return flagged


def trend(values: Iterable[float]) -> np.ndarray:
    """Rule 3: +1/−1 for every point of 7 or more strictly rising/falling, else 0.

    Six steps in one direction make seven points; a tie (a step of 0) breaks
    the run, and a trend may cross the mean. A turning point that ends one
    trend and starts the next takes the later trend's direction, as
    NHSRplotthedots does ("use right side").
    """
    y = np.asarray(list(values), dtype=float)
    steps = np.sign(np.diff(y))
    direction = np.zeros(y.size, dtype=np.int8)
    for start, stop in _runs(steps):
        if steps[start] != 0 and stop - start >= SPC_RUN_LENGTH - 1:
            direction[start:stop + 1] = steps[start]
    return direction


def two_in_three(near: Iterable[bool], side: Iterable[int]) -> np.ndarray:
    """Rule 4: two of three consecutive points near a limit, all three on one side.

    Only the near-limit points are flagged, not the third point of the window;
    a window that would run off either end of the series does not count.
    """
    near = np.asarray(list(near), dtype=bool)
    side = np.asarray(list(side), dtype=np.int8)
    flagged = np.zeros(near.size, dtype=bool)
    for i in range(near.size - SPC_NEAR_WINDOW + 1):
        window = slice(i, i + SPC_NEAR_WINDOW)
        one_side = side[i] != 0 and bool(np.all(side[window] == side[i]))
        if one_side and near[window].sum() >= SPC_NEAR_COUNT:
            flagged[window] |= near[window]
    return flagged


def special_cause_rule(
    beyond: Iterable[bool], trend_direction: Iterable[int],
    near_pair: Iterable[bool], in_shift: Iterable[bool],
) -> np.ndarray:
    """The rule that labels each point, first match in precedence order, or "".

    Precedence (beyond limit > trend > two in three > shift) follows
    NHSRplotthedots' ``ptd_special_cause_type``; it matters because a trend's
    direction, not its side of the mean, decides improvement or concern.
    """
    conditions = [
        np.asarray(list(beyond), dtype=bool),
        np.asarray(list(trend_direction), dtype=np.int8) != 0,
        np.asarray(list(near_pair), dtype=bool),
        np.asarray(list(in_shift), dtype=bool),
    ]
    return np.select(conditions, list(SPC_RULES), default="").astype(object)


def point_types(
    rule: Iterable[str], side: Iterable[int], trend_direction: Iterable[int], polarity: str,
) -> np.ndarray:
    """Turn each point's rule into the published point type.

    High or low is the side of the mean, except for a trend, where it is the
    trend's direction (rising = high): a falling run above the mean is a
    concern when higher is better (NHSRplotthedots issue #171).
    """
    _check_polarity(polarity)
    rule = np.asarray(list(rule), dtype=object)
    direction = np.asarray(list(trend_direction))
    high = np.where(rule == SPC_RULE_TREND, direction, np.asarray(list(side))) > 0
    if polarity == NEUTRAL:
        special = np.where(high, SPC_NEUTRAL_HIGH, SPC_NEUTRAL_LOW)
    else:
        good = high if polarity == HIGHER_IS_BETTER else ~high
        special = np.where(good, SPC_IMPROVEMENT, SPC_CONCERN)
    return np.where(rule == "", SPC_COMMON_CAUSE, special).astype(object)


# --- Assurance ------------------------------------------------------------------------


def assurance(target: float | None, upper: float, lower: float, polarity: str) -> str:
    """Can the process as it runs meet the target? Judged against the process limits.

    Higher is better: a target above the upper limit will consistently fail, one
    below the lower limit will consistently pass, one between them (limits
    included) is hit and miss; mirrored when lower is better. No target, or a
    Neutral measure, gives no assurance (``""``), as NHSRplotthedots gives NA.
    """
    _check_polarity(polarity)
    _check_target(target)
    if polarity == NEUTRAL or _is_missing(target) or math.isnan(upper) or math.isnan(lower):
        return SPC_NO_ASSURANCE
    tol = FLOAT_SLACK * max(abs(upper), abs(lower))
    higher_is_better = polarity == HIGHER_IS_BETTER
    if target > upper + tol:
        return SPC_CONSISTENTLY_FAIL if higher_is_better else SPC_CONSISTENTLY_PASS
    if target < lower - tol:
        return SPC_CONSISTENTLY_PASS if higher_is_better else SPC_CONSISTENTLY_FAIL
    return SPC_HIT_AND_MISS


# --- The whole chart ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SpcResult:
    """One measure's chart: a row per point plus the two icons.

    ``points`` has ``POINT_COLUMNS``: ``x`` (the point's label, or its position
    when no labels were given), ``value``, ``segment`` (0, then +1 at each
    rebase), the segment's ``mean``/``upper``/``lower``/``near_upper``/
    ``near_lower``, ``moving_range`` (within the segment; NaN at its first
    point), ``short_segment`` (the segment has fewer than ``MIN_POINTS`` points,
    so its limits are trial limits), ``special_cause`` (rule name or ``""``) and
    ``point_type``. ``enough_data`` is False when the series, or its latest
    segment, is shorter than ``MIN_POINTS``; then ``variation`` is
    ``Not enough data`` and ``assurance`` is ``""``, though limits and point
    types are still filled in for the chart.
    """

    points: pd.DataFrame
    variation: str
    assurance: str
    enough_data: bool


def spc(
    values: Iterable[float],
    polarity: str,
    target: float | None = None,
    *,
    labels: Iterable[object] | None = None,
    screen_outliers: bool = True,
    baseline: int | None = None,
    rebase_at: Iterable[object] = (),
) -> SpcResult:
    """Compute an XmR chart with Making Data Count rules and icons.

    ``values`` are in time order (a ``pd.Series`` lends its index as labels).
    ``baseline=n`` fixes each segment's limits on its first n points (n ≥ 12)
    so later points are judged against a settled process. ``rebase_at`` lists
    the points (label, or 0-based position) where the process changed: each
    segment gets its own mean and limits, and runs do not cross a rebase. A
    value in ``rebase_at`` that is one of the labels is read as a label first.
    """
    y, x = _check_series(values, labels)
    _check_polarity(polarity)
    _check_target(target)
    _check_screen(screen_outliers)
    _check_baseline(baseline)
    starts = _rebase_positions(rebase_at, x)

    position = np.arange(y.size)
    segment = np.searchsorted(np.array(starts, dtype=int), position, side="right")
    present = ~np.isnan(y)
    frames = [
        _segment_points(x[present & (segment == s)], y[present & (segment == s)], int(s),
                        polarity, screen_outliers, baseline)
        for s in np.unique(segment[present])
    ]
    points = pd.concat(frames, ignore_index=True) if frames else _empty_points(x)

    enough = bool(len(points) >= MIN_POINTS and not points["short_segment"].iloc[-1])
    if not enough:
        return SpcResult(points, SPC_NOT_ENOUGH_DATA, SPC_NO_ASSURANCE, False)
    last = points.iloc[-1]
    return SpcResult(
        points,
        str(last["point_type"]),
        assurance(target, float(last["upper"]), float(last["lower"]), polarity),
        True,
    )


def _segment_points(
    x: pd.Index, y: np.ndarray, segment: int, polarity: str,
    screen_outliers: bool, baseline: int | None,
) -> pd.DataFrame:
    """Limits, rules and point types for one segment (between rebases)."""
    lines = limits(y[:baseline] if baseline else y, screen_outliers)
    tol = tolerance(lines)
    side = side_of_mean(y, lines.mean, tol)
    direction = trend(y)
    rule = special_cause_rule(
        beyond_limit(y, lines.upper, lines.lower, tol),
        direction,
        two_in_three(near_limit(y, lines, tol), side),
        shift(side),
    )
    n = y.size
    return pd.DataFrame({
        "x": x,
        "value": y,
        "segment": np.full(n, segment, dtype=np.int64),
        "mean": np.full(n, lines.mean),
        "upper": np.full(n, lines.upper),
        "lower": np.full(n, lines.lower),
        "near_upper": np.full(n, lines.near_upper),
        "near_lower": np.full(n, lines.near_lower),
        "moving_range": moving_ranges(y),
        "short_segment": np.full(n, n < MIN_POINTS, dtype=bool),
        "special_cause": pd.array(rule, dtype="str"),
        "point_type": pd.array(point_types(rule, side, direction, polarity), dtype="str"),
    })


def _empty_points(x: pd.Index) -> pd.DataFrame:
    """The points table of a series with no values: right columns, no rows."""
    empty = np.array([], dtype=float)
    return pd.DataFrame({
        "x": x[:0],
        "value": empty, "segment": np.array([], dtype=np.int64),
        "mean": empty, "upper": empty, "lower": empty,
        "near_upper": empty, "near_lower": empty, "moving_range": empty,
        "short_segment": np.array([], dtype=bool),
        "special_cause": pd.array([], dtype="str"),
        "point_type": pd.array([], dtype="str"),
    })


# --- Icons and the summary across indicators ---------------------------------------


def variation_icon_label(variation: str) -> str:
    """Accessible text for a variation icon (alt text, screen readers, tables)."""
    return _label(SPC_VARIATION_ICON_LABELS, variation, "variation")


def assurance_icon_label(assurance: str) -> str:
    """Accessible text for an assurance icon; ``""`` when no icon is shown."""
    return _label(SPC_ASSURANCE_ICON_LABELS, assurance, "assurance")


def _label(labels: dict[str, str], value: object, name: str) -> str:
    if isinstance(value, str) and value in labels:
        return labels[value]
    raise SpcError(f"{name}: {value!r} is not one of {', '.join(map(repr, labels))}")


def spc_summary_matrix(results: pd.DataFrame) -> pd.DataFrame:
    """Count indicators by variation (rows) × assurance (columns).

    ``results`` has one row per indicator with ``SPC Variation`` and
    ``SPC Assurance`` columns. Every category appears, zeros included, so the
    table has the same shape every quarter; blank assurance (no target, or
    Neutral) is counted under "No assurance". A blank read back from CSV (NaN)
    counts as blank assurance.
    """
    missing = [c for c in (SPC_VARIATION_COLUMN, SPC_ASSURANCE_COLUMN) if c not in results.columns]
    if missing:
        raise SpcError(f"results: missing column(s) {', '.join(map(repr, missing))}")
    variation = results[SPC_VARIATION_COLUMN]
    assured = results[SPC_ASSURANCE_COLUMN].astype(object).where(
        results[SPC_ASSURANCE_COLUMN].notna(), SPC_NO_ASSURANCE)
    _check_members(variation, SPC_VARIATIONS, SPC_VARIATION_COLUMN)
    _check_members(assured, SPC_ASSURANCES, SPC_ASSURANCE_COLUMN)

    headings = {a: (a or SPC_NO_ASSURANCE_HEADING) for a in SPC_ASSURANCES}
    counts = pd.DataFrame(
        0, dtype="int64",
        index=pd.Index(list(SPC_VARIATIONS), name=SPC_VARIATION_COLUMN),
        columns=pd.Index(list(headings.values()), name=SPC_ASSURANCE_COLUMN),
    )
    for v, a in zip(variation, assured):
        counts.loc[v, headings[a]] += 1
    return counts


def _check_members(column: pd.Series, allowed: tuple[str, ...], name: str) -> None:
    bad = sorted({repr(v) for v in column if not (isinstance(v, str) and v in allowed)})
    if bad:
        raise SpcError(f"results[{name!r}]: unknown value(s) {', '.join(bad)}; "
                       f"expected one of {', '.join(map(repr, allowed))}")


# --- Options, validated once up front --------------------------------------------------


def _check_series(
    values: Iterable[float], labels: Iterable[object] | None,
) -> tuple[np.ndarray, pd.Index]:
    """Values as floats (NaN for missing) and their labels as an index."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise SpcError(f"values: expected a sequence of numbers, not {values!r}")
    items = list(values)
    for i, v in enumerate(items):
        if _is_missing(v):
            continue
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.number)):
            raise SpcError(f"values: point {i} is {v!r}, not a number")
        if math.isinf(v):
            raise SpcError(f"values: point {i} is {v!r}, not a finite number")
    y = np.array([math.nan if _is_missing(v) else float(v) for v in items], dtype=float)

    if labels is None:
        x = values.index if isinstance(values, pd.Series) else pd.RangeIndex(y.size)
    else:
        if isinstance(labels, (str, bytes)) or not isinstance(labels, Iterable):
            raise SpcError(f"labels: expected one label per value, not {labels!r}")
        x = pd.Index(list(labels))
        if len(x) != y.size:
            raise SpcError(f"labels: {len(x)} labels for {y.size} values; give one label per value")
    if x.has_duplicates:
        raise SpcError(f"labels: duplicated {', '.join(map(repr, x[x.duplicated()].unique()))}")
    return y, x


def _check_polarity(polarity: object) -> None:
    if polarity not in POLARITIES:
        raise SpcError(f"polarity: {polarity!r} is not one of {', '.join(map(repr, POLARITIES))}")


def _check_target(target: object) -> None:
    if _is_missing(target):
        return
    if isinstance(target, (bool, np.bool_)) or not isinstance(target, (int, float, np.number)):
        raise SpcError(f"target: {target!r} is not a number")


def _check_screen(screen_outliers: object) -> None:
    if not isinstance(screen_outliers, (bool, np.bool_)):
        raise SpcError(f"screen_outliers: {screen_outliers!r} must be True or False")


def _check_baseline(baseline: object) -> None:
    """Limits fixed on fewer than 12 points would be trial limits forever."""
    if baseline is None:
        return
    if isinstance(baseline, (bool, np.bool_)) or not isinstance(baseline, (int, np.integer)):
        raise SpcError(
            f"baseline: {baseline!r} must be a whole number of points (at least {MIN_POINTS})"
        )
    if baseline < MIN_POINTS:
        raise SpcError(f"baseline: {baseline} is too few points; limits need at least {MIN_POINTS}")


def _rebase_positions(rebase_at: Iterable[object], x: pd.Index) -> list[int]:
    """0-based positions where a new segment starts (a label wins over a position)."""
    if isinstance(rebase_at, (str, bytes)) or not isinstance(rebase_at, Iterable):
        rebase_at = [rebase_at]
    positions = set()
    for item in rebase_at:
        try:
            found = item in x
        except (TypeError, ValueError):
            found = False
        if found:
            where = x.get_loc(item)
            if not isinstance(where, (int, np.integer)):
                raise SpcError(f"rebase_at: {item!r} matches more than one point; name one label")
            positions.add(int(where))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, (bool, np.bool_)) \
                and 0 <= item < len(x):
            positions.add(int(item))
        else:
            raise SpcError(
                f"rebase_at: {item!r} is neither a label of the series nor a position "
                f"from 0 to {len(x) - 1}"
            )
    # A rebase at the first point starts nothing new; dropping it keeps segments numbered from 0.
    return sorted(p for p in positions if p > 0)
