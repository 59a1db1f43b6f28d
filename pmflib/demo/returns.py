"""Fill the demo council's return templates the way its services would.

The demo has to exercise the whole cycle, including the part councils spend
most time on: chasing what came back wrong. So the latest quarter's returns
carry one of each imperfection SPEC §4 and §8 name (late, unapproved, missing,
a Red KPI with no commentary, a long-slipped action with no reason, values
that are not numbers, an unknown ID, a duplicate row) alongside messy but
valid typing the reader must accept (``1,234`` as text, ``12%`` typed in
Excel, a date typed as text). Every planted cell is recorded in a manifest,
so tests check the data-quality report finds exactly what was planted,
rather than trusting the reader's own output.

Templates are filled by finding header rows and columns by their labels, as
the reader does, never by fixed positions: the demo must keep working if the
template layout moves. Everything is deterministic (no randomness): the same
council gives the same files, names and modification times.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from pmflib.core import constants as C
from pmflib.rules import status
from pmflib.core.errors import ConfigError
from pmflib.core.headers import header_key
from pmflib.core.periods import Period
from pmflib.core.tolerance import parse_tolerance

#: How far past the target the Red KPI is pushed when the demo's own data has
#: no KPI that is clearly Red: well beyond any sensible amber band.
_FORCED_RED_SHORTFALL = 0.3
#: A shortfall (relative to the target) that is Red whatever the register's tolerance.
_CLEARLY_RED = -0.2
#: Months past the baseline end date for the planted slipped action (more than 3).
_PLANTED_SLIPPAGE_MONTHS = 5
_NOT_A_NUMBER = "£3.2m"
_NO_VALUE = "n/a"
_UNKNOWN_ID = "LOCAL-01"
_UNKNOWN_NAME = "Local measure: missed bin collections per 100,000"
#: File names services give their returns, in turn ({short}: first word of the service).
_FILE_NAMES = (
    "{short} return {quarter} FINAL.xlsx",
    "{short} PMF return {year} {quarter}.xlsx",
    "Copy of {template}",
    "{short} - performance return {quarter} v2.xlsx",
    "{service} {quarter} return (signed off).xlsx",
)


# --- finding things in a template by label ---------------------------------------------
def _norm(value: object) -> str:
    """A word as typed in the register (Y/N, a baseline word, a Type), trimmed and any case."""
    return str(value).strip().casefold() if value is not None else ""


def _label(value: object) -> str:
    """A heading or Sign-off label as the reader compares it (``core.headers``)."""
    return header_key(value) if value is not None else ""


@dataclass
class _Table:
    """One sheet's table: header row, column of each label, row of each ID."""

    ws: Worksheet
    header_row: int
    columns: dict[str, int]
    rows: dict[str, int] = field(default_factory=dict)

    def cell(self, row: int, label: str):
        return self.ws.cell(row=row, column=self.columns[label])

    @property
    def next_row(self) -> int:
        return max([self.header_row, *self.rows.values()]) + 1


def _find_table(ws: Worksheet, labels: tuple[str, ...], id_label: str, file: str) -> _Table:
    """Locate the header row by its labels in the first rows, as the reader does."""
    wanted = {_label(label): label for label in labels}
    for row in range(1, C.HEADER_SEARCH_ROWS + 1):
        found = {}
        for cell in ws[row]:
            if _label(cell.value) in wanted:
                found[wanted[_label(cell.value)]] = cell.column
        if len(found) == len(labels):
            table = _Table(ws, row, found)
            for r in range(row + 1, ws.max_row + 1):
                value = ws.cell(row=r, column=found[id_label]).value
                if value not in (None, ""):
                    table.rows[str(value).strip()] = r
            return table
    raise ConfigError(
        f"{file} [{ws.title}]: no header row with {', '.join(labels)} in the first "
        f"{C.HEADER_SEARCH_ROWS} rows; is this a return template?"
    )


def _find_signoff(ws: Worksheet, file: str) -> dict[str, int]:
    """The row of each Sign-off label (labels in column A, values in column B)."""
    wanted = {_label(label): label for label in C.RETURN_SIGNOFF_LABELS}
    rows = {wanted[_label(c.value)]: c.row for c in ws["A"] if _label(c.value) in wanted}
    missing = [label for label in C.RETURN_SIGNOFF_LABELS if label not in rows]
    if missing:
        raise ConfigError(f"{file} [{ws.title}]: column A has no {', '.join(missing)} label")
    return rows


