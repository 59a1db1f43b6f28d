"""Tests for pmflib.register: writing, reading and validating the register and history.

Every workbook here is a real .xlsx written with openpyxl into tmp_path; cell
references in the expected problems are worked out by hand from the rows
below (header in row 1, first data row in row 2).
"""

from __future__ import annotations

import math
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmflib.inputs import register
from pmflib.core.errors import PmfError, RegisterError

# Column letters, by hand: Indicators A..Q, Targets A..G, Actions A..G.
IND_HEADER = [
    "Indicator ID", "Indicator", "Outcome ID", "Service", "Owner",             # A-E
    "Escalation Owner", "Definition", "Unit", "Decimals", "Polarity",          # F-J
    "Type", "Frequency", "Cumulative", "KPI", "Headline", "Tolerance",          # K-P
    "Comparator Metric",                                                       # Q
]
TGT_HEADER = ["Indicator ID", "Year", "Annual Target", "Q1 Target", "Q2 Target", "Q3 Target", "Q4 Target"]
ACT_HEADER = ["Action ID", "Action", "Outcome ID", "Service", "Owner", "Start Date", "End Date"]
OUT_HEADER = ["Outcome ID", "Outcome", "Cabinet Member", "Lead Director"]


def indicator(id_, **changes):
    """One valid Indicators row, with named cells changed."""
    row = dict(zip(IND_HEADER, [
        id_, f"Indicator {id_}", "O1", "Housing", "Ann Owner", "Dee Rector", "A definition",
        "%", 1, "Higher is better", "Outcome", "Quarterly", "N", "Y", "N", "5%", "",
    ]))
    row.update(changes)
    return [row[h] for h in IND_HEADER]


def action(id_, **changes):
    row = dict(zip(ACT_HEADER, [
        id_, f"Action {id_}", "O1", "Housing", "Ann Owner", datetime(2025, 4, 1), datetime(2026, 3, 31),
    ]))
    row.update(changes)
    return [row[h] for h in ACT_HEADER]


def valid_rows():
    """A small valid register as rows of cells, header first."""
    return {
        "Outcomes": [OUT_HEADER, ["O1", "Safe homes", "Cllr Able", "Director Bee"],
                     ["O2", "Clean streets", "Cllr Cee", "Director Dee"]],
        "Indicators": [IND_HEADER, indicator("I1"),
                       indicator("I2", **{"Outcome ID": "O2", "Service": "Waste", "Unit": "number",
                                          "Decimals": 0, "Polarity": "Lower is better",
                                          "Frequency": "Annual", "Cumulative": "Y", "KPI": "N",
                                          "Tolerance": 2})],
        "Targets": [TGT_HEADER, ["I1", "2025-26", 80, 70, 72, 75, 80],
                    ["I2", "2025-26", 1200, None, None, None, None]],
        "Actions": [ACT_HEADER, action("A1")],
    }


