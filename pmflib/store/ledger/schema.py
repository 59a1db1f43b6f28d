"""The ledger's schema: each version applied once, in order, in one transaction (PRAGMA user_version)."""

from __future__ import annotations

# --- Schema ------------------------------------------------------------------------
# Each version is applied once, in order, inside one transaction; the database
# remembers its version in PRAGMA user_version. A later release adds a key here
# (never edits an earlier script) so old ledgers are upgraded in place.

_APPEND_ONLY = "the ledger never deletes or edits what it has recorded"

_SCHEMA_V1 = f"""
CREATE TABLE submission (
    submission_id  INTEGER PRIMARY KEY,
    sha256         TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    file_name      TEXT NOT NULL,
    archive_name   TEXT NOT NULL,
    service        TEXT NOT NULL CHECK (service <> ''),
    period         TEXT NOT NULL,
    period_index   INTEGER NOT NULL,
    received_at    TEXT NOT NULL,
    recorded_at    TEXT NOT NULL,
    prepared_by    TEXT NOT NULL,
    approved_by    TEXT NOT NULL,
    date_approved  TEXT,
    late           INTEGER NOT NULL CHECK (late IN (0, 1)),
    -- deferred so the earlier return can be pointed at its successor inside
    -- the transaction that inserts the successor
    superseded_by  INTEGER REFERENCES submission (submission_id) DEFERRABLE INITIALLY DEFERRED,
    CHECK (superseded_by IS NULL OR superseded_by > submission_id)
);
-- one current return per service and period: the rule supersession keeps
CREATE UNIQUE INDEX submission_current
    ON submission (service, period_index) WHERE superseded_by IS NULL;
CREATE INDEX submission_period ON submission (period_index);

CREATE TABLE indicator_value (
    submission_id      INTEGER NOT NULL REFERENCES submission (submission_id),
    indicator_id       TEXT NOT NULL CHECK (indicator_id <> ''),
    actual             REAL,
    forecast_year_end  REAL,
    commentary         TEXT NOT NULL,
    corrective_action  TEXT NOT NULL,
    data_note          TEXT NOT NULL,
    sheet              TEXT NOT NULL,
    actual_cell        TEXT NOT NULL,
    forecast_cell      TEXT NOT NULL,
    row                INTEGER,
    PRIMARY KEY (submission_id, indicator_id)
) WITHOUT ROWID;
CREATE INDEX indicator_value_indicator ON indicator_value (indicator_id);

CREATE TABLE action_value (
    submission_id      INTEGER NOT NULL REFERENCES submission (submission_id),
    action_id          TEXT NOT NULL CHECK (action_id <> ''),
    progress           TEXT NOT NULL,
    expected_end_date  TEXT,
    completed_date     TEXT,
    commentary         TEXT NOT NULL,
    reason_for_delay   TEXT NOT NULL,
    corrective_action  TEXT NOT NULL,
    sheet              TEXT NOT NULL,
    row                INTEGER,
    PRIMARY KEY (submission_id, action_id)
) WITHOUT ROWID;

CREATE TABLE history_import (
    import_id     INTEGER PRIMARY KEY,
    source        TEXT NOT NULL,
    sha256        TEXT,          -- the archived history file, when one was given
    archive_name  TEXT,
    rows_sha256   TEXT NOT NULL, -- the rows as imported, whatever file they came from
    imported_at   TEXT NOT NULL,
    value_count   INTEGER NOT NULL
);

CREATE TABLE history_value (
    import_id      INTEGER NOT NULL REFERENCES history_import (import_id),
    indicator_id   TEXT NOT NULL CHECK (indicator_id <> ''),
    period         TEXT NOT NULL,
    period_index   INTEGER NOT NULL,
    actual         REAL NOT NULL,
    sheet          TEXT NOT NULL,
    cell           TEXT NOT NULL,
    superseded_by  INTEGER REFERENCES history_import (import_id),
    PRIMARY KEY (import_id, indicator_id, period_index),
    CHECK (superseded_by IS NULL OR superseded_by > import_id)
);
CREATE UNIQUE INDEX history_value_current
    ON history_value (indicator_id, period_index) WHERE superseded_by IS NULL;

-- The data-quality list of each ingest run (SPEC §10 data-quality.csv), kept
-- so a report can be rebuilt without re-reading returns; the latest run counts.
CREATE TABLE problem_run (
    run_id         INTEGER PRIMARY KEY,
    period         TEXT NOT NULL,
    period_index   INTEGER NOT NULL,
    recorded_at    TEXT NOT NULL,
    problem_count  INTEGER NOT NULL
);
CREATE INDEX problem_run_period ON problem_run (period_index);
CREATE TABLE problem (
    run_id    INTEGER NOT NULL REFERENCES problem_run (run_id),
    position  INTEGER NOT NULL,
    file      TEXT NOT NULL,
    sheet     TEXT NOT NULL,
    cell      TEXT NOT NULL,
    id        TEXT NOT NULL,
    problem   TEXT NOT NULL,
    value     TEXT NOT NULL,
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;

-- Append-only, enforced by the database itself rather than by good manners.
CREATE TRIGGER submission_no_delete BEFORE DELETE ON submission
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER submission_no_edit BEFORE UPDATE OF
    submission_id, sha256, file_name, archive_name, service, period, period_index,
    received_at, recorded_at, prepared_by, approved_by, date_approved, late
    ON submission BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER submission_superseded_once BEFORE UPDATE OF superseded_by ON submission
    WHEN OLD.superseded_by IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER indicator_value_no_delete BEFORE DELETE ON indicator_value
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER indicator_value_no_edit BEFORE UPDATE ON indicator_value
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER action_value_no_delete BEFORE DELETE ON action_value
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER action_value_no_edit BEFORE UPDATE ON action_value
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER history_import_no_delete BEFORE DELETE ON history_import
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER history_import_no_edit BEFORE UPDATE ON history_import
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER history_value_no_delete BEFORE DELETE ON history_value
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER history_value_no_edit BEFORE UPDATE OF
    import_id, indicator_id, period, period_index, actual, sheet, cell
    ON history_value BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER problem_run_no_delete BEFORE DELETE ON problem_run
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER problem_run_no_edit BEFORE UPDATE ON problem_run
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER problem_no_delete BEFORE DELETE ON problem
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER problem_no_edit BEFORE UPDATE ON problem
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER history_value_superseded_once BEFORE UPDATE OF superseded_by ON history_value
    WHEN OLD.superseded_by IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
"""

