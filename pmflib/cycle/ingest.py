"""``pmf ingest``: the returns that came back → the ledger, plus every problem found.

Each file is read once; a file that cannot be used never stops the others,
and a bad cell never stops the good cells of its file (the reader keeps them).
What is accepted goes into the ledger, so nothing is lost and later runs
never re-read old workbooks: a file whose SHA-256 the ledger already holds
for the period is not parsed again, and its problems from the last ingest
are carried forward. New files are read in an isolated worker process
(``pmflib.inputs.worker``), so even a file that kills the reader costs only
itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from pmflib.core.constants import REPORTING_QUARTERS
from pmflib.core.errors import Problem
from pmflib.core.periods import Period
from pmflib.store.ledger import LedgerError

#: Files in a returns folder that are not returns: Office lock files, hidden files.
_IGNORED_PREFIXES = ("~$", ".", ".~lock")

#: The officer's optional record of when each return really arrived, beside the returns.
RECEIVED_FILE = "received.csv"
RECEIVED_COLUMNS = ("File", "Received")

_RECEIVED_FORMATS = (
    ("%d/%m/%Y %H:%M", True), ("%d/%m/%Y", False),
    ("%Y-%m-%dT%H:%M:%S", True), ("%Y-%m-%dT%H:%M", True), ("%Y-%m-%d %H:%M:%S", True),
    ("%Y-%m-%d %H:%M", True), ("%Y-%m-%d", False),
)


@dataclass(frozen=True)
class Arrival:
    """When a return arrived and how that is known, for the late verdict and its wording."""
    at: datetime
    has_time: bool
    basis: str  # "received.csv" or "first seen"

    def describe(self) -> str:
        when = f"{self.at:%d/%m/%Y %H:%M}" if self.has_time else f"{self.at:%d/%m/%Y}"
        if self.basis == RECEIVED_FILE:
            return f"received {when} per {RECEIVED_FILE}"
        return f"first seen by the workbook {when}"

    def after(self, deadline: datetime) -> bool:
        """Late? A date without a time is late only if the day is after the deadline's day."""
        return self.at > deadline if self.has_time else self.at.date() > deadline.date()


def parse_received_time(text: str) -> tuple[datetime, bool] | None:
    """A received time typed UK-style (dd/mm/yyyy [HH:MM]) or ISO; None if neither."""
    text = str(text).strip()
    for fmt, has_time in _RECEIVED_FORMATS:
        try:
            return datetime.strptime(text, fmt), has_time
        except ValueError:
            continue
    return None


def parse_received(rows: list[list[str]]) -> tuple[dict[str, Arrival], list[Problem]]:
    """received.csv rows (header first) → arrival per file name, and a problem per bad row.

    Pure: the caller reads the file. Column letters and row numbers are those
    the officer sees when opening the CSV in Excel.
    """
    problems: list[Problem] = []
    if not rows:
        return {}, problems
    header = [h.strip().casefold() for h in rows[0]]
    try:
        file_col, when_col = (header.index(c.casefold()) for c in RECEIVED_COLUMNS)
    except ValueError:
        return {}, [Problem(
            file=RECEIVED_FILE, sheet="", cell="A1", id="",
            problem=f"{RECEIVED_FILE} needs the headers File and Received in row 1 "
                    f"(found: {', '.join(rows[0]) or 'nothing'})",
            value=",".join(rows[0]),
        )]
    letter = lambda col: chr(ord("A") + col)  # noqa: E731 — two columns, never past Z
    arrivals: dict[str, Arrival] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = list(row) + [""] * 2
        name, when = cells[file_col].strip(), cells[when_col].strip()
        if not name and not when:
            continue
        if not name:
            problems.append(Problem(file=RECEIVED_FILE, sheet="", cell=f"{letter(file_col)}{number}", id="",
                                    problem=f"{RECEIVED_FILE} row {number}: no file name — type the return's file name",
                                    value=when))
            continue
        parsed = parse_received_time(when)
        if parsed is None:
            problems.append(Problem(
                file=RECEIVED_FILE, sheet="", cell=f"{letter(when_col)}{number}", id=name,
                problem=f"{RECEIVED_FILE} row {number}: '{when}' is not a received time — type it as "
                        "dd/mm/yyyy or dd/mm/yyyy HH:MM",
                value=when,
            ))
            continue
        arrivals[name] = Arrival(parsed[0], parsed[1], RECEIVED_FILE)
    return arrivals, problems


def read_received(folder: Path) -> tuple[dict[str, Arrival], list[Problem]]:
    """The returns folder's received.csv, if the officer keeps one."""
    import csv

    path = folder / RECEIVED_FILE
    if not path.is_file():
        return {}, []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return parse_received([row for row in csv.reader(handle)])


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
        if p.is_file() and not p.name.startswith(_IGNORED_PREFIXES) and p.name.lower() != RECEIVED_FILE
    )


def services_due(register, period: Period) -> list[str]:
    """Services that owe a return this period: they have an indicator due or an action."""
    indicators = register.indicators
    due = indicators[[period.quarter in REPORTING_QUARTERS[f] for f in indicators["Frequency"]]]
    services = set(due["Service"]) | set(register.actions["Service"])
    return sorted(s for s in services if s)


def late_problem(file: str, service: str, received: "Arrival | datetime", deadline: datetime) -> Problem:
    """The late verdict, saying which time it used (received.csv or first seen)."""
    if isinstance(received, datetime):
        received = Arrival(received, True, "first seen")
    return Problem(
        file=file, sheet="Sign-off", cell="", id=service,
        problem=f"Late return: {received.describe()}, after the deadline {deadline:%d/%m/%Y %H:%M}",
        value=received.at.isoformat(timespec="minutes"),
    )


