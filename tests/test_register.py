"""Tests for pmflib.register: writing, reading and validating the register and history."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from pmflib import register


def test_write_register_orders_sheets_and_formats_cells(tmp_path):
    sheets = {
        "Notes": pd.DataFrame({"Note": ["kept"]}),
        "Actions": pd.DataFrame({
            "Action ID": ["A1"],
            "Start Date": pd.to_datetime(["2025-04-01"]),
        }),
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


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_write_history_by_suffix(tmp_path, suffix):
    history = pd.DataFrame({"Indicator ID": ["I1"], "Period": ["2025-26 Q1"], "Actual": [3.5]})
    path = register.write_history(history, tmp_path / f"history{suffix}")
    assert path.exists() and path.suffix == suffix
