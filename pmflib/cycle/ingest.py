"""``pmf ingest``: the returns that came back → the ledger, plus every problem found.

Each file is read once; a file that cannot be used never stops the others,
and a bad cell never stops the good cells of its file (the reader keeps them).
What is accepted goes into the ledger, so nothing is lost and later runs
never re-read old workbooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from pmflib.core.constants import REPORTING_QUARTERS
from pmflib.core.errors import Problem
from pmflib.core.periods import Period

#: Files in a returns folder that are not returns: Office lock files, hidden files.
_IGNORED_PREFIXES = ("~$", ".", ".~lock")


@dataclass
class IngestResult:
    period: Period
    problems: list[Problem] = field(default_factory=list)
    recorded: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    late: list[str] = field(default_factory=list)


def return_files(folder: Path) -> list[Path]:
    """The files dropped into a period's returns folder, in name order."""
    if not folder.exists():
        return []
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.name.startswith(_IGNORED_PREFIXES)
    )


def services_due(register, period: Period) -> list[str]:
    """Services that owe a return this period: they have an indicator due or an action."""
    indicators = register.indicators
    due = indicators[[period.quarter in REPORTING_QUARTERS[f] for f in indicators["Frequency"]]]
    services = set(due["Service"]) | set(register.actions["Service"])
    return sorted(s for s in services if s)


def late_problem(file: str, service: str, received: datetime, deadline: datetime) -> Problem:
    return Problem(
        file=file, sheet="Sign-off", cell="", id=service,
        problem=(
            f"Late return: received {received:%d/%m/%Y %H:%M}, after the deadline "
            f"{deadline:%d/%m/%Y %H:%M}"
        ),
        value=received.isoformat(timespec="minutes"),
    )


def missing_return_problem(service: str, period: Period, deadline: datetime, owners: str) -> Problem:
    return Problem(
        file="", sheet="", cell="", id=service,
        problem=(
            f"No return received from {service} for {period.label} (due {deadline:%d/%m/%Y %H:%M}): "
            f"chase {owners}"
        ),
        value="",
    )


def owners_of(register, service: str) -> str:
    """Who to chase for a service: its indicator owners, then escalation owners."""
    rows = register.indicators[register.indicators["Service"] == service]
    owners = sorted(set(rows["Owner"]) - {""})
    escalation = sorted(set(rows["Escalation Owner"]) - {""} - set(owners))
    text = ", ".join(owners) or "the service manager"
    if escalation:
        text += f" (escalation: {', '.join(escalation)})"
    return text


def ingest_period(workbook, period: Period, register, ledger, *, now: datetime | None = None) -> IngestResult:
    """Read every return for ``period`` into ``ledger``; collect every problem."""
    from pmflib.inputs.register import read_history
    from pmflib.inputs.returns import read_return

    result = IngestResult(period=period)
    history_path = workbook.history_path
    if history_path is not None:
        history, problems = read_history(history_path, register)
        ledger.import_history(history, source=history_path.name)
        result.problems.extend(problems)

    deadline = workbook.deadline(period)
    for path in return_files(workbook.returns_dir(period)):
        returned = read_return(path, register, period)
        result.problems.extend(returned.problems)
        usable = (
            returned.service
            and (returned.period is None or returned.period == period)
            and (len(returned.indicators) or len(returned.actions))
        )
        if not usable:
            result.rejected.append(path.name)
            continue
        received = datetime.fromtimestamp(path.stat().st_mtime)
        late = received > deadline
        outcome = ledger.record_submission(
            source_path=path,
            sha256=returned.sha256,
            service=returned.service,
            period=period.label,
            received_at=received,
            prepared_by=returned.prepared_by or "",
            approved_by=returned.approved_by or "",
            date_approved=returned.date_approved,
            indicator_values=returned.indicators,
            action_updates=returned.actions,
            late=late,
            columns=returned.columns,
        )
        (result.duplicates if _is_duplicate(outcome) else result.recorded).append(path.name)
        if late:
            result.late.append(path.name)
            result.problems.append(late_problem(path.name, returned.service, received, deadline))

    current = ledger.submissions(period.label, include_superseded=False)
    received_services = set(current["Service"]) if len(current) else set()
    for service in services_due(register, period):
        if service not in received_services:
            result.problems.append(
                missing_return_problem(service, period, deadline, owners_of(register, service))
            )
    return result


def _is_duplicate(outcome) -> bool:
    text = str(getattr(outcome, "status", outcome)).lower()
    return "duplicate" in text


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    from pmflib.core.constants import DATA_QUALITY_COLUMNS

    rows = [p.as_row() for p in problems]
    return pd.DataFrame(rows, columns=list(DATA_QUALITY_COLUMNS)).astype("str") if rows else pd.DataFrame(
        {c: pd.Series(dtype="str") for c in DATA_QUALITY_COLUMNS}
    )
