"""Benchmarking against comparator councils (SPEC §3, §9): rank, quartile, median.

Two input shapes are read: the SPEC's own ``Comparator Metric, Year,
Authority, Value`` and the long format councils and LG Inform publish
(``area_code, area_name, period, indicator, measure, unit, value``, as in
Trafford's corporate plan data). Ranking respects polarity: rank 1 is the
best council, whichever way "best" points.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .constants import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL
from .errors import Problem

SPEC_COLUMNS = ("Comparator Metric", "Year", "Authority", "Value")
LONG_COLUMNS = ("area_code", "area_name", "period", "indicator", "measure", "unit", "value")
COMPARATOR_COLUMNS = ("Comparator Metric", "Year", "Authority", "Area Code", "Value", "Unit", "Is Aggregate")
#: ONS area-code prefixes of aggregates (England, regions): shown for reference, never ranked.
AGGREGATE_CODE_PREFIXES = ("E92", "E12", "K02", "K03", "K04")
QUARTILE_LABELS = {1: "Top quartile", 2: "Second quartile", 3: "Third quartile", 4: "Bottom quartile"}
_YEAR = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")


def _key(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(text).casefold())


def normalise_year(text: object) -> str:
    """``2019/20`` or ``2019-2020`` → ``2019-20`` (a financial year); other labels kept as written."""
    value = str(text).strip()
    match = _YEAR.match(value)
    if match:
        start, end = int(match.group(1)), int(match.group(2)[-2:])
        if (start + 1) % 100 == end:
            return f"{start}-{end:02d}"
    return value


def ordinal(number: int) -> str:
    """1 → 1st, 2 → 2nd, 11 → 11th, 22 → 22nd."""
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def quartile_label(quartile: int | None) -> str:
    return QUARTILE_LABELS.get(quartile, "Not ranked")


def _from_spec(frame: pd.DataFrame, columns: dict[str, str], file: str) -> tuple[list[dict], list[Problem]]:
    rows, problems = [], []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        metric = str(record[columns["Comparator Metric"]]).strip()
        authority = str(record[columns["Authority"]]).strip()
        raw = str(record[columns["Value"]]).strip().replace(",", "")
        if not authority:
            problems.append(Problem(file, "", f"C{number}", "Authority is blank", "", metric))
            continue
        try:
            value = float(raw)
        except ValueError:
            problems.append(Problem(file, "", f"D{number}", f"'{raw}' is not a number", raw, metric))
            continue
        rows.append({"Comparator Metric": metric, "Year": normalise_year(record[columns["Year"]]),
                     "Authority": authority, "Area Code": "", "Value": value, "Unit": "", "Is Aggregate": False})
    return rows, problems


def _from_long(frame: pd.DataFrame, file: str) -> tuple[list[dict], list[Problem]]:
    measures = frame.groupby("indicator")["measure"].nunique()
    rows, problems = [], []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        indicator = str(record["indicator"]).strip()
        metric = indicator if measures.get(indicator, 1) <= 1 else f"{indicator} | {record['measure']}"
        raw = str(record["value"]).strip()
        try:
            value = float(raw)
        except ValueError:
            problems.append(Problem(file, "", f"G{number}", f"'{raw}' is not a number", raw, metric))
            continue
        code = str(record["area_code"]).strip()
        rows.append({
            "Comparator Metric": metric, "Year": normalise_year(record["period"]),
            "Authority": str(record["area_name"]).strip(), "Area Code": code, "Value": value,
            "Unit": str(record["unit"]).strip(),
            "Is Aggregate": code.startswith(AGGREGATE_CODE_PREFIXES) or _key(record["area_name"]) == "england",
        })
    return rows, problems


def read_comparators(path: "Path | str") -> tuple[pd.DataFrame, list[Problem]]:
    """Comparator values from either format; bad rows reported, good rows kept."""
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    headers = {_key(c): c for c in frame.columns}
    if all(_key(c) in headers for c in LONG_COLUMNS):
        frame = frame.rename(columns={headers[_key(c)]: c for c in LONG_COLUMNS})
        rows, problems = _from_long(frame, path.name)
    elif all(_key(c) in headers for c in SPEC_COLUMNS):
        rows, problems = _from_spec(frame, {c: headers[_key(c)] for c in SPEC_COLUMNS}, path.name)
    else:
        return pd.DataFrame(columns=list(COMPARATOR_COLUMNS)), [Problem(
            path.name, "", "1:1", "Not a comparators file: the headers must be "
            f"{', '.join(SPEC_COLUMNS)} (or {', '.join(LONG_COLUMNS)})", ", ".join(frame.columns))]
    table = pd.DataFrame(rows, columns=list(COMPARATOR_COLUMNS))
    duplicated = table.duplicated(["Comparator Metric", "Year", "Authority"])
    for record in table[duplicated].to_dict("records"):
        problems.append(Problem(path.name, "", "", f"Duplicate value for {record['Authority']} in {record['Year']}: "
                                "the first was used", str(record["Value"]), record["Comparator Metric"]))
    return table[~duplicated].reset_index(drop=True), problems


@dataclass(frozen=True)
class BenchmarkRank:
    rank: int | None
    of: int
    quartile: int | None
    median: float
    best: float
    worst: float
    own_value: float | None
    note: str = ""


def rank_among(values: pd.DataFrame, own_authority: str, polarity: str) -> BenchmarkRank:
    """The council's rank among its comparators (1 = best), polarity respected.

    Ties share the better rank ("1224" ranking). The quartile comes from the
    council's position between best (0) and worst (1), (rank − 1) / (n − 1):
    below 1/4 top, … , from 3/4 bottom. With 16 councils ranks 1–4 are the top
    quartile and 13–16 the bottom; with 2 councils the better one is top (a
    plain ceil(4 × rank / n) would put it in the second quartile). The median is of every
    ranked council, this one included. Aggregates (England) are not ranked.
    """
    ranked = values[~values["Is Aggregate"].astype(bool)] if "Is Aggregate" in values else values
    numbers = ranked["Value"].astype(float)
    count = len(ranked)
    median = float(numbers.median()) if count else math.nan
    own = ranked.loc[ranked["Authority"] == own_authority, "Value"]
    if polarity == LOWER_IS_BETTER:
        best, worst = (float(numbers.min()), float(numbers.max())) if count else (math.nan, math.nan)
    else:
        best, worst = (float(numbers.max()), float(numbers.min())) if count else (math.nan, math.nan)
    if own.empty:
        return BenchmarkRank(None, count, None, median, best, worst, None, f"no value for {own_authority}")
    own_value = float(own.iloc[0])
    if polarity == NEUTRAL:
        return BenchmarkRank(None, count, None, median, best, worst, own_value, "not ranked: neutral measure")
    better = numbers > own_value if polarity == HIGHER_IS_BETTER else numbers < own_value
    rank = int(better.sum()) + 1
    quartile = 1 if count == 1 else min(4, math.floor(4 * (rank - 1) / (count - 1)) + 1)
    return BenchmarkRank(rank, count, quartile, median, best, worst, own_value)


def benchmark_table(indicators: pd.DataFrame, comparators: pd.DataFrame, own_authority: str,
                    year: str | None = None) -> pd.DataFrame:
    """One row per benchmarked indicator: latest year with the council's own value."""
    columns = ["Indicator ID", "Indicator", "Comparator Metric", "Year", "Own Value", "Rank", "Of", "Quartile",
               "Median", "Best", "Worst", "Polarity", "Unit", "Position", "Aggregate Value"]
    rows = []
    if comparators is None or comparators.empty or "Comparator Metric" not in indicators:
        return pd.DataFrame(columns=columns)
    for indicator in indicators.to_dict("records"):
        metric = str(indicator.get("Comparator Metric") or "").strip()
        if not metric:
            continue
        values = comparators[comparators["Comparator Metric"] == metric]
        own_years = values.loc[values["Authority"] == own_authority, "Year"]
        if year is not None:
            chosen = year
        elif len(own_years):
            chosen = sorted(own_years)[-1]
        else:
            continue
        in_year = values[values["Year"] == chosen]
        result = rank_among(in_year, own_authority, indicator["Polarity"])
        aggregates = in_year[in_year["Is Aggregate"].astype(bool)]["Value"]
        position = (f"{ordinal(result.rank)} of {result.of} ({quartile_label(result.quartile).lower()})"
                    if result.rank else result.note)
        rows.append({
            "Indicator ID": indicator["Indicator ID"], "Indicator": indicator["Indicator"],
            "Comparator Metric": metric, "Year": chosen, "Own Value": result.own_value, "Rank": result.rank,
            "Of": result.of, "Quartile": result.quartile, "Median": result.median, "Best": result.best,
            "Worst": result.worst, "Polarity": indicator["Polarity"], "Unit": indicator.get("Unit", ""),
            "Position": position, "Aggregate Value": float(aggregates.iloc[0]) if len(aggregates) else math.nan,
        })
    return pd.DataFrame(rows, columns=columns)
