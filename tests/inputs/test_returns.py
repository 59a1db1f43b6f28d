"""Reading a service return (pmflib.returns) from real files: every value where
the service put it, every problem at the cell an officer must fix, and never
an exception for a file that is not a return.

The register is ``fixtures/returns/libreoffice-register.xlsx``: the tiny demo
council (Northmere) written by ``write_register`` and committed, so these
tests do not move when the demo does. What it holds that matters here
(SPEC §3; read off the file by hand):

* Waste & Recycling: ENV-01 (% , quarterly), ENV-02 (rate, monthly),
  ENV-03 (number, quarterly), ENV-04 (%, annual: not due at Q2),
  ENV-05 (number, quarterly), ENV-06 (£, half-yearly: due at Q2);
  actions ENV-A001 … ENV-A004.
* Revenues & Benefits: COU-01 (%, monthly), COU-02 (days, monthly),
  COU-03 (number, quarterly), COU-04 (days, monthly), COU-05 (days,
  quarterly), COU-06 (%, quarterly); actions COU-A001, COU-A002.

A template (SPEC §4, ``constants.TEMPLATE_HEADER_ROW`` = 4) has its header in
row 4 and its first item in row 5; the Indicators columns are A Indicator ID,
B Indicator, C Unit, D Polarity, E Target, F Previous Value, G Actual,
H Forecast Year-End, I Commentary, J Corrective Action, K Data Note; the
Actions columns A Action ID, B Action, C Baseline End Date, D Previous
Status, E Progress, F Expected End Date, G Completed Date, H Commentary,
I Reason For Delay, J Corrective Action; Sign-off has Service, Period,
Prepared By, Approved By, Date Approved in A4:A8 with values in B4:B8.

Excel serial 46387 is 2026-12-31 (worked in tests/test_cells.py).
"""

from __future__ import annotations

import io
import math
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pmflib.core.periods import Period
from pmflib.inputs.register import read_register
from pmflib.inputs.returns import percent_cells, read_return
from pmflib.inputs.templates import template_file_name, write_templates

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "returns"
PERIOD = Period(2026, 2)  # 2026-27 Q2
COUNCIL = "Northmere Borough Council"
NAN = float("nan")

TEMPLATE_INDICATOR_COLUMNS = {"Indicator ID": "A", "Actual": "G", "Forecast Year-End": "H", "Commentary": "I",
                              "Corrective Action": "J", "Data Note": "K"}
TEMPLATE_ACTION_COLUMNS = {"Action ID": "A", "Progress": "E", "Expected End Date": "F", "Completed Date": "G",
                           "Commentary": "H", "Reason For Delay": "I", "Corrective Action": "J"}


@pytest.fixture(scope="module")
def register():
    return read_register(FIXTURES / "libreoffice-register.xlsx")


# --- helpers: fill a template the way a manager does, and compare what came back ---------------------
def _fill(template: Path, out: Path, values: dict[tuple[str, str, str], object],
          signoff: dict[str, object], percent: dict[tuple[str, str, str], str] | None = None) -> Path:
    """Type ``values[(sheet, id, heading)]`` into a template, finding the header
    row and columns by their labels and each row by its ID, as a person would.
    ``percent`` gives the number format of cells typed as Excel percentages."""
    wb = load_workbook(template)
    for sheet, id_label in (("Indicators", "Indicator ID"), ("Actions", "Action ID")):
        ws = wb[sheet]
        header = next(r for r in range(1, 11) if ws.cell(r, 1).value == id_label)
        columns = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
        rows = {ws.cell(r, 1).value: r for r in range(header + 1, ws.max_row + 1)}
        for (name, item, label), value in values.items():
            if name == sheet:
                cell = ws.cell(rows[item], columns[label], value)
                if (name, item, label) in (percent or {}):
                    cell.number_format = percent[(name, item, label)]
    ws = wb["Sign-off"]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value in signoff:
            ws.cell(row, 2, signoff[ws.cell(row, 1).value])
    wb.save(out)
    return out


