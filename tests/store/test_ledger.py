"""The ledger: real SQLite files and real (tiny) raw files in a temp folder.

Expected values are worked out by hand from the small returns below; the raw
"returns" are a few bytes each, since the ledger archives bytes and never
reads a workbook.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmflib.core.constants import (
    ACTUALS_COLUMNS,
    CHANGE_COLUMNS,
    DATA_QUALITY_COLUMNS,
    HISTORY_SOURCE,
    LEDGER_ACTION_RETURN_COLUMNS,
    LEDGER_INDICATOR_RETURN_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_DUPLICATE,
    SUBMISSION_NEW,
    SUBMISSION_SUPERSEDES,
)
from pmflib.core.errors import Problem
from pmflib.store.ledger import SCHEMA_VERSION, Ledger, LedgerError, NotInLedger
from pmflib.core.periods import Period

NAN = math.nan
Q2 = Period(2025, 2)


# --- small fake returns ---------------------------------------------------------------

def indicators(*rows) -> pd.DataFrame:
    """(Indicator ID, Actual, Forecast Year-End, Commentary, sheet row) → the
    reader's indicator table; the actual sits in column G, the forecast in H."""
    return pd.DataFrame(
        {
            "Indicator ID": [r[0] for r in rows],
            "Actual": pd.Series([r[1] for r in rows], dtype="float64"),
            "Forecast Year-End": pd.Series([r[2] for r in rows], dtype="float64"),
            "Commentary": [r[3] for r in rows],
            "Corrective Action": [""] * len(rows),
            "Data Note": [""] * len(rows),
            "Sheet": ["Indicators"] * len(rows),
            "Actual Cell": [f"G{r[4]}" for r in rows],
            "Forecast Cell": [f"H{r[4]}" for r in rows],
            "Row": [r[4] for r in rows],
        },
        columns=[
            "Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action",
            "Data Note", "Sheet", "Actual Cell", "Forecast Cell", "Row",
        ],
    )


def actions(*rows) -> pd.DataFrame:
    """(Action ID, Progress, Expected End Date, Completed Date, Commentary, sheet row)."""
    return pd.DataFrame(
        {
            "Action ID": [r[0] for r in rows],
            "Progress": [r[1] for r in rows],
            "Expected End Date": pd.to_datetime(pd.Series([r[2] for r in rows], dtype="object")),
            "Completed Date": pd.to_datetime(pd.Series([r[3] for r in rows], dtype="object")),
            "Commentary": [r[4] for r in rows],
            "Reason For Delay": [""] * len(rows),
            "Corrective Action": [""] * len(rows),
            "Sheet": ["Actions"] * len(rows),
            "Row": [r[5] for r in rows],
        },
        columns=[
            "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
            "Reason For Delay", "Corrective Action", "Sheet", "Row",
        ],
    )


NO_ACTIONS = actions()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "returns").mkdir()
    return tmp_path


@pytest.fixture
def ledger(folder: Path):
    with Ledger(folder / "ledger" / "ledger.sqlite", folder / "ledger" / "archive") as opened:
        yield opened


def raw_file(folder: Path, name: str, content: bytes) -> tuple[Path, str]:
    path = folder / "returns" / name
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


def record(ledger: Ledger, folder: Path, name: str, content: bytes, *, service="Housing",
           period=Q2, received=datetime(2025, 10, 10, 9, 30), approved_by="Director of Housing",
           indicator_values=None, action_updates=None, late=False):
    path, sha = raw_file(folder, name, content)
    return ledger.record_submission(
        source_path=path, sha256=sha, service=service, period=period, received_at=received,
        prepared_by="Officer", approved_by=approved_by, date_approved=date(2025, 10, 9),
        indicator_values=indicators(("H1", 40.0, 160.0, "", 5)) if indicator_values is None else indicator_values,
        action_updates=NO_ACTIONS if action_updates is None else action_updates,
        late=late,
    )


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("submission", "indicator_value", "action_value", "history_import", "history_value")
        }


def history(*rows) -> pd.DataFrame:
    return pd.DataFrame({
        "Indicator ID": [r[0] for r in rows],
        "Period": [r[1] for r in rows],
        "Actual": pd.Series([r[2] for r in rows], dtype="float64"),
    })


# --- the database itself ------------------------------------------------------------------

