"""Filling the demo's returns (pmflib.demo_returns): true values in the right
cells, and each planted imperfection where the manifest says it is.

A small hand-made council (three services) is used so every planted choice
can be worked out by hand:

* services in name order: Adult Social Care, Housing, Waste and Recycling;
  the last (Waste) sends nothing, the first (Adult Social Care) is late, the
  second (Housing) is unapproved;
* ASC2 (days, lower is better, target 20, forecast 34: 70% worse) is the KPI
  furthest from target, so it is the Red one stripped of commentary; ASC1
  (the first other KPI) becomes ``n/a``;
* ASC3 is the only £ non-KPI, so it gets ``£3.2m``; HS2 (2,345) is the
  non-KPI of 1,000 or more typed as text; HS3 (67.5%) is typed as Excel 12%;
* HA1 is already 5 months late with a reason: the reason is removed; AA1's
  expected end date is typed as text.
"""

from __future__ import annotations

import os
from datetime import datetime, time, timedelta
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from pmflib.core import constants as C
from pmflib.rules import status
from pmflib.demo.returns import fill_returns
from pmflib.core.periods import Period
from pmflib.inputs.templates import write_templates

NAN = float("nan")
PERIOD = Period(2026, 2)
DEADLINE = datetime(2026, 10, 21, 23, 59, 59)
SERVICES = ["Adult Social Care", "Housing", "Waste and Recycling"]


def _council() -> SimpleNamespace:
    ids = ["ASC1", "ASC2", "ASC3", "HS1", "HS2", "HS3", "WR1"]
    indicators = pd.DataFrame({
        "Indicator ID": ids,
        "Indicator": [
            "Adults supported to live at home", "Days to complete a care assessment",
            "Income from charges", "Households in temporary accommodation", "Repairs completed",
            "Rent collected", "Household waste recycled",
        ],
        "Outcome ID": ["O1"] * 7,
        "Service": ["Adult Social Care"] * 3 + ["Housing"] * 3 + ["Waste and Recycling"],
        "Owner": ["Ann Lee"] * 3 + ["Raj Patel"] * 3 + ["Sue Ford"],
        "Escalation Owner": ["Tom Hart"] * 3 + ["Mo Khan"] * 3 + ["Tom Hart"],
        "Definition": [""] * 7,
        "Unit": ["%", "days", "£", "number", "number", "%", "%"],
        "Decimals": [1, 0, 0, 0, 0, 1, 1],
        "Polarity": [C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER, C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER,
                     C.HIGHER_IS_BETTER, C.HIGHER_IS_BETTER, C.HIGHER_IS_BETTER],
        "Type": ["Outcome"] * 7,
        "Frequency": [C.QUARTERLY] * 7,
        "Cumulative": ["N"] * 7,
        "KPI": ["Y", "Y", "N", "Y", "N", "N", "Y"],
        "Headline": ["N"] * 7,
        "Tolerance": ["5%"] * 7,
        "Comparator Metric": [""] * 7,
    })
    targets = pd.DataFrame({
        "Indicator ID": ids,
        "Year": ["2026-27"] * 7,
        "Annual Target": [80.0, 20.0, 3_000_000.0, 1200.0, 2000.0, 97.0, 50.0],
        "Q1 Target": [NAN] * 7, "Q2 Target": [NAN] * 7, "Q3 Target": [NAN] * 7, "Q4 Target": [NAN] * 7,
    })
    actions = pd.DataFrame({
        "Action ID": ["AA1", "AA2", "HA1", "WA1"],
        "Action": ["New reablement service", "Carers' strategy", "Allocations policy review",
                   "Food waste roll-out"],
        "Outcome ID": ["O1"] * 4,
        "Service": ["Adult Social Care", "Adult Social Care", "Housing", "Waste and Recycling"],
        "Owner": ["Ann Lee", "Ann Lee", "Raj Patel", "Sue Ford"],
        "Start Date": pd.to_datetime(["2025-04-01", "2027-01-01", "2025-04-01", "2025-04-01"]),
        "End Date": pd.to_datetime(["2026-12-31", "2027-03-31", "2026-06-30", "2026-12-31"]),
    })
    indicator_returns = pd.DataFrame({
        "Indicator ID": ids,
        "Service": indicators["Service"],
        "Actual": [78.0, 35.0, 2_900_000.0, 1150.0, 2345.0, 67.5, 48.0],
        "Forecast Year-End": [79.0, 34.0, 3_050_000.0, 1180.0, 2400.0, 96.0, 49.0],
        "Commentary": [f"Commentary on {i}" for i in ids],
        "Corrective Action": [f"Corrective action for {i}" for i in ids],
        "Data Note": [""] * 7,
    })
    action_returns = pd.DataFrame({
        "Action ID": ["AA1", "AA2", "HA1", "WA1"],
        "Service": actions["Service"],
        "Progress": [C.PROGRESS_IN_PROGRESS, C.PROGRESS_NOT_STARTED, C.PROGRESS_IN_PROGRESS,
                     C.PROGRESS_IN_PROGRESS],
        "Expected End Date": pd.to_datetime(["2026-12-31", None, "2026-11-30", "2026-12-31"]),
        "Completed Date": pd.to_datetime([None, None, None, None]),
        "Commentary": ["On track", "Starts in January", "Consultation extended", "On track"],
        "Reason For Delay": ["", "", "Consultation extended by the Cabinet", ""],
        "Corrective Action": ["", "", "Extra officer time", ""],
    })
    return SimpleNamespace(
        register_sheets={C.OUTCOMES_SHEET: pd.DataFrame(), C.INDICATORS_SHEET: indicators,
                         C.TARGETS_SHEET: targets, C.ACTIONS_SHEET: actions},
        indicator_returns={PERIOD.label: indicator_returns},
        action_returns={PERIOD.label: action_returns},
        return_periods=[PERIOD],
        latest_period=PERIOD,
    )