def _indicator_rows(result) -> list[dict]:
    columns = ["Indicator ID", "Actual", "Forecast Year-End", "Row", "Actual Cell", "Forecast Cell", "Commentary",
               "Corrective Action", "Data Note", "Sheet"]
    return result.indicators[columns].to_dict("records")


def _action_rows(result) -> list[dict]:
    columns = ["Action ID", "Progress", "Expected End Date", "Completed Date", "Row", "Commentary",
               "Reason For Delay", "Corrective Action", "Sheet"]
    return result.actions[columns].to_dict("records")


def _same(got: list[dict], expected: list[dict]) -> None:
    """Row by row, field by field; NaN equals NaN, NaT equals NaT."""
    assert [g["Indicator ID" if "Indicator ID" in g else "Action ID"] for g in got] == [
        e["Indicator ID" if "Indicator ID" in e else "Action ID"] for e in expected]
    for g, e in zip(got, expected):
        for key, want in e.items():
            have = g[key]
            if isinstance(want, float) and math.isnan(want):
                assert isinstance(have, float) and math.isnan(have), (g, key)
            elif want is pd.NaT:
                assert have is pd.NaT, (g, key)
            else:
                assert have == want, (g, key)


def _ind(item, actual, forecast, row, actual_cell, forecast_cell, commentary="", corrective="", note="",
         sheet="Indicators") -> dict:
    return {"Indicator ID": item, "Actual": actual, "Forecast Year-End": forecast, "Row": row,
            "Actual Cell": actual_cell, "Forecast Cell": forecast_cell, "Commentary": commentary,
            "Corrective Action": corrective, "Data Note": note, "Sheet": sheet}


def _act(item, progress, expected, completed, row, commentary="", reason="", corrective="",
         sheet="Actions") -> dict:
    day = lambda d: pd.NaT if d is None else pd.Timestamp(d)  # noqa: E731
    return {"Action ID": item, "Progress": progress, "Expected End Date": day(expected),
            "Completed Date": day(completed), "Row": row, "Commentary": commentary, "Reason For Delay": reason,
            "Corrective Action": corrective, "Sheet": sheet}


# --- 1. a template, filled with openpyxl, read back ---------------------------------------------------------
REVENUES = "Revenues & Benefits"
REVENUES_VALUES = {
    ("Indicators", "COU-01", "Actual"): 0.964,            # 96.4% typed in Excel: stored 0.964, format 0.0%
    ("Indicators", "COU-01", "Forecast Year-End"): 97,
    ("Indicators", "COU-01", "Commentary"): "Ahead of profile.",
    ("Indicators", "COU-02", "Actual"): 21.5,
    ("Indicators", "COU-02", "Forecast Year-End"): "22",  # a number typed as text
    ("Indicators", "COU-03", "Actual"): "1,234",
    ("Indicators", "COU-04", "Actual"): "n/a",
    ("Indicators", "COU-04", "Data Note"): "System migration: no figure.",
    ("Indicators", "COU-05", "Actual"): 9,
    ("Indicators", "COU-05", "Forecast Year-End"): 8.5,
    ("Indicators", "COU-05", "Corrective Action"): "Extra staff from October.",
    ("Indicators", "COU-06", "Actual"): 0.185,            # 18.5% typed in Excel, shown with format 0%
    ("Indicators", "COU-06", "Forecast Year-End"): "18.5%",
    ("Actions", "COU-A001", "Progress"): "In progress",
    ("Actions", "COU-A001", "Expected End Date"): datetime(2027, 3, 31),
    ("Actions", "COU-A001", "Reason For Delay"): "Supplier delay.",
    ("Actions", "COU-A001", "Corrective Action"): "Weekly calls with the supplier.",
    ("Actions", "COU-A002", "Progress"): "Completed",
    ("Actions", "COU-A002", "Completed Date"): datetime(2026, 9, 15),
    ("Actions", "COU-A002", "Commentary"): "Launched in September.",
}
REVENUES_PERCENT = {("Indicators", "COU-01", "Actual"): "0.0%", ("Indicators", "COU-06", "Actual"): "0%"}
REVENUES_SIGNOFF = {"Prepared By": "Raj Patel", "Approved By": "Mo Khan", "Date Approved": datetime(2026, 10, 14)}
REVENUES_INDICATORS = [
    _ind("COU-01", 96.4, 97.0, 5, "G5", "H5", commentary="Ahead of profile."),
    _ind("COU-02", 21.5, 22.0, 6, "G6", "H6"),
    _ind("COU-03", 1234.0, NAN, 7, "G7", "H7"),
    _ind("COU-04", NAN, NAN, 8, "G8", "H8", note="System migration: no figure."),
    _ind("COU-05", 9.0, 8.5, 9, "G9", "H9", corrective="Extra staff from October."),
    _ind("COU-06", 18.5, 18.5, 10, "G10", "H10"),
]
REVENUES_ACTIONS = [
    _act("COU-A001", "In progress", date(2027, 3, 31), None, 5, reason="Supplier delay.",
         corrective="Weekly calls with the supplier."),
    _act("COU-A002", "Completed", None, date(2026, 9, 15), 6, commentary="Launched in September."),
]


