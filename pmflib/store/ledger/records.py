"""The Ledger: recording returns and history, and reading back current figures with their provenance."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from pmflib.core.constants import (
    ACTUALS_COLUMNS,
    CHANGE_COLUMNS,
    CHANGE_KIND_ACTION,
    CHANGE_KIND_INDICATOR,
    DATA_QUALITY_COLUMNS,
    HISTORY_SOURCE,
    LEDGER_ACTION_RETURN_COLUMNS,
    LEDGER_INDICATOR_RETURN_COLUMNS,
    SUBMISSION_COLUMNS,
    SUBMISSION_DUPLICATE,
    SUBMISSION_NEW,
    SUBMISSION_SUPERSEDES,
)
from pmflib.core.periods import Period, require_period
from pmflib.store.ledger.errors import (
    LedgerError,
    NotInLedger,
)
from pmflib.core.values import is_missing
from pmflib.store.ledger.rows import (
    _ACTION_RETURN_KINDS,
    _ACTUALS_KINDS,
    _CHANGE_KINDS,
    _INDICATOR_RETURN_KINDS,
    _SUBMISSION_KINDS,
    _action_rows,
    _as_text,
    _clean_text,
    _file_sha256,
    _frame,
    _history_rows,
    _indicator_rows,
    _iso_date,
    _iso_datetime,
    _now,
    _period_index,
    _problem_row,
)
from pmflib.store.ledger.schema import (
    _ACTION_FIELDS,
    _ACTION_FIGURES,
    _CURRENT_ACTUALS,
    _INDICATOR_FIELDS,
    _INDICATOR_FIGURES,
    _MIGRATIONS,
    SCHEMA_VERSION,
)


# --- Recording and reading -------------------------------------------------------------
@dataclass(frozen=True)
class SubmissionOutcome:
    """What ``record_submission`` did with one file, for the ingest summary.

    ``status`` is ``SUBMISSION_NEW``, ``SUBMISSION_SUPERSEDES`` or
    ``SUBMISSION_DUPLICATE``; for a duplicate the other fields describe the
    submission already recorded and nothing was written.
    """

    status: str
    submission_id: int
    sha256: str
    service: str
    period: Period
    archive_path: Path
    superseded_id: int | None = None
    indicators_recorded: int = 0
    actions_recorded: int = 0

    @property
    def is_duplicate(self) -> bool:
        return self.status == SUBMISSION_DUPLICATE

    def __str__(self) -> str:
        return self.status


class Ledger:
    """One council's ledger: the SQLite file and the folder of archived returns.

    Use as a context manager so the connection is closed::

        with Ledger(workbook.ledger_path, workbook.archive_dir) as ledger:
            actuals = ledger.actuals(up_to=period)
    """

    def __init__(self, db_path: Path, archive_dir: Path) -> None:
        self.db_path = Path(db_path)
        self.archive_dir = Path(archive_dir)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.archive_dir.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are begun and ended explicitly
        # here, never implicitly by the driver.
        self._conn = sqlite3.connect(self.db_path, isolation_level=None, timeout=30)
        try:
            version = self._check_is_ledger()
            # WAL only once the file is known to be ours: the mode is stored
            # in the file, and a stranger's database is left as it was.
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(version)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise LedgerError(f"{self.db_path}: is not a usable ledger ({exc})") from exc
        except BaseException:
            self._conn.close()
            raise

    # --- lifecycle ---------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _check_is_ledger(self) -> int:
        """The file's ledger version (0 for a new, empty file), or a refusal."""
        version = self._conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise LedgerError(
                f"{self.db_path}: was written by a newer PMF Workbook (ledger version "
                f"{version}, this one reads up to {SCHEMA_VERSION}); upgrade pmflib"
            )
        if version == 0:
            tables = self._conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0]
            if tables:
                raise LedgerError(
                    f"{self.db_path}: is a SQLite file but not a PMF ledger; "
                    "point params/council.yml 'ledger' at another path"
                )
        return version

    def _migrate(self, version: int) -> None:
        for target in range(version + 1, SCHEMA_VERSION + 1):
            # executescript runs the lot; BEGIN/COMMIT make it all-or-nothing,
            # user_version included (it lives in the database header).
            try:
                self._conn.executescript(
                    f"BEGIN IMMEDIATE;\n{_MIGRATIONS[target]}\nPRAGMA user_version = {target};\nCOMMIT;"
                )
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _write(self):
        """A write transaction that takes the write lock up front, so two
        ingests cannot both decide the same return is "current"."""
        return _Transaction(self._conn)

    # --- recording ----------------------------------------------------------------
    def has_file(self, sha256: str) -> bool:
        """Whether this exact file (by SHA-256) has already been recorded."""
        row = self._conn.execute(
            "SELECT 1 FROM submission WHERE sha256 = ?", (str(sha256).lower(),)
        ).fetchone()
        return row is not None

    def recorded_file(self, sha256: str) -> "dict[str, Any] | None":
        """The submission already recorded for this exact file (by SHA-256):
        its file name, service and period (a ``Period``); None if it is new.
        Lets ingest skip re-parsing what the ledger holds (issue 13)."""
        row = self._conn.execute(
            "SELECT file_name, service, period_index FROM submission WHERE sha256 = ?", (str(sha256).lower(),)
        ).fetchone()
        return None if row is None else {"file_name": row[0], "service": row[1], "period": Period.from_index(row[2])}

    def record_submission(
        self,
        *,
        source_path: Path,
        sha256: str,
        service: str,
        period: Period,
        received_at: datetime,
        prepared_by: str,
        approved_by: str,
        date_approved: "date | None",
        indicator_values: pd.DataFrame,
        action_updates: pd.DataFrame,
        late: bool = False,
        columns: "dict[str, dict[str, str]] | None" = None,
    ) -> SubmissionOutcome:
        """Archive one return and record it with every value it contained.

        The same file again (same SHA-256) changes nothing. A different file
        for a service and period already recorded becomes current and the
        earlier one is marked superseded by it (still queryable). Inputs are
        checked before anything is written, and the writing is one
        transaction: a failure leaves the ledger as it was.
        """
        source_path = Path(source_path)
        sha256 = str(sha256).strip().lower()
        file_name = source_path.name
        label = require_period(period)
        service = _clean_text(service)
        if not service:
            raise LedgerError(f"{file_name}: no service given; the ledger files returns by service")
        indicators = _indicator_rows(indicator_values, file_name)
        actions = _action_rows(action_updates, file_name)
        received = _iso_datetime(received_at, file_name, "received time")
        approved_on = _iso_date(date_approved, file_name, "Date Approved")

        existing = self._submission_by_hash(sha256)
        if existing is not None:
            return self._duplicate(existing, sha256)

        archive_name = self._archive(source_path, sha256)
        submission = (
            sha256, file_name, archive_name, service, label.label, label.index, received,
            _now(), _clean_text(prepared_by), _clean_text(approved_by), approved_on, int(bool(late)),
        )
        try:
            with self._write() as conn:
                existing = self._submission_by_hash(sha256)
                if existing is not None:  # another process recorded it meanwhile
                    return self._duplicate(existing, sha256)
                new_id, previous = self._take_current_place(conn, service, label.index)
                self._insert_rows(conn, new_id, submission, indicators, actions, columns)
        except sqlite3.Error as exc:
            raise LedgerError(
                f"{file_name}: could not be recorded in the ledger ({exc}); nothing from it was "
                "recorded, so ingest it again once the cause is fixed"
            ) from exc
        return SubmissionOutcome(
            status=SUBMISSION_SUPERSEDES if previous is not None else SUBMISSION_NEW,
            submission_id=new_id,
            sha256=sha256,
            service=service,
            period=label,
            archive_path=self.archive_dir / archive_name,
            superseded_id=previous[0] if previous is not None else None,
            indicators_recorded=len(indicators),
            actions_recorded=len(actions),
        )


    @staticmethod
    def _take_current_place(conn, service: str, period_index: int) -> "tuple[int, tuple | None]":
        """Number the new submission and mark the one it replaces as superseded.

        Runs inside the caller's transaction, so a service and period never
        has two current submissions, and the earlier one stays queryable.
        Returns the new id and the superseded row (None when it is the first).
        """
        new_id = conn.execute(
            "SELECT coalesce(max(submission_id), 0) + 1 FROM submission"
        ).fetchone()[0]
        previous = conn.execute(
            "SELECT submission_id FROM submission "
            "WHERE service = ? AND period_index = ? AND superseded_by IS NULL",
            (service, period_index),
        ).fetchone()
        if previous is not None:
            conn.execute(
                "UPDATE submission SET superseded_by = ? WHERE submission_id = ?",
                (new_id, previous[0]),
            )
        return new_id, previous

    @staticmethod
    def _insert_rows(conn, new_id: int, submission: tuple, indicators: list, actions: list,
                     columns: "dict[str, dict[str, str]] | None") -> None:
        """Write the submission and everything it carried under one id.

        Runs inside the caller's transaction: a reader never sees a submission
        without its values, and a failure part-way leaves none of them.
        """
        conn.execute(
            "INSERT INTO submission (submission_id, sha256, file_name, archive_name, service, "
            "period, period_index, received_at, recorded_at, prepared_by, approved_by, "
            "date_approved, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new_id, *submission),
        )
        conn.executemany(
            "INSERT INTO indicator_value (submission_id, indicator_id, actual, "
            "forecast_year_end, commentary, corrective_action, data_note, sheet, "
            "actual_cell, forecast_cell, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(new_id, *row) for row in indicators],
        )
        conn.executemany(
            "INSERT INTO action_value (submission_id, action_id, progress, "
            "expected_end_date, completed_date, commentary, reason_for_delay, "
            "corrective_action, sheet, row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(new_id, *row) for row in actions],
        )
        conn.executemany(
            "INSERT INTO submission_column (submission_id, sheet, field, column_letter) "
            "VALUES (?, ?, ?, ?)",
            [
                (new_id, str(sheet), str(field), str(letter))
                for sheet, fields in (columns or {}).items()
                for field, letter in fields.items()
            ],
        )

    def import_history(
        self, history: pd.DataFrame, source: str, *, source_path: "Path | None" = None
    ) -> int:
        """Record pre-adoption actuals (SPEC §3 long table); return how many
        values were new or changed.

        Only values that differ from the current history figure for their
        indicator and period are written, so importing the same rows again
        (every ingest does) changes nothing, and a corrected history file
        supersedes just the figures it corrects. Blank actuals are skipped: a
        history table is a list of known figures. ``source_path``, when given,
        is archived like a return so history figures trace to a file too.
        """
        values = _history_rows(history, source)
        if not self._history_changes(values):
            return 0
        rows_sha256 = hashlib.sha256(
            "\n".join("\t".join(map(str, row)) for row in sorted(values.values())).encode()
        ).hexdigest()
        file_sha256 = archive_name = None
        if source_path is not None:
            file_sha256 = _file_sha256(Path(source_path))
            archive_name = self._archive(Path(source_path), file_sha256)
        try:
            with self._write() as conn:
                changed = self._history_changes(values)
                if not changed:
                    return 0
                import_id = conn.execute(
                    "INSERT INTO history_import (source, sha256, archive_name, rows_sha256, "
                    "imported_at, value_count) VALUES (?, ?, ?, ?, ?, ?)",
                    (str(source), file_sha256, archive_name, rows_sha256, _now(), len(changed)),
                ).lastrowid
                conn.executemany(
                    "UPDATE history_value SET superseded_by = ? WHERE indicator_id = ? "
                    "AND period_index = ? AND superseded_by IS NULL",
                    [(import_id, row[0], row[2]) for row in changed],
                )
                conn.executemany(
                    "INSERT INTO history_value (import_id, indicator_id, period, period_index, "
                    "actual, sheet, cell) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(import_id, *row) for row in changed],
                )
        except sqlite3.Error as exc:
            raise LedgerError(
                f"{source}: history could not be recorded in the ledger ({exc}); nothing from it "
                "was recorded"
            ) from exc
        return len(changed)

    def first_seen(self, sha256: str, file_name: str, now: "datetime | None" = None) -> datetime:
        """When the workbook first saw this exact file, recording ``now`` the
        first time it is asked; the same file again keeps its first time."""
        sha256 = str(sha256).strip().lower()
        stamp = (now or datetime.now()).replace(microsecond=0).isoformat()
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO file_seen (sha256, file_name, first_seen_at) VALUES (?, ?, ?)",
                (sha256, str(file_name), stamp),
            )
            row = conn.execute("SELECT first_seen_at FROM file_seen WHERE sha256 = ?", (sha256,)).fetchone()
        return datetime.fromisoformat(row[0])

    def record_problems(self, period: Period, problems: Iterable["Problem | dict"]) -> bool:
        """Keep one ingest run's data-quality list for ``period`` (``Problem``
        objects or their ``as_row()`` dicts); return whether anything was written.

        Every ingest re-reads the whole returns folder, so its list is complete
        and replaces the previous run's when read back (``problems``); earlier
        lists stay in the store. The same list again changes nothing.
        """
        label = require_period(period)
        rows = [_problem_row(problem) for problem in problems]
        with self._write() as conn:
            if self._latest_problems(label.index) == rows:
                return False
            run_id = conn.execute(
                "INSERT INTO problem_run (period, period_index, recorded_at, problem_count) "
                "VALUES (?, ?, ?, ?)",
                (label.label, label.index, _now(), len(rows)),
            ).lastrowid
            conn.executemany(
                "INSERT INTO problem (run_id, position, file, sheet, cell, id, problem, value) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(run_id, position, *row) for position, row in enumerate(rows)],
            )
        return True

    def cell_lookup(self, period: Period):
        """A function (file name, sheet, row, field) → A1 cell of that field in
        the period's current return, or "" where the column was not recorded."""
        rows = self._conn.execute(
            """
            SELECT s.file_name, c.sheet, c.field, c.column_letter
            FROM submission_column AS c JOIN submission AS s USING (submission_id)
            WHERE s.period_index = ? AND s.superseded_by IS NULL
            """,
            (require_period(period).index,),
        ).fetchall()
        letters = {(file, sheet, field.casefold()): letter for file, sheet, field, letter in rows}

        def cell_for(file: str, sheet: str, row: object, field: str) -> str:
            letter = letters.get((file, sheet, str(field).casefold()), "")
            if not letter or row is None or is_missing(row):
                return ""
            return f"{letter}{int(row)}"

        return cell_for

    def problems(self, period: Period, *, include_superseded: bool = False) -> pd.DataFrame:
        """The latest ingest run's data-quality rows for ``period`` (SPEC §10
        columns, in the order found); empty if the period was never ingested.

        Rows about a return a corrected copy has replaced are left out (the
        officer chases the current copy only) unless ``include_superseded``;
        they stay in the store for audit either way.
        """
        index = require_period(period).index
        rows = self._latest_problems(index)
        if not include_superseded:
            stale = self._superseded_files(index)
            rows = [row for row in rows if row[0] not in stale]
        return _frame(rows, DATA_QUALITY_COLUMNS, {})

    def _superseded_files(self, period_index: int) -> set[str]:
        """File names of the period's superseded returns that no current return shares."""
        names = {
            (name, current is None)
            for name, current in self._conn.execute(
                "SELECT file_name, superseded_by FROM submission WHERE period_index = ?", (period_index,)
            )
        }
        current = {name for name, is_current in names if is_current}
        return {name for name, is_current in names if not is_current} - current

    def _latest_problems(self, period_index: int) -> list[tuple]:
        return self._conn.execute(
            """
            SELECT file, sheet, cell, id, problem, value FROM problem
            WHERE run_id = (SELECT max(run_id) FROM problem_run WHERE period_index = ?)
            ORDER BY position
            """,
            (period_index,),
        ).fetchall()

    def _history_changes(self, values: dict[tuple[str, int], tuple]) -> list[tuple]:
        current = {
            (indicator, index): actual
            for indicator, index, actual in self._conn.execute(
                "SELECT indicator_id, period_index, actual FROM history_value WHERE superseded_by IS NULL"
            )
        }
        return [row for key, row in values.items() if current.get(key) != row[3]]

    def _submission_by_hash(self, sha256: str) -> "tuple | None":
        return self._conn.execute(
            "SELECT submission_id, service, period_index, archive_name FROM submission WHERE sha256 = ?",
            (sha256,),
        ).fetchone()

    def _duplicate(self, existing: tuple, sha256: str) -> SubmissionOutcome:
        submission_id, service, period_index, archive_name = existing
        return SubmissionOutcome(
            status=SUBMISSION_DUPLICATE, submission_id=submission_id, sha256=sha256,
            service=service, period=Period.from_index(period_index), archive_path=self.archive_dir / archive_name,
        )

    def _archive(self, source_path: Path, sha256: str) -> str:
        """Copy the raw file to ``<sha256><suffix>`` unless it is already
        there, and return that name (relative, so the workbook folder can move).

        The copy is written under a temporary name, checked and then renamed,
        so the archive never holds a partial file under a real name. A file
        already archived under the name is checked, never replaced.
        """
        name = f"{sha256}{source_path.suffix.lower()}"
        target = self.archive_dir / name
        try:
            content = source_path.read_bytes()
        except OSError as exc:
            raise LedgerError(f"{source_path}: cannot be read to archive it ({exc})") from exc
        if hashlib.sha256(content).hexdigest() != sha256:
            raise LedgerError(
                f"{source_path.name}: its SHA-256 is not {sha256}; the file changed after it "
                "was read, so ingest it again"
            )
        if target.exists():
            if _file_sha256(target) != sha256:
                raise LedgerError(
                    f"{target}: the archived copy no longer matches its name (it has been "
                    "altered); restore it from backup, the ledger will not overwrite it"
                )
            return name
        handle = tempfile.NamedTemporaryFile(
            dir=self.archive_dir, prefix=f".{sha256[:12]}-", suffix=".part", delete=False
        )
        temporary = Path(handle.name)
        try:
            with handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            if _file_sha256(temporary) != sha256:
                raise LedgerError(f"{target}: the archive copy did not match the original; disk problem?")
            # Safe even if another process archived the same file meanwhile:
            # both copies hold the same verified bytes.
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        return name

    # --- reading ------------------------------------------------------------------
    def actuals(self, up_to: "Period | None" = None) -> pd.DataFrame:
        """Every current actual, oldest period first per indicator (the long
        table of docs/DESIGN.md "Period values"), up to and including
        ``up_to`` when given (by quarter order, not by label text)."""
        rows = self._current_actuals(up_to=_period_index(up_to))
        return _frame([row[:8] for row in rows], ACTUALS_COLUMNS, _ACTUALS_KINDS)

    def provenance(self, indicator_id: str, period: Period) -> dict[str, Any]:
        """Where the current actual for one indicator and period came from:
        the file, sheet and cell, the file's SHA-256 and archived copy, when
        it was received and who approved it."""
        label = require_period(period)
        rows = self._current_actuals(period=label.index, indicator=str(indicator_id))
        if not rows:
            raise NotInLedger(f"No actual is recorded for {indicator_id} in {label.label}")
        (indicator, period_label, actual, _forecast, source, sheet, cell, submission_id,
         file_name, sha256, received_at, archive_name, service, approved_by) = rows[0]
        return {
            "indicator_id": indicator,
            "period": Period.parse(period_label),
            "actual": actual,
            "source": source,
            "file": file_name,
            "sheet": sheet,
            "cell": cell,
            "sha256": sha256,
            "received_at": datetime.fromisoformat(received_at),
            "submission_id": submission_id,
            "service": service,
            "approved_by": approved_by,
            "archive_path": self.archive_dir / archive_name if archive_name else None,
        }

    def figure_sources(self, up_to: "Period | None" = None) -> pd.DataFrame:
        """Where every current actual came from, one row per indicator and
        period (oldest first): the open data's provenance columns (SPEC §10
        ``Source`` … ``Approved By``) and, for the site's indicator pages, the
        service, when it was approved and received, and the archived copy.

        ``Source`` is the return's file name or ``history``; ``Approved By`` is
        empty for history, which nobody approved in a return."""
        rows = self._current_actuals(up_to=_period_index(up_to))
        approved_on = dict(self._conn.execute("SELECT submission_id, date_approved FROM submission"))
        records = []
        for (indicator, period_label, actual, forecast, source, sheet, cell, submission_id,
             file_name, sha256, received_at, archive_name, service, approved_by) in rows:
            history = submission_id is None
            records.append({
                "Indicator ID": indicator, "Period": period_label, "Actual": actual,
                "Forecast Year-End": forecast,
                "Source": HISTORY_SOURCE if history else file_name,
                "Source Sheet": sheet or "", "Source Cell": cell or "",
                "Source SHA-256": sha256 or "", "Approved By": "" if history else (approved_by or ""),
                "Source Service": "" if history else service,
                "Date Approved": "" if history else (approved_on.get(submission_id) or ""),
                "Received": received_at or "",
                "Source File": file_name or "",
                "Archive Path": str(self.archive_dir / archive_name) if archive_name else "",
            })
        columns = ("Indicator ID", "Period", "Actual", "Forecast Year-End", "Source", "Source Sheet",
                   "Source Cell", "Source SHA-256", "Approved By", "Source Service", "Date Approved",
                   "Received", "Source File", "Archive Path")
        return pd.DataFrame(records, columns=list(columns))

    def _current_actuals(self, *, up_to=None, period=None, indicator=None) -> list[tuple]:
        params = {"up_to": up_to, "period": period, "indicator": indicator, "history": HISTORY_SOURCE}
        return self._conn.execute(_CURRENT_ACTUALS, params).fetchall()

    def indicator_returns(self, period: Period) -> pd.DataFrame:
        """This period's current indicator returns with commentary and where
        each row came from; one row per indicator (if two services returned the
        same indicator, the later-recorded return counts)."""
        rows = self._conn.execute(
            """
            SELECT indicator_id, actual, forecast_year_end, commentary, corrective_action,
                   data_note, service, file_name, sheet, actual_cell, forecast_cell, row,
                   submission_id
            FROM (SELECT v.*, s.service, s.file_name, row_number() OVER (
                      PARTITION BY v.indicator_id ORDER BY s.submission_id DESC) AS rank
                  FROM indicator_value AS v JOIN submission AS s USING (submission_id)
                  WHERE s.period_index = ? AND s.superseded_by IS NULL)
            WHERE rank = 1 ORDER BY indicator_id
            """,
            (require_period(period).index,),
        ).fetchall()
        return _frame(rows, LEDGER_INDICATOR_RETURN_COLUMNS, _INDICATOR_RETURN_KINDS)

    def action_returns(self, period: Period) -> pd.DataFrame:
        """This period's current action updates, one row per action, with provenance."""
        rows = self._conn.execute(
            """
            SELECT action_id, progress, expected_end_date, completed_date, commentary,
                   reason_for_delay, corrective_action, service, file_name, sheet, row,
                   submission_id
            FROM (SELECT a.*, s.service, s.file_name, row_number() OVER (
                      PARTITION BY a.action_id ORDER BY s.submission_id DESC) AS rank
                  FROM action_value AS a JOIN submission AS s USING (submission_id)
                  WHERE s.period_index = ? AND s.superseded_by IS NULL)
            WHERE rank = 1 ORDER BY action_id
            """,
            (require_period(period).index,),
        ).fetchall()
        return _frame(rows, LEDGER_ACTION_RETURN_COLUMNS, _ACTION_RETURN_KINDS)

    def latest_action_returns(self, period: Period) -> pd.DataFrame:
        """Each action's most recent update at or before ``period``.

        Why: a template leaves off actions already Delivered or no longer
        viable, so their last word (and its dates) must carry forward; without
        it a finished action would look overdue. Same columns as
        ``action_returns``; an update from this period wins.
        """
        rows = self._conn.execute(
            """
            SELECT action_id, progress, expected_end_date, completed_date, commentary,
                   reason_for_delay, corrective_action, service, file_name, sheet, row,
                   submission_id
            FROM (SELECT a.*, s.service, s.file_name, row_number() OVER (
                      PARTITION BY a.action_id ORDER BY s.period_index DESC, s.submission_id DESC) AS rank
                  FROM action_value AS a JOIN submission AS s USING (submission_id)
                  WHERE s.period_index <= ? AND s.superseded_by IS NULL)
            WHERE rank = 1 ORDER BY action_id
            """,
            (require_period(period).index,),
        ).fetchall()
        return _frame(rows, LEDGER_ACTION_RETURN_COLUMNS, _ACTION_RETURN_KINDS)

    def submissions(
        self, period: "Period | None" = None, include_superseded: bool = True
    ) -> pd.DataFrame:
        """Every file recorded (for ``period`` when given), in the order recorded."""
        rows = self._conn.execute(
            """
            SELECT s.submission_id, s.file_name, s.sha256, s.service, s.period, s.received_at,
                   s.recorded_at, s.prepared_by, s.approved_by, s.date_approved, s.late,
                   s.superseded_by, s.archive_name,
                   (SELECT count(*) FROM indicator_value AS v WHERE v.submission_id = s.submission_id),
                   (SELECT count(*) FROM action_value AS a WHERE a.submission_id = s.submission_id)
            FROM submission AS s
            WHERE (:period IS NULL OR s.period_index = :period)
              AND (:all OR s.superseded_by IS NULL)
            ORDER BY s.submission_id
            """,
            {"period": _period_index(period), "all": int(bool(include_superseded))},
        ).fetchall()
        rows = [(*row[:12], str(self.archive_dir / row[12]), *row[13:]) for row in rows]
        return _frame(rows, SUBMISSION_COLUMNS, _SUBMISSION_KINDS)

    def changes(self, period: Period) -> pd.DataFrame:
        """The audit trail for a period: for each return that superseded an
        earlier one, every figure or text that differs, old and new.

        A row present in only one of the two returns counts as blank in the
        other. Values are shown as text (numbers plain, dates ISO) because
        one column holds figures, dates and words.
        """
        pairs = self._conn.execute(
            """
            SELECT old.submission_id, new.submission_id, new.service, old.file_name,
                   new.file_name, new.received_at, new.approved_by
            FROM submission AS old JOIN submission AS new ON old.superseded_by = new.submission_id
            WHERE old.period_index = ?
            ORDER BY new.submission_id
            """,
            (require_period(period).index,),
        ).fetchall()
        rows = []
        for old_id, new_id, service, old_file, new_file, changed_at, approved_by in pairs:
            for kind, query, fields in (
                (CHANGE_KIND_INDICATOR, _INDICATOR_FIGURES, _INDICATOR_FIELDS),
                (CHANGE_KIND_ACTION, _ACTION_FIGURES, _ACTION_FIELDS),
            ):
                old = self._figures(query, old_id)
                new = self._figures(query, new_id)
                blank = (None,) * len(fields)
                for item in sorted(old.keys() | new.keys()):
                    before, after = old.get(item, blank), new.get(item, blank)
                    for label, was, now in zip(fields, before, after):
                        if _as_text(was) != _as_text(now):
                            rows.append((
                                service, kind, item, label, _as_text(was), _as_text(now),
                                old_file, new_file, changed_at, approved_by,
                            ))
        return _frame(rows, CHANGE_COLUMNS, _CHANGE_KINDS)

    def _figures(self, query: str, submission_id: int) -> dict[str, tuple]:
        return {row[0]: row[1:] for row in self._conn.execute(query, (submission_id,))}


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception (including a
    KeyboardInterrupt), so no half-recorded submission is ever committed."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self._conn.execute("BEGIN IMMEDIATE")
        return self._conn

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is None:
            try:
                self._conn.execute("COMMIT")  # deferred checks run here and may refuse
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
        elif self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
