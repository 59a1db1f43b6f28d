"""Benchmarking against comparator councils (SPEC §3 comparators, §9 Q2).

The Q2 and annual reports show, for each indicator with a ``Comparator
Metric``, where the council stands among its comparators (e.g. its CIPFA
nearest neighbours): rank, quartile, the comparators' median and best and
worst, and a national figure (England) as a reference line.

Two file shapes are read, because councils are handed both:

* the SPEC's own ``Comparator Metric, Year, Authority, Value``;
* the long format that councils and LG Inform publish,
  ``area_code, area_name, period, indicator, measure, unit, value`` (e.g.
  Trafford's corporate-plan data: Trafford, its 15 nearest neighbours and
  England).

Reading (``pmflib.inputs.comparators.read_comparators``) touches disk and
hands each file to the pure ``parse_comparators`` here. The rules
(``rank_among``, ``quartile_of``, ``benchmark_table``) are pure functions
that never change the tables they are given.

The rules, stated once (tests work them by hand):

* **Rank**: 1 is the best council, whichever way "best" points (Higher is
  better: the highest value is 1st; Lower is better: the lowest). Ties share
  the better rank ("1224" competition ranking): a council is ranked one more
  than the number of councils strictly better than it. Aggregates (England,
  regions) are never ranked. Neutral measures are not ranked at all.
* **Quartile** (``quartile_of``): from the council's place between best and
  worst, ``(rank − 1) / (n − 1)``: at most 1/4 → top quartile, at most 1/2 →
  second, at most 3/4 → third, otherwise bottom; as a formula
  ``max(1, ceil(4 × (rank − 1) / (n − 1)))``. With 16 councils that is ranks
  1–4, 5–8, 9–12, 13–16. It is the same as comparing the council's value
  with the group's quartile values as Excel's ``QUARTILE.INC`` (and
  ``MEDIAN``) compute them, a value on a boundary counting for the better
  quartile, so an analyst can check any quartile in a spreadsheet. It never
  puts the best council outside the top quartile (``ceil(4 × rank / n)``
  would call the better of two councils "second quartile"). With fewer than
  two councils there is no quartile.
* **Median** of every ranked council, the council itself included: the same
  councils the rank and quartile are counted among, and the line the chart
  draws.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.cells import is_blank, parse_number
from pmflib.core.errors import PeriodError, PmfError, Problem
from pmflib.core.periods import year_label

_FINANCIAL_YEAR = re.compile(r"^(\d{4})\s*[-/–]\s*(\d{2}|\d{4})$")
_CALENDAR_YEAR = re.compile(r"^\d{4}$")


class BenchmarkError(PmfError, ValueError):
    """A benchmarking input that cannot be used at all (names the culprit)."""


# --- small vocabulary ------------------------------------------------------------------------------
def _key(text: object) -> str:
    """Headers and metric-map keys are matched ignoring case, spaces and punctuation."""
    return re.sub(r"[^a-z0-9]+", "", str(text).casefold())


def _column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: so a problem names the cell a CSV shows in Excel."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def normalise_year(text: object) -> str:
    """A comparator year in the register's form, so years from either file shape match.

    Financial years in any usual spelling (``2019/20``, ``2019-20``,
    ``2019-2020``) become ``2019-20``, the form of the Targets sheet. A bare
    four-digit year (``2019``) is a calendar year (some statistics, e.g. NEET,
    are published for calendar years) and is kept as ``2019``: turning it into
    a financial year would be a guess. Anything else raises ``PeriodError``.
    """
    value = str(text).strip()
    match = _FINANCIAL_YEAR.match(value)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        expected = start + 1 if len(match.group(2)) == 4 else (start + 1) % 100
        if end != expected:
            raise PeriodError(f"'{value}' is not a financial year: the second part must be the year after {start} "
                              f"(write {year_label(start)})")
        return year_label(start)
    if _CALENDAR_YEAR.match(value):
        return value
    raise PeriodError(f"'{value}' is not a year: write a financial year like 2024-25 or a calendar year like 2024")


def _year_order(label: str) -> tuple[int, str]:
    """Years sort by their first calendar year (labels are normalised already)."""
    return int(label[:4]), label


def ordinal(number: int) -> str:
    """1 → 1st, 2 → 2nd, 3 → 3rd, 11 → 11th, 22 → 22nd (ranks in plain English)."""
    if isinstance(number, bool) or int(number) != number or number < 0:
        raise BenchmarkError(f"{number!r} is not a rank")
    number = int(number)
    suffix = "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def quartile_label(quartile: int | None) -> str:
    """1 → Top quartile … 4 → Bottom quartile; None → Not ranked."""
    if quartile is None:
        return C.NOT_RANKED_LABEL
    if quartile not in C.QUARTILE_LABELS:
        raise BenchmarkError(f"{quartile!r} is not a quartile (1 to 4)")
    return C.QUARTILE_LABELS[quartile]


def _polarity(text: object) -> str:
    """The register's polarity in its canonical spelling; anything else is refused, not guessed."""
    for polarity in C.POLARITIES:
        if _key(text) == _key(polarity):
            return polarity
    raise BenchmarkError(f"Polarity '{text}' is not one of {', '.join(C.POLARITIES)}")