@pytest.fixture
def revenues_template(register, tmp_path) -> Path:
    paths = write_templates(register, PERIOD, tmp_path / "templates", previous_actuals=None,
                            previous_actions=None, council_name=COUNCIL, deadline=None)
    assert [p.name for p in paths] == ["revenues-benefits-2026-27-Q2.xlsx", "waste-recycling-2026-27-Q2.xlsx"]
    return tmp_path / "templates" / template_file_name(REVENUES, PERIOD)


@pytest.fixture
def revenues_filled(revenues_template, tmp_path) -> Path:
    return _fill(revenues_template, tmp_path / "revenues.xlsx", REVENUES_VALUES, REVENUES_SIGNOFF,
                 REVENUES_PERCENT)


def test_filled_template_is_read_back_as_typed(register, revenues_filled):
    result = read_return(revenues_filled, register, PERIOD)
    assert result.problems == []
    assert result.is_return
    assert (result.service, result.period) == (REVENUES, PERIOD)
    assert (result.prepared_by, result.approved_by, result.date_approved) == ("Raj Patel", "Mo Khan",
                                                                             date(2026, 10, 14))
    _same(_indicator_rows(result), REVENUES_INDICATORS)
    _same(_action_rows(result), REVENUES_ACTIONS)
    assert result.columns == {"Indicators": TEMPLATE_INDICATOR_COLUMNS, "Actions": TEMPLATE_ACTION_COLUMNS}


def test_percent_cells_finds_only_the_cells_formatted_as_percentages(revenues_filled):
    # Actual is column G; COU-01 (row 5) and COU-06 (row 10) were typed as Excel percentages.
    assert percent_cells(revenues_filled.read_bytes(), "Indicators", {"G", "H"}) == {"G5", "G10"}


def test_xlsm_is_refused_with_how_to_save_it(register, revenues_filled, tmp_path):
    """Macro workbooks are refused, never archived (issue 13; SECURITY.md)."""
    macro_named = shutil.copy(revenues_filled, tmp_path / "revenues.xlsm")
    result = read_return(macro_named, register, PERIOD)
    assert [(p.file, p.sheet, p.cell) for p in result.problems] == [("revenues.xlsm", "", "")]
    assert "Save it as .xlsx (Excel Workbook) and send it again" in result.problems[0].problem
    assert result.service is None and len(result.indicators) == 0