@dataclass
class _Return:
    """One service's template, open for filling."""

    service: str
    template: Path
    wb: Workbook
    indicators: _Table
    actions: _Table
    signoff: dict[str, int]
    file_name: str = ""
    received: datetime | None = None
    approved: bool = True

    @property
    def signoff_ws(self) -> Worksheet:
        return self.wb[C.RETURN_SIGNOFF_SHEET]


def _open_template(path: Path) -> _Return:
    wb = load_workbook(path)
    for sheet in (C.RETURN_INDICATORS_SHEET, C.RETURN_ACTIONS_SHEET, C.RETURN_SIGNOFF_SHEET):
        if sheet not in wb.sheetnames:
            raise ConfigError(f"{path.name}: has no '{sheet}' sheet; is this a return template?")
    signoff = _find_signoff(wb[C.RETURN_SIGNOFF_SHEET], path.name)
    service = wb[C.RETURN_SIGNOFF_SHEET].cell(row=signoff["Service"], column=2).value
    return _Return(
        service=str(service or "").strip(),
        template=path,
        wb=wb,
        indicators=_find_table(wb[C.RETURN_INDICATORS_SHEET], C.RETURN_INDICATOR_HEADERS, "Indicator ID", path.name),
        actions=_find_table(wb[C.RETURN_ACTIONS_SHEET], C.RETURN_ACTION_HEADERS, "Action ID", path.name),
        signoff=signoff,
    )


# --- the demo's true values ---------------------------------------------------------------
def _period_table(tables: dict, period: Period, what: str) -> pd.DataFrame:
    for key in (period.label, period, period.slug):
        if key in tables:
            return tables[key]
    raise ConfigError(f"The demo council has no {what} for {period.label}")


