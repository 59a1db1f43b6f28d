"""The open data tables, their Data Package and the accessible spreadsheet (pmflib.report.opendata, SPEC §10)."""

from __future__ import annotations

import csv
import json
import math
import zipfile
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.report.opendata import (
    SOURCE_COLUMNS,
    actions_table,
    datapackage,
    format_date,
    format_number,
    indicators_table,
    safe_text,
    spreadsheet_name,
    with_sources,
    write_open_data,
    write_spreadsheet,
)

PERIOD = Period.parse("2025-26 Q2")
COUNCIL = "Anytown District Council"
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _indicators() -> pd.DataFrame:
    """Two assessed indicators as the pipeline hands them over: the open-data
    columns plus the register/rules columns the Status Reason is built from."""
    return pd.DataFrame({
        "Period": ["2025-26 Q2", "2025-26 Q2"],
        "Indicator ID": ["PI-01", "PI-02"],
        "Indicator": ["Homes built", "Change in fly-tipping"],
        "Outcome ID": ["O01", "O02"],
        "Outcome": ["More homes", "Clean streets"],
        "Service": ["Housing", "Waste"],
        "Type": ["Outcome", "Output"],
        "KPI": [True, False],
        "Unit": ["Number", "%"],
        "Polarity": [C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER],
        "Actual": [60.0, -3.5],
        "Forecast Year-End": [139.0, math.nan],
        "Target": [198.0, math.nan],
        "Status": [C.RED, C.MEASURED],
        "Status Reason": ["Target missed by more than the tolerance (5%)", "No target set for 2025-26"],
        "Basis": [C.BASIS_FORECAST, ""],
        "Assessed Value": [139.0, math.nan],
        "Decimals": [0, 1],
        "Direction": ["Declining", "Measured"],
        "Compared With": ["2025-26 Q1", ""],
        "Comparison Value": [75.0, math.nan],
        "Commentary": [FORMULA, "+44 calls this quarter"],
        "Corrective Action": ["-", None],
        "Source": ["housing-2025-26-Q2.xlsx", "history"],
        "Source Sheet": ["Indicators", ""],
        "Source Cell": ["G5", ""],
        "Source SHA-256": ["ab12", ""],
        "Approved By": ["@J Smith", ""],
    })


def _actions() -> pd.DataFrame:
    return pd.DataFrame({
        "Period": ["2025-26 Q2"],
        "Action ID": ["A01"],
        "Action": ["Open the new depot"],
        "Outcome ID": ["O02"],
        "Service": ["Waste"],
        "Owner": ["Head of Waste"],
        "Start Date": [pd.Timestamp("2025-04-01")],
        "Baseline End Date": [date(2025, 9, 30)],
        "Expected End Date": [datetime(2025, 12, 31, 17, 0)],
        "Completed Date": [pd.NaT],
        "Status": ["Slipped (less than 3 months)"],
        "Slippage Months": [3],
        "Commentary": ["\tWaiting on the contractor"],
    })


# --- cells -------------------------------------------------------------------------------------
# SPEC §10: a cell "that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is text,
# never a formula, when opened in Excel (OWASP's CSV-injection advice)".
@pytest.mark.parametrize("text", ["=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx", FORMULA])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Homes built", " =1+1", "1-2", "a=b", "'quoted", "\nx"])
def test_other_text_is_left_alone(text):
    assert safe_text(text) == text


@pytest.mark.parametrize(("value", "text"), [
    (12, "12"), (12.0, "12"), (-3.5, "-3.5"), (0.1 + 0.2, "0.3"), (-0.0, "0"), (np.int64(7), "7"),
    (np.float64(2.50), "2.5"), ("12", "12"), (1234567.0, "1234567"),
    (None, ""), (math.nan, ""), (np.nan, ""), (np.float64("nan"), ""),
])
def test_numbers_are_plain_with_blank_for_none(value, text):
    # SPEC §10: "numbers are plain (no thousands separators, no `%` sign: the unit says it)"
    assert format_number(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (date(2025, 9, 30), "2025-09-30"), (datetime(2025, 9, 30, 23, 59), "2025-09-30"),
    (pd.Timestamp("2026-03-31 08:00"), "2026-03-31"), ("2025-09-30", "2025-09-30"),
    (None, ""), (pd.NaT, ""), (math.nan, ""), (np.nan, ""),
])
def test_dates_are_iso_with_blank_for_none(value, text):
    # SPEC §10: "Dates are ISO (`2025-09-30`)"
    assert format_date(value) == text