def test_template_as_sent_only_lacks_its_approval(register, revenues_template):
    """Nothing typed yet: every row is there with no values; the one problem is
    the blank Approved By (Sign-off B7)."""
    result = read_return(revenues_template, register, PERIOD)
    assert [(p.sheet, p.cell, p.id) for p in result.problems] == [("Sign-off", "B7", REVENUES)]
    assert "Not approved" in result.problems[0].problem
    assert list(result.indicators["Indicator ID"]) == ["COU-01", "COU-02", "COU-03", "COU-04", "COU-05", "COU-06"]
    assert result.indicators["Actual"].isna().all() and result.indicators["Forecast Year-End"].isna().all()
    assert list(result.actions["Action ID"]) == ["COU-A001", "COU-A002"]
    assert (result.actions["Progress"] == "").all()


def test_sign_off_naming_another_service_leaves_every_row_unused(register, revenues_template, tmp_path):
    """Revenues & Benefits' rows in a return whose Sign-off says Waste & Recycling
    (SPEC §4: a return for the wrong service): each row is flagged at its ID, none used."""
    wb = load_workbook(revenues_template)
    wb["Sign-off"]["B4"] = "Waste & Recycling"
    wb.save(tmp_path / "mislabelled.xlsx")
    result = read_return(tmp_path / "mislabelled.xlsx", register, PERIOD)
    wrong = [p for p in result.problems if "belongs to" in p.problem]
    assert [(p.sheet, p.cell, p.id) for p in wrong] == [
        ("Indicators", f"A{row}", f"COU-0{n}") for n, row in zip(range(1, 7), range(5, 11))
    ] + [("Actions", "A5", "COU-A001"), ("Actions", "A6", "COU-A002")]
    assert all("Revenues & Benefits" in p.problem and "not Waste & Recycling" in p.problem for p in wrong)
    assert result.indicators.empty and result.actions.empty


# --- 2. a return written by hand, not from a template -------------------------------------------------------
def _handmade(path: Path) -> Path:
    """Waste & Recycling's own workbook: titles above the headers, columns in
    another order, extra columns, headers in odd case with stray spaces, sheet
    names that only match ignoring case and punctuation, and one of each mistake."""
    wb = Workbook()
    ws = wb.active
    ws.title = "indicators"
    ws["A1"] = "Waste & Recycling: our own return"
    for col, label in enumerate(["Notes (internal)", " actual ", "INDICATOR ID", "Forecast year-end  ",
                                 "Commentary", "Indicator", "data note"], start=1):
        ws.cell(3, col, label)
    rows = {  # row: (A notes, B actual, C id, D forecast, E commentary, G data note)
        4: (None, 0.12, "ENV-01", "45%", "Up on last year.", None),       # B4: Excel 12%
        5: (None, "1,234", "ENV-03", " 2,400 ", None, None),
        6: (None, "n/a", "ENV-02", "-", None, "Contractor data late."),
        7: (None, "£3.2m", "ENV-06", "£1,200", None, None),
        8: (None, 5, "ENV-99", None, None, None),                          # not in the register
        9: (None, 99, "ENV-03", None, None, None),                         # ENV-03 again
        10: (None, 17, None, None, "figures without an ID", None),
        11: (None, "12%", "ENV-05", None, None, None),                      # % for a number indicator
        13: ("Notes only: not a row of the return", None, None, None, None, None),
        14: (None, 10, "COU-03", None, None, None),                         # Revenues & Benefits' indicator
    }
    for row, (notes, actual, item, forecast, commentary, note) in rows.items():
        for col, value in zip("ABCDEG", (notes, actual, item, forecast, commentary, note)):
            ws[f"{col}{row}"] = value
    ws["B4"].number_format = "0%"

    ws = wb.create_sheet("Actions")
    ws["A1"], ws["A2"] = "Actions update", "Please fill in every row"
    for col, label in enumerate(["Progress", "Action ID ", "Completed Date", "expected end date",
                                 "Reason for delay", "Commentary", "Owner"], start=1):
        ws.cell(4, col, label)
    ws.append(["Completed", "ENV-A001", "14/08/2026", None, None, None, "Sue Ford"])  # row 5: text date
    ws.append(["COMPLETED ", "ENV-A002", None, 46387])                               # row 6: serial, no date
    ws.append(["In progress", "ENV-A003", datetime(2026, 9, 1)])                     # row 7
    ws.append(["No longer viable", "ENV-A004"])                                      # row 8: no reason
    ws.append(["In progress", "COU-A001"])                                           # row 9: another service's
    ws["C7"].number_format = "dd/mm/yyyy"

    ws = wb.create_sheet("Sign off")
    ws.append(["Sign-off"])
    ws.append(["service", "waste & recycling"])   # row 2
    ws.append(["Period", "2026-27 Q1"])           # row 3: the wrong quarter
    ws.append([" Prepared by", "Ann Lee"])        # row 4
    ws.append(["Approved By", None])              # row 5: not approved
    ws.append(["Date Approved", None])            # row 6
    wb.save(path)
    return path