#: Where each field's column was in each return, so a problem found later by
#: the rules (a Red KPI without commentary) can name the exact cell to fill.
_SCHEMA_V2 = f"""
CREATE TABLE submission_column (
    submission_id  INTEGER NOT NULL REFERENCES submission (submission_id),
    sheet          TEXT NOT NULL,
    field          TEXT NOT NULL,
    column_letter  TEXT NOT NULL,
    PRIMARY KEY (submission_id, sheet, field)
) WITHOUT ROWID;
CREATE TRIGGER submission_column_no_delete BEFORE DELETE ON submission_column
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER submission_column_no_edit BEFORE UPDATE ON submission_column
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
"""

#: When the workbook first saw each file (by SHA-256): lateness is judged by
#: this, not by the file's modification time (which is when an officer saved
#: the email attachment), unless received.csv gives the real time. Files
#: recorded before this version count as first seen when they were recorded.
_SCHEMA_V3 = f"""
CREATE TABLE file_seen (
    sha256         TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    file_name      TEXT NOT NULL,
    first_seen_at  TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO file_seen (sha256, file_name, first_seen_at)
    SELECT sha256, file_name, min(recorded_at) FROM submission GROUP BY sha256;
CREATE TRIGGER file_seen_no_delete BEFORE DELETE ON file_seen
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
CREATE TRIGGER file_seen_no_edit BEFORE UPDATE ON file_seen
    BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
"""

_MIGRATIONS = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3}
SCHEMA_VERSION = max(_MIGRATIONS)

#: Every current actual, returns first: for each indicator and period the
#: latest-recorded current return with an Actual wins; history counts only
#: where no return has one (priority 1 sorts after 0). A blank Actual in a
#: return is "no value", so it neither erases nor hides a known history figure.
_CURRENT_ACTUALS = """
WITH candidate AS (
    SELECT v.indicator_id, s.period, s.period_index, v.actual, v.forecast_year_end,
           s.file_name AS source, v.sheet, v.actual_cell AS cell, s.submission_id,
           s.file_name, s.sha256, s.received_at, s.archive_name, s.service, s.approved_by,
           0 AS priority, s.submission_id AS recency
    FROM indicator_value AS v JOIN submission AS s USING (submission_id)
    WHERE s.superseded_by IS NULL AND v.actual IS NOT NULL
      AND (:up_to IS NULL OR s.period_index <= :up_to)
      AND (:period IS NULL OR s.period_index = :period)
      AND (:indicator IS NULL OR v.indicator_id = :indicator)
    UNION ALL
    SELECT h.indicator_id, h.period, h.period_index, h.actual, NULL,
           :history, h.sheet, h.cell, NULL,
           i.source, i.sha256, i.imported_at, i.archive_name, '', '',
           1, h.import_id
    FROM history_value AS h JOIN history_import AS i USING (import_id)
    WHERE h.superseded_by IS NULL
      AND (:up_to IS NULL OR h.period_index <= :up_to)
      AND (:period IS NULL OR h.period_index = :period)
      AND (:indicator IS NULL OR h.indicator_id = :indicator)
), ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY indicator_id, period_index ORDER BY priority, recency DESC
    ) AS rank
    FROM candidate
)
SELECT indicator_id, period, actual, forecast_year_end, source, sheet, cell, submission_id,
       file_name, sha256, received_at, archive_name, service, approved_by
FROM ranked WHERE rank = 1
ORDER BY indicator_id, period_index
"""

#: What ``changes`` compares: the figures and words a service is accountable
#: for, not where they sat in the sheet. Each query selects the ID and then the
#: fields in the order of the labels beside it.
_INDICATOR_FIELDS = ("Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note")
_INDICATOR_FIGURES = (
    "SELECT indicator_id, actual, forecast_year_end, commentary, corrective_action, data_note "
    "FROM indicator_value WHERE submission_id = ?"
)
_ACTION_FIELDS = (
    "Progress", "Expected End Date", "Completed Date", "Commentary", "Reason For Delay",
    "Corrective Action",
)
_ACTION_FIGURES = (
    "SELECT action_id, progress, expected_end_date, completed_date, commentary, "
    "reason_for_delay, corrective_action FROM action_value WHERE submission_id = ?"
)
