"""Benchmarking rules, hand-worked (rank 1 = best; quartile from (rank − 1) / (n − 1) in quarters)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pmflib.benchmark import (
    benchmark_table, normalise_year, ordinal, quartile_label, rank_among, read_comparators,
)
from pmflib.constants import HIGHER_IS_BETTER, LOWER_IS_BETTER, NEUTRAL

REALDATA_ROWS = """area_code,area_name,period,indicator,measure,unit,value
E08000009,Trafford,2019/20,"Household waste sent for reuse, recycling or composting",Percentage,Waste,56.9
E08000002,Bury,2019/20,"Household waste sent for reuse, recycling or composting",Percentage,Waste,51.6
E06000055,Bedford,2019/20,"Household waste sent for reuse, recycling or composting",Percentage,Waste,46.0
E06000042,Milton Keynes,2019/20,"Household waste sent for reuse, recycling or composting",Percentage,Waste,59.1
E92000001,England,2019/20,"Household waste sent for reuse, recycling or composting",Percentage,Waste,43.8
"""


def _values(pairs):
    return pd.DataFrame({"Authority": [a for a, _ in pairs], "Value": [v for _, v in pairs],
                         "Is Aggregate": [False] * len(pairs)})


SIXTEEN = _values([("Us", 50.0)] + [(f"C{i}", float(i)) for i in range(1, 16)])


@pytest.mark.parametrize(
    "polarity, rank, quartile",
    [
        # 50 beats all of 1..15 when higher is better → 1st of 16, position 0 → top quartile.
        (HIGHER_IS_BETTER, 1, 1),
        # Lower is better: 15 councils (1..15) are lower than 50 → 16th, position 1 → bottom.
        (LOWER_IS_BETTER, 16, 4),
    ],
    ids=["higher-is-better-top", "lower-is-better-bottom"],
)
def test_rank_respects_polarity(polarity, rank, quartile):
    result = rank_among(SIXTEEN, "Us", polarity)
    assert (result.rank, result.of, result.quartile) == (rank, 16, quartile)


@pytest.mark.parametrize("rank, n, quartile", [(4, 16, 1), (5, 16, 2), (8, 16, 2), (9, 16, 3), (13, 16, 4),
                                               (1, 7, 1), (2, 7, 1), (4, 7, 3), (6, 7, 4), (7, 7, 4), (1, 2, 1), (2, 2, 4)])
def test_quartile_boundaries(rank, n, quartile):
    # Council "Us" placed at ``rank`` among n (higher is better): n - rank councils below it.
    pairs = [("Us", 100.0 - rank + 0.5)] + [(f"C{i}", 100.0 - i) for i in range(1, n)]
    assert rank_among(_values(pairs), "Us", HIGHER_IS_BETTER).quartile == quartile


def test_ties_share_the_better_rank_and_median_includes_the_council():
    values = _values([("A", 10.0), ("Us", 8.0), ("B", 8.0), ("C", 5.0)])
    result = rank_among(values, "Us", HIGHER_IS_BETTER)
    assert result.rank == 2  # A is better; B ties → both 2nd
    assert result.median == 8.0  # sorted 5, 8, 8, 10: the middle two are 8 and 8
    assert result.best == 10.0 and result.worst == 5.0


def test_neutral_and_missing_council_are_not_ranked():
    assert rank_among(SIXTEEN, "Us", NEUTRAL).rank is None
    missing = rank_among(SIXTEEN, "Nobody", HIGHER_IS_BETTER)
    assert missing.rank is None and "no value for Nobody" in missing.note


def test_long_format_real_extract_ranks_trafford_without_england(tmp_path):
    path = tmp_path / "recycling.csv"
    path.write_text(REALDATA_ROWS)
    table, problems = read_comparators(path)
    assert problems == []
    assert set(table["Year"]) == {"2019-20"}
    assert table.loc[table["Authority"] == "England", "Is Aggregate"].item()
    # Councils: 59.1 (Milton Keynes), 56.9 (Trafford), 51.6, 46.0 → Trafford 2nd of 4; median (56.9+51.6)/2.
    result = rank_among(table, "Trafford", HIGHER_IS_BETTER)
    assert (result.rank, result.of, result.quartile) == (2, 4, 2)
    assert result.median == pytest.approx(54.25)


def test_spec_format_keeps_good_rows_and_reports_bad(tmp_path):
    path = tmp_path / "comparators.csv"
    path.write_text("Comparator Metric,Year,Authority,Value\nrecycling,2024/25,Us,50\nrecycling,2024-25,A,n/a\n"
                    "recycling,2024-25,,40\nrecycling,2024-25,Us,51\n")
    table, problems = read_comparators(path)
    assert list(table["Value"]) == [50.0]
    cells = sorted(p.cell for p in problems if p.cell)
    assert cells == ["C4", "D3"]
    assert any("Duplicate" in p.problem for p in problems)


def test_benchmark_table_uses_latest_year_with_own_value():
    comparators = pd.DataFrame({
        "Comparator Metric": ["m"] * 4, "Year": ["2023-24", "2023-24", "2024-25", "2024-25"],
        "Authority": ["Us", "A", "Us", "A"], "Value": [1.0, 2.0, 3.0, 2.0], "Unit": [""] * 4,
        "Area Code": [""] * 4, "Is Aggregate": [False] * 4,
    })
    indicators = pd.DataFrame({"Indicator ID": ["I1", "I2"], "Indicator": ["One", "Two"],
                               "Comparator Metric": ["m", ""], "Polarity": [HIGHER_IS_BETTER] * 2, "Unit": ["%"] * 2})
    table = benchmark_table(indicators, comparators, "Us")
    assert list(table["Indicator ID"]) == ["I1"]
    row = table.iloc[0]
    assert row["Year"] == "2024-25" and row["Rank"] == 1 and row["Position"] == "1st of 2 (top quartile)"
    assert math.isnan(row["Aggregate Value"])


@pytest.mark.parametrize("n, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                     (13, "13th"), (21, "21st"), (22, "22nd"), (111, "111th")])
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_year_and_quartile_labels():
    assert normalise_year("2019/20") == "2019-20" and normalise_year("2019-2020") == "2019-20"
    assert normalise_year("2021") == "2021"
    assert quartile_label(1) == "Top quartile" and quartile_label(None) == "Not ranked"