def write_rows(path, sheets, formats=None):
    """Write sheets of rows with openpyxl; ``formats`` maps 'Sheet!A1' to a number format."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    for ref, number_format in (formats or {}).items():
        name, cell = ref.split("!")
        book[name][cell].number_format = number_format
    book.save(path)
    return path


def problems_of(path):
    with pytest.raises(RegisterError) as caught:
        register.read_register(path)
    return caught.value


def where(error):
    return {(p.sheet, p.cell) for p in error.problems}


# --- writing ---------------------------------------------------------------------------


def test_write_register_orders_sheets_and_formats_cells(tmp_path):
    sheets = {
        "Notes": pd.DataFrame({"Note": ["kept"]}),
        "Actions": pd.DataFrame({"Action ID": ["A1"], "Start Date": pd.to_datetime(["2025-04-01"])}),
        "Indicators": pd.DataFrame({"Indicator ID": ["I1", "I2"], "KPI": [True, False]}),
        "Outcomes": pd.DataFrame({"Outcome ID": ["O1"]}),
        "Targets": pd.DataFrame({"Indicator ID": ["I1"], "Annual Target": [50.0]}),
    }
    path = register.write_register(sheets, tmp_path / "register.xlsx")

    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Outcomes", "Indicators", "Targets", "Actions", "Notes"]
    actions = book["Actions"]
    assert actions["A1"].font.b and actions.freeze_panes == "A2"
    assert actions["B2"].value == datetime(2025, 4, 1)
    assert actions["B2"].number_format == "yyyy-mm-dd"
    assert [book["Indicators"]["B2"].value, book["Indicators"]["B3"].value] == ["Y", "N"]
    assert book["Indicators"]["B2"].data_type == "s"
    assert book["Targets"]["B2"].value == 50


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_history_round_trips(tmp_path, suffix):
    history = pd.DataFrame({"Indicator ID": ["I1", "I2"], "Period": ["2025-26 Q1", "2024-25 Q4"],
                            "Actual": [3.5, 1234.0]})
    path = register.write_history(history, tmp_path / f"history{suffix}")
    frame, problems = register.read_history(path)
    assert problems == []
    assert frame.to_dict("records") == history.to_dict("records")


def test_write_history_refuses_other_suffixes(tmp_path):
    with pytest.raises(PmfError):
        register.write_history(pd.DataFrame(), tmp_path / "history.txt")


# --- a valid register -------------------------------------------------------------------


def test_valid_register_round_trips_with_design_types(tmp_path):
    sheets = {
        "Outcomes": pd.DataFrame(valid_rows()["Outcomes"][1:], columns=OUT_HEADER),
        "Indicators": pd.DataFrame(valid_rows()["Indicators"][1:], columns=IND_HEADER).assign(
            Notes=["first", "second"]),
        "Targets": pd.DataFrame({"Indicator ID": ["I1", "I2"], "Year": ["2025-26", "2025-26"],
                                 "Annual Target": [80.0, "TBC"], "Q1 Target": [70.0, None]}),
        "Actions": pd.DataFrame({"Action ID": ["A1"], "Action": ["Fix"], "Outcome ID": ["O1"],
                                 "Service": ["Housing"], "Owner": [""],
                                 "Start Date": pd.to_datetime(["2025-04-01"]),
                                 "End Date": pd.to_datetime(["2026-03-31"])}),
    }
    before = {name: frame.copy() for name, frame in sheets.items()}
    path = register.write_register(sheets, tmp_path / "register.xlsx")
    reg = register.read_register(path)

    for name, frame in sheets.items():   # the caller's frames are not touched
        pd.testing.assert_frame_equal(frame, before[name])

    assert reg.path == path
    ind = reg.indicators
    assert list(ind.columns) == [*IND_HEADER[:15], "Tolerance", "Tolerance Value",
                                 "Tolerance Relative", "Comparator Metric", "Notes"]
    assert ind["Decimals"].tolist() == [1, 0] and ind["Decimals"].dtype == "int64"
    for flag, expected in (("Cumulative", [False, True]), ("KPI", [True, False]), ("Headline", [False, False])):
        assert ind[flag].dtype == bool and ind[flag].tolist() == expected
    assert ind["Tolerance"].tolist() == ["5%", "2"]
    assert ind["Tolerance Value"].tolist() == [0.05, 2.0]
    assert ind["Tolerance Relative"].tolist() == [True, False]
    assert ind["Comparator Metric"].tolist() == ["", ""]
    assert ind["Indicator ID"].dtype == "str" and ind["Notes"].tolist() == ["first", "second"]

    tgt = reg.targets
    assert tgt["Annual Target"].iloc[0] == 80.0 and math.isnan(tgt["Annual Target"].iloc[1])
    assert tgt["Baseline"].tolist() == [False, True]
    assert tgt["Q1 Target"].iloc[0] == 70.0 and math.isnan(tgt["Q2 Target"].iloc[0])

    act = reg.actions
    assert act["Start Date"].dtype.kind == "M"
    assert act["End Date"].tolist() == [pd.Timestamp("2026-03-31")]
    assert act["Owner"].tolist() == [""]

    again = register.read_register(register.write_register(
        {"Outcomes": reg.outcomes, "Indicators": reg.indicators, "Targets": reg.targets,
         "Actions": reg.actions}, tmp_path / "again.xlsx"))
    pd.testing.assert_frame_equal(again.indicators, reg.indicators)
    pd.testing.assert_frame_equal(again.targets, reg.targets)
    pd.testing.assert_frame_equal(again.actions, reg.actions)


def test_optional_columns_take_their_defaults(tmp_path):
    rows = valid_rows()
    optional = {"Escalation Owner", "Definition", "Decimals", "Headline", "Tolerance", "Comparator Metric"}
    keep = [i for i, h in enumerate(IND_HEADER) if h not in optional]
    rows["Indicators"] = [[row[i] for i in keep] for row in rows["Indicators"]]
    rows["Targets"] = [row[:3] for row in rows["Targets"]]
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", rows))

    ind = reg.indicators
    assert ind["Decimals"].tolist() == [1, 1]
    assert ind["Tolerance"].tolist() == ["5%", "5%"]
    assert ind["Tolerance Value"].tolist() == [0.05, 0.05]
    assert ind["Headline"].tolist() == [False, False]
    assert ind["Definition"].tolist() == ["", ""] and ind["Comparator Metric"].tolist() == ["", ""]
    assert reg.targets["Q4 Target"].isna().all()


def test_headers_in_another_case_under_a_title_are_found(tmp_path):
    rows = valid_rows()
    rows["Outcomes"] = [["Our outcome plans"], [" outcome id ", "OUTCOME", "cabinet member", "Lead director"],
                        *rows["Outcomes"][1:]]
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", rows))
    assert reg.outcomes["Outcome ID"].tolist() == ["O1", "O2"]
    assert list(reg.outcomes.columns) == OUT_HEADER


@pytest.mark.parametrize("typed, canonical", [
    ("higher is better", "Higher is better"),
    ("  LOWER IS BETTER ", "Lower is better"),
    ("neutral", "Neutral"),
    ("Lower  is better", "Lower is better"),
])
def test_polarity_any_case_is_canonicalised(tmp_path, typed, canonical):
    rows = valid_rows()
    rows["Indicators"][1][IND_HEADER.index("Polarity")] = typed
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", rows))
    assert reg.indicators["Polarity"].iloc[0] == canonical


@pytest.mark.parametrize("column, typed, expected", [
    ("Type", "perception", "Perception"),
    ("Frequency", "HALF-YEARLY", "Half-yearly"),
    ("KPI", "yes", True), ("KPI", "No", False), ("KPI", None, False), ("KPI", "y", True),
    ("Decimals", 0, 0), ("Decimals", "6", 6), ("Decimals", None, 1),
])
def test_register_vocabulary_table(tmp_path, column, typed, expected):
    rows = valid_rows()
    rows["Indicators"][1][IND_HEADER.index(column)] = typed
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", rows))
    assert reg.indicators[column].iloc[0] == expected


# --- tolerance -------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    ("5%", ("5%", 0.05, True)),
    ("2.5 %", ("2.5 %", 0.025, True)),
    ("10 %", ("10 %", 0.10, True)),
    (" 0% ", ("0%", 0.0, True)),
    (2, ("2", 2.0, False)),
    ("2", ("2", 2.0, False)),
    (0.5, ("0.5", 0.5, False)),
    ("1,500", ("1,500", 1500.0, False)),
    (None, ("5%", 0.05, True)),
    ("", ("5%", 0.05, True)),
])
def test_parse_tolerance(cell, expected):
    assert register.parse_tolerance(cell) == expected


@pytest.mark.parametrize("cell", [-1, "-1", "-5%", "abc", "five %", "%", True])
def test_parse_tolerance_rejects(cell):
    with pytest.raises(ValueError):
        register.parse_tolerance(cell)


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_tolerance_any_whole_number(n):
    """Thousands separators are read; a % sign makes the band relative."""
    assert register.parse_tolerance(f"{n:,}") == (f"{n:,}", float(n), False)
    assert register.parse_tolerance(f"{n}%") == (f"{n}%", n / 100, True)


def test_tolerance_cells_read_as_shown_in_excel(tmp_path):
    """A cell typed as 5% in Excel holds 0.05 with a percent format: it means 5%."""
    rows = valid_rows()
    col = IND_HEADER.index("Tolerance")
    rows["Indicators"][1][col] = 0.05   # P2, formatted 0%
    rows["Indicators"][2][col] = 0.05   # P3, General: an absolute band of 0.05
    rows["Indicators"].append(indicator("I3", Tolerance=0.025))  # P4, formatted 0.0%
    path = write_rows(tmp_path / "r.xlsx", rows, {"Indicators!P2": "0%", "Indicators!P4": "0.0%"})
    ind = register.read_register(path).indicators
    assert ind["Tolerance"].tolist() == ["5%", "0.05", "2.5%"]
    assert ind["Tolerance Value"].tolist() == [0.05, 0.05, 0.025]
    assert ind["Tolerance Relative"].tolist() == [True, False, True]


# --- targets -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, number_format, target, baseline", [
    (80, None, 80.0, False),
    ("1,234", None, 1234.0, False),
    (" 45 ", None, 45.0, False),
    ("12.5", None, 12.5, False),
    ("75%", None, 75.0, False),           # I1's unit is %
    (0.75, "0%", 75.0, False),            # typed 75% in Excel
    ("Baseline", None, math.nan, True),
    ("TBC", None, math.nan, True),
    ("to be set", None, math.nan, True),
    (None, None, math.nan, False),
])
def test_annual_target_cells(tmp_path, cell, number_format, target, baseline):
    rows = valid_rows()
    rows["Targets"][1][2] = cell    # Targets!C2, indicator I1
    formats = {"Targets!C2": number_format} if number_format else {}
    tgt = register.read_register(write_rows(tmp_path / "r.xlsx", rows, formats)).targets
    got = tgt["Annual Target"].iloc[0]
    assert (math.isnan(got) and math.isnan(target)) or got == target
    assert tgt["Baseline"].iloc[0] == baseline


@pytest.mark.parametrize("row, col, cell, ref", [
    (1, 2, "£3.2m", "C2"),
    (2, 2, "75%", "C3"),       # I2's unit is number: a % sign would be a guess
    (1, 3, "lots", "D2"),
    (1, 4, True, "E2"),
])
def test_bad_target_cells(tmp_path, row, col, cell, ref):
    rows = valid_rows()
    rows["Targets"][row][col] = cell
    error = problems_of(write_rows(tmp_path / "r.xlsx", rows))
    assert where(error) == {("Targets", ref)}


# --- action dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("cell, expected", [
    (datetime(2025, 4, 1), "2025-04-01"),
    (date(2025, 4, 1), "2025-04-01"),
    (datetime(2025, 4, 1, 15, 30), "2025-04-01"),
    (45748, "2025-04-01"),         # 45658 is 1 Jan 2025; + 31 + 28 + 31 days
    ("45748", "2025-04-01"),
    ("01/04/2025", "2025-04-01"),
    ("1/4/2025", "2025-04-01"),
    ("2025-04-01", "2025-04-01"),
])
def test_action_start_dates(tmp_path, cell, expected):
    rows = valid_rows()
    rows["Actions"][1][5] = cell
    act = register.read_register(write_rows(tmp_path / "r.xlsx", rows)).actions
    assert act["Start Date"].iloc[0] == pd.Timestamp(expected)


# --- a broken register: every problem at once ----------------------------------------------------


def broken_rows():
    rows = valid_rows()
    rows["Outcomes"] = [OUT_HEADER,
                        ["O1", "Safe homes", "Cllr Able", "Director Bee"],        # 2
                        ["O1", "Safe homes again", "Cllr Able", "Director Bee"],  # 3 duplicate
                        [None, "Orphan", "Cllr Cee", "Director Dee"]]             # 4 blank ID
    rows["Indicators"] = [IND_HEADER,
                          indicator("I1"),                                         # 2
                          indicator("I1"),                                         # 3 duplicate
                          indicator("I3", **{"Outcome ID": "o1", "Decimals": 7}),  # 4 C4, I4
                          indicator("I5", Polarity="Upwards", Type="Result",       # 5 J5 K5 L5 N5 P5
                                    Frequency="Weekly", KPI="maybe", Tolerance="-1"),
                          indicator("I6", Service=None, Tolerance="abc",           # 6 D6 P6 I6
                                    Decimals="1.5", Cumulative="Yes", Headline="no",
                                    Polarity=" lower IS better ")]
    rows["Targets"] = [TGT_HEADER,
                       ["I1", "2025-26", 100],                 # 2
                       ["I1", "2025-26", 90],                  # 3 duplicate indicator+year
                       ["I9", "2025-26", 5],                   # 4 unknown indicator
                       ["I3", "2025/27", 5],                   # 5 bad year
                       ["I5", "2025-26", "£3.2m", "lots"]]     # 6 C6, D6
    rows["Actions"] = [ACT_HEADER,
                       action("A1"),                                               # 2
                       action("A1"),                                               # 3 duplicate
                       action("A4", **{"Outcome ID": "O9", "Start Date": "32/13/2025",
                                       "End Date": None}),                         # 4 C4 F4 G4
                       action("A5", **{"Start Date": datetime(2025, 6, 1),
                                       "End Date": "01/05/2025"})]                 # 5 G5
    return rows


def test_broken_register_reports_every_problem_at_once(tmp_path):
    error = problems_of(write_rows(tmp_path / "register.xlsx", broken_rows()))

    expected = {
        ("Outcomes", "A3", "O1"), ("Outcomes", "A4", ""),
        ("Indicators", "A3", "I1"), ("Indicators", "C4", "I3"), ("Indicators", "I4", "I3"),
        ("Indicators", "J5", "I5"), ("Indicators", "K5", "I5"), ("Indicators", "L5", "I5"),
        ("Indicators", "N5", "I5"), ("Indicators", "P5", "I5"),
        ("Indicators", "D6", "I6"), ("Indicators", "I6", "I6"), ("Indicators", "P6", "I6"),
        ("Targets", "A3", "I1"), ("Targets", "A4", "I9"), ("Targets", "B5", "I3"),
        ("Targets", "C6", "I5"), ("Targets", "D6", "I5"),
        ("Actions", "A3", "A1"), ("Actions", "C4", "A4"), ("Actions", "F4", "A4"),
        ("Actions", "G4", "A4"), ("Actions", "G5", "A5"),
    }
    assert {(p.sheet, p.cell, p.id) for p in error.problems} == expected
    assert len(error.problems) == len(expected)
    assert {p.file for p in error.problems} == {"register.xlsx"}
    # listed in the order an officer works through the workbook
    assert [(p.sheet, p.cell) for p in error.problems][:5] == [
        ("Outcomes", "A3"), ("Outcomes", "A4"), ("Indicators", "A3"), ("Indicators", "C4"),
        ("Indicators", "I4")]
    assert [(p.sheet, p.cell) for p in error.problems][-3:] == [
        ("Actions", "F4"), ("Actions", "G4"), ("Actions", "G5")]


@pytest.mark.parametrize("sheet, cell, value, words", [
    ("Indicators", "J5", "Upwards", ["Polarity", "Higher is better", "Lower is better", "Neutral"]),
    ("Indicators", "L5", "Weekly", ["Frequency", "Half-yearly"]),
    ("Indicators", "I4", "7", ["Decimals", "0 to 6"]),
    ("Indicators", "P5", "-1", ["Tolerance"]),
    ("Indicators", "C4", "o1", ["Outcomes", "case-sensitive"]),
    ("Targets", "A3", "I1", ["2025-26", "row 2"]),
    ("Targets", "C6", "£3.2m", ["number"]),
    ("Actions", "F4", "32/13/2025", ["Start Date", "31/03/2026"]),
    ("Actions", "G5", "01/05/2025", ["before", "01/06/2025"]),
])
def test_broken_register_problems_say_what_to_do(tmp_path, sheet, cell, value, words):
    error = problems_of(write_rows(tmp_path / "register.xlsx", broken_rows()))
    (problem,) = [p for p in error.problems if (p.sheet, p.cell) == (sheet, cell)]
    assert problem.value == value
    for word in words:
        assert word in problem.problem
    assert f"[{sheet}!{cell}]" in str(error) and repr(value) in str(error)


def test_missing_sheet_is_one_problem(tmp_path):
    rows = valid_rows()
    del rows["Actions"]
    error = problems_of(write_rows(tmp_path / "r.xlsx", rows))
    (problem,) = error.problems
    assert (problem.sheet, problem.cell) == ("Actions", "")
    assert "Actions" in problem.problem and "Start Date" in problem.problem


def test_missing_header_names_the_header_row_once(tmp_path):
    rows = valid_rows()
    col = IND_HEADER.index("Polarity")
    rows["Indicators"] = [["Indicators for 2025-26"]] + [r[:col] + r[col + 1:] for r in rows["Indicators"]]
    error = problems_of(write_rows(tmp_path / "r.xlsx", rows))
    (problem,) = error.problems
    assert (problem.sheet, problem.cell) == ("Indicators", "2:2")
    assert "'Polarity'" in problem.problem and "row 2" in problem.problem


def test_unknown_indicator_check_waits_for_a_readable_indicators_sheet(tmp_path):
    """Without an Indicator ID column, targets are not each reported as unknown."""
    rows = valid_rows()
    rows["Indicators"] = [r[1:] for r in rows["Indicators"]]
    error = problems_of(write_rows(tmp_path / "r.xlsx", rows))
    assert where(error) == {("Indicators", "1:1")}


def test_duplicate_header_is_reported(tmp_path):
    rows = valid_rows()
    rows["Outcomes"] = [r + [r[1]] for r in rows["Outcomes"]]   # E1 repeats 'Outcome'
    error = problems_of(write_rows(tmp_path / "r.xlsx", rows))
    assert where(error) == {("Outcomes", "E1")}


def test_unreadable_register(tmp_path):
    path = tmp_path / "register.xlsx"
    path.write_text("not a workbook")
    error = problems_of(path)
    assert len(error.problems) == 1 and error.problems[0].file == "register.xlsx"


# --- history -------------------------------------------------------------------------------------


HISTORY_ROWS = [
    ["Indicator ID", "Period", "Actual"],   # 1
    ["I1", "2024-25 Q4", 12],               # 2 kept
    ["I1", "2024-25-Q3", "1,234"],          # 3 kept, label normalised
    ["I9", "2024-25 Q4", 5],                # 4 A4 unknown indicator
    ["I1", "2024 Q5", 3],                   # 5 B5 bad period
    ["I1", "2024-25 Q2", "£3.2m"],          # 6 C6 not a number
    ["I1", "2024-25 Q2", None],             # 7 blank: skipped silently
    ["I1", "2024-25 Q1", "n/a"],            # 8 no value: skipped silently
    ["I1", "2024-25 Q4", 13],               # 9 B9 duplicate of row 2; row 2 kept
    ["I2", "2024/25 Q1", " 7 "],            # 10 kept
]
HISTORY_KEPT = [
    {"Indicator ID": "I1", "Period": "2024-25 Q4", "Actual": 12.0},
    {"Indicator ID": "I1", "Period": "2024-25 Q3", "Actual": 1234.0},
    {"Indicator ID": "I2", "Period": "2024-25 Q1", "Actual": 7.0},
]


def write_history_file(path):
    if path.suffix == ".csv":
        text = "\n".join(",".join("" if c is None else f'"{c}"' for c in row) for row in HISTORY_ROWS)
        path.write_text(text + "\n", encoding="utf-8")
        return path
    return write_rows(path, {"History": HISTORY_ROWS})


@pytest.mark.parametrize("suffix, sheet", [(".csv", ""), (".xlsx", "History")])
def test_history_keeps_good_rows_and_reports_bad_ones(tmp_path, suffix, sheet):
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", valid_rows()))
    frame, problems = register.read_history(write_history_file(tmp_path / f"history{suffix}"), reg)

    assert frame.to_dict("records") == HISTORY_KEPT
    assert frame["Actual"].dtype == "float64" and frame["Period"].dtype == "str"
    assert {(p.sheet, p.cell, p.id) for p in problems} == {
        (sheet, "A4", "I9"), (sheet, "B5", "I1"), (sheet, "C6", "I1"), (sheet, "B9", "I1")}
    assert {p.file for p in problems} == {f"history{suffix}"}


def test_history_without_register_takes_every_indicator(tmp_path):
    frame, problems = register.read_history(write_history_file(tmp_path / "history.csv"))
    assert "I9" in frame["Indicator ID"].tolist()
    assert {p.cell for p in problems} == {"B5", "C6", "B9"}


def test_history_percent_formatted_actual_for_a_percent_indicator(tmp_path):
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", valid_rows()))
    path = write_rows(tmp_path / "history.xlsx", {"History": [
        ["Indicator ID", "Period", "Actual"], ["I1", "2024-25 Q4", 0.12], ["I2", "2024-25 Q4", "12%"]]},
        {"History!C2": "0%"})
    frame, problems = register.read_history(path, reg)
    assert frame.to_dict("records") == [{"Indicator ID": "I1", "Period": "2024-25 Q4", "Actual": 12.0}]
    assert [(p.cell, p.id) for p in problems] == [("C3", "I2")]   # I2 is a number, not a %


def test_history_missing_header(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("Indicator ID,Quarter,Actual\nI1,2024-25 Q4,3\n", encoding="utf-8")
    frame, problems = register.read_history(path)
    assert frame.empty
    assert [(p.sheet, p.cell) for p in problems] == [("", "1:1")]


# --- wide history: a column per period, as councils keep it in Excel (issue 9 item 8) ------

@pytest.mark.parametrize("suffix, sheet", [(".csv", ""), (".xlsx", "History")])
def test_wide_history_is_read_and_bad_cells_are_named(tmp_path, suffix, sheet):
    reg = register.read_register(write_rows(tmp_path / "r.xlsx", valid_rows()))
    rows = [
        ["ID", "2023-24 Q1", "2023-24 Q2", "2023-24 Q5"],
        ["I1", "40", "41.5", ""],
        ["I2", "n/a", "lots", ""],
        ["NOPE", "1", "2", ""],
    ]
    path = tmp_path / f"history{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    else:
        write_rows(path, {"History": rows})
    frame, problems = register.read_history(path, reg)
    assert frame.to_dict("records") == [
        {"Indicator ID": "I1", "Period": "2023-24 Q1", "Actual": 40.0},
        {"Indicator ID": "I1", "Period": "2023-24 Q2", "Actual": 41.5},
    ]
    assert {(p.sheet, p.cell, p.id) for p in problems} == {
        (sheet, "D1", ""), (sheet, "C3", "I2"), (sheet, "A4", "NOPE")}
    assert "2025-26 Q2" in next(p.problem for p in problems if p.cell == "D1")