def _register(council) -> SimpleNamespace:
    """Register-like tables for the template writer (it needs no parsed columns)."""
    sheets = council.register_sheets
    return SimpleNamespace(indicators=sheets[C.INDICATORS_SHEET], targets=sheets[C.TARGETS_SHEET],
                           actions=sheets[C.ACTIONS_SHEET], outcomes=sheets[C.OUTCOMES_SHEET])


def _fill(tmp_path, *, imperfections: bool, name: str = "run"):
    council = _council()
    templates, returns = tmp_path / name / "templates", tmp_path / name / "returns"
    write_templates(_register(council), PERIOD, templates, previous_actuals=None, previous_actions=None,
                    council_name="Demo Council", deadline=DEADLINE)
    manifest = fill_returns(council, PERIOD, templates, returns, imperfections=imperfections, deadline=DEADLINE)
    return manifest, returns


def _by_service(returns_dir) -> dict[str, tuple]:
    found = {}
    for path in sorted(returns_dir.glob("*.xlsx")):
        wb = load_workbook(path)
        found[wb["Sign-off"]["B4"].value] = (path, wb)
    return found


def _row_of(ws, row_id: str) -> int:
    rows = [c.row for c in ws["A"] if c.value == row_id]
    assert rows, row_id
    return rows[0]


def _value(ws, row_id: str, label: str):
    header = {c.value: c.column for c in ws[C.TEMPLATE_HEADER_ROW]}
    return ws.cell(_row_of(ws, row_id), header[label]).value


# --- clean quarters --------------------------------------------------------------------------
def test_clean_fill_writes_true_values_and_sign_off(tmp_path):
    manifest, returns = _fill(tmp_path, imperfections=False)
    assert manifest.empty and list(manifest.columns) == list(C.PLANTED_MANIFEST_COLUMNS)
    files = _by_service(returns)
    assert sorted(files) == SERVICES
    _, asc = files["Adult Social Care"]
    assert _value(asc["Indicators"], "ASC2", "Actual") == 35
    assert _value(asc["Indicators"], "ASC2", "Forecast Year-End") == 34
    assert _value(asc["Indicators"], "ASC1", "Commentary") == "Commentary on ASC1"
    assert _value(asc["Actions"], "AA1", "Progress") == C.PROGRESS_IN_PROGRESS
    assert _value(asc["Actions"], "AA1", "Expected End Date") == datetime(2026, 12, 31)
    assert _value(asc["Actions"], "AA2", "Expected End Date") is None
    signoff = {asc["Sign-off"].cell(r, 1).value: asc["Sign-off"].cell(r, 2).value for r in range(4, 9)}
    assert signoff["Prepared By"] == "Ann Lee" and signoff["Approved By"] == "Tom Hart"
    assert isinstance(signoff["Date Approved"], datetime)


