"""One header rule for the register, the history file and the returns (core.headers).

Each variant below is one a reader accepted before the two rules were merged
(the register ignored case and extra spaces of any kind; a return also
ignored punctuation), so none may stop matching; and the register, the
history file and a return now agree on every one of them.
"""

from __future__ import annotations

import pytest

from pmflib.core import constants as C
from pmflib.core.headers import best_header_row, first_header_row, header_key, header_matches
from pmflib.inputs.register import _Issues, locate_table, validate_wide_history
from pmflib.inputs.returns import INDICATOR_FIELDS, find_header

#: Hand-typed headings for "Indicator ID", each matched before by one reader or both.
VARIANTS = [
    "Indicator ID",           # as the template writes it
    "indicator id",           # case (both)
    "INDICATOR ID",           # case (both)
    "  Indicator ID  ",       # surrounding spaces (both)
    "Indicator   ID",         # repeated spaces (both)
    "Indicator\u00a0ID",      # non-breaking space pasted from a web page (both)
    "Indicator\tID",          # a tab (both)
    "Indicator\nID",          # a line break inside the cell (both)
    "Indicator ID:",          # trailing punctuation (returns)
    "Indicator-ID",           # punctuation between words (returns)
    "IndicatorID",            # no space (returns)
    "Indicator ID.",          # a full stop (returns)
]
NOT_HEADINGS = ["Indicator", "Indicator IDs", "ID", "Indicator Name", ""]


@pytest.mark.parametrize("typed", VARIANTS)
def test_every_variant_has_the_key_of_the_heading(typed):
    assert header_key(typed) == header_key("Indicator ID") == "indicatorid"


@pytest.mark.parametrize("typed", NOT_HEADINGS)
def test_other_words_are_other_headings(typed):
    assert header_key(typed) != header_key("Indicator ID")


def test_percent_is_part_of_a_label():
    assert header_key("Target %") != header_key("Target")


@pytest.mark.parametrize("typed", VARIANTS)
def test_register_and_return_find_the_same_header_row_and_column(typed):
    title = ["Service return — Waste — 2025-26 Q2"]
    # Return: the indicators table under a title and a hint, columns moved.
    grid = [title, [], ["Type one figure per row"], ["Notes", typed, "ACTUAL ", "Commentary"], ["", "IND-01", 3, ""]]
    assert find_header(grid, INDICATOR_FIELDS) == (3, {"Indicator ID": 1, "Actual": 2, "Commentary": 3})
    # Register: the same heading row on the Outcomes-like table.
    standard = ("Indicator ID", "Actual", "Commentary")
    issues = _Issues("register.xlsx")
    table = locate_table("Sheet", grid, standard, (), issues)
    assert table.header_row == 4
    assert table.letters["Indicator ID"] == "B"
    assert table.extras == ("Notes",)
    assert issues.problems == []
    assert best_header_row(grid, standard) == 3


@pytest.mark.parametrize("typed", VARIANTS)
def test_the_register_indicators_sheet_takes_every_variant(typed):
    header = [typed if h == "Indicator ID" else h for h in C.REGISTER_INDICATOR_COLUMNS]
    issues = _Issues("register.xlsx")
    table = locate_table(C.INDICATORS_SHEET, [header], C.REGISTER_INDICATOR_COLUMNS, (), issues)
    assert issues.problems == []
    assert table.letters["Indicator ID"] == "A"
    assert table.extras == ()


@pytest.mark.parametrize("typed", VARIANTS)
def test_a_wide_history_takes_every_variant(typed):
    frame, problems = validate_wide_history("History", [[typed, "2024-25 Q1"], ["IND-01", 7]], "history.xlsx")
    assert problems == []
    assert frame.to_dict("records") == [{"Indicator ID": "IND-01", "Period": "2024-25 Q1", "Actual": 7.0}]


@pytest.mark.parametrize("typed", ["Period", "period ", "PERIOD:", "Period\u00a0"])
def test_a_period_heading_in_any_variant_means_the_long_table(typed):
    assert validate_wide_history("History", [["Indicator ID", typed, "2024-25 Q1"]], "h.xlsx") is None


def test_only_text_cells_are_headings_and_the_first_column_counts():
    row = [None, 3, "Actual", "actual", "Indicator ID"]
    assert header_matches(row, ("Indicator ID", "Actual")) == {"Actual": 2, "Indicator ID": 4}


def test_the_register_takes_the_fullest_row_and_the_return_the_first_with_its_id():
    wanted = ("Indicator ID", "Actual", "Commentary")
    grid = [["Indicator ID", "Actual"], ["Indicator ID", "Actual", "Commentary"]]
    assert best_header_row(grid, wanted) == 1
    assert first_header_row(grid, wanted) == (0, {"Indicator ID": 0, "Actual": 1})
    assert best_header_row([], wanted) == 0
    assert first_header_row([["Actual", "Commentary"]], wanted) is None


def test_headers_are_searched_in_the_first_rows_only():
    wanted = ("Indicator ID", "Actual")
    grid = [[] for _ in range(C.HEADER_SEARCH_ROWS)] + [list(wanted)]
    assert first_header_row(grid, wanted) is None
    assert best_header_row(grid, wanted) == 0