# --- tables ------------------------------------------------------------------------------------
def test_indicator_table_has_the_spec_columns_in_order_as_text():
    table = indicators_table(_indicators())
    # SPEC §10 lists indicators.csv's columns in this order, provenance last.
    assert tuple(table.columns) == (
        "Period", "Indicator ID", "Indicator", "Outcome ID", "Outcome", "Service", "Type", "KPI", "Unit",
        "Polarity", "Actual", "Forecast Year-End", "Target", "Status", "Status Reason", "Direction",
        "Compared With", "Comparison Value", "Commentary", "Corrective Action",
        "Source", "Source Sheet", "Source Cell", "Source SHA-256", "Approved By")
    assert list(table.index) == [0, 1]
    assert table.loc[0, "KPI"] == "Y" and table.loc[1, "KPI"] == "N"
    assert table.loc[0, "Actual"] == "60" and table.loc[1, "Actual"] == "-3.5"
    assert table.loc[1, "Target"] == "" and table.loc[1, "Corrective Action"] == ""
    # SPEC §10: "`Status Reason` names what was compared ("Forecast year-end 139 against annual
    # target 198: 29.8% short, beyond the 5% tolerance")" -- 1 - 139/198 = 29.8%.
    assert table.loc[0, "Status Reason"] == (
        "Forecast year-end 139 against annual target 198: 29.8% short, beyond the 5% tolerance")
    assert table.loc[1, "Status Reason"] == "No target set for 2025-26"  # no comparison: the reason stands
    # The table is the plain text; only the CSV form gets the formula guard.
    assert table.loc[0, "Commentary"] == FORMULA


def test_indicator_table_keeps_extra_columns_after_the_spec_ones():
    table = indicators_table(_indicators().assign(Variation=["Common cause", ""]), extra=("Variation",))
    assert list(table.columns)[-2:] == ["Approved By", "Variation"]
    assert list(table["Variation"]) == ["Common cause", ""]


def test_a_table_missing_a_spec_column_is_refused():
    with pytest.raises(KeyError, match="Outcome"):
        indicators_table(_indicators().drop(columns=["Outcome"]))


def test_action_table_has_the_spec_columns_in_order_with_iso_dates():
    table = actions_table(_actions())
    # SPEC §10: actions.csv's columns.
    assert tuple(table.columns) == (
        "Period", "Action ID", "Action", "Outcome ID", "Service", "Owner", "Start Date", "Baseline End Date",
        "Expected End Date", "Completed Date", "Status", "Slippage Months", "Commentary")
    assert table.iloc[0].tolist() == [
        "2025-26 Q2", "A01", "Open the new depot", "O02", "Waste", "Head of Waste", "2025-04-01", "2025-09-30",
        "2025-12-31", "", "Slipped (less than 3 months)", "3", "\tWaiting on the contractor"]


def test_with_sources_joins_by_indicator_and_period_and_keeps_the_index():
    indicators = _indicators().drop(columns=list(SOURCE_COLUMNS)).assign(Source=["stale", "stale"])
    indicators.index = [10, 11]
    sources = pd.DataFrame({
        "Indicator ID": ["PI-01", "PI-01", "PI-03"],
        "Period": ["2025-26 Q1", "2025-26 Q2", "2025-26 Q2"],
        "Actual": [1.0, 2.0, 3.0],
        "Source": ["old.xlsx", "housing.xlsx", "other.xlsx"],
        "Source Sheet": ["Indicators"] * 3,
        "Source Cell": ["G4", "G5", "G6"],
        "Source SHA-256": ["aa", "bb", "cc"],
        "Approved By": ["A", "B", "C"],
        "Archive Path": ["x", "y", "z"],
    })
    merged = with_sources(indicators, sources)
    assert list(merged.index) == [10, 11]
    assert list(merged["Indicator ID"]) == ["PI-01", "PI-02"]
    assert merged.loc[10, list(SOURCE_COLUMNS)].tolist() == ["housing.xlsx", "Indicators", "G5", "bb", "B"]
    assert merged.loc[11, list(SOURCE_COLUMNS)].tolist() == ["", "", "", "", ""]  # not reported: blank
    assert "Archive Path" not in merged.columns
    assert list(merged["Actual"]) == [60.0, -3.5]  # the period's own actual, not the source row's


