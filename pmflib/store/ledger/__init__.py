"""The ledger: an embedded SQLite store of every return the workbook has accepted.

Why a store rather than re-reading old workbooks: a council with five years of
quarterly returns would otherwise re-open hundreds of files every run, and a
figure in the open data could not be traced back to the file, sheet and cell
it came from once that file had been edited or lost. So every ingested file is

* archived unchanged under its SHA-256 (``<archive>/<sha256><suffix>``);
* recorded once: the same file ingested again changes nothing;
* superseded, never overwritten, by a later return from the same service for
  the same period, so "who changed which figure, from what, when" stays
  answerable (``changes``);
* read back as tables the rule modules take (``actuals``,
  ``indicator_returns``, ``action_returns``), each figure carrying its
  ``Source``, ``Sheet`` and ``Cell``;
* kept with each ingest run's data-quality list (``record_problems``,
  ``problems``), so reports can be rebuilt from the store alone.

History from before the tool was adopted (SPEC §3) goes into the same store
and counts only where no return gives a value for that indicator and period.

Nothing is ever deleted or edited in place: triggers in the schema refuse any
DELETE and any UPDATE except marking a row superseded once. Each recording is
one SQLite transaction, and the archive copy is written under a temporary name
and renamed, so a crash mid-ingest leaves either the whole submission or none
of it (at most an archive file with no ledger row, which the next attempt
verifies and reuses).

The API takes plain DataFrames and simple values, so it does not depend on
how a return or the history table was read (``returns.py``, ``register.py``).


The code is split by job into the modules of this package; every name is
importable from ``pmflib.store.ledger`` as before.
"""

from pmflib.store.ledger.errors import (  # noqa: F401
    LedgerError,
    NotInLedger,
)
from pmflib.store.ledger.records import (  # noqa: F401
    Ledger,
    SubmissionOutcome,
    _Transaction,
)
from pmflib.store.ledger.rows import (  # noqa: F401
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
    _ids,
    _indicator_rows,
    _iso_date,
    _iso_datetime,
    _now,
    _numbers,
    _period_index,
    _problem_row,
    _require,
    _rows,
    _texts,
)
from pmflib.store.ledger.schema import (  # noqa: F401
    _ACTION_FIELDS,
    _ACTION_FIGURES,
    _APPEND_ONLY,
    _CURRENT_ACTUALS,
    _INDICATOR_FIELDS,
    _INDICATOR_FIGURES,
    _MIGRATIONS,
    _SCHEMA_V1,
    _SCHEMA_V2,
    _SCHEMA_V3,
    SCHEMA_VERSION,
)