def unreadable_problem(file: str, error: OSError) -> Problem:
    """A return that vanished or was locked while it was read: what to do about it."""
    why = getattr(error, "strerror", None) or str(error)
    return Problem(
        file, "", "",
        f"{file} could not be read ({why}): it was moved or deleted while being read, or another program "
        "has it open (close it in Excel), then run ingest again; the other returns were read",
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

    result = IngestResult(period=period)
    history_path = workbook.history_path
    if history_path is not None:
        history, problems = read_history(history_path, register)
        ledger.import_history(history, source=history_path.name)
        result.problems.extend(problems)

    deadline = workbook.deadline(period)
    arrivals, received_problems = read_received(workbook.returns_dir(period))
    result.problems.extend(received_problems)

    def arrival_of(path: Path, sha256: str) -> Arrival:
        # The officer's record first; else when the ledger first saw this exact
        # file — never the modification time, which is when it was saved.
        return arrivals.get(path.name) or Arrival(ledger.first_seen(sha256, path.name, now), True, "first seen")

    earlier = ledger.problems(period)
    with _reader(register) as read:
        for path in return_files(workbook.returns_dir(period)):
            try:
                _ingest_file(path, period, deadline, read, ledger, earlier, result, arrival_of)
            except OSError as exc:
                # Moved, deleted or locked between listing and reading: that file only.
                result.rejected.append(path.name)
                result.problems.append(unreadable_problem(path.name, exc))

    current = ledger.submissions(period, include_superseded=False)
    received_services = set(current["Service"]) if len(current) else set()
    for service in services_due(register, period):
        if service not in received_services:
            result.problems.append(
                missing_return_problem(service, period, deadline, owners_of(register, service))
            )
    return result


class _InProcess:
    """``read(path, period)`` in this process (PMF_READ_IN_PROCESS=1)."""

    def __init__(self, register) -> None:
        self.register = register

    def __enter__(self):
        from pmflib.inputs.returns import read_return

        return lambda path, period: read_return(path, self.register, period)

    def __exit__(self, *exc_info) -> None:
        pass


class _Isolated:
    def __init__(self, register) -> None:
        from pmflib.inputs.worker import ReturnReader

        self.reader = ReturnReader(register)

    def __enter__(self):
        return self.reader.read

    def __exit__(self, *exc_info) -> None:
        self.reader.close()


def _reader(register):
    from pmflib.inputs.worker import in_process

    return _InProcess(register) if in_process() else _Isolated(register)


def _carried_forward(earlier: pd.DataFrame, recorded_name: str, name: str) -> list[Problem]:
    """The last ingest's problems of a file not parsed again (late is recomputed)."""
    if not len(earlier):
        return []
    rows = earlier[earlier["File"] == recorded_name]
    return [
        Problem(name, r["Sheet"], r["Cell"], r["Problem"], r["Value"], r["ID"])
        for _, r in rows.iterrows() if not str(r["Problem"]).startswith("Late return:")
    ]


def _ingest_file(path: Path, period: Period, deadline, read, ledger, earlier, result: IngestResult,
                 arrival_of) -> None:
    from pmflib.inputs.returns import file_sha256

    from pmflib.inputs.preflight import MACRO_SUFFIXES

    sha256 = file_sha256(path)
    if not sha256:
        raise FileNotFoundError(f"{path.name} could not be read")
    known = ledger.recorded_file(sha256)
    # A macro workbook is refused even when its bytes match a recorded .xlsx.
    if known is not None and known["period"] == period and path.suffix.lower() not in MACRO_SUFFIXES:
        # Already in the ledger: the same file again changes nothing, so it is not parsed.
        result.problems.extend(_carried_forward(earlier, known["file_name"], path.name))
        result.duplicates.append(path.name)
        _note_late(path, known["service"], arrival_of(path, sha256), deadline, result)
        return
    returned = read(path, period)
    result.problems.extend(returned.problems)
    usable = (
        returned.service
        and (returned.period is None or returned.period == period)
        and (len(returned.indicators) or len(returned.actions))
    )
    if not usable:
        result.rejected.append(path.name)
        return
    arrival = arrival_of(path, returned.sha256)
    late = arrival.after(deadline)
    try:
        outcome = _record(ledger, path, period, arrival.at, late, returned)
    except LedgerError as exc:
        result.rejected.append(path.name)
        result.problems.append(Problem(path.name, "", "", f"{path.name} was not recorded: {exc}"))
        return
    (result.duplicates if _is_duplicate(outcome) else result.recorded).append(path.name)
    if late:
        result.late.append(path.name)
        result.problems.append(late_problem(path.name, returned.service, arrival, deadline))


def _record(ledger, path: Path, period: Period, received: datetime, late: bool, returned):
    return ledger.record_submission(
        source_path=path,
        sha256=returned.sha256,
        service=returned.service,
        period=period,
        received_at=received,
        prepared_by=returned.prepared_by or "",
        approved_by=returned.approved_by or "",
        date_approved=returned.date_approved,
        indicator_values=returned.indicators,
        action_updates=returned.actions,
        late=late,
        columns=returned.columns,
    )


def _note_late(path: Path, service: str, arrival: Arrival, deadline, result: IngestResult) -> None:
    if arrival.after(deadline):
        result.late.append(path.name)
        result.problems.append(late_problem(path.name, service, arrival, deadline))


def _is_duplicate(outcome) -> bool:
    text = str(getattr(outcome, "status", outcome)).lower()
    return "duplicate" in text