# --- the data package --------------------------------------------------------------------------
def test_datapackage_describes_each_table_with_types_and_the_licence():
    tiny = pd.DataFrame({"Indicator ID": ["PI-01"], "Actual": ["5"], "Start Date": ["2025-04-01"]})
    package = datapackage(COUNCIL, "2025-26 Q2", {"indicators": tiny})
    assert package["profile"] == "tabular-data-package"
    assert package["name"] == "anytown-district-council-performance-2025-26-q2"
    assert package["title"] == "Anytown District Council: performance indicators and actions, 2025-26 Q2"
    # SPEC §10: "licence: Open Government Licence v3.0"
    assert package["licenses"] == [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                                    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/"
                                            "version/3/"}]
    [resource] = package["resources"]
    assert {k: resource[k] for k in ("name", "path", "format", "mediatype", "encoding", "profile")} == {
        "name": "indicators", "path": "indicators.csv", "format": "csv", "mediatype": "text/csv",
        "encoding": "utf-8", "profile": "tabular-data-resource"}
    assert resource["schema"] == {"fields": [
        {"name": "Indicator ID", "type": "string"},
        {"name": "Actual", "type": "number"},
        {"name": "Start Date", "type": "date"},
    ], "missingValues": [""]}


def test_spreadsheet_name_is_the_package_name():
    assert spreadsheet_name("St Mary's & Co", PERIOD) == "st-mary-s---co-performance-2025-26-q2"
    assert spreadsheet_name(COUNCIL, Period.parse("2026-27-Q4")) == "anytown-district-council-performance-2026-27-q4"