def test_clean_files_received_after_quarter_end_and_before_deadline(tmp_path):
    _, returns = _fill(tmp_path, imperfections=False)
    for path in returns.glob("*.xlsx"):
        received = datetime.fromtimestamp(os.path.getmtime(path))
        assert datetime(2026, 10, 1) <= received <= DEADLINE, path.name


def test_file_names_look_like_a_services(tmp_path):
    _, returns = _fill(tmp_path, imperfections=False)
    assert sorted(p.name for p in returns.glob("*.xlsx")) == [
        "Adult return Q2 FINAL.xlsx",
        "Copy of waste-and-recycling-2026-27-Q2.xlsx",
        "Housing PMF return 2026-27 Q2.xlsx",
    ]


# --- the latest quarter's planted imperfections ---------------------------------------------------
@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    manifest, returns = _fill(tmp_path_factory.mktemp("planted"), imperfections=True)
    return manifest, returns, _by_service(returns)


def _one(manifest, kind: str, **where) -> pd.Series:
    rows = manifest[manifest["Kind"] == kind]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, (kind, where, manifest)
    return rows.iloc[0]


def test_manifest_has_every_planted_kind(planted):
    manifest, _, _ = planted
    assert set(manifest["Kind"]) == set(C.PLANTED_KINDS)
    assert (manifest["Kind"] == C.PLANTED_ACCEPTED).sum() == 3
    assert list(manifest.columns) == list(C.PLANTED_MANIFEST_COLUMNS)


def test_missing_return_has_no_file(planted):
    manifest, _, files = planted
    row = _one(manifest, C.PLANTED_MISSING)
    assert row["ID"] == "Waste and Recycling" and row["File"] == ""
    assert "Waste and Recycling" not in files


def test_late_return_received_after_the_deadline(planted):
    manifest, returns, files = planted
    row = _one(manifest, C.PLANTED_LATE)
    assert row["ID"] == "Adult Social Care"
    assert datetime.fromtimestamp(os.path.getmtime(returns / row["File"])) > DEADLINE
    on_time = files["Housing"][0]
    assert datetime.fromtimestamp(os.path.getmtime(on_time)) <= DEADLINE


def test_unapproved_return_has_no_approver(planted):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_UNAPPROVED)
    assert row["ID"] == "Housing" and row["Sheet"] == "Sign-off"
    ws = load_workbook(returns / row["File"])["Sign-off"]
    assert ws[row["Cell"]].value is None
    assert ws["A" + row["Cell"][1:]].value == "Approved By"
    assert ws["B6"].value  # prepared by is still there


def test_red_kpi_without_commentary(planted):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_RED_NO_COMMENTARY)
    assert row["ID"] == "ASC2"
    ws = load_workbook(returns / row["File"])["Indicators"]
    assert ws[row["Cell"]].value is None
    assert _value(ws, "ASC2", "Commentary") is None and _value(ws, "ASC2", "Corrective Action") is None
    # Forecast 34 days against an annual target of 20, lower is better: 70% worse.
    value, target, _ = status.assessment_basis(PERIOD, _value(ws, "ASC2", "Actual"),
                                               _value(ws, "ASC2", "Forecast Year-End"), 20.0, NAN)
    assert (value, target) == (34, 20.0)
    assert status.rag_status(value, target, C.LOWER_IS_BETTER)[0] == C.RED


def test_n_a_in_a_due_kpi(planted):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_NOT_REPORTED)
    assert row["ID"] == "ASC1" and row["Value"] == "n/a"
    ws = load_workbook(returns / row["File"])["Indicators"]
    assert ws[row["Cell"]].value == "n/a"
    assert _value(ws, "ASC1", "Forecast Year-End") is None


def test_not_a_number_in_an_actual(planted):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_NOT_A_NUMBER)
    assert row["ID"] == "ASC3"
    assert load_workbook(returns / row["File"])["Indicators"][row["Cell"]].value == "£3.2m"