def test_new_ledger_is_versioned_wal_sqlite(ledger, folder):
    with sqlite3.connect(ledger.db_path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ledger._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_keeps_what_was_recorded(folder):
    db, archive = folder / "l.sqlite", folder / "archive"
    with Ledger(db, archive) as first:
        record(first, folder, "housing.xlsx", b"housing q2")
    with Ledger(db, archive) as again:
        assert list(again.submissions()["File"]) == ["housing.xlsx"]


@pytest.mark.parametrize(
    "prepare, message",
    [
        (lambda db: sqlite3.connect(db).execute("PRAGMA user_version = 99"), "newer PMF Workbook"),
        (lambda db: sqlite3.connect(db).execute("CREATE TABLE budget (line TEXT)"), "not a PMF ledger"),
        (lambda db: db.write_bytes(b"this is a spreadsheet, honest"), "not a usable ledger"),
    ],
    ids=["newer version", "someone else's database", "not sqlite"],
)
def test_refuses_a_file_that_is_not_its_ledger(folder, prepare, message):
    db = folder / "other.sqlite"
    prepare(db)
    before = db.read_bytes()
    with pytest.raises(LedgerError, match=message):
        Ledger(db, folder / "archive")
    assert db.read_bytes() == before  # not even switched to WAL


def test_database_refuses_deletes_and_edits(ledger, folder):
    record(ledger, folder, "a.xlsx", b"first")
    record(ledger, folder, "b.xlsx", b"second")
    ledger.record_problems(Q2, [Problem("a.xlsx", "Sign-off", "B5", "Not approved")])
    statements = [
        "DELETE FROM submission",
        "DELETE FROM indicator_value",
        "DELETE FROM problem_run",
        "UPDATE indicator_value SET actual = 0",
        "UPDATE submission SET service = 'Parks'",
        "UPDATE submission SET superseded_by = 2 WHERE submission_id = 1",  # already superseded
    ]
    with sqlite3.connect(ledger.db_path) as conn:
        for statement in statements:
            with pytest.raises(sqlite3.IntegrityError, match="never deletes or edits"):
                conn.execute(statement)


# --- recording returns --------------------------------------------------------------------

def test_first_return_is_recorded_with_its_values(ledger, folder):
    outcome = record(
        ledger, folder, "Housing Q2.xlsx", b"housing q2",
        indicator_values=indicators(("H1", 40.5, 160.0, "On track", 5), ("H2", NAN, 50.0, "Survey late", 6)),
        action_updates=actions(("HA1", "In progress", "2026-03-31", None, "Procuring", 4)),
        late=True,
    )
    assert (outcome.status, outcome.submission_id, outcome.superseded_id) == (SUBMISSION_NEW, 1, None)
    assert (outcome.indicators_recorded, outcome.actions_recorded) == (2, 1)

    submission = ledger.submissions().iloc[0]
    assert submission["File"] == "Housing Q2.xlsx"
    assert submission["SHA-256"] == hashlib.sha256(b"housing q2").hexdigest()
    assert submission["Service"] == "Housing"
    assert submission["Period"] == Q2.label
    assert submission["Received At"] == pd.Timestamp("2025-10-10 09:30")
    assert submission["Approved By"] == "Director of Housing"
    assert submission["Date Approved"] == pd.Timestamp("2025-10-09")
    assert bool(submission["Late"]) is True
    assert pd.isna(submission["Superseded By"])
    assert (submission["Indicators"], submission["Actions"]) == (2, 1)

    returned = ledger.indicator_returns(Q2)
    assert list(returned["Indicator ID"]) == ["H1", "H2"]
    assert returned["Actual"].iloc[0] == 40.5 and math.isnan(returned["Actual"].iloc[1])
    assert list(returned["Commentary"]) == ["On track", "Survey late"]
    assert list(returned["Actual Cell"]) == ["G5", "G6"]

    action = ledger.action_returns(Q2).iloc[0]
    assert (action["Action ID"], action["Progress"]) == ("HA1", "In progress")
    assert action["Expected End Date"] == pd.Timestamp("2026-03-31")
    assert pd.isna(action["Completed Date"])


def test_archive_holds_the_original_bytes_named_by_hash(ledger, folder):
    content = b"PK\x03\x04 pretend workbook \x00\xff"
    outcome = record(ledger, folder, "Housing Q2.XLSX", content)
    sha = hashlib.sha256(content).hexdigest()
    assert outcome.archive_path == ledger.archive_dir / f"{sha}.xlsx"
    assert outcome.archive_path.read_bytes() == content
    assert ledger.submissions()["Archive Path"].iloc[0] == str(outcome.archive_path)
    assert sorted(p.name for p in ledger.archive_dir.iterdir()) == [f"{sha}.xlsx"]  # no temp left


def test_the_same_file_twice_changes_nothing(ledger, folder):
    first = record(ledger, folder, "housing.xlsx", b"housing q2")
    counts = table_counts(ledger.db_path)
    archived = sorted(ledger.archive_dir.iterdir())
    submissions = ledger.submissions()

    again = record(ledger, folder, "housing copy.xlsx", b"housing q2",
                   indicator_values=indicators(("H1", 999.0, NAN, "ignored", 5)))

    assert again.status == SUBMISSION_DUPLICATE and again.is_duplicate
    assert again.submission_id == first.submission_id
    assert table_counts(ledger.db_path) == counts
    assert sorted(ledger.archive_dir.iterdir()) == archived
    pd.testing.assert_frame_equal(ledger.submissions(), submissions)
    assert ledger.indicator_returns(Q2)["Actual"].tolist() == [40.0]


def test_has_file(ledger, folder):
    sha = hashlib.sha256(b"housing q2").hexdigest()
    assert not ledger.has_file(sha)
    record(ledger, folder, "housing.xlsx", b"housing q2")
    assert ledger.has_file(sha) and ledger.has_file(sha.upper())


def test_resubmission_supersedes_and_changes_lists_each_difference(ledger, folder):
    first = record(
        ledger, folder, "housing v1.xlsx", b"v1", received=datetime(2025, 10, 10, 9, 30),
        approved_by="Deputy Director",
        indicator_values=indicators(
            ("H1", 40.5, 160.0, "On track", 5),
            ("H2", 12.0, 50.0, "", 6),
            ("H3", 7.0, NAN, "", 7),
        ),
        action_updates=actions(("HA1", "In progress", "2026-03-31", None, "Procuring", 4)),
    )
    second = record(
        ledger, folder, "housing v2.xlsx", b"v2", received=datetime(2025, 10, 14, 16, 5),
        approved_by="Director of Housing",
        indicator_values=indicators(
            ("H1", 42.0, 160.0, "Corrected figure", 5),  # actual and commentary changed
            ("H2", 12.0, 50.0, "", 6),                   # unchanged
            ("H4", 3.0, NAN, "", 7),                     # new; H3 dropped
        ),
        action_updates=actions(("HA1", "Completed", "2026-03-31", "2026-01-15", "Procuring", 4)),
    )
    assert (second.status, second.superseded_id) == (SUBMISSION_SUPERSEDES, first.submission_id)

    every = ledger.submissions(Q2)
    assert list(every["File"]) == ["housing v1.xlsx", "housing v2.xlsx"]
    assert list(every["Superseded By"]) == [second.submission_id, pd.NA]
    assert list(ledger.submissions(Q2, include_superseded=False)["File"]) == ["housing v2.xlsx"]
    assert list(ledger.indicator_returns(Q2)["Indicator ID"]) == ["H1", "H2", "H4"]

    changed_at = pd.Timestamp("2025-10-14 16:05")
    expected = pd.DataFrame(
        [
            ("Indicator", "H1", "Actual", "40.5", "42"),
            ("Indicator", "H1", "Commentary", "On track", "Corrected figure"),
            ("Indicator", "H3", "Actual", "7", ""),
            ("Indicator", "H4", "Actual", "", "3"),
            ("Action", "HA1", "Progress", "In progress", "Completed"),
            ("Action", "HA1", "Completed Date", "", "2026-01-15"),
        ],
        columns=["Kind", "ID", "Field", "Old Value", "New Value"],
    )
    changes = ledger.changes(Q2)
    assert list(changes.columns) == list(CHANGE_COLUMNS)
    pd.testing.assert_frame_equal(
        changes[expected.columns].reset_index(drop=True), expected, check_dtype=False
    )
    assert set(changes["Service"]) == {"Housing"}
    assert set(changes["Old File"]) == {"housing v1.xlsx"}
    assert set(changes["New File"]) == {"housing v2.xlsx"}
    assert set(changes["Changed At"]) == {changed_at}
    assert set(changes["Approved By"]) == {"Director of Housing"}


def test_three_versions_give_two_audited_pairs(ledger, folder):
    for version, actual in enumerate([10.0, 11.0, 12.0], start=1):
        record(ledger, folder, f"v{version}.xlsx", f"v{version}".encode(),
               indicator_values=indicators(("H1", actual, NAN, "", 5)))
    changes = ledger.changes(Q2)
    assert list(zip(changes["Old Value"], changes["New Value"])) == [("10", "11"), ("11", "12")]
    assert list(ledger.submissions(Q2)["Superseded By"]) == [2, 3, pd.NA]


def test_different_services_in_the_same_period_are_both_current(ledger, folder):
    record(ledger, folder, "housing.xlsx", b"housing", service="Housing",
           indicator_values=indicators(("H1", 40.0, NAN, "", 5)))
    record(ledger, folder, "parks.xlsx", b"parks", service="Parks",
           indicator_values=indicators(("P1", 88.0, NAN, "", 5)))
    current = ledger.submissions(Q2, include_superseded=False)
    assert list(current["Service"]) == ["Housing", "Parks"]
    assert ledger.changes(Q2).empty
    assert ledger.indicator_returns(Q2).set_index("Indicator ID")["Actual"].to_dict() == {"H1": 40.0, "P1": 88.0}


def test_same_service_different_periods_do_not_supersede(ledger, folder):
    record(ledger, folder, "q1.xlsx", b"q1", period=Period(2025, 1))
    outcome = record(ledger, folder, "q2.xlsx", b"q2", period=Q2)
    assert outcome.status == SUBMISSION_NEW
    assert ledger.submissions(include_superseded=False)["Period"].tolist() == ["2025-26 Q1", Q2.label]


def test_an_indicator_returned_by_two_services_takes_the_later_recorded(ledger, folder):
    record(ledger, folder, "housing.xlsx", b"housing", service="Housing",
           indicator_values=indicators(("X1", 1.0, NAN, "", 5)))
    record(ledger, folder, "parks.xlsx", b"parks", service="Parks",
           indicator_values=indicators(("X1", 2.0, NAN, "", 9)))
    assert ledger.indicator_returns(Q2)[["Indicator ID", "Actual", "Service"]].values.tolist() == [["X1", 2.0, "Parks"]]
    assert ledger.actuals()["Actual"].tolist() == [2.0]


def test_sheet_column_is_optional_and_defaults_to_the_return_sheet(ledger, folder):
    record(ledger, folder, "a.xlsx", b"a",
           indicator_values=indicators(("H1", 1.0, NAN, "", 5)).drop(columns="Sheet"),
           action_updates=actions(("HA1", "", None, None, "", 4)).drop(columns="Sheet"))
    assert ledger.indicator_returns(Q2)["Sheet"].tolist() == ["Indicators"]
    assert ledger.action_returns(Q2)["Sheet"].tolist() == ["Actions"]


def test_recording_leaves_the_callers_tables_alone(ledger, folder):
    values = indicators(("H1", 40.0, NAN, " spaced ", 5))
    updates = actions(("HA1", "Completed", None, "2025-09-01", "", 4))
    before = (values.copy(), updates.copy())
    record(ledger, folder, "a.xlsx", b"a", indicator_values=values, action_updates=updates)
    pd.testing.assert_frame_equal(values, before[0])
    pd.testing.assert_frame_equal(updates, before[1])


# --- nothing half-recorded --------------------------------------------------------------

def _missing(column):
    return lambda frame: frame.drop(columns=column)


@pytest.mark.parametrize(
    "spoil, message",
    [
        (_missing("Actual Cell"), "lacks column.*Actual Cell"),
        (_missing("Indicator ID"), "lacks column.*Indicator ID"),
        (lambda f: f.assign(Actual=pd.Series(["1,234", "5"], dtype="object")), "Actual must hold numbers.*1,234"),
        (lambda f: f.assign(**{"Indicator ID": ["H1", "H1"]}), "H1 appear"),
        (lambda f: f.assign(**{"Indicator ID": ["H1", " "]}), "blank Indicator ID"),
        (lambda f: f.assign(Row=[5.5, 6]), "Row must be"),
    ],
    ids=["no cell column", "no id column", "text actual", "duplicate id", "blank id", "fractional row"],
)
def test_a_bad_table_is_refused_before_anything_is_written(ledger, folder, spoil, message):
    record(ledger, folder, "v1.xlsx", b"v1")
    counts, archived = table_counts(ledger.db_path), sorted(ledger.archive_dir.iterdir())
    bad = spoil(indicators(("H1", 1.0, NAN, "", 5), ("H2", 2.0, NAN, "", 6)))
    with pytest.raises(LedgerError, match=message):
        record(ledger, folder, "v2.xlsx", b"v2", indicator_values=bad)
    assert table_counts(ledger.db_path) == counts
    assert sorted(ledger.archive_dir.iterdir()) == archived
    assert ledger.submissions(include_superseded=False)["File"].tolist() == ["v1.xlsx"]


def test_a_bad_action_date_is_refused(ledger, folder):
    bad = actions(("HA1", "Completed", None, None, "", 4)).assign(**{"Completed Date": ["last Tuesday"]})
    with pytest.raises(LedgerError, match="Completed Date must be a date.*last Tuesday"):
        record(ledger, folder, "a.xlsx", b"a", action_updates=bad)
    assert table_counts(ledger.db_path)["submission"] == 0


def test_a_file_that_changed_since_it_was_read_is_refused(ledger, folder):
    path, sha = raw_file(folder, "a.xlsx", b"as read")
    path.write_bytes(b"edited afterwards")
    with pytest.raises(LedgerError, match="changed after it was read"):
        ledger.record_submission(
            source_path=path, sha256=sha, service="Housing", period=Q2,
            received_at=datetime(2025, 10, 1), prepared_by="", approved_by="", date_approved=None,
            indicator_values=indicators(("H1", 1.0, NAN, "", 5)), action_updates=NO_ACTIONS,
        )
    assert table_counts(ledger.db_path)["submission"] == 0
    assert list(ledger.archive_dir.iterdir()) == []


def test_an_altered_archive_copy_is_never_overwritten(ledger, folder):
    path, sha = raw_file(folder, "a.xlsx", b"original")
    (ledger.archive_dir / f"{sha}.xlsx").write_bytes(b"tampered")
    with pytest.raises(LedgerError, match="no longer matches"):
        record(ledger, folder, "a.xlsx", b"original")
    assert (ledger.archive_dir / f"{sha}.xlsx").read_bytes() == b"tampered"


def test_a_failure_inside_the_transaction_rolls_the_whole_submission_back(ledger, folder):
    record(ledger, folder, "v1.xlsx", b"v1", indicator_values=indicators(("H1", 40.0, NAN, "", 5)))
    counts = table_counts(ledger.db_path)
    # The action rows are written last, after the submission row, the
    # supersession of v1 and the indicator rows: fail there.
    with sqlite3.connect(ledger.db_path) as conn:
        conn.execute(
            "CREATE TRIGGER simulated_failure BEFORE INSERT ON action_value "
            "BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END"
        )
    with pytest.raises(LedgerError, match="disk full.*nothing from it was recorded"):
        record(ledger, folder, "v2.xlsx", b"v2", indicator_values=indicators(("H1", 45.0, NAN, "", 5)),
               action_updates=actions(("HA1", "In progress", None, None, "", 4)))
    assert table_counts(ledger.db_path) == counts
    assert ledger.submissions()["Superseded By"].isna().all()
    assert ledger.actuals()["Actual"].tolist() == [40.0]

    with sqlite3.connect(ledger.db_path) as conn:
        conn.execute("DROP TRIGGER simulated_failure")
    retried = record(ledger, folder, "v2.xlsx", b"v2", indicator_values=indicators(("H1", 45.0, NAN, "", 5)),
                     action_updates=actions(("HA1", "In progress", None, None, "", 4)))
    assert retried.status == SUBMISSION_SUPERSEDES
    assert ledger.actuals()["Actual"].tolist() == [45.0]


CRASHING_INGEST = textwrap.dedent("""
    import hashlib, math, os, sys
    from datetime import datetime
    from pathlib import Path
    import pandas as pd
    from pmflib.core.periods import Period
    from pmflib.store.ledger import Ledger

    folder = Path(sys.argv[1])
    def values(actual):
        return pd.DataFrame({
            "Indicator ID": ["H1"], "Actual": [actual], "Forecast Year-End": [math.nan],
            "Commentary": [""], "Corrective Action": [""], "Data Note": [""],
            "Actual Cell": ["G5"], "Forecast Cell": ["H5"], "Row": [5]})
    ledger = Ledger(folder / "ledger.sqlite", folder / "archive")
    for name, actual in (("v1.xlsx", 40.0), ("v2.xlsx", 45.0)):
        path = folder / name
        path.write_bytes(name.encode())
        if name == "v2.xlsx":  # the power goes off while v2's values are being written
            ledger._conn.create_function("power_cut", 0, lambda: os._exit(3))
            ledger._conn.execute(
                "CREATE TEMP TRIGGER power_cut BEFORE INSERT ON main.indicator_value "
                "BEGIN SELECT power_cut(); END")
        ledger.record_submission(
            source_path=path, sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
            service="Housing", period=Period(2025, 2), received_at=datetime(2025, 10, 1),
            prepared_by="", approved_by="", date_approved=None,
            indicator_values=values(actual), action_updates=pd.DataFrame())
""")


def test_a_crash_mid_ingest_leaves_the_last_complete_state(folder):
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_INGEST, str(folder)],
        capture_output=True, text=True, timeout=60,
    )
    assert crashed.returncode == 3, crashed.stderr
    with Ledger(folder / "ledger.sqlite", folder / "archive") as ledger:
        assert ledger._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert ledger.submissions()["File"].tolist() == ["v1.xlsx"]
        assert ledger.submissions()["Superseded By"].isna().all()
        assert ledger.actuals()["Actual"].tolist() == [40.0]
        # the v2 archive copy may exist (it is written first); it is complete and reused
        v2 = ledger.archive_dir / f"{hashlib.sha256(b'v2.xlsx').hexdigest()}.xlsx"
        assert not v2.exists() or v2.read_bytes() == b"v2.xlsx"
        assert not list(ledger.archive_dir.glob(".*.part"))