#: (sheet, cell, id, words that must be in the problem) — every problem, in reading order.
HANDMADE_PROBLEMS = [
    ("Sign off", "B3", "Waste & Recycling", ("2026-27 Q1", "not 2026-27 Q2", "not used")),
    ("Sign off", "B5", "Waste & Recycling", ("Not approved", "Approved By")),
    ("indicators", "B7", "ENV-06", ("Actual", "'£3.2m'", "type 3200000")),
    ("indicators", "C8", "ENV-99", ("'ENV-99'", "not in the register")),
    ("indicators", "C9", "ENV-03", ("'ENV-03'", "appears twice", "first in row 5")),
    ("indicators", "C10", "", ("figures but no Indicator ID",)),
    ("indicators", "B11", "ENV-05", ("Actual", "'12%'", "percentage", "number")),
    ("indicators", "C14", "COU-03", ("'COU-03'", "Revenues & Benefits", "not Waste & Recycling")),
    ("Actions", "C6", "ENV-A002", ("Completed but no Completed Date",)),
    ("Actions", "A7", "ENV-A003", ("Completed Date is given", "'In progress'")),
    ("Actions", "E8", "ENV-A004", ("No longer viable", "reason")),
    ("Actions", "B9", "COU-A001", ("'COU-A001'", "Revenues & Benefits")),
]


@pytest.fixture
def handmade(register, tmp_path):
    return read_return(_handmade(tmp_path / "handmade.xlsx"), register, PERIOD)


def test_handmade_return_finds_tables_by_their_labels(handmade):
    assert handmade.is_return
    assert handmade.service == "Waste & Recycling"
    assert handmade.period == Period(2026, 1)  # what it says it is for
    assert (handmade.prepared_by, handmade.approved_by, handmade.date_approved) == ("Ann Lee", "", None)
    assert handmade.columns == {
        "indicators": {"Indicator ID": "C", "Actual": "B", "Forecast Year-End": "D", "Commentary": "E",
                       "Data Note": "G"},
        "Actions": {"Progress": "A", "Action ID": "B", "Completed Date": "C", "Expected End Date": "D",
                    "Reason For Delay": "E", "Commentary": "F"},
    }


def test_handmade_return_values(handmade):
    sheet = "indicators"
    _same(_indicator_rows(handmade), [
        _ind("ENV-01", 12.0, 45.0, 4, "B4", "D4", commentary="Up on last year.", sheet=sheet),
        _ind("ENV-03", 1234.0, 2400.0, 5, "B5", "D5", sheet=sheet),
        _ind("ENV-02", NAN, NAN, 6, "B6", "D6", note="Contractor data late.", sheet=sheet),
        _ind("ENV-06", NAN, 1200.0, 7, "B7", "D7", sheet=sheet),
        _ind("ENV-05", NAN, NAN, 11, "B11", "D11", sheet=sheet),
    ])
    _same(_action_rows(handmade), [
        _act("ENV-A001", "Completed", None, date(2026, 8, 14), 5),
        _act("ENV-A002", "Completed", date(2026, 12, 31), None, 6),
        _act("ENV-A003", "In progress", None, date(2026, 9, 1), 7),
        _act("ENV-A004", "No longer viable", None, None, 8),
    ])