# --- the files ---------------------------------------------------------------------------------
def _read_csv(path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return list(csv.reader(stream))


def test_write_open_data_writes_exact_rows_guarded_against_formulas(tmp_path):
    paths = write_open_data(tmp_path / "open-data", COUNCIL, PERIOD, _indicators(), _actions())
    folder = tmp_path / "open-data"
    assert paths == {"indicators": folder / "indicators.csv", "actions": folder / "actions.csv",
                     "datapackage": folder / "datapackage.json",
                     "spreadsheet": folder / "anytown-district-council-performance-2025-26-q2.xlsx"}
    assert all(p.is_file() for p in paths.values())

    header, first, second = _read_csv(paths["indicators"])
    assert header == list(C.INDICATOR_COLUMNS)
    assert first == [
        "2025-26 Q2", "PI-01", "Homes built", "O01", "More homes", "Housing", "Outcome", "Y", "Number",
        "Higher is better", "60", "139", "198", "Red",
        "Forecast year-end 139 against annual target 198: 29.8% short, beyond the 5% tolerance",
        "Declining", "2025-26 Q1", "75", "'" + FORMULA, "'-",
        "housing-2025-26-Q2.xlsx", "Indicators", "G5", "ab12", "'@J Smith"]
    # -3.5 is a number column: still minus three and a half, no quote.
    assert second == [
        "2025-26 Q2", "PI-02", "Change in fly-tipping", "O02", "Clean streets", "Waste", "Output", "N", "%",
        "Lower is better", "-3.5", "", "", "Measured", "No target set for 2025-26", "Measured", "", "",
        "'+44 calls this quarter", "", "history", "", "", "", ""]

    assert _read_csv(paths["actions"]) == [
        list(C.ACTION_COLUMNS),
        ["2025-26 Q2", "A01", "Open the new depot", "O02", "Waste", "Head of Waste", "2025-04-01", "2025-09-30",
         "2025-12-31", "", "Slipped (less than 3 months)", "3", "'\tWaiting on the contractor"],
    ]
    assert b"\r\n" not in paths["actions"].read_bytes()  # "\n" line ends

    package = json.loads(paths["datapackage"].read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["indicators.csv", "actions.csv"]
    fields = package["resources"][1]["schema"]["fields"]
    assert [f["name"] for f in fields] == list(C.ACTION_COLUMNS)
    assert {f["name"]: f["type"] for f in fields}["Slippage Months"] == "number"
    assert {f["name"]: f["type"] for f in fields}["Completed Date"] == "date"


def test_the_spreadsheet_has_cover_notes_and_a_table_per_sheet_with_no_formulas(tmp_path):
    paths = write_open_data(tmp_path, COUNCIL, PERIOD, _indicators(), _actions())
    book = openpyxl.load_workbook(paths["spreadsheet"])
    assert book.sheetnames == ["Cover", "Notes", "Indicators", "Actions"]
    assert book["Cover"]["A1"].value == "Anytown District Council: performance indicators and actions, 2025-26 Q2"
    assert any("Open Government Licence v3.0" in str(c.value) for c in book["Cover"]["A"])

    indicators, actions, notes = book["Indicators"], book["Actions"], book["Notes"]
    assert [c.value for c in indicators[1]] == list(C.INDICATOR_COLUMNS)
    assert [c.value for c in actions[1]] == list(C.ACTION_COLUMNS)
    assert [c.value for c in notes[1]] == ["Table", "Column", "Meaning"]
    assert notes.max_row == 1 + len(C.INDICATOR_COLUMNS) + len(C.ACTION_COLUMNS)
    # One named table per sheet, from A1 over the header and every row (25 columns = Y, 13 = M).
    assert dict(indicators.tables.items()) == {"IndicatorsTable": "A1:Y3"}
    assert dict(actions.tables.items()) == {"ActionsTable": "A1:M2"}
    assert dict(notes.tables.items()) == {"NotesTable": "A1:C39"}
    assert indicators.freeze_panes == "A2"

    column = {name: i for i, name in enumerate(C.INDICATOR_COLUMNS, start=1)}
    # Numbers are stored as numbers.
    assert indicators.cell(2, column["Actual"]).value == 60 and indicators.cell(3, column["Actual"]).value == -3.5
    assert indicators.cell(3, column["Target"]).value in (None, "")
    # The commentary is the text as written (no CSV quote), typed as text and quote-prefixed,
    # so Excel shows it and never runs it (SPEC §10).
    commentary = indicators.cell(2, column["Commentary"])
    assert commentary.value == FORMULA and commentary.data_type == "s" and commentary.quotePrefix
    assert actions.cell(2, 13).value == "\tWaiting on the contractor" and actions.cell(2, 13).quotePrefix
    assert not indicators.cell(2, column["Indicator"]).quotePrefix
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    with zipfile.ZipFile(paths["spreadsheet"]) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 4
        assert not any("<f>" in archive.read(n).decode() or "<f " in archive.read(n).decode() for n in sheets)


def test_write_spreadsheet_on_its_own_writes_an_empty_table_without_a_table_object(tmp_path):
    empty = pd.DataFrame({"Action ID": pd.Series([], dtype=str), "Slippage Months": pd.Series([], dtype=str)})
    tiny = pd.DataFrame({"Action ID": ["A01"], "Slippage Months": ["2.5"]})
    path = write_spreadsheet(tmp_path / "sub" / "book.xlsx", COUNCIL, "2025-26 Q2",
                             {"actions": tiny, "indicators": empty})
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Cover", "Notes", "Actions", "Indicators"]
    assert book["Actions"]["B2"].value == 2.5
    assert list(book["Actions"].tables) == ["ActionsTable"] and list(book["Indicators"].tables) == []
    assert [c.value for c in book["Indicators"][1]] == ["Action ID", "Slippage Months"]


# --- no value, no exponent, ASCII names (found while writing these tests) -------------------------------
@pytest.mark.parametrize(("value", "text"), [
    (1e-5, "0.00001"), (2e15, "2000000000000000"), (1.5e11, "150000000000"), (pd.NA, ""),
    (float("inf"), ""), (np.float32("nan"), ""),
])
def test_numbers_are_plain_even_where_python_would_write_an_exponent(value, text):
    # SPEC §10: numbers are plain. pd.NA and NaN are no value; infinity is no figure.
    assert format_number(value) == text


def test_every_kind_of_missing_date_and_text_is_blank_not_a_word():
    assert format_date(pd.NA) == "" and format_date(np.datetime64("NaT")) == ""
    frame = pd.DataFrame({"Indicator ID": pd.array(["A1", None], dtype="string")})
    from pmflib.report.opendata import _as_text_table

    assert list(_as_text_table(frame, ("Indicator ID",))["Indicator ID"]) == ["A1", ""]


def test_a_council_name_with_accents_gives_an_ascii_package_name():
    assert spreadsheet_name("Cyngor Sir Ynys Môn", Period.parse("2025-26 Q2")) == (
        "cyngor-sir-ynys-mon-performance-2025-26-q2")