# --- history --------------------------------------------------------------------------------

def test_history_import_is_idempotent(ledger):
    rows = history(("H1", "2024-25 Q4", 30.0), ("H1", "2025-26-Q1", 35.0), ("P1", "2024-25 Q4", 80.0))
    assert ledger.import_history(rows, "history.csv") == 3
    counts = table_counts(ledger.db_path)
    assert ledger.import_history(rows, "history.csv") == 0
    assert ledger.import_history(rows.iloc[::-1], "history copy.xlsx") == 0  # same rows, other order/file
    assert table_counts(ledger.db_path) == counts

    actuals = ledger.actuals()
    assert actuals[["Indicator ID", "Period", "Actual"]].values.tolist() == [
        ["H1", "2024-25 Q4", 30.0], ["H1", "2025-26 Q1", 35.0], ["P1", "2024-25 Q4", 80.0],
    ]
    assert set(actuals["Source"]) == {HISTORY_SOURCE}
    assert actuals["Submission ID"].isna().all()


def test_corrected_history_supersedes_only_the_corrected_figures(ledger):
    ledger.import_history(history(("H1", "2024-25 Q4", 30.0), ("H1", "2025-26 Q1", 35.0)), "history.csv")
    changed = ledger.import_history(
        history(("H1", "2024-25 Q4", 30.0), ("H1", "2025-26 Q1", 36.0), ("H1", "2024-25 Q3", 28.0),
                ("H2", "2024-25 Q3", NAN)),  # blank: not a known figure, skipped
        "history v2.csv",
    )
    assert changed == 2
    assert ledger.actuals()[["Period", "Actual"]].values.tolist() == [
        ["2024-25 Q3", 28.0], ["2024-25 Q4", 30.0], ["2025-26 Q1", 36.0],
    ]
    assert table_counts(ledger.db_path)["history_value"] == 4  # 35.0 kept, superseded
    assert ledger.provenance("H1", Period(2025, 1))["file"] == "history v2.csv"


