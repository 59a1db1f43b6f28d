"""The period's computation handed from ``pmf run`` to its report notebooks.

Every report notebook needs the same ``PeriodResult`` (statuses, SPC for every
indicator, data quality); for a large council computing it takes seconds, and
``pmf run`` has already done it. So the run leaves the result in its own
staging folder and each notebook's ``reportkit.prepare`` picks it up instead
of computing it again: once per run, not once per report (issue 12).

The hand-off is only trusted when it is unmistakably this run's: it lives in
the run's private staging folder (never published: ``pmf run`` removes it
before publishing), and it names the workbook, the period and the size and
modification time of the register and ledger it was computed from. If any
of those differ (an analyst re-ingested, edited the register, or runs the
notebook by hand), it is ignored and the period is computed as before.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from pmflib.inputs.files import atomic_write, file_stamp
from pmflib.core.periods import Period

#: In the run's staging folder; the leading dot keeps it out of the site.
HANDOFF_NAME = ".pmf-period-result.pickle"
_VERSION = 1


def _key(wb, period: Period) -> dict:
    """What the result was computed from: if any of it changes, recompute."""
    return {
        "version": _VERSION,
        "workbook": str(Path(wb.root).resolve()),
        "period": period.label,
        "register": file_stamp(wb.register_path),
        "ledger": file_stamp(wb.ledger_path),
    }


def save_result(result, wb, folder: Path) -> Path:
    """Leave ``result`` in ``folder`` (the run's staging folder) for the notebooks."""
    path = Path(folder) / HANDOFF_NAME
    atomic_write(path, pickle.dumps((_key(wb, result.period), result), protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_result(wb, period: Period, folder: Path | None):
    """This run's ``PeriodResult`` for ``period`` if ``folder`` holds a current
    one, else None (the caller computes it)."""
    if not folder:
        return None
    path = Path(folder) / HANDOFF_NAME
    if not path.is_file():
        return None
    try:
        with open(path, "rb") as stream:
            key, result = pickle.load(stream)
    except Exception:  # noqa: BLE001 — a damaged hand-off only costs the recomputation
        return None
    return result if key == _key(wb, period) else None


def remove_result(folder: Path) -> None:
    """Take the hand-off out of the staging folder before it is published."""
    (Path(folder) / HANDOFF_NAME).unlink(missing_ok=True)