@pytest.mark.parametrize(("row_id", "typed", "expected"), [
    ("HS2", "2,345", "2345"),
    ("HS3", "0.675", "67.5"),
    ("AA1", "31/12/2026", "2026-12-31"),
])
def test_accepted_messy_values(planted, row_id, typed, expected):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_ACCEPTED, ID=row_id)
    assert row["Expected Problem"].startswith("None")
    assert (row["Value"], row["Expected Value"]) == (typed, expected)
    sheet = "Actions" if row_id == "AA1" else "Indicators"
    cell = load_workbook(returns / row["File"])[sheet][row["Cell"]]
    if row_id == "HS3":
        assert cell.value == pytest.approx(0.675) and cell.number_format == "0.0%"
    else:
        assert cell.value == typed and isinstance(cell.value, str)


def test_slipped_action_without_reason(planted):
    manifest, returns, _ = planted
    row = _one(manifest, C.PLANTED_SLIPPED_NO_REASON)
    assert row["ID"] == "HA1" and row["Value"] == "2026-11-30"
    ws = load_workbook(returns / row["File"])["Actions"]
    assert ws[row["Cell"]].value is None
    assert _value(ws, "HA1", "Reason For Delay") is None
    baseline = _value(ws, "HA1", "Baseline End Date").date()
    expected = _value(ws, "HA1", "Expected End Date").date()
    assert status.months_between(baseline, expected) > C.SLIPPAGE_THRESHOLD_MONTHS


def test_unknown_id_and_duplicate_rows(planted):
    manifest, returns, _ = planted
    unknown = _one(manifest, C.PLANTED_UNKNOWN_ID)
    ws = load_workbook(returns / unknown["File"])["Indicators"]
    assert ws[unknown["Cell"]].value == unknown["ID"] == "LOCAL-01"
    duplicate = _one(manifest, C.PLANTED_DUPLICATE)
    ws = load_workbook(returns / duplicate["File"])["Indicators"]
    assert ws[duplicate["Cell"]].value == duplicate["ID"]
    rows = [c.row for c in ws["A"] if c.value == duplicate["ID"]]
    assert len(rows) == 2
    assert [c.value for c in ws[rows[0]]] == [c.value for c in ws[rows[1]]]


def test_everything_else_is_the_true_value(planted):
    manifest, _, files = planted
    planted_ids = set(manifest["ID"])
    truth = _council().indicator_returns[PERIOD.label].set_index("Indicator ID")
    for service, (_, wb) in files.items():
        ws = wb["Indicators"]
        for cell in ws["A"][C.TEMPLATE_HEADER_ROW:]:
            if cell.value in truth.index and cell.value not in planted_ids:
                assert _value(ws, cell.value, "Actual") == truth.loc[cell.value, "Actual"], cell.value


def test_planting_is_deterministic(tmp_path):
    first, returns_a = _fill(tmp_path, imperfections=True, name="a")
    second, returns_b = _fill(tmp_path, imperfections=True, name="b")
    pd.testing.assert_frame_equal(first, second)
    times_a = {p.name: os.path.getmtime(p) for p in returns_a.glob("*.xlsx")}
    times_b = {p.name: os.path.getmtime(p) for p in returns_b.glob("*.xlsx")}
    assert times_a == times_b


# --- the real demo council -------------------------------------------------------------------------
def test_tiny_demo_plants_every_kind(tmp_path):
    from pmflib import demo
    from pmflib.inputs import register as register_module

    council = demo.generate_demo("tiny")
    period = Period.parse(council.latest_period)
    path = register_module.write_register(council.register_sheets, tmp_path / "register.xlsx")
    register = register_module.read_register(path)
    write_templates(register, period, tmp_path / "templates", previous_actuals=None, previous_actions=None,
                    council_name="Demo", deadline=DEADLINE)
    deadline = datetime.combine(period.end_date + timedelta(days=21), time(23, 59, 59))
    manifest = fill_returns(council, period, tmp_path / "templates", tmp_path / "returns",
                            imperfections=True, deadline=deadline)
    assert set(manifest["Kind"]) == set(C.PLANTED_KINDS)
    late = _one(manifest, C.PLANTED_LATE)
    for path in (tmp_path / "returns").glob("*.xlsx"):
        received = datetime.fromtimestamp(os.path.getmtime(path))
        assert (received > deadline) == (path.name == late["File"]), path.name