def _missing(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cell_value(value: object) -> object:
    """A true value as a service would type it: blank for none, real dates for dates."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time())
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _fill_rows(table: _Table, truth: pd.DataFrame, id_label: str, inputs: tuple[str, ...]) -> None:
    by_id = truth.drop_duplicates(id_label).set_index(id_label)
    for row_id, row in table.rows.items():
        if row_id not in by_id.index:
            continue
        values = by_id.loc[row_id]
        for label in inputs:
            if label in values.index:
                table.cell(row, label).value = _cell_value(values[label])


def _people(register_sheets: dict, service: str) -> tuple[str, str]:
    """Who prepares and who approves a service's return: its indicator/action
    owner and escalation owner in the register, so sign-off names look real."""
    owners, approvers = [], []
    for sheet in (C.INDICATORS_SHEET, C.ACTIONS_SHEET):
        frame = register_sheets.get(sheet)
        if frame is None or "Service" not in frame:
            continue
        rows = frame[frame["Service"] == service]
        owners += [str(v) for v in rows.get("Owner", []) if not _missing(v)]
        approvers += [str(v) for v in rows.get("Escalation Owner", []) if not _missing(v)]
    prepared = sorted(set(owners))[0] if owners else f"Performance lead, {service}"
    approver = sorted(set(approvers))[0] if approvers else f"Head of {service}"
    return prepared, approver


# --- names and times -------------------------------------------------------------------------
def _file_names(returns: list[_Return], period: Period) -> None:
    """A name each service might give its file, unique within the folder."""
    first_words = [r.service.split()[0] if r.service.split() else r.service for r in returns]
    used: set[str] = set()
    for index, (ret, word) in enumerate(zip(returns, first_words)):
        short = word if first_words.count(word) == 1 else ret.service
        name = _FILE_NAMES[index % len(_FILE_NAMES)].format(
            short=short, service=ret.service, quarter=period.quarter_name,
            year=period.year_label, template=ret.template.name,
        )
        stem, suffix, n = name[:-5], ".xlsx", 2
        while name.casefold() in used:
            name, n = f"{stem} ({n}){suffix}", n + 1
        used.add(name.casefold())
        ret.file_name = name


def _received_times(returns: list[_Return], period: Period, deadline: datetime) -> None:
    """Staggered receipt in the days before the deadline (never before the
    quarter has ended), at office hours."""
    earliest = datetime.combine(period.end_date + timedelta(days=1), time(9, 0), tzinfo=deadline.tzinfo)
    for index, ret in enumerate(returns):
        before = timedelta(days=1 + (index * 3) % 8, hours=(index * 5) % 7, minutes=(index * 17) % 60)
        ret.received = max(deadline.replace(hour=16, minute=30, second=0, microsecond=0) - before, earliest)
        if ret.received > deadline:
            ret.received = deadline - timedelta(hours=1)


# --- planting imperfections --------------------------------------------------------------------
def _manifest_row(ret: _Return | None, sheet: str, cell: str, row_id: str, kind: str, problem: str,
                  value: object = "", expected: object = "") -> dict[str, str]:
    return {
        "File": ret.file_name if ret else "",
        "Sheet": sheet,
        "Cell": cell,
        "ID": row_id,
        "Kind": kind,
        "Expected Problem": problem,
        "Value": "" if value is None else str(value),
        "Expected Value": "" if expected is None else str(expected),
    }


def _flag(value: object) -> bool:
    if isinstance(value, bool):
        return value
    return _norm(value) in C.YES_WORDS


def _number(value: object) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        return math.nan


def _tolerance(text: object) -> tuple[float, bool]:
    """The register's Tolerance as (band, relative): ``5%`` → (0.05, True), ``2`` → (2.0, False),
    read as the register reader reads it (``core.tolerance``); one the reader would refuse
    counts as the default 5%, since the demo only needs a band to aim a value at."""
    try:
        _, band, relative = parse_tolerance(None if _missing(text) else text)
    except ValueError:
        return C.DEFAULT_TOLERANCE_FRACTION, True
    return band, relative


@dataclass
class _Kpi:
    """What the status rules need to judge one returned indicator row."""

    ret: _Return
    row_id: str
    row: int
    indicator: dict
    annual: float
    quarter: float
    actual: float
    forecast: float


def _kpi_candidates(returns: list[_Return], register_sheets: dict, period: Period) -> list[_Kpi]:
    """Returned KPI rows that a RAG status can be given to (due, a target, a side that is better)."""
    indicators = register_sheets[C.INDICATORS_SHEET]
    register = {str(r["Indicator ID"]): r for r in indicators.to_dict("records")}
    targets = register_sheets[C.TARGETS_SHEET]
    year = targets[targets["Year"].astype(str).str.strip() == period.year_label]
    target_rows = {str(r["Indicator ID"]): r for r in year.to_dict("records")}
    found = []
    for ret in returns:
        for row_id, row in ret.indicators.rows.items():
            ind, tgt = register.get(row_id), target_rows.get(row_id)
            if ind is None or tgt is None or not _flag(ind.get("KPI")):
                continue
            if ind.get("Polarity") not in (C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER):
                continue
            if _norm(tgt.get("Annual Target")) in C.BASELINE_TARGET_WORDS:
                continue
            found.append(_Kpi(
                ret, row_id, row, ind,
                annual=_number(tgt.get("Annual Target")),
                quarter=_number(tgt.get(f"{period.quarter_name} Target")),
                actual=_number(ret.indicators.cell(row, "Actual").value),
                forecast=_number(ret.indicators.cell(row, "Forecast Year-End").value),
            ))
    return found


def _assessed(kpi: _Kpi, period: Period) -> tuple[float, float]:
    """(value, target) the status rules judge this KPI on (pmflib.status decides the basis)."""
    value, target, _ = status.assessment_basis(period, kpi.actual, kpi.forecast, kpi.annual, kpi.quarter)
    return value, target


def _is_clearly_red(kpi: _Kpi, period: Period) -> bool:
    value, target = _assessed(kpi, period)
    if _missing(value) or _missing(target) or float(target) == 0:
        return False
    band, relative = _tolerance(kpi.indicator.get("Tolerance"))
    rag, _ = status.rag_status(value, target, kpi.indicator["Polarity"], band, relative)
    return rag == C.RED and status.relative_gap(value, target, kpi.indicator["Polarity"]) <= _CLEARLY_RED


def _force_red(kpi: _Kpi, period: Period) -> None:
    """Push a KPI's actual (and forecast) well past its target so it is Red on any basis."""
    worse = 1 - _FORCED_RED_SHORTFALL if kpi.indicator["Polarity"] == C.HIGHER_IS_BETTER else 1 + _FORCED_RED_SHORTFALL
    decimals = int(_number(kpi.indicator.get("Decimals"))) if not _missing(kpi.indicator.get("Decimals")) else 1
    table = kpi.ret.indicators
    # At year end the actual is judged against the annual target; in-year against
    # the quarter's profile (or the annual target), and the forecast against the annual.
    actual_target = kpi.annual if period.is_year_end or _missing(kpi.quarter) else kpi.quarter
    for label, target in (("Actual", actual_target), ("Forecast Year-End", kpi.annual)):
        if _missing(target) or period.is_year_end and label == "Forecast Year-End":
            continue
        value = round(float(target) * worse, max(decimals, 0))
        table.cell(kpi.row, label).value = value
        if label == "Actual":
            kpi.actual = value
        else:
            kpi.forecast = value


def _plant_red_without_commentary(kpis: list[_Kpi], period: Period, used: set) -> dict | None:
    """The KPI furthest below target loses its Commentary and Corrective Action."""
    usable = [k for k in kpis if (k.ret.service, k.row_id) not in used]
    if not usable:
        return None

    def shortfall(kpi: _Kpi) -> float:
        value, target = _assessed(kpi, period)
        if _missing(value) or _missing(target) or float(target) == 0:
            return math.inf
        return status.relative_gap(value, target, kpi.indicator["Polarity"])

    worst = min(usable, key=shortfall)
    if not _is_clearly_red(worst, period):
        forcible = [k for k in usable if not _missing(k.annual) and float(k.annual) != 0]
        worst = min(forcible or usable, key=shortfall)
        _force_red(worst, period)
    used.add((worst.ret.service, worst.row_id))
    table = worst.ret.indicators
    table.cell(worst.row, "Commentary").value = None
    table.cell(worst.row, "Corrective Action").value = None
    value, _ = _assessed(worst, period)
    return _manifest_row(
        worst.ret, C.RETURN_INDICATORS_SHEET, table.cell(worst.row, "Commentary").coordinate, worst.row_id,
        C.PLANTED_RED_NO_COMMENTARY, "Red KPI with no commentary or corrective action", value,
    )


def _plant_not_reported(kpis: list[_Kpi], used: set) -> dict | None:
    """A due KPI's Actual typed as ``n/a`` (and no forecast): Not reported."""
    for kpi in kpis:
        if (kpi.ret.service, kpi.row_id) in used or _norm(kpi.indicator.get("Type")) == _norm(C.TYPE_PERCEPTION):
            continue
        used.add((kpi.ret.service, kpi.row_id))
        table = kpi.ret.indicators
        cell = table.cell(kpi.row, "Actual")
        cell.value = _NO_VALUE
        table.cell(kpi.row, "Forecast Year-End").value = None
        return _manifest_row(kpi.ret, C.RETURN_INDICATORS_SHEET, cell.coordinate, kpi.row_id,
                             C.PLANTED_NOT_REPORTED, "KPI due but not reported (n/a)", _NO_VALUE)
    return None


def _indicator_rows(returns: list[_Return], used: set, kpi_ids: set[str]):
    """Every returned indicator row not yet planted in, non-KPIs first (a bad
    value in a KPI would also make it Not reported, muddling the manifest)."""
    rows = [(ret, row_id, row) for ret in returns for row_id, row in ret.indicators.rows.items()
            if (ret.service, row_id) not in used]
    return sorted(rows, key=lambda item: item[1] in kpi_ids)


def _unit(ret: _Return, row: int) -> str:
    return str(ret.indicators.cell(row, "Unit").value or "").strip()


def _plant_not_a_number(returns, used, kpi_ids) -> dict | None:
    """``£3.2m`` in an Actual: an error to flag, not a number to guess."""
    rows = _indicator_rows(returns, used, kpi_ids)
    rows.sort(key=lambda item: (item[1] in kpi_ids, _unit(item[0], item[2]) != "£"))
    for ret, row_id, row in rows:
        used.add((ret.service, row_id))
        cell = ret.indicators.cell(row, "Actual")
        cell.value = _NOT_A_NUMBER
        return _manifest_row(ret, C.RETURN_INDICATORS_SHEET, cell.coordinate, row_id,
                             C.PLANTED_NOT_A_NUMBER, "Actual is not a number", _NOT_A_NUMBER)
    return None


def _thousands(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _plant_number_as_text(returns, used, kpi_ids) -> dict | None:
    """A value of 1,000 or more typed as text with a thousands separator: valid."""
    rows = _indicator_rows(returns, used, kpi_ids)
    big = [(r, i, n) for r, i, n in rows
           if _unit(r, n) != "%" and abs(_number(r.indicators.cell(n, "Actual").value)) >= 1000]
    plain = [(r, i, n) for r, i, n in rows if _unit(r, n) != "%"]
    for ret, row_id, row in big or plain:
        used.add((ret.service, row_id))
        cell = ret.indicators.cell(row, "Actual")
        value = _number(cell.value)
        if math.isnan(value) or abs(value) < 1000:
            value = 1234.0
        cell.value = _thousands(value)
        return _manifest_row(ret, C.RETURN_INDICATORS_SHEET, cell.coordinate, row_id, C.PLANTED_ACCEPTED,
                             "None: a number typed as text is read as the number", cell.value, f"{value:g}")
    return None


def _plant_excel_percent(returns, used, kpi_ids) -> dict | None:
    """A % indicator typed as ``12%`` in Excel: stored 0.12 with a % format, meaning 12."""
    for ret, row_id, row in _indicator_rows(returns, used, kpi_ids):
        cell = ret.indicators.cell(row, "Actual")
        value = _number(cell.value)
        if _unit(ret, row) != "%" or math.isnan(value):
            continue
        used.add((ret.service, row_id))
        cell.value = value / 100
        cell.number_format = "0%" if float(value).is_integer() else "0.0%"
        return _manifest_row(ret, C.RETURN_INDICATORS_SHEET, cell.coordinate, row_id, C.PLANTED_ACCEPTED,
                             "None: Excel's 12% (0.12, % format) is read as 12", cell.value, f"{value:g}")
    return None


def _as_datetime(value: object) -> datetime | None:
    if _missing(value):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    return None


def _action_rows(returns: list[_Return], used: set):
    return [(ret, row_id, row) for ret in returns for row_id, row in ret.actions.rows.items()
            if (ret.service, row_id) not in used]


def _plant_slipped_without_reason(returns, used) -> dict | None:
    """An action re-phased more than 3 months past its baseline, Reason For Delay left blank.

    Prefers one the demo already has slipping; otherwise moves an in-progress
    action's expected end date ``_PLANTED_SLIPPAGE_MONTHS`` past its baseline."""
    threshold = C.SLIPPAGE_THRESHOLD_MONTHS
    rows = [(r, i, n) for r, i, n in _action_rows(returns, used)
            if _as_datetime(r.actions.cell(n, "Baseline End Date").value)]

    def progress(item) -> str:
        return str(item[0].actions.cell(item[2], "Progress").value or "")

    def slipped(item) -> bool:
        ret, _, row = item
        baseline = _as_datetime(ret.actions.cell(row, "Baseline End Date").value)
        expected = _as_datetime(ret.actions.cell(row, "Expected End Date").value)
        return expected is not None and expected.date() > status.add_months(baseline.date(), threshold)

    ordered = ([x for x in rows if slipped(x) and progress(x) == C.PROGRESS_IN_PROGRESS]
               + [x for x in rows if progress(x) == C.PROGRESS_IN_PROGRESS] + rows)
    for ret, row_id, row in ordered:
        used.add((ret.service, row_id))
        table = ret.actions
        if not slipped((ret, row_id, row)) or progress((ret, row_id, row)) != C.PROGRESS_IN_PROGRESS:
            baseline = _as_datetime(table.cell(row, "Baseline End Date").value).date()
            later = status.add_months(baseline, _PLANTED_SLIPPAGE_MONTHS)
            table.cell(row, "Expected End Date").value = datetime.combine(later, time())
            table.cell(row, "Progress").value = C.PROGRESS_IN_PROGRESS
            table.cell(row, "Completed Date").value = None
        table.cell(row, "Reason For Delay").value = None
        expected = _as_datetime(table.cell(row, "Expected End Date").value)
        return _manifest_row(ret, C.RETURN_ACTIONS_SHEET, table.cell(row, "Reason For Delay").coordinate, row_id,
                             C.PLANTED_SLIPPED_NO_REASON,
                             "Action slipped more than 3 months with no reason for delay",
                             expected.date().isoformat())
    return None


def _plant_date_as_text(returns, used) -> dict | None:
    """An Expected End Date typed as text in UK order (``31/03/2027``): valid."""
    rows = _action_rows(returns, used)
    dated = [x for x in rows if _as_datetime(x[0].actions.cell(x[2], "Expected End Date").value)]
    for ret, row_id, row in dated or rows:
        used.add((ret.service, row_id))
        cell = ret.actions.cell(row, "Expected End Date")
        when = _as_datetime(cell.value) or _as_datetime(ret.actions.cell(row, "Baseline End Date").value)
        if when is None:
            continue
        cell.value = f"{when:%d/%m/%Y}"
        return _manifest_row(ret, C.RETURN_ACTIONS_SHEET, cell.coordinate, row_id, C.PLANTED_ACCEPTED,
                             "None: a date typed as text (dd/mm/yyyy) is read as the date", cell.value,
                             when.date().isoformat())
    return None


def _append_row(table: _Table, values: dict[str, object]) -> int:
    row = table.next_row
    for label, value in values.items():
        table.cell(row, label).value = value
    return row


def _plant_unknown_id(ret: _Return, register_ids: set[str]) -> dict:
    """A row added by the service for a measure the register does not have."""
    row_id, n = _UNKNOWN_ID, 1
    while row_id in register_ids:
        n += 1
        row_id = f"LOCAL-{n:02d}"
    row = _append_row(ret.indicators, {
        "Indicator ID": row_id, "Indicator": _UNKNOWN_NAME, "Unit": "number", "Actual": 42,
        "Commentary": "Added by the service: we report this locally.",
    })
    ret.indicators.rows[row_id] = row
    return _manifest_row(ret, C.RETURN_INDICATORS_SHEET, ret.indicators.cell(row, "Indicator ID").coordinate,
                         row_id, C.PLANTED_UNKNOWN_ID, "Indicator ID not in the register", row_id)


def _plant_duplicate(ret: _Return, used: set) -> dict | None:
    """A row pasted twice: the copy goes below the table, same ID, same values."""
    table = ret.indicators
    for row_id, row in table.rows.items():
        if (ret.service, row_id) in used or row_id.startswith("LOCAL-"):
            continue
        used.add((ret.service, row_id))
        copy = {label: table.cell(row, label).value for label in table.columns}
        new = _append_row(table, copy)
        return _manifest_row(ret, C.RETURN_INDICATORS_SHEET, table.cell(new, "Indicator ID").coordinate, row_id,
                             C.PLANTED_DUPLICATE, "Duplicate row for the same indicator", row_id)
    return None


def _plant(returns: list[_Return], council, period: Period, deadline: datetime) -> tuple[list[dict], set[str]]:
    """Plant one of each imperfection; returns manifest rows and the services
    whose file must not be written (the missing return)."""
    manifest: list[dict] = []
    skipped: set[str] = set()
    sent = list(returns)
    if len(returns) >= 2:
        missing = returns[-1]
        sent = returns[:-1]
        skipped.add(missing.service)
        manifest.append(_manifest_row(None, "", "", missing.service, C.PLANTED_MISSING,
                                      f"No return received from {missing.service}"))
    late = sent[0]
    late.received = deadline + timedelta(days=2, hours=1, minutes=23)
    manifest.append(_manifest_row(late, "", "", late.service, C.PLANTED_LATE,
                                  "Return received after the deadline", late.received.isoformat(timespec="minutes")))
    unapproved = sent[1] if len(sent) >= 2 else sent[0]
    unapproved.approved = False
    manifest.append(_manifest_row(unapproved, C.RETURN_SIGNOFF_SHEET,
                                  f"B{unapproved.signoff['Approved By']}", unapproved.service,
                                  C.PLANTED_UNAPPROVED, "Return has no approver"))

    register_sheets = council.register_sheets
    kpis = _kpi_candidates(sent, register_sheets, period)
    kpi_ids = {k.row_id for k in kpis}
    used: set = set()
    planted = [
        _plant_red_without_commentary(kpis, period, used),
        _plant_not_reported(kpis, used),
        _plant_not_a_number(sent, used, kpi_ids),
        _plant_number_as_text(sent, used, kpi_ids),
        _plant_excel_percent(sent, used, kpi_ids),
        _plant_slipped_without_reason(sent, used),
        _plant_date_as_text(sent, used),
    ]
    register_ids = {str(v) for v in register_sheets[C.INDICATORS_SHEET]["Indicator ID"]}
    planted.append(_plant_unknown_id(sent[-1], register_ids))
    planted.append(_plant_duplicate(sent[len(sent) // 2], used) or _plant_duplicate(sent[0], used))
    manifest += [row for row in planted if row is not None]
    return manifest, skipped


# --- the edge -----------------------------------------------------------------------------------
def _sign_off(ret: _Return, register_sheets: dict, period: Period) -> None:
    prepared, approver = _people(register_sheets, ret.service)
    ws = ret.signoff_ws
    ws.cell(row=ret.signoff["Prepared By"], column=2).value = prepared
    if ret.approved:
        approved_on = max(ret.received.date() - timedelta(days=1), period.end_date + timedelta(days=1))
        ws.cell(row=ret.signoff["Approved By"], column=2).value = approver
        ws.cell(row=ret.signoff["Date Approved"], column=2).value = datetime.combine(approved_on, time())


def fill_returns(council, period: Period, template_dir: "Path | str", returns_dir: "Path | str", *,
                 imperfections: bool, deadline: datetime) -> pd.DataFrame:
    """Fill every template in ``template_dir`` with the demo council's true
    values for ``period`` and save them to ``returns_dir`` under names a
    service might choose, each with a modification time before ``deadline``
    (the time the performance team received it).

    With ``imperfections`` (the demo's latest quarter) one of each kind in
    ``constants.PLANTED_KINDS`` is planted, and the manifest returned lists
    each (``constants.PLANTED_MANIFEST_COLUMNS``): where it is, what problem
    the data-quality report should raise (blank for valid-but-messy typing),
    the value typed and, for accepted values, what it must be read as.
    Without, the manifest is empty and every file is clean and on time.
    """
    period = Period.parse(period)
    template_dir, returns_dir = Path(template_dir), Path(returns_dir)
    templates = sorted(template_dir.glob("*.xlsx"))
    if not templates:
        raise ConfigError(f"{template_dir}: no return templates to fill (run `pmf templates` first)")
    returns = sorted((_open_template(path) for path in templates), key=lambda r: r.service)
    indicator_truth = _period_table(council.indicator_returns, period, "indicator returns")
    action_truth = _period_table(council.action_returns, period, "action returns")
    for ret in returns:
        _fill_rows(ret.indicators, indicator_truth, "Indicator ID", C.RETURN_INDICATOR_INPUTS)
        _fill_rows(ret.actions, action_truth, "Action ID", C.RETURN_ACTION_INPUTS)
    _file_names(returns, period)
    _received_times(returns, period, deadline)

    manifest, skipped = _plant(returns, council, period, deadline) if imperfections else ([], set())

    returns_dir.mkdir(parents=True, exist_ok=True)
    for ret in returns:
        if ret.service in skipped:
            continue
        _sign_off(ret, council.register_sheets, period)
        path = returns_dir / ret.file_name
        ret.wb.save(path)
        stamp = ret.received.timestamp()
        os.utime(path, (stamp, stamp))
    # The performance team's record of when each return arrived (received.csv,
    # docs/quarter.md): lateness is judged by it, not by file times.
    with (returns_dir / "received.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["File", "Received"])
        writer.writerows(
            [ret.file_name, f"{ret.received:%d/%m/%Y %H:%M}"] for ret in returns if ret.service not in skipped
        )
    return pd.DataFrame(manifest, columns=list(C.PLANTED_MANIFEST_COLUMNS)).astype("str")
