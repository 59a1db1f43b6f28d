"""Exception and chasing lists, and the summary counts (SPEC §8, §9 summary).

Small hand-written frames: each row is there to check one rule.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pmflib.core import constants as c
from pmflib.rules import status


def _register(rows):
    return pd.DataFrame(
        [
            {"Indicator ID": i, "Indicator": f"Indicator {i}", "Service": service, "Owner": owner,
             "Escalation Owner": escalation, "KPI": kpi}
            for i, kpi, service, owner, escalation in rows
        ]
    )


def _assessed(rows):
    return pd.DataFrame(
        [
            {"Indicator ID": i, "Period": "2025-26 Q2", "Status": s, "Direction": d, "Actual": a,
             "Target": t, "Commentary": com, "Corrective Action": act}
            for i, s, d, a, t, com, act in rows
        ]
    )


INDICATORS = _register([
    ("K1", True, "Housing", "Ann", "Ed"),
    ("K2", True, "Housing", "Ann", "Ed"),
    ("K3", True, "Waste", "Bob", "Fay"),
    ("K4", True, "Waste", "Bob", "Fay"),
    ("W5", False, "Waste", "Bob", "Fay"),
    ("K6", True, "Parks", "Cat", "Gus"),
    ("K7", True, "Parks", "Cat", "Gus"),
])
ASSESSED = _assessed([
    ("K1", c.RED, c.DECLINING, 10.0, 20.0, "", ""),               # Red KPI, nothing given
    ("K2", c.RED, c.IMPROVING, 10.0, 20.0, "Staff vacancies", ""),  # commentary only
    ("K3", c.RED, c.MAINTAINED, 10.0, 20.0, "   ", "Agency cover"),  # blank-looking commentary
    ("K4", c.RED, c.DECLINING, 10.0, 20.0, "Explained", "Plan agreed"),  # complete
    ("W5", c.RED, c.DECLINING, 10.0, 20.0, "", ""),               # not a KPI
    ("K6", c.AMBER, c.DECLINING, 19.0, 20.0, "", ""),             # Amber, not chased
    ("K7", c.NOT_REPORTED, c.MEASURED, float("nan"), 20.0, "", ""),
])

RED_KPI_Q2 = [
    ("K1", "Indicator K1", "Housing", "Ann", "Ed", "Commentary and corrective action"),
    ("K2", "Indicator K2", "Housing", "Ann", "Ed", "Corrective action"),
    ("K3", "Indicator K3", "Waste", "Bob", "Fay", "Commentary"),
]


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param("2025-26 Q2", RED_KPI_Q2, id="mid-year-lists-red-kpis-missing-text"),
        pytest.param("2025-26 Q4", RED_KPI_Q2, id="year-end-lists-red-kpis-missing-text"),
        pytest.param("2025-26 Q1", [], id="Q1-not-required-empty"),
        pytest.param("2025-26 Q3", [], id="Q3-not-required-empty"),
    ],
)
def test_red_kpis_missing_commentary(period, expected):
    got = status.red_kpis_missing_commentary(ASSESSED, INDICATORS, period)
    assert list(got.columns) == list(c.RED_KPI_EXCEPTION_COLUMNS)
    assert [tuple(row) for row in got.itertuples(index=False)] == expected


EXCEPTION_REGISTER = _register([
    ("M1", True, "Housing", "Ann", "Ed"),
    ("M2", True, "Housing", "Ann", "Ed"),
    ("M3", True, "Waste", "Bob", "Fay"),
    ("M4", False, "Waste", "Bob", "Fay"),
])
PREVIOUS = _assessed([
    ("M4", c.RED, c.DECLINING, 1.0, 2.0, "", ""),  # out of register order on purpose
    ("M1", c.RED, c.DECLINING, 1.0, 2.0, "", ""),
    ("M2", c.RED, c.DECLINING, 1.0, 2.0, "", ""),
    ("M3", c.AMBER, c.DECLINING, 1.9, 2.0, "", ""),
])
CURRENT = _assessed([
    ("M1", c.AMBER, c.IMPROVING, 1.95, 2.0, "Recovering", ""),
    ("M2", c.RED, c.DECLINING, 0.8, 2.0, "", "Review commissioned"),
    ("M3", c.RED, c.DECLINING, 1.0, 2.0, "", ""),
    ("M4", c.GREEN, c.IMPROVING, 2.5, 2.0, "", ""),
])


def test_exception_measures_follows_up_last_quarters_reds():
    got = status.exception_measures(CURRENT, PREVIOUS, EXCEPTION_REGISTER)
    assert list(got.columns) == list(c.EXCEPTION_MEASURE_COLUMNS)
    # M3 was Amber last quarter, so it is not an exception; M4 is a non-KPI and is included.
    assert list(got["Indicator ID"]) == ["M1", "M2", "M4"]
    assert list(got["Movement"]) == ["Red → Amber", "Red → Red", "Red → Green"]
    assert list(got["Previous Status"]) == [c.RED, c.RED, c.RED]
    assert list(got["Current Status"]) == [c.AMBER, c.RED, c.GREEN]
    assert list(got["Direction"]) == [c.IMPROVING, c.DECLINING, c.IMPROVING]
    assert list(got["KPI"]) == [True, True, False]
    assert list(got["Commentary"]) == ["Recovering", "", ""]
    assert list(got["Corrective Action"]) == ["", "Review commissioned", ""]
    assert list(got["Escalation Owner"]) == ["Ed", "Ed", "Fay"]


def test_exception_measures_empty_when_nothing_was_red():
    previous = PREVIOUS.assign(Status=c.GREEN)
    got = status.exception_measures(CURRENT, previous, EXCEPTION_REGISTER)
    assert got.empty
    assert list(got.columns) == list(c.EXCEPTION_MEASURE_COLUMNS)


ACTIONS = pd.DataFrame(
    [(f"A{i}", f"Action {i}", "O1", "Housing", "Ann") for i in range(1, 6)],
    columns=["Action ID", "Action", "Outcome ID", "Service", "Owner"],
)
ASSESSED_ACTIONS = pd.DataFrame(
    [
        ("A1", c.SLIPPED_MORE, "", ""),
        ("A2", c.SLIPPED_MORE, "Contractor went bust", ""),
        ("A3", c.SLIPPED_MORE, "", "New contractor appointed"),
        ("A4", c.SLIPPED_MORE, "Contractor went bust", "New contractor appointed"),
        ("A5", c.SLIPPED_LESS, "", ""),
    ],
    columns=["Action ID", "Status", "Reason For Delay", "Corrective Action"],
)


def test_slipped_actions_missing_reason():
    got = status.slipped_actions_missing_reason(ASSESSED_ACTIONS, ACTIONS)
    assert list(got.columns) == list(c.SLIPPED_ACTION_EXCEPTION_COLUMNS)
    assert [tuple(row) for row in got.itertuples(index=False)] == [
        ("A1", "Action 1", "Housing", "Ann", "Reason for delay and corrective action"),
        ("A2", "Action 2", "Housing", "Ann", "Corrective action"),
        ("A3", "Action 3", "Housing", "Ann", "Reason for delay"),
    ]


def test_slipped_actions_missing_reason_empty_when_none_slipped_long():
    got = status.slipped_actions_missing_reason(ASSESSED_ACTIONS.assign(Status=c.ON_TARGET), ACTIONS)
    assert got.empty and list(got.columns) == list(c.SLIPPED_ACTION_EXCEPTION_COLUMNS)


def test_kpis_not_reported_lists_kpis_only_with_who_to_chase():
    assessed = _assessed([
        ("K1", c.NOT_REPORTED, c.MEASURED, float("nan"), 20.0, "", ""),
        ("W5", c.NOT_REPORTED, c.MEASURED, float("nan"), 20.0, "", ""),  # not a KPI
        ("K2", c.RED, c.DECLINING, 1.0, 20.0, "", ""),
    ])
    got = status.kpis_not_reported(assessed, INDICATORS)
    assert list(got.columns) == list(c.NOT_REPORTED_KPI_COLUMNS)
    assert [tuple(row) for row in got.itertuples(index=False)] == [("K1", "Indicator K1", "Housing", "Ann", "Ed")]


def test_exception_lists_do_not_mutate_their_inputs():
    frames = [ASSESSED, INDICATORS, CURRENT, PREVIOUS, ASSESSED_ACTIONS, ACTIONS]
    before = [f.copy(deep=True) for f in frames]
    status.red_kpis_missing_commentary(ASSESSED, INDICATORS, "2025-26 Q2")
    status.exception_measures(CURRENT, PREVIOUS, EXCEPTION_REGISTER)
    status.slipped_actions_missing_reason(ASSESSED_ACTIONS, ACTIONS)
    status.kpis_not_reported(ASSESSED, INDICATORS)
    for frame, copy in zip(frames, before):
        pd.testing.assert_frame_equal(frame, copy)


# --- summary counts ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        pytest.param([c.GREEN, c.GREEN, c.RED, c.MEASURED], [2, 0, 1, 1, 0], id="zeros-kept-in-order"),
        pytest.param([c.NOT_REPORTED, c.AMBER], [0, 1, 0, 0, 1], id="amber-and-not-reported"),
        pytest.param([], [0, 0, 0, 0, 0], id="empty"),
    ],
)
def test_status_counts(statuses, expected):
    got = status.status_counts(pd.DataFrame({"Status": pd.Series(statuses, dtype="str")}))
    assert list(got.index) == [c.GREEN, c.AMBER, c.RED, c.MEASURED, c.NOT_REPORTED]
    assert list(got) == expected


@pytest.mark.parametrize(
    ("directions", "expected"),
    [
        pytest.param([c.IMPROVING, c.DECLINING, c.DECLINING], [1, 0, 2, 0], id="zeros-kept-in-order"),
        pytest.param([], [0, 0, 0, 0], id="empty"),
    ],
)
def test_direction_counts(directions, expected):
    got = status.direction_counts(pd.DataFrame({"Direction": pd.Series(directions, dtype="str")}))
    assert list(got.index) == [c.IMPROVING, c.MAINTAINED, c.DECLINING, c.MEASURED]
    assert list(got) == expected


def test_action_status_counts():
    got = status.action_status_counts(ASSESSED_ACTIONS)
    assert list(got.index) == list(c.ACTION_STATUSES)
    assert dict(got) == {c.DELIVERED: 0, c.ON_TARGET: 0, c.SLIPPED_LESS: 1, c.SLIPPED_MORE: 4,
                         c.SCHEDULED: 0, c.NO_LONGER_VIABLE: 0}