def test_a_history_row_with_a_bad_period_names_the_file(ledger):
    with pytest.raises(LedgerError, match="history.csv: '2025 Q1' is not a period"):
        ledger.import_history(history(("H1", "2025 Q1", 30.0)), "history.csv")


def test_conflicting_history_rows_are_refused(ledger):
    with pytest.raises(LedgerError, match="H1 2024-25 Q4"):
        ledger.import_history(history(("H1", "2024-25 Q4", 30.0), ("H1", "2024-25-Q4", 31.0)), "history.csv")
    assert table_counts(ledger.db_path)["history_value"] == 0


def test_a_return_value_beats_history_for_the_same_indicator_and_period(ledger, folder):
    ledger.import_history(history(("H1", Q2.label, 99.0), ("H2", Q2.label, 5.0), ("H1", "2025-26 Q1", 35.0)), "history.csv")
    record(ledger, folder, "housing.xlsx", b"housing",
           indicator_values=indicators(("H1", 42.0, 160.0, "", 5), ("H2", NAN, 20.0, "", 6)))
    ledger.import_history(history(("H1", Q2.label, 99.0)), "history.csv")  # re-running ingest

    actuals = ledger.actuals()
    assert actuals[["Indicator ID", "Period", "Actual", "Source"]].values.tolist() == [
        ["H1", "2025-26 Q1", 35.0, HISTORY_SOURCE],
        ["H1", Q2.label, 42.0, "housing.xlsx"],
        ["H2", Q2.label, 5.0, HISTORY_SOURCE],  # the return left H2 blank: blank is not a value
    ]
    assert actuals["Forecast Year-End"].iloc[1] == 160.0


