"""Action status and slippage in calendar months (SPEC §7).

Expected values are worked out by hand; the comment or id on each case shows
the arithmetic (a month-end date plus n months is the month-end n months on).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from pmflib.core import constants as c
from pmflib.rules import status
from pmflib.core.periods import Period

NAN = float("nan")
D = date


# --- add_months --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(D(2025, 6, 30), 3, D(2025, 9, 30), id="30-Jun-plus-3-is-30-Sep"),
        pytest.param(D(2025, 9, 30), 3, D(2025, 12, 31), id="month-end-30-Sep-plus-3-is-31-Dec"),
        pytest.param(D(2025, 12, 31), 3, D(2026, 3, 31), id="31-Dec-plus-3-is-31-Mar-year-wrap"),
        pytest.param(D(2025, 1, 31), 1, D(2025, 2, 28), id="31-Jan-plus-1-is-28-Feb"),
        pytest.param(D(2024, 1, 31), 1, D(2024, 2, 29), id="31-Jan-plus-1-leap-year-29-Feb"),
        pytest.param(D(2025, 2, 28), 1, D(2025, 3, 31), id="28-Feb-2025-is-month-end-so-31-Mar"),
        pytest.param(D(2024, 2, 28), 1, D(2024, 3, 28), id="28-Feb-2024-not-month-end-so-28-Mar"),
        pytest.param(D(2025, 1, 30), 1, D(2025, 2, 28), id="30-Jan-clamped-to-28-Feb"),
        pytest.param(D(2025, 11, 15), 3, D(2026, 2, 15), id="mid-month-across-year"),
        pytest.param(D(2025, 3, 31), -1, D(2025, 2, 28), id="backwards-month-end"),
        pytest.param(D(2025, 1, 15), -1, D(2024, 12, 15), id="backwards-across-year"),
        pytest.param(D(2025, 5, 15), 0, D(2025, 5, 15), id="zero-months-same-day"),
        pytest.param(pd.Timestamp("2025-06-30"), 3, D(2025, 9, 30), id="timestamp-accepted"),
    ],
)
def test_add_months(day, months, expected):
    assert status.add_months(day, months) == expected


# --- months_between --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(D(2025, 9, 30), D(2025, 12, 31), 3.0, id="30-Sep-to-31-Dec-exactly-3"),
        pytest.param(D(2025, 6, 30), D(2025, 9, 30), 3.0, id="30-Jun-to-30-Sep-exactly-3"),
        pytest.param(D(2025, 6, 30), D(2025, 10, 1), 3.03, id="30-Jun-to-1-Oct-3-plus-1/31"),
        pytest.param(D(2025, 3, 31), D(2025, 6, 30), 3.0, id="31-Mar-to-30-Jun-month-ends"),
        pytest.param(D(2025, 5, 5), D(2025, 5, 5), 0.0, id="same-day-zero"),
        pytest.param(D(2025, 1, 15), D(2025, 2, 15), 1.0, id="one-whole-month"),
        pytest.param(D(2025, 1, 15), D(2025, 1, 30), 0.48, id="15-of-31-days-0.48"),
        pytest.param(D(2025, 2, 15), D(2025, 3, 1), 0.5, id="14-of-28-days-0.5"),
        pytest.param(D(2025, 1, 31), D(2025, 3, 1), 1.03, id="31-Jan-to-1-Mar-1-plus-1/31"),
        pytest.param(D(2025, 10, 1), D(2025, 6, 30), -3.03, id="earlier-end-is-negative-mirror"),
        pytest.param(None, D(2025, 6, 30), NAN, id="no-start-nan"),
    ],
)
def test_months_between(start, end, expected):
    got = status.months_between(start, end)
    assert got == expected or (math.isnan(got) and math.isnan(expected))


def test_months_between_unrounded_keeps_the_fraction():
    assert status.months_between(D(2025, 6, 30), D(2025, 10, 1), None) == pytest.approx(3 + 1 / 31)


# --- effective_end_date ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("baseline", "expected_end", "period_end", "effective"),
    [
        pytest.param(D(2025, 6, 30), D(2025, 11, 30), D(2025, 9, 30), D(2025, 11, 30), id="new-date-given"),
        pytest.param(D(2025, 12, 31), D(2025, 11, 30), D(2025, 9, 30), D(2025, 11, 30), id="earlier-new-date-given"),
        pytest.param(D(2025, 6, 30), None, D(2025, 9, 30), D(2025, 9, 30), id="baseline-passed-no-date-period-end"),
        pytest.param(D(2025, 9, 30), None, D(2025, 9, 30), D(2025, 9, 30), id="baseline-is-period-end-not-passed"),
        pytest.param(D(2025, 12, 31), None, D(2025, 9, 30), D(2025, 12, 31), id="baseline-in-future"),
    ],
)
def test_effective_end_date(baseline, expected_end, period_end, effective):
    assert status.effective_end_date(baseline, expected_end, period_end) == effective


# --- action_status ------------------------------------------------------------------------------
Q2_END = D(2025, 9, 30)
APR = D(2025, 4, 1)


@pytest.mark.parametrize(
    ("progress", "start", "baseline", "expected_end", "completed", "expected"),
    [
        # Delivered.
        pytest.param("Completed", APR, D(2025, 6, 30), None, D(2025, 6, 15), (c.DELIVERED, 0.0), id="delivered-on-time"),
        pytest.param("Completed", APR, D(2025, 6, 30), None, D(2025, 8, 31), (c.DELIVERED, 2.0), id="delivered-2-months-late"),
        # Completed without a completed date is judged on its dates.
        pytest.param("Completed", APR, D(2025, 12, 31), None, None, (c.ON_TARGET, 0.0), id="completed-no-date-baseline-ahead-on-target"),
        pytest.param("Completed", APR, D(2025, 6, 30), None, None, (c.SLIPPED_LESS, 3.0), id="completed-no-date-baseline-passed-slipped"),
        # A completed date without "Completed" is not Delivered either.
        pytest.param("In progress", APR, D(2025, 12, 31), None, D(2025, 9, 1), (c.ON_TARGET, 0.0), id="date-without-completed-not-delivered"),
        # No longer viable, whatever the dates.
        pytest.param("No longer viable", APR, D(2025, 6, 30), D(2026, 6, 30), None, (c.NO_LONGER_VIABLE, NAN), id="no-longer-viable"),
        # Not started yet.
        pytest.param("", D(2025, 10, 1), D(2026, 3, 31), None, None, (c.SCHEDULED, 0.0), id="future-start-blank-scheduled"),
        pytest.param("Not started", D(2025, 10, 1), D(2026, 3, 31), None, None, (c.SCHEDULED, 0.0), id="future-start-not-started-scheduled"),
        pytest.param("In progress", D(2025, 10, 1), D(2026, 3, 31), None, None, (c.ON_TARGET, 0.0), id="future-start-but-started-on-target"),
        pytest.param("Not started", D(2025, 9, 30), D(2026, 3, 31), None, None, (c.ON_TARGET, 0.0), id="start-on-period-end-not-scheduled"),
        pytest.param("Not started", APR, D(2026, 3, 31), None, None, (c.ON_TARGET, 0.0), id="past-start-not-started-baseline-ahead-on-target"),
        # On target.
        pytest.param("In progress", APR, D(2025, 12, 31), D(2025, 12, 31), None, (c.ON_TARGET, 0.0), id="expected-equals-baseline"),
        pytest.param("In progress", APR, D(2025, 12, 31), D(2025, 11, 30), None, (c.ON_TARGET, 0.0), id="expected-earlier-than-baseline"),
        pytest.param("In progress", APR, D(2025, 9, 30), None, None, (c.ON_TARGET, 0.0), id="baseline-is-period-end"),
        # Slipped: exactly 3 months is "less than 3 months"; a day more is "more".
        pytest.param("In progress", APR, D(2025, 6, 30), D(2025, 9, 30), None, (c.SLIPPED_LESS, 3.0), id="slip-exactly-3-months"),
        pytest.param("In progress", APR, D(2025, 6, 30), D(2025, 10, 1), None, (c.SLIPPED_MORE, 3.03), id="slip-3-months-and-1-day"),
        pytest.param("In progress", APR, D(2025, 9, 30), D(2025, 12, 31), None, (c.SLIPPED_LESS, 3.0), id="month-end-30-Sep-to-31-Dec-is-3"),
        pytest.param("In progress", APR, D(2025, 11, 30), D(2026, 2, 28), None, (c.SLIPPED_LESS, 3.0), id="month-end-30-Nov-to-28-Feb-is-3"),
        pytest.param("In progress", APR, D(2025, 11, 30), D(2026, 3, 1), None, (c.SLIPPED_MORE, 3.03), id="30-Nov-to-1-Mar-more"),
        pytest.param("In progress", APR, D(2025, 7, 15), D(2025, 10, 15), None, (c.SLIPPED_LESS, 3.0), id="mid-month-exactly-3"),
        pytest.param("In progress", APR, D(2025, 7, 15), D(2025, 10, 16), None, (c.SLIPPED_MORE, 3.03), id="mid-month-3-and-1-of-31-days"),
        pytest.param("In progress", APR, D(2025, 12, 31), D(2026, 1, 31), None, (c.SLIPPED_LESS, 1.0), id="one-month-slip"),
        # Overdue with no new date: slipped to the period end.
        pytest.param("In progress", APR, D(2025, 8, 15), None, None, (c.SLIPPED_LESS, 1.5), id="overdue-15-Aug-to-30-Sep-1.5"),
        pytest.param("In progress", APR, D(2025, 5, 31), None, None, (c.SLIPPED_MORE, 4.0), id="overdue-31-May-to-30-Sep-4"),
        pytest.param("", APR, D(2025, 6, 30), None, None, (c.SLIPPED_LESS, 3.0), id="blank-progress-overdue"),
    ],
)
def test_action_status(progress, start, baseline, expected_end, completed, expected):
    got_status, got_months = status.action_status(progress, start, baseline, expected_end, completed, Q2_END)
    want_status, want_months = expected
    assert got_status == want_status
    assert got_months == want_months or (math.isnan(got_months) and math.isnan(want_months))


# --- assess_actions ----------------------------------------------------------------------------------
def _ts(text):
    return pd.Timestamp(text) if text else pd.NaT


ACTIONS = pd.DataFrame(
    [
        ("A1", "Open the hub", "O1", "Housing", "Ann", _ts("2025-04-01"), _ts("2025-06-30")),
        ("A2", "New lettings policy", "O1", "Housing", "Ann", _ts("2025-04-01"), _ts("2025-12-31")),
        ("A3", "Repairs contract", "O1", "Housing", "Bob", _ts("2025-04-01"), _ts("2025-06-30")),
        ("A4", "Depot move", "O2", "Waste", "Cat", _ts("2025-01-01"), _ts("2025-09-30")),
        ("A5", "Phase 2 roll-out", "O2", "Waste", "Cat", _ts("2025-10-01"), _ts("2026-03-31")),
        ("A6", "Kiosk pilot", "O2", "Waste", "Dan", _ts("2025-04-01"), _ts("2026-03-31")),
        ("A7", "Tenant survey", "O1", "Housing", "Ann", _ts("2025-04-01"), _ts("2026-03-31")),
    ],
    columns=["Action ID", "Action", "Outcome ID", "Service", "Owner", "Start Date", "End Date"],
)
RETURN_COLUMNS = ["Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
                  "Reason For Delay", "Corrective Action"]
RETURNS = pd.DataFrame(
    [
        ("A1", "Completed", _ts(""), _ts("2025-06-20"), "Opened", "", ""),
        ("A2", "In progress", _ts("2026-02-15"), _ts(""), "", "Consultation extended", ""),
        ("A3", "In progress", _ts(""), _ts(""), "", "", ""),
        ("A4", "In progress", _ts("2026-01-15"), _ts(""), "", "", "Temporary site"),
        ("A6", "No longer viable", _ts(""), _ts(""), "Supplier withdrew", "", ""),
        ("A7", "In progress", _ts(""), _ts(""), "", "", ""),
        ("ZZ", "In progress", _ts(""), _ts(""), "", "", ""),
    ],
    columns=RETURN_COLUMNS,
)
PREVIOUS = pd.DataFrame(
    [
        ("A2", "In progress", _ts("2025-12-31"), _ts(""), "", "", ""),
        ("A4", "In progress", _ts("2025-11-30"), _ts(""), "", "", ""),
        ("A7", "In progress", _ts("2026-03-31"), _ts(""), "", "", ""),
    ],
    columns=RETURN_COLUMNS,
)

#: 2025-26 Q2 (period end 30 Sep 2025), worked by hand:
#: A1 Completed 20 Jun, baseline 30 Jun → Delivered, 0; since last quarter n/a.
#: A2 expected 15 Feb 2026 v baseline 31 Dec: 31 Jan is one month (month end), 15 of the
#:    28 days to 28 Feb → 1 + 15/28 = 1.54 → Slipped (less); last quarter said 31 Dec → 1.54 since.
#: A3 baseline 30 Jun passed, no new date → 30 Sep: exactly 3 → Slipped (less); no previous
#:    return, so since is from the baseline → 3.0.
#: A4 expected 15 Jan 2026 v baseline 30 Sep: 31 Dec is 3 months, 15 of 31 days to 31 Jan →
#:    3.48 → Slipped (more); since 30 Nov: 31 Dec is 1 month, + 15/31 → 1.48.
#: A5 starts 1 Oct 2025, no return → Scheduled, 0; since n/a.
#: A6 No longer viable → NaN, NaN.
#: A7 baseline 31 Mar 2026 ahead, no new date → On target, 0; last quarter 31 Mar → 0 since.
EXPECTED = [
    ("A1", c.DELIVERED, 0.0, NAN),
    ("A2", c.SLIPPED_LESS, 1.54, 1.54),
    ("A3", c.SLIPPED_LESS, 3.0, 3.0),
    ("A4", c.SLIPPED_MORE, 3.48, 1.48),
    ("A5", c.SCHEDULED, 0.0, NAN),
    ("A6", c.NO_LONGER_VIABLE, NAN, NAN),
    ("A7", c.ON_TARGET, 0.0, 0.0),
]


def _same(a, b):
    if isinstance(b, float) and math.isnan(b):
        return math.isnan(a)
    return a == b


@pytest.fixture(scope="module")
def assessed():
    return status.assess_actions(ACTIONS, RETURNS, Period.parse("2025-26 Q2"), PREVIOUS)


@pytest.mark.parametrize("expected", EXPECTED, ids=[row[0] for row in EXPECTED])
def test_assess_actions(assessed, expected):
    row = assessed.set_index("Action ID").loc[expected[0]]
    got = (row["Status"], row["Slippage Months"], row["Slippage Since Last Quarter"])
    assert got[0] == expected[1]
    assert _same(got[1], expected[2]) and _same(got[2], expected[3]), got


def test_assess_actions_shape_order_and_types(assessed):
    assert list(assessed.columns) == list(c.ASSESSED_ACTION_COLUMNS)
    assert list(assessed["Action ID"]) == list(ACTIONS["Action ID"])  # register order; ZZ ignored
    for column in ("Start Date", "Baseline End Date", "Expected End Date", "Completed Date"):
        assert pd.api.types.is_datetime64_any_dtype(assessed[column]), column
    for column in ("Slippage Months", "Slippage Since Last Quarter"):
        assert assessed[column].dtype == "float64", column
    for column in ("Progress", "Status", "Commentary", "Reason For Delay", "Corrective Action"):
        assert pd.api.types.is_string_dtype(assessed[column]), column
        assert not assessed[column].isna().any(), column
    rows = assessed.set_index("Action ID")
    assert rows.loc["A1", "Completed Date"] == pd.Timestamp("2025-06-20")
    assert rows.loc["A2", "Baseline End Date"] == pd.Timestamp("2025-12-31")
    assert rows.loc["A2", "Reason For Delay"] == "Consultation extended"
    assert rows.loc["A5", "Progress"] == ""
    assert (rows["Period"] == "2025-26 Q2").all()


def test_assess_actions_without_previous_returns_measures_from_the_baseline():
    # A2: 31 Dec baseline → 15 Feb = 1.54; A7: baseline 31 Mar unchanged → 0.
    assessed = status.assess_actions(ACTIONS, RETURNS, "2025-26 Q2").set_index("Action ID")
    assert assessed.loc["A2", "Slippage Since Last Quarter"] == 1.54
    assert assessed.loc["A4", "Slippage Since Last Quarter"] == 3.48
    assert assessed.loc["A7", "Slippage Since Last Quarter"] == 0.0


def test_assess_actions_accepts_an_all_text_empty_return():
    empty = pd.DataFrame({column: pd.Series(dtype="str") for column in RETURN_COLUMNS})
    assessed = status.assess_actions(ACTIONS, empty, "2025-26 Q2", empty).set_index("Action ID")
    # A1 and A3 have passed their 30 Jun baseline with no return: slipped to 30 Sep (3 months).
    assert assessed.loc["A1", "Status"] == c.SLIPPED_LESS
    assert assessed.loc["A5", "Status"] == c.SCHEDULED
    assert assessed.loc["A7", "Status"] == c.ON_TARGET


def test_assess_actions_does_not_mutate_its_inputs():
    frames = [ACTIONS, RETURNS, PREVIOUS]
    before = [f.copy(deep=True) for f in frames]
    status.assess_actions(ACTIONS, RETURNS, "2025-26 Q2", PREVIOUS)
    for frame, copy in zip(frames, before):
        pd.testing.assert_frame_equal(frame, copy)
