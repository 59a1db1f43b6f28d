"""Benchmarking (pmflib.benchmark): reading both comparator shapes, rank, quartile, median.

Expected values are worked by hand from the values written beside them.
Real data: ``fixtures/benchmark/trafford_household_waste_recycling.csv`` is
83 rows copied unchanged (header included) from Trafford's corporate-plan
recycling file (traffordDataLab/corporate_plan, OGL v3; see
/work/shared/realdata/README.md): the years 2013/14, 2019/20 and 2020/21, for
Trafford, its 15 CIPFA nearest neighbours and England, as a Percentage and
(from 2014/15) in Tonnes ("Frequency").
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmflib.core import constants as C
from pmflib.inputs.comparators import read_comparators
from pmflib.rules.benchmark import (
    BenchmarkError, benchmark_table, normalise_year, ordinal, quartile_label, quartile_of, rank_among,
)
from pmflib.core.constants import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL
from pmflib.core.errors import PeriodError

TRAFFORD = Path(__file__).resolve().parents[1] / "fixtures" / "benchmark" / "trafford_household_waste_recycling.csv"
RECYCLING = "Household waste sent for reuse, recycling or composting"
RECYCLING_PCT = f"{RECYCLING} | Percentage"
RECYCLING_TONNES = f"{RECYCLING} | Frequency"


def _values(pairs, aggregates=()):
    """A comparator table for one metric and year: (authority, value) pairs, then aggregates."""
    return pd.DataFrame({
        "Authority": [a for a, _ in pairs] + [a for a, _ in aggregates],
        "Value": [float(v) for _, v in pairs] + [float(v) for _, v in aggregates],
        "Is Aggregate": [False] * len(pairs) + [True] * len(aggregates),
    })


# --- quartile rule -------------------------------------------------------------------------------
@pytest.mark.parametrize("of, quartiles", [
    # 16 councils (Trafford and its 15 neighbours): p = (rank-1)/15; 3/15 = 0.2 ≤ 1/4 but 4/15 > 1/4, ...
    (16, [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4]),
    # 7: p = 0, 1/6, 2/6, 3/6, 4/6, 5/6, 1 → ≤1/4, ≤1/4, ≤1/2, ≤1/2 (the median council), ≤3/4, >3/4, >3/4.
    (7, [1, 1, 2, 2, 3, 4, 4]),
    # 5: p = 0, 1/4, 1/2, 3/4, 1: a council exactly on a boundary counts for the better quartile.
    (5, [1, 1, 2, 3, 4]),
    (4, [1, 2, 3, 4]),
    # 2: the better council is top, not "second quartile" as ceil(4 × rank / n) would say.
    (2, [1, 4]),
])
def test_quartile_of_every_rank(of, quartiles):
    assert [quartile_of(rank, of) for rank in range(1, of + 1)] == quartiles


def test_quartile_needs_two_councils_and_a_rank_in_range():
    assert quartile_of(1, 1) is None
    assert quartile_of(1, 0) is None
    with pytest.raises(BenchmarkError, match="Rank 17 is not between 1 and 16"):
        quartile_of(17, 16)


@given(st.lists(st.integers(0, 20), min_size=2, max_size=30), st.data())
def test_quartile_agrees_with_excel_quartile_inc(numbers, data):
    """The documented equivalence: top quartile ⇔ at or better than QUARTILE.INC(values, 3), etc.

    numpy's default (linear) percentile is Excel's QUARTILE.INC.
    """
    own = data.draw(st.integers(0, len(numbers) - 1))
    values = _values([("Us" if i == own else f"C{i}", v) for i, v in enumerate(numbers)])
    q1, q2, q3 = np.percentile(numbers, [25, 50, 75])
    mine = numbers[own]
    higher = 1 if mine >= q3 else 2 if mine >= q2 else 3 if mine >= q1 else 4
    lower = 1 if mine <= q1 else 2 if mine <= q2 else 3 if mine <= q3 else 4
    assert rank_among(values, "Us", HIGHER_IS_BETTER).quartile == higher
    assert rank_among(values, "Us", LOWER_IS_BETTER).quartile == lower


# --- rank_among ----------------------------------------------------------------------------------
SIXTEEN = _values([("Us", 50)] + [(f"C{i}", i) for i in range(1, 16)])


@pytest.mark.parametrize("polarity, rank, quartile, best, worst", [
    # 50 is above all of 1..15: higher is better → 1st of 16, top quartile.
    (HIGHER_IS_BETTER, 1, 1, 50.0, 1.0),
    # Lower is better: all 15 others are lower than 50 → 16th of 16, bottom quartile.
    (LOWER_IS_BETTER, 16, 4, 1.0, 50.0),
], ids=["higher-is-better", "lower-is-better"])
def test_rank_respects_polarity(polarity, rank, quartile, best, worst):
    result = rank_among(SIXTEEN, "Us", polarity)
    assert (result.rank, result.of, result.quartile) == (rank, 16, quartile)
    assert (result.best, result.worst, result.own_value) == (best, worst, 50.0)
    # Median of 1..15 and 50: the 8th and 9th of the sorted 16 are 8 and 9.
    assert result.median == 8.5


@pytest.mark.parametrize("polarity, ranks", [
    # 10 > 8 = 8 > 5: A 1st, the two 8s share 2nd, C is 4th ("1224").
    (HIGHER_IS_BETTER, {"A": 1, "Us": 2, "B": 2, "C": 4}),
    # 5 < 8 = 8 < 10: C 1st, the two 8s share 2nd, A is 4th.
    (LOWER_IS_BETTER, {"C": 1, "Us": 2, "B": 2, "A": 4}),
])
def test_ties_share_the_better_rank(polarity, ranks):
    values = _values([("A", 10), ("Us", 8), ("B", 8), ("C", 5)])
    assert {name: rank_among(values, name, polarity).rank for name in ranks} == ranks


@pytest.mark.parametrize("numbers, median", [
    ([4, 1, 3, 2], 2.5),         # even: 1 2 | 3 4 → (2 + 3) / 2
    ([4, 1, 3, 2, 100], 3.0),    # odd: 1 2 [3] 4 100
    ([7], 7.0),                  # the council alone
], ids=["even", "odd", "one"])
def test_median_includes_the_council(numbers, median):
    values = _values([("Us", numbers[0])] + [(f"C{i}", v) for i, v in enumerate(numbers[1:])])
    assert rank_among(values, "Us", HIGHER_IS_BETTER).median == median


def test_aggregates_are_not_ranked_nor_in_the_median():
    # England (90) would be best and would move the median; councils alone: 10 > 8 > 5.
    values = _values([("A", 10), ("Us", 8), ("C", 5)], aggregates=[("England", 90)])
    result = rank_among(values, "Us", HIGHER_IS_BETTER)
    assert (result.rank, result.of, result.median, result.best) == (2, 3, 8.0, 10.0)
    assert rank_among(values, "England", HIGHER_IS_BETTER).rank is None


def test_neutral_is_not_ranked_but_has_a_median():
    result = rank_among(SIXTEEN, "Us", NEUTRAL)
    assert (result.rank, result.quartile, result.of, result.own_value) == (None, None, 16, 50.0)
    assert result.median == 8.5
    assert math.isnan(result.best) and math.isnan(result.worst)
    assert result.position == C.BENCHMARK_NEUTRAL


@pytest.mark.parametrize("year, note", [("2019-20", "No value for Nobody in 2019-20"), (None, "No value for Nobody")])
def test_own_council_missing(year, note):
    values = SIXTEEN if year is None else SIXTEEN.assign(Year=year)
    result = rank_among(values, "Nobody", HIGHER_IS_BETTER)
    assert (result.rank, result.quartile, result.own_value, result.of) == (None, None, None, 16)
    assert result.note == note and result.position == note
    assert result.median == 8.5  # the comparators are still described


def test_own_value_blank_counts_as_missing():
    values = _values([("A", 10), ("C", 5)]).pipe(
        lambda v: pd.concat([v, pd.DataFrame({"Authority": ["Us"], "Value": [math.nan], "Is Aggregate": [False]})]))
    result = rank_among(values, "Us", HIGHER_IS_BETTER)
    assert result.rank is None and result.of == 2


def test_only_council_has_no_quartile():
    result = rank_among(_values([("Us", 3)]), "Us", LOWER_IS_BETTER)
    assert (result.rank, result.of, result.quartile) == (1, 1, None)
    assert result.position == "1st of 1 (no other council has a value)"


def test_rank_among_refuses_what_it_cannot_rank():
    with pytest.raises(BenchmarkError, match="Polarity 'Up' is not one of"):
        rank_among(SIXTEEN, "Us", "Up")
    with pytest.raises(BenchmarkError, match="Several values for Us"):
        rank_among(pd.concat([SIXTEEN, SIXTEEN]), "Us", HIGHER_IS_BETTER)
    with pytest.raises(BenchmarkError, match="no Value column"):
        rank_among(SIXTEEN.drop(columns="Value"), "Us", HIGHER_IS_BETTER)


def test_polarity_spelling_is_matched_ignoring_case():
    assert rank_among(SIXTEEN, "Us", "lower is better").rank == 16


def test_rank_among_leaves_its_input_alone():
    before = SIXTEEN.copy()
    rank_among(SIXTEEN, "Us", LOWER_IS_BETTER)
    pd.testing.assert_frame_equal(SIXTEEN, before)


# --- labels --------------------------------------------------------------------------------------
@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"),
                                     (12, "12th"), (13, "13th"), (16, "16th"), (21, "21st"), (22, "22nd"),
                                     (23, "23rd"), (101, "101st"), (111, "111th"), (112, "112th")])
def test_ordinal(n, text):
    assert ordinal(n) == text


@pytest.mark.parametrize("quartile, label", [(1, "Top quartile"), (2, "Second quartile"), (3, "Third quartile"),
                                             (4, "Bottom quartile"), (None, "Not ranked")])
def test_quartile_label(quartile, label):
    assert quartile_label(quartile) == label


@pytest.mark.parametrize("bad", [0, 5])
def test_quartile_label_refuses_other_numbers(bad):
    with pytest.raises(BenchmarkError):
        quartile_label(bad)


@pytest.mark.parametrize("text, year", [
    ("2019/20", "2019-20"), ("2019-20", "2019-20"), (" 2019–20 ", "2019-20"), ("2019-2020", "2019-20"),
    ("2019/2020", "2019-20"), ("1999/00", "1999-00"),
    ("2019", "2019"),  # a calendar year (NEET is published so) stays one
])
def test_normalise_year(text, year):
    assert normalise_year(text) == year


@pytest.mark.parametrize("text", ["2019/21", "2019-2021", "19/20", "", "2019 Q2", "FY20", "20190"])
def test_normalise_year_refuses_what_is_not_a_year(text):
    with pytest.raises(PeriodError):
        normalise_year(text)


# --- reading: SPEC format ------------------------------------------------------------------------
SPEC_FILE = (
    "comparator metric , YEAR,Authority,value\n"   # headers in any case and spacing
    "recycling,2024/25,Us,50\n"           # 2  good
    "recycling,2024-25,A,n/a\n"           # 3  no value → D3
    "recycling,2024-25,,40\n"             # 4  no authority → C4
    "recycling,2024-2025,Us,51\n"         # 5  second value for Us in 2024-25 → D5, first kept
    "recycling,2024-26,B,45\n"            # 6  not a year → B6
    'recycling,2024-25,C,"1,234"\n'       # 7  good: 1234
    ",2024-25,D,3\n"                      # 8  no metric → A8
    "recycling,2024-25,E,12abc\n"         # 9  not a number → D9
    "\n"                                  # 10 blank line: skipped, rows below keep Excel's numbers
    "recycling,2023,F,44\n"               # 11 good: a calendar year
    "recycling,2024-25,England,43.5\n"    # 12 good: an aggregate
    "recycling,2024-25,G,12%\n"           # 13 good: 12
)


def test_spec_format_keeps_good_rows_and_names_each_bad_cell(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_text(SPEC_FILE, encoding="utf-8")
    table, problems = read_comparators(path)
    assert list(table.columns) == list(C.COMPARATOR_COLUMNS)
    assert table[["Year", "Authority", "Value", "Is Aggregate"]].values.tolist() == [
        ["2024-25", "Us", 50.0, False], ["2024-25", "C", 1234.0, False], ["2023", "F", 44.0, False],
        ["2024-25", "England", 43.5, True], ["2024-25", "G", 12.0, False],
    ]
    assert set(table["Comparator Metric"]) == {"recycling"}
    assert table["Value"].dtype == "float64" and table["Is Aggregate"].dtype == "bool"
    # Cell problems in row order, then duplicates (found once every row is read).
    assert [(p.file, p.cell) for p in problems] == [("comparators.csv", c) for c in
                                                      ["D3", "C4", "B6", "A8", "D9", "D5"]]
    by_cell = {p.cell: p for p in problems}
    assert by_cell["D3"].value == "n/a"
    assert "row 2 of comparators.csv" in by_cell["D5"].problem and by_cell["D5"].value == "51"
    assert by_cell["B6"].value == "2024-26" and "not a financial year" in by_cell["B6"].problem
    assert by_cell["D9"].value == "12abc" and by_cell["D9"].id == "recycling"


def test_spec_columns_in_another_order_name_the_right_cells(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_text("Value,Authority,Year,Comparator Metric\nx,A,2024-25,m\n", encoding="utf-8")
    table, problems = read_comparators(path)
    assert table.empty and [p.cell for p in problems] == ["A2"]


def test_a_file_of_another_shape_is_one_problem(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_text("Name,Score\nA,1\n", encoding="utf-8")
    table, problems = read_comparators(path)
    assert table.empty and list(table.columns) == list(C.COMPARATOR_COLUMNS)
    assert len(problems) == 1 and problems[0].cell == "" and "Not a comparators file" in problems[0].problem


def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(BenchmarkError, match="nowhere.csv"):
        read_comparators(tmp_path / "nowhere.csv")


def test_a_file_read_again_unchanged_is_the_same_and_callers_cannot_change_it(tmp_path):
    """A warm report kernel asks for the comparators in every report: read
    once while the file is unchanged, never a table an earlier report altered."""
    path = tmp_path / "comparators.csv"
    path.write_text(SPEC_FILE, encoding="utf-8")
    first, problems = read_comparators(path)
    expected = first.copy()
    first["Value"] = 0.0                      # one report changes its copy
    first.loc[first.index[0], "Authority"] = "Changed"
    problems.clear()
    again, again_problems = read_comparators(path)
    pd.testing.assert_frame_equal(again, expected)
    assert len(again_problems) == 6
    path.write_text("Comparator Metric,Year,Authority,Value\nrecycling,2024-25,Z,7\n", encoding="utf-8")
    edited, edited_problems = read_comparators(path)   # saved again: read again
    assert list(edited["Authority"]) == ["Z"] and edited_problems == []


# --- reading: long format, real data ----------------------------------------------------------
def test_long_format_real_extract():
    table, problems = read_comparators(TRAFFORD)
    assert problems == []
    assert len(table) == 83
    # Recycling comes as a Percentage and in Tonnes ("Frequency"): one metric each.
    assert set(table["Comparator Metric"]) == {RECYCLING_PCT, RECYCLING_TONNES}
    assert set(table["Year"]) == {"2013-14", "2019-20", "2020-21"}
    assert set(table.loc[table["Comparator Metric"] == RECYCLING_PCT, "Unit"]) == {"%"}
    assert set(table.loc[table["Comparator Metric"] == RECYCLING_TONNES, "Unit"]) == {"Tonnes"}
    england = table[table["Authority"] == "England"]
    assert len(england) == 3 and england["Is Aggregate"].all() and set(england["Area Code"]) == {"E92000001"}
    assert not table.loc[table["Authority"] != "England", "Is Aggregate"].any()
    trafford = table[(table["Authority"] == "Trafford") & (table["Year"] == "2019-20")]
    assert trafford["Area Code"].tolist() == ["E08000009", "E08000009"]
    assert sorted(trafford["Value"]) == [56.9, 44685.0]


def _recycling(table, year):
    return table[(table["Comparator Metric"] == RECYCLING_PCT) & (table["Year"] == year)]


def test_trafford_rank_2019_20_worked_by_hand():
    table, _ = read_comparators(TRAFFORD)
    # 2019/20 Percentage, the 16 councils sorted (England 43.8 is an aggregate, not ranked):
    # 34.8 Thurrock, 35.3 Reading, 36.7 Solihull, 42.1 Derby, 42.7 Bedford, 42.8 Swindon,
    # 43.3 Peterborough, 46.0 Medway, 47.5 Warrington, 48.4 York, 51.6 Bury, 56.3 Milton Keynes,
    # 56.4 Cheshire West and Chester, 56.9 Trafford, 58.5 Stockport, 59.1 South Gloucestershire.
    # Higher is better: South Gloucestershire and Stockport above → 3rd of 16; p = 2/15 ≤ 1/4 → top.
    # Median: 8th and 9th are 46.0 and 47.5 → 46.75.
    result = rank_among(_recycling(table, "2019-20"), "Trafford", HIGHER_IS_BETTER)
    assert (result.rank, result.of, result.quartile) == (3, 16, 1)
    assert result.median == pytest.approx(46.75)
    assert (result.best, result.worst, result.own_value) == (59.1, 34.8, 56.9)
    assert result.position == "3rd of 16 (top quartile)"
    # Lower is better: the 13 councils below 56.9 are better → 14th; p = 13/15 > 3/4 → bottom.
    flipped = rank_among(_recycling(table, "2019-20"), "Trafford", LOWER_IS_BETTER)
    assert (flipped.rank, flipped.quartile, flipped.best, flipped.worst) == (14, 4, 34.8, 59.1)


def test_a_real_tie_2013_14():
    table, _ = read_comparators(TRAFFORD)
    # 2013/14: Stockport 61.1, then Cheshire West and Chester and Trafford both 57.5 → both 2nd.
    in_year = _recycling(table, "2013-14")
    ranks = {name: rank_among(in_year, name, HIGHER_IS_BETTER).rank
             for name in ("Stockport", "Cheshire West and Chester", "Trafford", "Milton Keynes")}
    assert ranks == {"Stockport": 1, "Cheshire West and Chester": 2, "Trafford": 2, "Milton Keynes": 4}


def test_one_measure_alone_is_named_by_its_indicator(tmp_path):
    lines = TRAFFORD.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "percentages.csv"
    path.write_text("\n".join([lines[0]] + [line for line in lines[1:] if ",Percentage," in line]) + "\n",
                    encoding="utf-8")
    table, problems = read_comparators(path)
    assert problems == [] and set(table["Comparator Metric"]) == {RECYCLING}


def test_metric_map_renames_to_register_keys_and_reports_what_it_cannot_use():
    metric_map = {
        "household waste sent for reuse, recycling or composting | PERCENTAGE": "recycling_pct",
        RECYCLING: "ambiguous",      # two measures: which one?
        "Househld waste | Tonnes": "typo",
    }
    table, problems = read_comparators([TRAFFORD], metric_map=metric_map)
    assert set(table["Comparator Metric"]) == {"recycling_pct", RECYCLING_TONNES}
    assert [(p.value, p.id) for p in problems] == [(RECYCLING, "ambiguous"), ("Househld waste | Tonnes", "typo")]
    assert "several measures" in problems[0].problem and "not a metric" in problems[1].problem


def test_metric_map_entries_must_be_complete():
    with pytest.raises(BenchmarkError, match="metric_map"):
        read_comparators(TRAFFORD, metric_map={RECYCLING_PCT: " "})


LONG_HEADER = "area_code,area_name,period,indicator,measure,unit,value\n"


def test_long_format_bad_rows_and_areas_that_are_not_councils(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(
        LONG_HEADER
        + "E08000009,Trafford,2021/22,Children in low income families,Percentage,Persons,12.1\n"   # 2 good
        + "E05000819,Altrincham,2021/22,Children in low income families,Percentage,Persons,8\n"    # 3 ward
        + "E05000820,Ashton upon Mersey,2021/22,Children in low income families,Percentage,Persons,9\n"  # 4 ward
        + "E08000002,,2021/22,Children in low income families,Percentage,Persons,15\n"             # 5 → B5
        + "E08000007,Stockport,2021/23,Children in low income families,Percentage,Persons,14\n"    # 6 → C6
        + "E08000029,Solihull,2021/22,Children in low income families,Percentage,Persons,x\n"      # 7 → G7
        + "E92000001,England,2021/22,Children in low income families,Percentage,Persons,19.9\n"    # 8 aggregate
        + "E12000002,North West,2021/22,Children in low income families,Percentage,Persons,22\n",  # 9 aggregate
        encoding="utf-8")
    table, problems = read_comparators(path)
    assert table[["Authority", "Year", "Value", "Is Aggregate"]].values.tolist() == [
        ["Trafford", "2021-22", 12.1, False], ["England", "2021-22", 19.9, True], ["North West", "2021-22", 22.0, True],
    ]
    assert [p.cell for p in problems] == ["B5", "C6", "G7", ""]
    assert "2 rows (from row 3)" in problems[-1].problem and problems[-1].value == "E05"


def test_several_files_read_together(tmp_path):
    spec = tmp_path / "comparators.csv"
    spec.write_text("Comparator Metric,Year,Authority,Value\nneet,2022-23,Trafford,4.1\n", encoding="utf-8")
    table, problems = read_comparators([TRAFFORD, spec])
    assert problems == [] and len(table) == 84
    assert table.iloc[-1][["Comparator Metric", "Authority", "Value"]].tolist() == ["neet", "Trafford", 4.1]


def test_windows_excel_csv_with_bom_and_cp1252(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_bytes("\ufeffComparator Metric,Year,Authority,Value\nspend £,2024-25,Us,1\n".encode("utf-8"))
    assert read_comparators(path)[0]["Comparator Metric"].tolist() == ["spend £"]
    path.write_bytes("Comparator Metric,Year,Authority,Value\nspend £,2024-25,Us,1\n".encode("cp1252"))
    assert read_comparators(path)[0]["Comparator Metric"].tolist() == ["spend £"]


# --- benchmark_table -----------------------------------------------------------------------------
REGISTER = pd.DataFrame({
    "Indicator ID": ["W1", "W2", "W3", "W4", "W5"],
    "Indicator": ["Household waste recycled", "Household waste recycled (tonnes)", "Missed bins",
                  "Street cleanliness", "Residual waste"],
    "Polarity": [HIGHER_IS_BETTER, NEUTRAL, LOWER_IS_BETTER, HIGHER_IS_BETTER, LOWER_IS_BETTER],
    "Unit": ["%", "number", "number", "%", "number"],
    "Comparator Metric": [RECYCLING_PCT, RECYCLING_TONNES, "", "street cleanliness", "residual"],
})
#: Residual waste: Trafford has no value in the latest year (2021-22), only in 2020-21.
RESIDUAL = pd.DataFrame({
    "Comparator Metric": ["residual"] * 4, "Year": ["2020-21", "2020-21", "2021-22", "2021-22"],
    "Authority": ["Trafford", "Bury", "Bury", "Stockport"], "Area Code": [""] * 4,
    "Value": [500.0, 450.0, 440.0, 520.0], "Unit": [""] * 4, "Is Aggregate": [False] * 4,
})


def _table(year=None):
    comparators, _ = read_comparators(TRAFFORD)
    return benchmark_table(REGISTER, pd.concat([comparators, RESIDUAL], ignore_index=True), "Trafford", year=year)


def test_benchmark_table_latest_year_by_hand():
    table = _table()
    assert list(table.columns) == list(C.BENCHMARK_COLUMNS)
    assert list(table["Indicator ID"]) == ["W1", "W2", "W4", "W5"]  # W3 has no Comparator Metric
    w1, w2, w4, w5 = table.to_dict("records")
    # W1, 2020/21 (the latest year): 58.5 South Gloucestershire, 55.0 Stockport, 54.5 Cheshire West and
    # Chester, 53.8 Milton Keynes, 53.3 Trafford → 5th of 16; p = 4/15 > 1/4 → second quartile.
    # The 16 sorted: 28.0 36.1 36.7 37.7 39.6 40.0 40.9 41.8 | 44.1 44.4 50.5 53.3 53.8 54.5 55.0 58.5
    # → median (41.8 + 44.1) / 2 = 42.95. England 42.3.
    assert (w1["Year"], w1["Own Value"], w1["Rank"], w1["Of"], w1["Quartile"]) == ("2020-21", 53.3, 5, 16, 2)
    assert w1["Median"] == pytest.approx(42.95) and (w1["Best"], w1["Worst"]) == (58.5, 28.0)
    assert w1["Position"] == "5th of 16 (second quartile)"
    assert (w1["Aggregate"], w1["Aggregate Value"], w1["Unit"], w1["Polarity"]) == ("England", 42.3, "%",
                                                                                     HIGHER_IS_BETTER)
    # W2, tonnes 2020/21, Neutral: not ranked; sorted 8th and 9th are 37142 Swindon and 38841 Derby.
    assert math.isnan(w2["Rank"]) and math.isnan(w2["Quartile"]) and w2["Of"] == 16
    assert w2["Own Value"] == 46040.0 and w2["Median"] == 37991.5 and w2["Position"] == C.BENCHMARK_NEUTRAL
    assert w2["Aggregate"] == "" and math.isnan(w2["Aggregate Value"])  # no England row in tonnes
    # W4: a key matching nothing is shown, not dropped.
    assert w4["Position"] == "No comparator values for 'street cleanliness'" and w4["Of"] == 0
    # W5: Trafford's latest value is 2020-21 (500; Bury 450 is lower, so better) → 2nd of 2, bottom.
    assert (w5["Year"], w5["Rank"], w5["Of"], w5["Quartile"], w5["Median"]) == ("2020-21", 2, 2, 4, 475.0)
    assert table["Rank"].dtype == "float64" and table["Position"].dtype == "str"


def test_benchmark_table_for_a_given_year():
    table = _table(year="2019/20").set_index("Indicator ID")
    assert table.loc["W1", "Position"] == "3rd of 16 (top quartile)" and table.loc["W1", "Year"] == "2019-20"
    assert table.loc["W1", "Aggregate Value"] == 43.8
    assert table.loc["W5", "Position"] == "No comparator values for 'residual' in 2019-20"
    only_bury = _table(year="2021-22").set_index("Indicator ID")
    assert only_bury.loc["W5", "Position"] == "No value for Trafford in 2021-22"
    assert only_bury.loc["W1", "Position"] == "No comparator values for " + repr(RECYCLING_PCT) + " in 2021-22"


def test_benchmark_table_without_comparators_or_with_a_bad_polarity():
    empty = benchmark_table(REGISTER, None, "Trafford")
    assert list(empty["Of"]) == [0, 0, 0, 0] and list(empty.columns) == list(C.BENCHMARK_COLUMNS)
    bad = REGISTER.assign(Polarity=["Up"] * 5)
    with pytest.raises(BenchmarkError, match="Indicator W1: Polarity 'Up'"):
        benchmark_table(bad, None, "Trafford")
    with pytest.raises(BenchmarkError, match="no Polarity column"):
        benchmark_table(REGISTER.drop(columns="Polarity"), None, "Trafford")


def test_benchmark_table_leaves_its_inputs_alone():
    comparators, _ = read_comparators(TRAFFORD)
    before = (REGISTER.copy(), comparators.copy())
    benchmark_table(REGISTER, comparators, "Trafford")
    benchmark_table(REGISTER, comparators.drop(columns="Is Aggregate"), "Trafford")
    pd.testing.assert_frame_equal(REGISTER, before[0])
    pd.testing.assert_frame_equal(comparators, before[1])