@pytest.mark.parametrize("sheet, cell, item, words", HANDMADE_PROBLEMS,
                         ids=[f"{s}!{c}" for s, c, _, _ in HANDMADE_PROBLEMS])
def test_handmade_return_problem(handmade, sheet, cell, item, words):
    found = [p for p in handmade.problems if (p.sheet, p.cell) == (sheet, cell)]
    assert len(found) == 1, handmade.problems
    assert found[0].file == "handmade.xlsx"
    assert found[0].id == item
    for word in words:
        assert word in found[0].problem


def test_handmade_return_has_no_other_problems(handmade):
    assert sorted((p.sheet, p.cell) for p in handmade.problems) == sorted(
        (sheet, cell) for sheet, cell, _, _ in HANDMADE_PROBLEMS)


# --- 3. files that are not returns -----------------------------------------------------------------------------
def _zip_of_text() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


def _workbook_bytes(*sheets: str) -> bytes:
    wb = Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


NOT_WORKBOOK = "is not an Excel workbook: save it as .xlsx"
CANNOT_OPEN = "could not be opened as an Excel workbook"
NOT_A_RETURN = "is not a return: it has none of the sheets Indicators, Actions, Sign-off"

MADE_HERE = [
    pytest.param("return.csv", b"Indicator ID,Actual\nENV-01,45\n", NOT_WORKBOOK, id="csv"),
    pytest.param("return.txt", b"ENV-01 45\n", NOT_WORKBOOK, id="txt"),
    pytest.param("empty.xlsx", b"", NOT_WORKBOOK, id="empty-xlsx"),
    pytest.param("random.xlsx", bytes(range(256)) * 8, CANNOT_OPEN, id="random-bytes-xlsx"),
    pytest.param("random.xls", bytes(range(256)) * 8, CANNOT_OPEN, id="random-bytes-xls"),
    pytest.param("report.xlsx", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n",
                 CANNOT_OPEN, id="pdf-renamed-xlsx"),
    pytest.param("archive.xlsx", _zip_of_text(), CANNOT_OPEN, id="zip-renamed-xlsx"),
    pytest.param("other.xlsx", _workbook_bytes("Data", "Chart data"), NOT_A_RETURN,
                 id="workbook-without-return-sheets"),
]


