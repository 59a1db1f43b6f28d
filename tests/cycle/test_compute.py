"""compute_period on a hand-made register of three indicators and two actions.

The register is written with openpyxl and read back through the product's own
reader (so its tables have the types the rest of the package sees); the
actuals and returns are small frames typed here, and every expected status is
worked out by hand from SPEC §5–§8.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.cycle.compute import ACTION_RETURN_COLUMNS, INDICATOR_RETURN_COLUMNS, compute_period
from pmflib.inputs.register import read_register, write_register

Q2 = Period.parse("2026-27 Q2")


def _indicator(iid, name, polarity="Higher is better", kpi="Y", frequency="Quarterly", cumulative="N"):
    return {
        "Indicator ID": iid, "Indicator": name, "Outcome ID": "O01", "Service": "Revenues",
        "Owner": "Ann Owner", "Escalation Owner": "Esme Head", "Definition": f"{name}, as counted",
        "Unit": "%", "Decimals": 1, "Polarity": polarity, "Type": "Outcome", "Frequency": frequency,
        "Cumulative": cumulative, "KPI": kpi, "Headline": "N", "Tolerance": "5%", "Comparator Metric": "",
    }


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    sheets = {
        C.OUTCOMES_SHEET: pd.DataFrame([{"Outcome ID": "O01", "Outcome": "A well-run council",
                                         "Cabinet Member": "Cllr A Member", "Lead Director": "D Director"}]),
        C.INDICATORS_SHEET: pd.DataFrame([
            _indicator("I1", "Council tax collected"),
            _indicator("I2", "Complaints answered late", polarity="Lower is better"),
            _indicator("I3", "Residents satisfied", kpi="N"),
        ]),
        C.TARGETS_SHEET: pd.DataFrame([
            {"Indicator ID": i, "Year": "2026-27", "Annual Target": 90.0, "Q1 Target": 90.0,
             "Q2 Target": 90.0, "Q3 Target": 90.0, "Q4 Target": 90.0} for i in ("I1", "I2", "I3")
        ]),
        C.ACTIONS_SHEET: pd.DataFrame([
            {"Action ID": "A1", "Action": "New billing system", "Outcome ID": "O01", "Service": "Revenues",
             "Owner": "Ann Owner", "Start Date": date(2026, 4, 1), "End Date": date(2026, 9, 30)},
            {"Action ID": "A2", "Action": "Complaints review", "Outcome ID": "O01", "Service": "Revenues",
             "Owner": "Ann Owner", "Start Date": date(2026, 4, 1), "End Date": date(2027, 3, 31)},
        ]),
    }
    path = write_register(sheets, tmp_path_factory.mktemp("register") / "register.xlsx")
    return read_register(path)


def _returns(rows, columns):
    frame = pd.DataFrame(rows)
    for column in columns:
        if column not in frame:
            frame[column] = pd.Series([float("nan") if column in ("Actual", "Forecast Year-End") else ""] * len(frame))
    return frame[list(columns)]


def _actuals(rows):
    return pd.DataFrame(rows, columns=["Indicator ID", "Period", "Actual"]).assign(
        **{"Forecast Year-End": float("nan"), "Source": "history", "Sheet": "", "Cell": "", "Submission ID": ""}
    )


@pytest.fixture(scope="module")
def result(register):
    actuals = _actuals([
        ("I1", "2026-27 Q1", 88.0), ("I1", "2026-27 Q2", 91.0),
        ("I2", "2026-27 Q1", 95.0), ("I2", "2026-27 Q2", 99.0),
    ])
    indicator_returns = _returns([
        # Q2: assessed on the forecast year-end (SPEC §5).
        {"Indicator ID": "I1", "Actual": 91.0, "Forecast Year-End": 92.0},           # 92 ≥ 90: Green
        {"Indicator ID": "I2", "Actual": 99.0, "Forecast Year-End": 99.0,            # low is good, 10% over: Red
         "Commentary": "Backlog after the system change"},
        {"Indicator ID": "I3"},                                                       # due, nothing: Not reported
    ], INDICATOR_RETURN_COLUMNS)
    action_returns = _returns([
        {"Action ID": "A1", "Progress": "In progress", "Expected End Date": "2027-02-28"},  # 5 months late
        {"Action ID": "A2", "Progress": "In progress", "Expected End Date": "2027-03-31"},
    ], ACTION_RETURN_COLUMNS)
    return compute_period(register, Q2, actuals, indicator_returns, action_returns)


def _row(frame, column, key):
    return frame.set_index(column).loc[key]


def test_each_indicator_gets_the_hand_worked_status(result):
    indicators = result.indicators
    assert _row(indicators, "Indicator ID", "I1")["Status"] == C.GREEN
    assert _row(indicators, "Indicator ID", "I1")["Assessed Value"] == 92.0
    assert _row(indicators, "Indicator ID", "I2")["Status"] == C.RED
    assert _row(indicators, "Indicator ID", "I3")["Status"] == C.NOT_REPORTED


def test_direction_compares_actuals_with_last_quarter(result):
    i1 = _row(result.indicators, "Indicator ID", "I1")
    i2 = _row(result.indicators, "Indicator ID", "I2")
    assert i1["Direction"] == C.IMPROVING       # 88 → 91, high is good
    assert i2["Direction"] == C.DECLINING       # 95 → 99, low is good
    assert i1["Comparison Value"] == 88.0


def test_register_facts_and_outcome_sit_beside_the_assessment(result):
    i1 = _row(result.indicators, "Indicator ID", "I1")
    assert i1["Outcome"] == "A well-run council" and i1["Cabinet Member"] == "Cllr A Member"
    assert {"Variation", "Assurance"} <= set(result.indicators.columns)
    assert set(result.spc) == {"I1", "I2", "I3"}


def test_actions_slip_in_calendar_months(result):
    a1 = _row(result.actions, "Action ID", "A1")
    a2 = _row(result.actions, "Action ID", "A2")
    assert a1["Slippage Months"] == 5.0  # 30 Sep → 28 Feb: month end to month end is whole months
    assert a1["Status"] == C.SLIPPED_MORE
    assert a2["Status"] == C.ON_TARGET


def test_exception_lists_name_the_kpi_not_reported_and_the_slipped_action(result):
    assert list(result.exceptions["kpis_not_reported"]["Indicator ID"]) == []  # I3 is not a KPI
    assert list(result.exceptions["red_kpis"]["Indicator ID"]) == ["I2"]       # Q2: Red KPIs listed
    slipped = result.exceptions["slipped_actions_missing_reason"]
    assert list(slipped["Action ID"]) == ["A1"]
    assert "exception_measures" not in result.exceptions                      # only at Q1 and Q3


def test_previous_quarter_is_assessed_by_the_same_rules(result):
    previous = result.previous_indicators
    assert set(previous["Period"]) == {"2026-27 Q1"}
    assert _row(previous, "Indicator ID", "I1")["Status"] in C.STATUSES