# --- parsing (pure) ----------------------------------------------------------------------------------
@dataclass
class _Row:
    """One good row before metric names are settled (they depend on every file read)."""

    file: str
    row: int
    value_cell: str
    indicator: str
    measure: str
    year: str
    authority: str
    code: str
    value: float
    unit: str
    aggregate: bool
    long: bool


def parse_comparators(files: Iterable[tuple[str, pd.DataFrame]], *,
                      metric_map: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Comparator tables (``(file name, all-text table)`` pairs) → one comparators table and problems.

    Output columns ``constants.COMPARATOR_COLUMNS``: Comparator Metric, Year
    (``normalise_year``), Authority, Area Code, Value (float), Unit, Is
    Aggregate.

    Long format: Authority is ``area_name``; Area Code ``area_code``. Rows
    whose code is an aggregate (England ``E92…``, regions) are kept with Is
    Aggregate True, to be shown as a reference, never ranked; rows for areas
    that are not councils (wards ``E05…``: Trafford's child-poverty file has
    them) are left out with one problem per file. The metric is the
    ``indicator``, unless that indicator comes in several measures across
    the files read together (recycling as a Percentage and in Tonnes): then
    each measure is its own metric, ``indicator | measure``. Unit is ``%``
    for a Percentage measure (in this data ``unit`` says what it is a
    percentage *of*, e.g. "Waste"), otherwise ``unit`` as written.

    ``metric_map`` (from params) renames metrics to the register's
    Comparator Metric keys, so a register never depends on how many measures
    a download happened to hold. Its keys are matched ignoring case and
    punctuation: ``indicator | measure`` always, a bare ``indicator`` when the
    indicator has one measure, a SPEC-format metric as written.

    Duplicate (metric, year, authority) rows: the first is kept, the others
    are problems.
    """
    mapping = _check_metric_map(metric_map)
    rows, problems, names = [], [], []
    for name, frame in files:
        names.append(name)
        found, more = _parse_file(name, frame)
        rows += found
        problems += more
    measures: dict[str, set[str]] = {}
    for row in rows:
        if row.long:
            measures.setdefault(row.indicator, set()).add(row.measure)
    used: set[str] = set()
    records, first_seen = [], {}
    for row in rows:
        metric, key = _metric(row, row.long and len(measures[row.indicator]) > 1, mapping)
        used.add(key)
        identity = (metric, row.year, row.authority)
        if identity in first_seen:
            problems.append(Problem(row.file, "", row.value_cell,
                                    f"A second value for {row.authority}, {row.year} (the first is on "
                                    f"{first_seen[identity]}): the first is used", _number_text(row.value), metric))
            continue
        first_seen[identity] = f"row {row.row} of {row.file}"
        records.append({"Comparator Metric": metric, "Year": row.year, "Authority": row.authority,
                        "Area Code": row.code, "Value": row.value, "Unit": row.unit, "Is Aggregate": row.aggregate})
    problems += _unused_map_keys(metric_map or {}, mapping, used, measures, names)
    return _comparator_frame(records), problems


def _metric(row: _Row, several_measures: bool, mapping: dict[str, str]) -> tuple[str, str]:
    """The row's Comparator Metric, and the metric-map key that named it (``""`` if none)."""
    full = f"{row.indicator}{C.COMPARATOR_MEASURE_SEPARATOR}{row.measure}"
    if _key(full) in mapping:
        return mapping[_key(full)], _key(full)
    if not several_measures and _key(row.indicator) in mapping:
        return mapping[_key(row.indicator)], _key(row.indicator)
    return (full if several_measures and row.measure else row.indicator), ""


def _check_metric_map(metric_map: Mapping[str, str] | None) -> dict[str, str]:
    """Validated once, up front: every key and register key must be written."""
    mapping = {}
    for source, target in (metric_map or {}).items():
        if is_blank(source) or is_blank(target):
            raise BenchmarkError(f"metric_map: '{source}' → '{target}': both the comparators' name and the "
                                 "register's Comparator Metric are needed")
        mapping[_key(source)] = str(target).strip()
    return mapping


def _unused_map_keys(metric_map, mapping, used, measures, names) -> list[Problem]:
    """A metric-map entry that matched nothing is almost always a typo: say so."""
    problems = []
    several = {_key(indicator) for indicator, found in measures.items() if len(found) > 1}
    for source in metric_map:
        if _key(source) in used:
            continue
        why = ("has several measures: name one, as '<indicator> | <measure>'" if _key(source) in several
               else "is not a metric in these files")
        problems.append(Problem(", ".join(names), "", "", f"The metric map's '{source}' {why}", str(source),
                                mapping[_key(source)]))
    return problems


def _comparator_frame(records: list[dict]) -> pd.DataFrame:
    """The DESIGN.md table convention: text ``str``, numbers float64, flags bool."""
    frame = pd.DataFrame(records, columns=list(C.COMPARATOR_COLUMNS))
    for column in ("Comparator Metric", "Year", "Authority", "Area Code", "Unit"):
        frame[column] = frame[column].astype("str")
    frame["Value"] = frame["Value"].astype("float64")
    frame["Is Aggregate"] = frame["Is Aggregate"].astype("bool")
    return frame


def _parse_file(name: str, frame: pd.DataFrame) -> tuple[list[_Row], list[Problem]]:
    headers = {_key(column): index for index, column in enumerate(frame.columns)}
    for shape, long in ((C.COMPARATOR_LONG_COLUMNS, True), (C.COMPARATOR_SPEC_COLUMNS, False)):
        if all(_key(column) in headers for column in shape):
            where = {column: headers[_key(column)] for column in shape}
            return _parse_rows(name, frame, where, long)
    return [], [Problem(name, "", "", "Not a comparators file: the first row must be the headers "
                        f"{', '.join(C.COMPARATOR_SPEC_COLUMNS)} (or the long format "
                        f"{', '.join(C.COMPARATOR_LONG_COLUMNS)})", ", ".join(map(str, frame.columns)))]


def _parse_rows(name: str, frame: pd.DataFrame, where: dict[str, int], long: bool) -> tuple[list[_Row], list[Problem]]:
    """Check every cell of every row; a row with any problem is left out, the others kept."""
    metric_column, year_column, authority_column, value_column = (
        ("indicator", "period", "area_name", "value") if long else C.COMPARATOR_SPEC_COLUMNS)
    rows, problems, left_out = [], [], {}
    for offset, cells in enumerate(frame.itertuples(index=False, name=None)):
        number = offset + 2  # row 1 holds the headers
        if all(str(cell).strip() == "" for cell in cells):
            continue  # a blank line, as spreadsheets leave at the end

        def cell(column: str) -> str:
            return str(cells[where[column]]).strip()

        def at(column: str) -> str:
            return f"{_column_letter(where[column])}{number}"

        metric, authority = cell(metric_column), cell(authority_column)
        code = cell("area_code") if long else ""
        kind = _area_kind(code, authority)
        if kind is None:
            left_out.setdefault(code[:3].upper(), []).append(number)
            continue
        found = []
        if not metric:
            found.append(Problem(name, "", at(metric_column), f"{metric_column} is blank", "", ""))
        try:
            year = normalise_year(cell(year_column))
        except PeriodError as error:
            year = ""
            found.append(Problem(name, "", at(year_column), str(error), cell(year_column), metric))
        if not authority:
            found.append(Problem(name, "", at(authority_column), f"{authority_column} is blank: whose value is this?",
                                 "", metric))
        value, why = _number(cell(value_column))
        if value is None:
            found.append(Problem(name, "", at(value_column), why or "No value: the row is left out of the ranking",
                                 cell(value_column), metric))
        if found:
            problems += found
            continue
        measure = cell("measure") if long else ""
        unit = ("%" if _key(measure) in {_key(m) for m in C.COMPARATOR_PERCENT_MEASURES} else cell("unit")) if long \
            else ""
        rows.append(_Row(name, number, at(value_column), metric, measure, year, authority, code, float(value), unit,
                         kind == "aggregate", long))
    for prefix, numbers in left_out.items():
        problems.append(Problem(name, "", "", f"{len(numbers)} rows (from row {numbers[0]}) are for areas with codes "
                                f"{prefix}…, which are not councils (e.g. wards): left out of benchmarking", prefix))
    return rows, problems


def _number(text: str) -> tuple[float | None, str | None]:
    """A value as ``cells.parse_number`` reads it; ``56.9%`` is 56.9 (a comparators file has no unit to check)."""
    return parse_number(text, "%" if text.rstrip().endswith("%") else "")


def _number_text(value: float) -> str:
    return f"{value:g}"


def _area_kind(code: str, authority: str) -> str | None:
    """``council`` (ranked), ``aggregate`` (a reference line) or None (not a council: left out)."""
    if code.upper().startswith(C.AGGREGATE_CODE_PREFIXES):
        return "aggregate"
    if code.upper().startswith(C.COUNCIL_CODE_PREFIXES):
        return "council"
    if code:
        return None
    return "aggregate" if _key(authority) in {_key(a) for a in C.AGGREGATE_AUTHORITIES} else "council"


# --- the rules (pure) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchmarkRank:
    """Where one council stands among its comparators in one metric and year.

    ``rank`` and ``quartile`` are None when the council is not ranked
    (Neutral measure, or no value of its own); ``note`` then says why.
    ``best``/``worst`` are NaN for a Neutral measure (neither way is better).
    """

    rank: int | None
    of: int
    quartile: int | None
    median: float
    best: float
    worst: float
    own_value: float | None
    note: str = ""

    @property
    def position(self) -> str:
        """Plain English for a report table: ``3rd of 16 (top quartile)``, or why not ranked."""
        if self.rank is None:
            return self.note
        if self.quartile is None:
            return C.BENCHMARK_ONLY_COUNCIL.format(rank=ordinal(self.rank), of=self.of)
        return C.BENCHMARK_POSITION.format(rank=ordinal(self.rank), of=self.of,
                                           quartile=quartile_label(self.quartile).lower())


def quartile_of(rank: int, of: int) -> int | None:
    """Quartile 1 (best quarter) … 4 from a rank among ``of`` councils (module docstring).

    ``max(1, ceil(4 × (rank − 1) / (of − 1)))`` in whole numbers, so no
    rounding of 1/4 decides a boundary. None with fewer than two councils.
    """
    if of < 2:
        return None
    if not 1 <= rank <= of:
        raise BenchmarkError(f"Rank {rank} is not between 1 and {of}")
    return max(1, -(-4 * (rank - 1) // (of - 1)))


def _ranked(values: pd.DataFrame) -> pd.DataFrame:
    """The councils that are ranked: not aggregates, with a value."""
    missing = [column for column in ("Authority", "Value") if column not in values.columns]
    if missing:
        raise BenchmarkError(f"The comparator values have no {' or '.join(missing)} column")
    aggregate = values["Is Aggregate"].astype(bool) if "Is Aggregate" in values.columns else False
    numbers = pd.to_numeric(values["Value"], errors="coerce").astype("float64")
    ranked = pd.DataFrame({"Authority": values["Authority"].astype("str"), "Value": numbers})
    ranked = ranked[~aggregate & numbers.notna()]
    repeated = ranked["Authority"][ranked["Authority"].duplicated()]
    if len(repeated):
        raise BenchmarkError(f"Several values for {repeated.iloc[0]}: rank one metric in one year at a time")
    return ranked


def _year_of(values: pd.DataFrame) -> str:
    years = values["Year"].unique() if "Year" in values.columns else []
    return str(years[0]) if len(years) == 1 else ""


def rank_among(values: pd.DataFrame, own_authority: str, polarity: str) -> BenchmarkRank:
    """The council's rank, quartile and the comparators' median, best and worst.

    ``values``: one metric in one year, columns Authority and Value (and Is
    Aggregate, Year when known). Rules in the module docstring: rank 1 is
    best with polarity respected, ties share the better rank, aggregates are
    not ranked, the median includes the council.
    """
    polarity = _polarity(polarity)
    ranked = _ranked(values)
    numbers = ranked["Value"]
    count = len(numbers)
    median = float(numbers.median()) if count else math.nan
    if polarity == C.NEUTRAL or not count:
        best = worst = math.nan
    elif polarity == C.HIGHER_IS_BETTER:
        best, worst = float(numbers.max()), float(numbers.min())
    else:
        best, worst = float(numbers.min()), float(numbers.max())
    own = numbers[ranked["Authority"] == own_authority]
    if own.empty:
        year = _year_of(values)
        note = (C.BENCHMARK_NO_OWN_VALUE.format(council=own_authority, year=year) if year
                else C.BENCHMARK_NO_OWN_VALUE_ANY_YEAR.format(council=own_authority))
        return BenchmarkRank(None, count, None, median, best, worst, None, note)
    own_value = float(own.iloc[0])
    if polarity == C.NEUTRAL:
        return BenchmarkRank(None, count, None, median, best, worst, own_value, C.BENCHMARK_NEUTRAL)
    better = numbers > own_value if polarity == C.HIGHER_IS_BETTER else numbers < own_value
    rank = int(better.sum()) + 1
    return BenchmarkRank(rank, count, quartile_of(rank, count), median, best, worst, own_value)


def _latest_year(values: pd.DataFrame, own_authority: str) -> str:
    """The latest year with the council's own value; failing that, the latest year of any value."""
    ranked = values[~values["Is Aggregate"].astype(bool) & values["Value"].notna()]
    own = ranked.loc[ranked["Authority"] == own_authority, "Year"]
    years = own if len(own) else values["Year"]
    return max(years, key=_year_order) if len(years) else ""


def benchmark_table(indicators: pd.DataFrame, comparators: pd.DataFrame | None, own_authority: str,
                    year: str | None = None) -> pd.DataFrame:
    """One row per register indicator with a Comparator Metric (``constants.BENCHMARK_COLUMNS``).

    The year is ``year`` if given, else the latest year in which the council
    has a value for that metric (benchmarking data lags a year or more, and
    not every metric is published for the same year). An indicator whose
    metric has no values, or no value for the council, still has its row,
    saying so in Position: a register key that matches nothing is then seen,
    not silently dropped. Metrics are matched exactly (a key, as the SPEC
    says). Aggregate (e.g. England) is the first aggregate row of that year.
    """
    missing = [c for c in ("Indicator ID", "Indicator", "Polarity", "Comparator Metric") if c not in indicators]
    if missing:
        raise BenchmarkError(f"The indicators have no {', '.join(missing)} column")
    if comparators is None or comparators.empty:
        comparators = _comparator_frame([])
    absent = [c for c in ("Comparator Metric", "Year", "Authority", "Value") if c not in comparators]
    if absent:
        raise BenchmarkError(f"The comparators have no {', '.join(absent)} column")
    if "Is Aggregate" not in comparators:
        comparators = comparators.assign(**{"Is Aggregate": False})
    chosen_year = None if year is None else normalise_year(year)
    rows = []
    for indicator in indicators.to_dict("records"):
        metric = "" if is_blank(indicator["Comparator Metric"]) else str(indicator["Comparator Metric"]).strip()
        if not metric:
            continue
        try:
            polarity = _polarity(indicator["Polarity"])
        except BenchmarkError as error:
            raise BenchmarkError(f"Indicator {indicator['Indicator ID']}: {error}") from None
        values = comparators[comparators["Comparator Metric"] == metric]
        in_year_label = chosen_year if chosen_year is not None else _latest_year(values, own_authority)
        in_year = values[values["Year"] == in_year_label]
        result = rank_among(in_year, own_authority, polarity)
        if values.empty:
            position = C.BENCHMARK_NO_VALUES.format(metric=metric)
        elif in_year.empty:
            position = C.BENCHMARK_NO_VALUES_IN_YEAR.format(metric=metric, year=in_year_label)
        else:
            position = result.position
        aggregates = in_year[in_year["Is Aggregate"].astype(bool)]
        rows.append({
            "Indicator ID": indicator["Indicator ID"], "Indicator": indicator["Indicator"],
            "Comparator Metric": metric, "Year": in_year_label,
            "Own Value": math.nan if result.own_value is None else result.own_value,
            "Rank": math.nan if result.rank is None else result.rank, "Of": result.of,
            "Quartile": math.nan if result.quartile is None else result.quartile,
            "Median": result.median, "Best": result.best, "Worst": result.worst, "Polarity": polarity,
            "Unit": "" if is_blank(indicator.get("Unit")) else str(indicator["Unit"]), "Position": position,
            "Aggregate": str(aggregates["Authority"].iloc[0]) if len(aggregates) else "",
            "Aggregate Value": float(aggregates["Value"].iloc[0]) if len(aggregates) else math.nan,
        })
    table = pd.DataFrame(rows, columns=list(C.BENCHMARK_COLUMNS))
    for column in C.BENCHMARK_NUMBER_COLUMNS:
        table[column] = table[column].astype("float64")
    for column in set(C.BENCHMARK_COLUMNS) - set(C.BENCHMARK_NUMBER_COLUMNS):
        table[column] = table[column].astype("str")
    return table