def test_history_file_can_be_archived_too(ledger, folder):
    path = folder / "history.csv"
    path.write_bytes(b"Indicator ID,Period,Actual\nH1,2024-25 Q4,30\n")
    ledger.import_history(history(("H1", "2024-25 Q4", 30.0)), path.name, source_path=path)
    found = ledger.provenance("H1", Period(2024, 4))
    assert found["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert found["archive_path"].read_bytes() == path.read_bytes()


# --- reading ------------------------------------------------------------------------------

PERIODS = ["2024-25 Q4", "2025-26 Q1", "2025-26 Q2", "2025-26 Q3"]


@pytest.mark.parametrize(
    "up_to, expected",
    [
        (None, PERIODS),
        (Period.parse("2025-26 Q2"), PERIODS[:3]),
        # as text, '2025-26 Q2' < '2025-26-Q1' (space sorts before '-'): order must be by quarter
        (Period.parse("2025-26-Q1"), PERIODS[:2]),
        (Period.parse("2025-26-Q2"), PERIODS[:3]),
        (Period(2025, 1), PERIODS[:2]),
        (Period.parse("2024-25 Q4"), PERIODS[:1]),
        (Period.parse("2024-25 Q3"), []),
        (Period.parse("2030-31 Q1"), PERIODS),
    ],
)
def test_actuals_up_to_a_period_compares_quarters_not_text(ledger, folder, up_to, expected):
    # the older quarters from history, the newer from returns: both are filtered
    ledger.import_history(history(("H1", PERIODS[0], 0.0), ("H1", PERIODS[1], 1.0)), "history.csv")
    for number, period in enumerate(PERIODS[2:], start=2):
        record(ledger, folder, f"{number}.xlsx", period.encode(), period=Period.parse(period),
               indicator_values=indicators(("H1", float(number), NAN, "", 5)))
    assert ledger.actuals(up_to=up_to)["Period"].tolist() == expected


def test_actuals_orders_each_indicator_by_quarter_across_years(ledger, folder):
    ledger.import_history(history(("H1", "2025-26 Q1", 2.0), ("H1", "2009-10 Q4", 1.0)), "history.csv")
    record(ledger, folder, "a.xlsx", b"a", period=Period(2026, 1), indicator_values=indicators(("H1", 3.0, NAN, "", 5)))
    assert ledger.actuals()["Actual"].tolist() == [1.0, 2.0, 3.0]


def test_provenance_of_a_return_value(ledger, folder):
    outcome = record(ledger, folder, "Housing Q2.xlsx", b"housing q2", received=datetime(2025, 10, 10, 9, 30),
                     indicator_values=indicators(("H1", 40.0, NAN, "", 5), ("H2", 7.0, NAN, "", 12)))
    found = ledger.provenance("H2", Q2)
    assert (found["file"], found["sheet"], found["cell"]) == ("Housing Q2.xlsx", "Indicators", "G12")
    assert found["sha256"] == hashlib.sha256(b"housing q2").hexdigest()
    assert found["received_at"] == datetime(2025, 10, 10, 9, 30)
    assert (found["actual"], found["submission_id"]) == (7.0, outcome.submission_id)
    assert found["archive_path"].read_bytes() == b"housing q2"


def test_provenance_of_a_history_value_and_of_nothing(ledger):
    ledger.import_history(
        history(("H1", "2024-25 Q4", 30.0)).assign(Sheet=["History"], Cell=["C7"]), "history.xlsx"
    )
    found = ledger.provenance("H1", Period(2024, 4))
    assert (found["source"], found["file"], found["sheet"], found["cell"]) == (
        HISTORY_SOURCE, "history.xlsx", "History", "C7",
    )
    with pytest.raises(NotInLedger, match="H9 in 2024-25 Q4"):
        ledger.provenance("H9", Period(2024, 4))


def test_an_empty_ledger_gives_empty_tables_with_the_contract_columns(ledger):
    for table, columns in [
        (ledger.actuals(), ACTUALS_COLUMNS),
        (ledger.indicator_returns(Q2), LEDGER_INDICATOR_RETURN_COLUMNS),
        (ledger.action_returns(Q2), LEDGER_ACTION_RETURN_COLUMNS),
        (ledger.submissions(), SUBMISSION_COLUMNS),
        (ledger.changes(Q2), CHANGE_COLUMNS),
        (ledger.problems(Q2), DATA_QUALITY_COLUMNS),
    ]:
        assert table.empty and list(table.columns) == list(columns)
    assert ledger.actuals()["Actual"].dtype == "float64"
    assert ledger.action_returns(Q2)["Expected End Date"].dtype.kind == "M"


# --- data-quality lists ---------------------------------------------------------------------

def test_the_latest_ingest_runs_problems_are_read_back(ledger):
    first = [
        Problem("housing.xlsx", "Indicators", "G7", "Actual is not a number", " 45 x", "H2"),
        {"File": "parks.xlsx", "Sheet": "Sign-off", "Cell": "B5", "ID": "Parks",
         "Problem": "Not approved", "Value": ""},
    ]
    assert ledger.record_problems(Q2, first) is True
    assert ledger.record_problems(Q2, first) is False  # the same list again: no change
    assert ledger.problems(Q2).values.tolist() == [
        ["housing.xlsx", "Indicators", "G7", "H2", "Actual is not a number", " 45 x"],
        ["parks.xlsx", "Sign-off", "B5", "Parks", "Not approved", ""],
    ]
    assert ledger.record_problems(Q2, first[1:]) is True  # housing fixed its return
    assert ledger.problems(Q2)["File"].tolist() == ["parks.xlsx"]
    assert ledger.record_problems(Q2, []) is True  # everything fixed
    assert ledger.problems(Q2).empty
    assert ledger.problems(Period(2025, 1)).empty
    with sqlite3.connect(ledger.db_path) as conn:  # earlier lists are kept
        assert conn.execute("SELECT count(*) FROM problem").fetchone()[0] == 3


# --- the rule, for any sequence of returns -------------------------------------------------

SUBMISSION = st.tuples(
    st.sampled_from(["Housing", "Parks"]),
    st.sampled_from(["2025-26 Q1", "2025-26 Q2"]),
    st.dictionaries(
        st.sampled_from(["I1", "I2", "I3"]),
        st.one_of(st.none(), st.integers(0, 9).map(float)),
        max_size=3,
    ),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(SUBMISSION, max_size=6))
def test_actuals_are_the_latest_current_return_for_any_sequence(tmp_path_factory, sequence):
    folder = tmp_path_factory.mktemp("ledger")
    (folder / "returns").mkdir()
    # The rule by hand: a return replaces its service's earlier return for the
    # period; an indicator's actual is the latest-recorded current return's
    # non-blank value.
    current: dict[tuple[str, str], int] = {}
    for number, (service, period, _values) in enumerate(sequence):
        current[(service, period)] = number
    expected: dict[tuple[str, str], float] = {}
    for number in sorted(current.values()):
        _service, period, values = sequence[number]
        for indicator, actual in values.items():
            if actual is not None:
                expected[(indicator, period)] = actual

    with Ledger(folder / "l.sqlite", folder / "archive") as ledger:
        for number, (service, period, values) in enumerate(sequence):
            rows = [(i, NAN if a is None else a, NAN, "", 5 + k) for k, (i, a) in enumerate(sorted(values.items()))]
            record(ledger, folder, f"r{number}.xlsx", f"return {number}".encode(), service=service,
                   period=Period.parse(period), indicator_values=indicators(*rows))
        actuals = ledger.actuals()
    assert dict(zip(zip(actuals["Indicator ID"], actuals["Period"]), actuals["Actual"])) == expected


def test_cell_lookup_names_the_cell_of_any_field(tmp_path):
    """Rules find problems after ingest (a Red KPI without commentary); the
    ledger remembers where each field's column was so the problem names the cell."""
    raw = tmp_path / "housing.xlsx"
    raw.write_bytes(b"return bytes")
    sha = hashlib.sha256(b"return bytes").hexdigest()
    with Ledger(tmp_path / "l.sqlite", tmp_path / "archive") as ledger:
        ledger.record_submission(
            source_path=raw, sha256=sha, service="Housing", period=Period(2026, 2),
            received_at=datetime(2026, 10, 1, 9, 0), prepared_by="A", approved_by="B",
            date_approved=None,
            indicator_values=pd.DataFrame({
                "Indicator ID": ["H1"], "Actual": [1.0], "Forecast Year-End": [float("nan")],
                "Commentary": [""], "Corrective Action": [""], "Data Note": [""],
                "Sheet": ["Indicators"], "Actual Cell": ["G5"], "Forecast Cell": ["H5"], "Row": [5],
            }),
            action_updates=pd.DataFrame(columns=[
                "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
                "Reason For Delay", "Corrective Action", "Sheet", "Row",
            ]),
            columns={"Indicators": {"Actual": "G", "Commentary": "I"}},
        )
        cell_for = ledger.cell_lookup(Period(2026, 2))
    # Commentary is column I and the row is 5 → I5; unknown field or row → "".
    assert cell_for("housing.xlsx", "Indicators", 5, "Commentary") == "I5"
    assert cell_for("housing.xlsx", "Indicators", 5, "commentary") == "I5"
    assert cell_for("housing.xlsx", "Indicators", 5, "Data Note") == ""
    assert cell_for("housing.xlsx", "Indicators", None, "Commentary") == ""
    assert cell_for("other.xlsx", "Indicators", 5, "Commentary") == ""


def test_latest_action_returns_carry_an_earlier_update_forward(tmp_path):
    """A Delivered action is left off the next template; its last update must
    still count, and an update from the period itself wins over older ones."""
    columns = ["Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
               "Reason For Delay", "Corrective Action", "Sheet", "Row"]
    none = pd.DataFrame(columns=["Indicator ID", "Actual", "Forecast Year-End", "Commentary",
                                 "Corrective Action", "Data Note", "Sheet", "Actual Cell", "Forecast Cell", "Row"])

    def submit(ledger, name, period, rows):
        raw = tmp_path / name
        raw.write_bytes(name.encode())
        ledger.record_submission(
            source_path=raw, sha256=hashlib.sha256(name.encode()).hexdigest(), service="Housing",
            period=period, received_at=datetime(2026, 1, 1), prepared_by="", approved_by="B",
            date_approved=None, indicator_values=none,
            action_updates=pd.DataFrame(rows, columns=columns),
        )

    nat = pd.NaT
    with Ledger(tmp_path / "l.sqlite", tmp_path / "archive") as ledger:
        submit(ledger, "q1.xlsx", Period(2026, 1), [
            ["A1", "Completed", nat, pd.Timestamp("2026-05-01"), "Done", "", "", "Actions", 5],
            ["A2", "In progress", pd.Timestamp("2026-12-31"), nat, "", "", "", "Actions", 6],
        ])
        submit(ledger, "q2.xlsx", Period(2026, 2), [
            ["A2", "In progress", pd.Timestamp("2027-03-31"), nat, "", "", "", "Actions", 5],
        ])
        latest = ledger.latest_action_returns(Period(2026, 2)).set_index("Action ID")
        only_q2 = ledger.action_returns(Period(2026, 2))
    assert latest.loc["A1", "Progress"] == "Completed"
    assert latest.loc["A1", "File"] == "q1.xlsx"
    assert pd.Timestamp(latest.loc["A2", "Expected End Date"]) == pd.Timestamp("2027-03-31")
    assert list(only_q2["Action ID"]) == ["A2"]


# --- when a file was first seen (issue 9 item 5) ------------------------------------------

def test_first_seen_is_kept_for_the_same_file(ledger):
    sha = "a" * 64
    first = ledger.first_seen(sha, "housing.xlsx", datetime(2026, 10, 15, 9, 12))
    again = ledger.first_seen(sha, "housing copy.xlsx", datetime(2026, 10, 20, 8, 0))
    assert first == again == datetime(2026, 10, 15, 9, 12)
    assert ledger.first_seen("b" * 64, "parks.xlsx", datetime(2026, 10, 16, 7, 0)) == datetime(2026, 10, 16, 7, 0)


def test_a_version_2_ledger_is_upgraded_and_its_files_count_as_first_seen_when_recorded(folder):
    """Existing ledgers stay readable: the migration fills first-seen from what was recorded."""
    from pmflib.store import ledger as ledger_module

    sha = "c" * 64
    db2, archive = folder / "v2.sqlite", folder / "archive"
    conn = sqlite3.connect(db2, isolation_level=None)
    for version in (1, 2):
        conn.executescript(f"BEGIN;\n{ledger_module._MIGRATIONS[version]}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.execute(
        "INSERT INTO submission (submission_id, sha256, file_name, archive_name, service, period, period_index, "
        "received_at, recorded_at, prepared_by, approved_by, date_approved, late) "
        "VALUES (1, ?, 'housing.xlsx', 'x.xlsx', 'Housing', '2025-26 Q2', ?, '2025-10-10T09:30:00', "
        "'2025-10-11T08:00:00', 'Officer', 'Director', NULL, 0)",
        (sha, Q2.index),
    )
    conn.close()
    with Ledger(db2, archive) as upgraded:
        assert upgraded._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert list(upgraded.submissions()["File"]) == ["housing.xlsx"]
        assert upgraded.first_seen(sha, "housing.xlsx", datetime(2026, 1, 1)) == datetime(2025, 10, 11, 8, 0)


# --- a superseded return's problems leave the current list (issue 9 item 4) ----------------

def test_problems_of_a_superseded_return_are_kept_but_not_current(ledger, folder):
    record(ledger, folder, "housing v1.xlsx", b"v1")
    record(ledger, folder, "housing v2.xlsx", b"v2")
    ledger.record_problems(Q2, [
        Problem("housing v1.xlsx", "Indicators", "G7", "Actual is not a number", "x", "H1"),
        Problem("housing v2.xlsx", "Indicators", "H7", "Red KPI needs commentary", "", "H1"),
        Problem("", "", "", "No return received from Parks", "", "Parks"),
    ])
    assert ledger.problems(Q2)["File"].tolist() == ["housing v2.xlsx", ""]
    kept = ledger.problems(Q2, include_superseded=True)
    assert kept["File"].tolist() == ["housing v1.xlsx", "housing v2.xlsx", ""]


def test_a_corrected_copy_saved_under_the_same_name_keeps_its_problems(ledger, folder):
    record(ledger, folder, "housing.xlsx", b"v1")
    record(ledger, folder, "housing.xlsx", b"v2")
    ledger.record_problems(Q2, [Problem("housing.xlsx", "Indicators", "G7", "Actual is not a number", "x", "H1")])
    assert ledger.problems(Q2)["File"].tolist() == ["housing.xlsx"]


# --- periods are Periods inside the package (issue 8, "Period typed at the boundary") -------

@pytest.mark.parametrize(
    "call",
    [
        lambda ledger: ledger.actuals(up_to="2025-26 Q2"),
        lambda ledger: ledger.figure_sources(up_to="2025-26 Q2"),
        lambda ledger: ledger.indicator_returns("2025-26 Q2"),
        lambda ledger: ledger.action_returns("2025-26-Q2"),
        lambda ledger: ledger.latest_action_returns("2025-26 Q2"),
        lambda ledger: ledger.submissions("2025-26 Q2"),
        lambda ledger: ledger.changes("2025-26 Q2"),
        lambda ledger: ledger.problems("2025-26 Q2"),
        lambda ledger: ledger.record_problems("2025-26 Q2", []),
        lambda ledger: ledger.cell_lookup("2025-26 Q2"),
        lambda ledger: ledger.provenance("H1", "2025-26 Q2"),
    ],
)
def test_a_label_where_a_period_is_required_is_refused_loudly(ledger, call):
    with pytest.raises(TypeError, match=r"must be a pmflib Period, not str '2025-26.Q2'"):
        call(ledger)


def test_a_label_given_to_record_submission_is_refused_before_anything_is_written(ledger, folder):
    with pytest.raises(TypeError, match="not str '2025-26 Q2'"):
        record(ledger, folder, "a.xlsx", b"a", period="2025-26 Q2")
    assert table_counts(ledger.db_path)["submission"] == 0
    assert list(ledger.archive_dir.iterdir()) == []


def test_periods_come_back_as_periods(ledger, folder):
    first = record(ledger, folder, "a.xlsx", b"a")
    again = record(ledger, folder, "a copy.xlsx", b"a")  # the same bytes: a duplicate
    assert first.period == again.period == Q2
    assert ledger.recorded_file(first.sha256)["period"] == Q2
    assert ledger.provenance("H1", Q2)["period"] == Q2
    assert ledger.submissions()["Period"].tolist() == [Q2.label]  # tables keep the published label
