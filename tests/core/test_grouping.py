"""Grouping problems: one line per kind of mistake, with compressed cell ranges."""

from pmflib.core.errors import Problem
from pmflib.core.grouping import compress_rows, format_problems, group_problems, split_cell

TYPE = "Type must be one of Outcome, Output, Input, Perception"


def test_split_cell():
    assert split_cell("K12") == ("K", 12)
    assert split_cell("aa3") == ("AA", 3)
    assert split_cell("") is None
    assert split_cell("Sign-off") is None


def test_compress_rows_makes_contiguous_ranges():
    assert compress_rows("K", [2, 3, 4, 9, 11, 12]) == "K2:K4, K9, K11:K12"
    assert compress_rows("K", [5]) == "K5"
    assert compress_rows("K", [4, 2, 3, 3]) == "K2:K4"


def test_45_identical_mistakes_make_one_line():
    problems = [Problem("register.xlsx", "Indicators", f"K{row}", TYPE, "Performance") for row in range(2, 47)]
    lines = format_problems(problems)
    assert lines == [f"  register.xlsx Indicators!K2:K46: {TYPE} — 45 cells say 'Performance'"]


def test_different_columns_files_and_texts_stay_apart():
    problems = [
        Problem("a.xlsx", "Indicators", "G5", "not a number", "x"),
        Problem("a.xlsx", "Indicators", "H5", "not a number", "x"),
        Problem("b.xlsx", "Indicators", "G5", "not a number", "x"),
        Problem("a.xlsx", "Indicators", "G6", "blank", ""),
    ]
    assert len(group_problems(problems)) == 4


def test_rows_from_data_quality_csv_group_too_and_file_can_be_left_off():
    rows = [{"File": "r.xlsx", "Sheet": "Indicators", "Cell": f"G{r}", "ID": f"I{r}",
             "Problem": "blank", "Value": ""} for r in (5, 6)]
    (line,) = format_problems(rows, indent="", show_file=False)
    assert line == "Indicators!G5:G6: blank — 2 cells [ID I5, I6]"
