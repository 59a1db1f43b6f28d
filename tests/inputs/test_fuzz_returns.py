"""Fuzzing the return reader and the ledger with random returns (issue 13, item 8).

Each example starts from a real template written by ``write_templates`` for
the committed Northmere register and does what a careless, confused or
hostile sender might: random types in random cells (extreme numbers, NaN and
infinities, dates and durations far out of range, formulas, unicode, text of
up to 40,000 characters), number formats, deleted, duplicated and swapped
rows, renamed headers, extra and missing sheets. Then it is read and, when
usable, recorded, as ``pmf ingest`` does. Whatever is built:

* reading never raises;
* every accepted figure is finite and within ``MAX_ABS_NUMBER``, every
  commentary within ``MAX_COMMENTARY_CHARS``; a non-blank Actual cell that
  was not accepted is reported on that very cell;
* problems are capped per file and all name the file;
* the ledger records the return without error, its current figures are the
  return's, and SQLite's integrity check passes.

CI runs ``PMF_FUZZ_EXAMPLES`` examples (default 40) with no deadline; set it
higher for a long local run.
"""

from __future__ import annotations

import math
import os
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from pmflib.core import cells
from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.inputs.register import read_register
from pmflib.inputs.returns import read_return
from pmflib.inputs.templates import write_templates
from pmflib.store.ledger import Ledger

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
PERIOD = Period(2026, 2)
EXAMPLES = int(os.environ.get("PMF_FUZZ_EXAMPLES", "40"))
#: Counts of what the examples did, printed at the end (run with -s to see them).
COUNTS = {"examples": 0, "recorded": 0, "refused": 0, "problems": 0, "values accepted": 0}

REGISTER = read_register(FIXTURES / "libreoffice-register.xlsx")

numbers = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -0.0, 1e12, 1e12 + 1, -1e308, 1.797e308, 1e27, 5e-324, 46387, 2958466, 1e15]),
)
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["n/a", "-", "1,234", " 45 ", "12%", "£3.2m", "1e27", "9" * 400, "31/03/0026", "=1/0",
                     "=HYPERLINK(\"http://x\")", "+cmd", "@SUM(A1)", "\u202etxet", "\x00", "NaN", "inf"]),
    st.integers(min_value=0, max_value=40000).map(lambda n: "ü" * n),
)
moments = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.dates(min_value=date(1, 1, 2), max_value=date(9999, 12, 30)),
    st.timedeltas(min_value=timedelta(days=-10**6), max_value=timedelta(days=10**6)),
)
values = st.one_of(st.none(), st.booleans(), numbers, texts, moments)
formats = st.sampled_from(["General", "0%", "0.0%", "dd/mm/yyyy", "[h]:mm:ss", "0.00E+00", "@"])
#: Anywhere, and (more often) the Actual and Forecast cells (G, H from row 5) where figures go.
edits = st.lists(st.one_of(
    st.tuples(st.sampled_from(["Indicators", "Actions", "Sign-off"]), st.integers(1, 14), st.integers(1, 12),
              values, formats),
    st.tuples(st.just("Indicators"), st.integers(5, 11), st.sampled_from([7, 8]),
              st.one_of(numbers, numbers, texts, moments), formats),
), max_size=25)
row_ops = st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "swap", "rename header"]),
                             st.sampled_from(["Indicators", "Actions"]), st.integers(1, 12), st.text(max_size=20)),
                   max_size=4)
sheet_ops = st.lists(st.sampled_from(["extra sheet", "drop Actions", "drop Sign-off", "rename Indicators"]),
                     max_size=2, unique=True)


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    """Prints what the fuzzing did, for the issue's note (seen with -s)."""
    yield
    print(f"\nfuzzed returns: {COUNTS}")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("fuzz-templates")
    paths = write_templates(REGISTER, PERIOD, out, previous_actuals=None, previous_actions=None,
                            council_name="Northmere Borough Council", deadline=None)
    return paths[0]


