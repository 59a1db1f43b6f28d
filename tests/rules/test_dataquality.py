"""Chasing lines say exactly what a Red KPI's owner left blank (issue 9 item 4)."""

import pandas as pd
import pytest

from pmflib.rules.dataquality import red_kpi_label, status_problems


@pytest.mark.parametrize(
    "missing, label",
    [
        ("Commentary", "Red KPI without commentary"),
        ("Corrective action", "Red KPI without corrective action"),
        ("Commentary and corrective action", "Red KPI without commentary or corrective action"),
    ],
)
def test_label_names_what_is_missing(missing, label):
    assert red_kpi_label(missing) == label


def _tables(missing: str):
    indicators = pd.DataFrame([{
        "Indicator ID": "K1", "Indicator": "Missed bins", "Service": "Waste",
        "Owner": "A Owner", "Escalation Owner": "B Boss",
    }])
    actions = pd.DataFrame(columns=["Action ID", "Action", "Service", "Owner"])
    exceptions = {"red_kpis_missing_commentary": pd.DataFrame([{"Indicator ID": "K1", "Missing": missing}])}
    returns = pd.DataFrame([{"Indicator ID": "K1", "File": "waste.xlsx", "Sheet": "Indicators", "Row": 7}])
    cells = {"Commentary": "H7", "Corrective Action": "I7"}
    return indicators, actions, exceptions, returns, (lambda f, s, r, field: cells[field])


def test_commentary_present_only_action_missing_points_at_the_action_cell():
    indicators, actions, exceptions, returns, cell_for = _tables("Corrective action")
    problems, chase = status_problems(indicators, actions, exceptions, returns, None, cell_for)
    assert list(chase["What"]) == ["Red KPI without corrective action"]
    assert problems[0].cell == "I7"
    assert "corrective action" in problems[0].problem and "commentary" not in problems[0].problem


def test_both_missing_says_both():
    indicators, actions, exceptions, returns, cell_for = _tables("Commentary and corrective action")
    problems, chase = status_problems(indicators, actions, exceptions, returns, None, cell_for)
    assert list(chase["What"]) == ["Red KPI without commentary or corrective action"]
    assert problems[0].cell == "H7"