@pytest.mark.parametrize("name, content, words", MADE_HERE)
def test_file_made_here_that_is_not_a_return(register, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    _assert_single_file_problem(read_return(path, register, PERIOD), name, words)


@pytest.mark.parametrize("name, sheets", [
    # real Excel 16 files (../shared/realdata, copied unchanged); sheet names read from xl/workbook.xml
    pytest.param("SPCreporter__example_data__data.xlsx", "week, month, events", id="excel16-spc-data"),
    pytest.param("SPCreporter__example_data__measure_config.xlsx", "measure_config", id="excel16-measure-config"),
    # the measure_config workbook converted by soffice --convert-to ods
    pytest.param("not-a-return.ods", "measure_config", id="libreoffice-ods"),
])
def test_committed_file_that_is_not_a_return(register, name, sheets):
    result = read_return(FIXTURES / name, register, PERIOD)
    _assert_single_file_problem(result, name, NOT_A_RETURN)
    assert f"(it has {sheets})" in result.problems[0].problem


def _assert_single_file_problem(result, name: str, words: str) -> None:
    assert len(result.problems) == 1, result.problems
    problem = result.problems[0]
    assert (problem.file, problem.sheet, problem.cell) == (name, "", "")
    assert words in problem.problem
    assert "send" in problem.problem.casefold()  # says what to do about it
    assert not result.is_return
    assert result.service is None and result.period is None
    assert result.indicators.empty and result.actions.empty


def test_return_with_only_an_indicators_sheet(register, tmp_path):
    """Actions and Sign-off missing; the service is taken from the indicators, and said so."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(["Indicator ID", "Actual"])
    ws.append(["ENV-01", 41.5])
    wb.save(tmp_path / "partial.xlsx")
    result = read_return(tmp_path / "partial.xlsx", register, PERIOD)
    assert result.is_return
    assert [(p.sheet, p.cell) for p in result.problems] == [("Actions", ""), ("Sign-off", ""), ("Sign-off", "")]
    assert "The Actions sheet is missing" in result.problems[0].problem
    assert "The Sign-off sheet is missing" in result.problems[1].problem
    assert "taken as 'Waste & Recycling'" in result.problems[2].problem
    assert result.service == "Waste & Recycling"
    _same(_indicator_rows(result), [_ind("ENV-01", 41.5, NAN, 2, "B2", "")])


def test_indicators_table_without_an_actual_column(register, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(["Indicator ID", "Forecast Year-End"])
    ws.append(["ENV-01", 40])
    for name in ("Actions", "Sign-off"):
        wb.create_sheet(name)
    wb["Sign-off"].append(["Service", "Waste & Recycling"])
    wb.save(tmp_path / "no-actual.xlsx")
    result = read_return(tmp_path / "no-actual.xlsx", register, PERIOD)
    missing = [p for p in result.problems if p.sheet == "Indicators"]
    assert [(p.cell, "no 'Actual' column" in p.problem) for p in missing] == [("1:1", True)]
    assert result.indicators.empty


# --- 4. LibreOffice: the template filled with openpyxl, re-saved as .xlsx and as .ods ---------------------------
LIBREOFFICE_INDICATORS = [  # tests/fixtures/returns/README.md lists what was typed
    _ind("ENV-01", 45.2, 44.0, 5, "G5", "H5", commentary="Garden waste season lifted the rate."),
    _ind("ENV-02", 48.7, NAN, 6, "G6", "H6", note="No forecast until the new contract starts."),
    _ind("ENV-03", 1234.0, 2300.0, 7, "G7", "H7"),
    _ind("ENV-05", 2.0, NAN, 8, "G8", "H8"),
    _ind("ENV-06", 77.5, 80.0, 9, "G9", "H9"),
]
LIBREOFFICE_ACTIONS = [
    _act("ENV-A001", "Completed", None, date(2026, 8, 14), 5, commentary="Opened in August."),
    _act("ENV-A002", "In progress", date(2026, 12, 31), None, 6, reason="Bidder withdrew.",
         corrective="Re-tender in October."),
    _act("ENV-A003", "Not started", date(2027, 3, 31), None, 7),
    _act("ENV-A004", "No longer viable", None, None, 8, commentary="Funding withdrawn."),
]


@pytest.mark.parametrize("name", ["libreoffice-resaved.xlsx", "libreoffice-return.ods"])
def test_libreoffice_saved_return(register, name):
    result = read_return(FIXTURES / name, register, PERIOD)
    assert result.problems == []
    assert (result.service, result.period) == ("Waste & Recycling", PERIOD)
    assert (result.prepared_by, result.approved_by, result.date_approved) == ("Ann Lee", "Tom Hart",
                                                                             date(2026, 10, 15))
    _same(_indicator_rows(result), LIBREOFFICE_INDICATORS)
    _same(_action_rows(result), LIBREOFFICE_ACTIONS)
    assert result.columns == {"Indicators": TEMPLATE_INDICATOR_COLUMNS, "Actions": TEMPLATE_ACTION_COLUMNS}


def test_libreoffice_keeps_the_percentage_format():
    """What is true of the re-saved file: ENV-01's Actual (G5) still holds 0.452
    with the 0.0% format typed before LibreOffice saved it, so it reads as 45.2."""
    path = FIXTURES / "libreoffice-resaved.xlsx"
    cell = load_workbook(path)["Indicators"]["G5"]
    assert (cell.value, cell.number_format) == (0.452, "0.0%")
    assert percent_cells(path.read_bytes(), "Indicators", {"G", "H"}) == {"G5"}