def _build(template: Path, out: Path, edit_list, row_list, sheet_list) -> Path:
    wb = load_workbook(template)
    for sheet, row, column, value, number_format in edit_list:
        if sheet not in wb.sheetnames:
            continue
        cell = wb[sheet].cell(row, column)
        try:
            cell.value = value
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some characters itself; a sender's Excel would too
            continue
        cell.number_format = number_format
    for op, sheet, row, text in row_list:
        ws = wb[sheet]
        if op == "delete":
            ws.delete_rows(row)
        elif op == "duplicate":
            ws.insert_rows(row + 1)
            for column in range(1, ws.max_column + 1):
                ws.cell(row + 1, column).value = ws.cell(row, column).value
        elif op == "swap":
            for column in range(1, ws.max_column + 1):
                a, b = ws.cell(row, column), ws.cell(row + 1, column)
                a.value, b.value = b.value, a.value
        elif op == "rename header":
            try:
                ws.cell(4, 1 + row % 8).value = text or None
            except (ValueError, IllegalCharacterError):
                pass
    for op in sheet_list:
        if op == "extra sheet":
            extra = wb.create_sheet("Notes")
            extra["A1"], extra["C9"] = "Indicator ID", 1e27
        elif op == "drop Actions":
            del wb["Actions"]
        elif op == "drop Sign-off":
            del wb["Sign-off"]
        elif op == "rename Indicators":
            wb["Indicators"].title = "KPIs"
    ws = wb["Sign-off"] if "Sign-off" in wb.sheetnames else None
    if ws is not None:
        ws["B7"] = ws["B7"].value or "Mo Khan"
    wb.save(out)
    return out


def _check(path: Path, ledger: Ledger) -> None:
    result = read_return(path, REGISTER, PERIOD)  # must not raise
    COUNTS["examples"] += 1
    COUNTS["problems"] += len(result.problems)
    assert len(result.problems) <= C.MAX_PROBLEMS_PER_FILE + 1
    assert all(p.file == path.name for p in result.problems)
    located = {(p.sheet, p.cell) for p in result.problems}
    raw = load_workbook(path, data_only=True) if len(result.indicators) else None
    for record in result.indicators.to_dict("records"):
        for label in ("Actual", "Forecast Year-End"):
            value = record[label]
            assert isinstance(value, float)
            assert math.isnan(value) or (math.isfinite(value) and abs(value) <= C.MAX_ABS_NUMBER), (label, value)
        for label in ("Commentary", "Corrective Action", "Data Note"):
            assert len(record[label]) <= C.MAX_COMMENTARY_CHARS
        typed = raw[record["Sheet"]][record["Actual Cell"]].value
        if math.isnan(record["Actual"]) and not cells.is_blank(typed):
            assert (record["Sheet"], record["Actual Cell"]) in located, (typed, record)
        COUNTS["values accepted"] += 0 if math.isnan(record["Actual"]) else 1
    usable = result.service and (result.period in (None, PERIOD)) and (len(result.indicators) or len(result.actions))
    if not usable:
        COUNTS["refused"] += 1
        return
    ledger.record_submission(
        source_path=path, sha256=result.sha256, service=result.service, period=PERIOD,
        received_at=datetime(2026, 10, 1), prepared_by=result.prepared_by, approved_by=result.approved_by,
        date_approved=result.date_approved, indicator_values=result.indicators, action_updates=result.actions,
        columns=result.columns,
    )
    COUNTS["recorded"] += 1
    current = ledger.indicator_returns(PERIOD)
    mine = current[current["Service"] == result.service] if "Service" in current else current
    stored = dict(zip(mine["Indicator ID"], pd.to_numeric(mine["Actual"], errors="coerce")))
    for record in result.indicators.to_dict("records"):
        got = stored.get(record["Indicator ID"])
        assert (math.isnan(record["Actual"]) and (got is None or math.isnan(got))) or got == record["Actual"]


#: No shrinking: a failing example is reported as found (shrinking a workbook
#: can take many minutes on a shared CI machine).
@settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 40, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(edit_list=edits, row_list=row_ops, sheet_list=sheet_ops)
def test_random_returns_never_crash_and_every_value_is_accepted_or_reported(template, tmp_path_factory,
                                                                            edit_list, row_list, sheet_list):
    folder = tmp_path_factory.mktemp("fuzz")
    path = _build(template, folder / "fuzzed.xlsx", edit_list, row_list, sheet_list)
    with Ledger(folder / "ledger.sqlite", folder / "archive") as ledger:
        _check(path, ledger)
    with sqlite3.connect(folder / "ledger.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
