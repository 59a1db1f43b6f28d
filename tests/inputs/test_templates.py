"""The service return template (SPEC §4): what a service manager is sent.

A small hand-made register (three services) goes in; the tests open the
workbooks with openpyxl and check what a manager would meet: the sheets, the
header row where the reader looks for it, grey locked cells and white
unlocked ones, Excel's own validation with plain-English messages, help on
every heading, and the service and period on every sheet.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from pmflib.core import constants as C
from pmflib.core.errors import ConfigError, PeriodError
from pmflib.core.periods import Period
from pmflib.inputs.templates import (
    action_rows,
    indicator_rows,
    services_to_return,
    template_file_name,
    write_templates,
)

NAN = float("nan")
PERIOD = Period(2026, 2)
DEADLINE = datetime(2026, 10, 21, 17, 0)
HEADER = C.TEMPLATE_HEADER_ROW
FIRST = HEADER + 1


def _register() -> SimpleNamespace:
    """Waste: a quarterly % KPI with a Q2 profile, a quarterly count, an annual
    survey (not due at Q2). Housing: one quarterly count with no target.
    Parks: only an annual measure and no actions, so nothing is owed at Q2."""
    indicators = pd.DataFrame({
        "Indicator ID": ["WR1", "WR2", "WR3", "HS1", "PK1"],
        "Indicator": [
            "Percentage of household waste sent for reuse, recycling and composting",
            "Residual household waste per household (kg)",
            "Resident satisfaction with waste collection",
            "Households in temporary accommodation",
            "Green Flag parks",
        ],
        "Outcome ID": ["O1"] * 5,
        "Service": ["Waste and Recycling"] * 3 + ["Housing", "Parks"],
        "Owner": ["Ann Lee"] * 3 + ["Raj Patel", "Sue Ford"],
        "Escalation Owner": ["Tom Hart"] * 5,
        "Definition": [""] * 5,
        "Unit": ["%", "number", "%", "number", "number"],
        "Decimals": [1, 0, 1, 0, 0],
        "Polarity": [C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER, C.HIGHER_IS_BETTER, C.LOWER_IS_BETTER,
                     C.HIGHER_IS_BETTER],
        "Type": ["Outcome", "Outcome", "Perception", "Outcome", "Output"],
        "Frequency": [C.QUARTERLY, C.QUARTERLY, C.ANNUAL, C.QUARTERLY, C.ANNUAL],
        "Cumulative": [False] * 5,
        "KPI": [True, False, False, True, False],
        "Headline": [False] * 5,
        "Tolerance": ["5%"] * 5,
        "Tolerance Value": [0.05] * 5,
        "Tolerance Relative": [True] * 5,
        "Comparator Metric": [""] * 5,
    })
    targets = pd.DataFrame({
        "Indicator ID": ["WR1", "WR2", "WR1", "PK1"],
        "Year": ["2026-27", "2026-27", "2025-26", "2026-27"],
        "Annual Target": [52.0, 480.0, 40.0, 6.0],
        "Q1 Target": [NAN] * 4,
        "Q2 Target": [50.0, NAN, 39.0, NAN],
        "Q3 Target": [NAN] * 4,
        "Q4 Target": [NAN] * 4,
        "Baseline": [False] * 4,
    })
    actions = pd.DataFrame({
        "Action ID": ["WA1", "WA2", "HA1"],
        "Action": ["Roll out food waste collections to all flats", "Procure new fleet",
                   "Review the housing allocations policy"],
        "Outcome ID": ["O1"] * 3,
        "Service": ["Waste and Recycling", "Waste and Recycling", "Housing"],
        "Owner": ["Ann Lee", "Ann Lee", "Raj Patel"],
        "Start Date": pd.to_datetime(["2025-04-01", "2025-04-01", "2026-04-01"]),
        "End Date": pd.to_datetime(["2026-12-31", "2026-06-30", "2027-03-31"]),
    })
    return SimpleNamespace(indicators=indicators, targets=targets, actions=actions, outcomes=pd.DataFrame())


PREVIOUS_ACTUALS = pd.DataFrame({
    "Indicator ID": ["WR1", "WR1", "WR1", "WR2", "WR2"],
    "Period": ["2025-26 Q4", "2026-27 Q1", "2026-27 Q2", "2026-27 Q1", "2025-26 Q4"],
    # WR1's Q2 value must be ignored (not before the period); WR2's Q1 is blank,
    # so its previous value is the one before that.
    "Actual": [47.0, 48.2, 99.0, NAN, 131.0],
})
PREVIOUS_ACTIONS = pd.DataFrame({
    "Action ID": ["WA1", "WA2"],
    "Status": [C.SLIPPED_LESS, C.DELIVERED],
})


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("templates")
    paths = write_templates(
        _register(), PERIOD, out,
        previous_actuals=PREVIOUS_ACTUALS, previous_actions=PREVIOUS_ACTIONS,
        council_name="Borsetshire County Council", deadline=DEADLINE,
    )
    return out, paths


@pytest.fixture(scope="module")
def waste(written):
    out, _ = written
    return load_workbook(out / "waste-and-recycling-2026-27-Q2.xlsx")


def _column(ws, label: str) -> int:
    for cell in ws[HEADER]:
        if cell.value == label:
            return cell.column
    raise AssertionError(f"{label} not in the header row")


def _validations_for(ws, coordinate: str):
    return [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]


# --- which files and rows -----------------------------------------------------------------
def test_one_file_per_service_owing_a_return(written):
    out, paths = written
    assert [p.name for p in paths] == ["housing-2026-27-Q2.xlsx", "waste-and-recycling-2026-27-Q2.xlsx"]
    assert all(p.parent == out and p.exists() for p in paths)


@pytest.mark.parametrize(("period", "expected"), [
    (Period(2026, 2), ["Housing", "Waste and Recycling"]),   # Parks' annual measure is not due
    (Period(2026, 4), ["Housing", "Parks", "Waste and Recycling"]),
])
def test_services_owing_a_return(period, expected):
    assert services_to_return(_register(), period) == expected


def test_file_name_is_service_and_period_slugs():
    assert template_file_name("Waste and Recycling", Period(2026, 2)) == "waste-and-recycling-2026-27-Q2.xlsx"
    assert template_file_name("Children's Services & Schools", PERIOD) == "children-s-services-schools-2026-27-Q2.xlsx"


def test_indicator_rows_are_due_ones_with_period_target_and_previous_value():
    rows = indicator_rows(_register(), PERIOD, PREVIOUS_ACTUALS)
    assert list(rows["Indicator ID"]) == ["WR1", "WR2", "HS1"]  # WR3, PK1 annual: not due at Q2
    by_id = rows.set_index("Indicator ID")
    assert by_id.loc["WR1", "Target"] == 50.0      # the Q2 profile, not the annual 52
    assert by_id.loc["WR2", "Target"] == 480.0     # no profile: the annual target
    assert pd.isna(by_id.loc["HS1", "Target"])     # no target this year
    assert by_id.loc["WR1", "Previous Value"] == 48.2  # latest before Q2 (Q2's own 99 ignored)
    assert by_id.loc["WR2", "Previous Value"] == 131.0  # Q1 blank: the Q4 before
    assert pd.isna(by_id.loc["HS1", "Previous Value"])


def test_indicator_rows_without_previous_actuals():
    rows = indicator_rows(_register(), PERIOD, None)
    assert rows["Previous Value"].isna().all()


def test_action_rows_leave_out_finished_actions():
    rows = action_rows(_register(), PREVIOUS_ACTIONS)
    assert list(rows["Action ID"]) == ["WA1", "HA1"]  # WA2 was Delivered
    assert list(rows["Previous Status"]) == [C.SLIPPED_LESS, ""]


def test_inputs_are_not_modified():
    register = _register()
    before = [frame.copy() for frame in (register.indicators, register.targets, register.actions)]
    indicator_rows(register, PERIOD, PREVIOUS_ACTUALS)
    action_rows(register, PREVIOUS_ACTIONS)
    for old, new in zip(before, (register.indicators, register.targets, register.actions)):
        pd.testing.assert_frame_equal(old, new)


def test_services_whose_names_collide_are_refused(tmp_path):
    register = _register()
    register.indicators.loc[3, "Service"] = "Waste & Recycling"
    register.indicators.loc[0, "Service"] = "Waste - Recycling"
    with pytest.raises(ConfigError, match="would both be written to waste-recycling-2026-27-Q2.xlsx"):
        write_templates(register, PERIOD, tmp_path, previous_actuals=None, previous_actions=None,
                        council_name="C", deadline=None)


# --- layout ----------------------------------------------------------------------------
def test_sheets_in_order(waste):
    assert waste.sheetnames == ["Instructions", "Indicators", "Actions", "Sign-off"]


def test_service_and_period_on_every_sheet(waste):
    for ws in waste.worksheets:
        assert ws["A1"].value == "Borsetshire County Council"
        assert ws["A2"].value == "Service return — Waste and Recycling — 2026-27 Q2"


def test_header_rows_are_the_spec_labels_at_row_4(waste):
    indicators = [c.value for c in waste["Indicators"][4]]
    actions = [c.value for c in waste["Actions"][4]]
    assert indicators == [
        "Indicator ID", "Indicator", "Unit", "Polarity", "Target", "Previous Value", "Actual",
        "Forecast Year-End", "Commentary", "Corrective Action", "Data Note",
    ]
    assert actions == [
        "Action ID", "Action", "Baseline End Date", "Previous Status", "Progress",
        "Expected End Date", "Completed Date", "Commentary", "Reason For Delay", "Corrective Action",
    ]
    assert HEADER <= C.HEADER_SEARCH_ROWS


def test_indicator_cells_prefilled(waste):
    ws = waste["Indicators"]
    row = [c.value for c in ws[FIRST]][:6]
    assert row == ["WR1", "Percentage of household waste sent for reuse, recycling and composting", "%",
                   C.HIGHER_IS_BETTER, 50.0, 48.2]
    assert ws.cell(FIRST + 1, 1).value == "WR2"
    assert ws.cell(FIRST + 2, 1).value is None  # only the service's own due indicators


def test_number_formats_follow_decimals(waste):
    ws = waste["Indicators"]
    for label in ("Target", "Previous Value", "Actual", "Forecast Year-End"):
        col = _column(ws, label)
        assert ws.cell(FIRST, col).number_format == "#,##0.0"   # WR1: 1 decimal
        assert ws.cell(FIRST + 1, col).number_format == "#,##0"  # WR2: 0 decimals


def test_action_cells_prefilled_with_real_dates(waste):
    ws = waste["Actions"]
    assert ws.cell(FIRST, 1).value == "WA1"
    baseline = ws.cell(FIRST, _column(ws, "Baseline End Date"))
    assert baseline.value == datetime(2026, 12, 31)
    assert baseline.number_format == "dd/mm/yyyy"
    assert ws.cell(FIRST, _column(ws, "Previous Status")).value == C.SLIPPED_LESS
    assert ws.cell(FIRST + 1, 1).value is None  # WA2 was delivered last quarter
    for label in ("Expected End Date", "Completed Date"):
        assert ws.cell(FIRST, _column(ws, label)).number_format == "dd/mm/yyyy"


def test_signoff_is_a_two_column_form(waste):
    ws = waste["Sign-off"]
    labels = [ws.cell(HEADER + i, 1).value for i in range(5)]
    assert labels == ["Service", "Period", "Prepared By", "Approved By", "Date Approved"]
    assert ws.cell(HEADER, 2).value == "Waste and Recycling"
    assert ws.cell(HEADER + 1, 2).value == "2026-27 Q2"
    assert ws.cell(HEADER + 4, 2).number_format == "dd/mm/yyyy"


# --- locked and unlocked ----------------------------------------------------------------------
@pytest.mark.parametrize(("sheet", "prefilled", "inputs"), [
    ("Indicators", C.RETURN_INDICATOR_PREFILLED, C.RETURN_INDICATOR_INPUTS),
    ("Actions", C.RETURN_ACTION_PREFILLED, C.RETURN_ACTION_INPUTS),
])
def test_prefilled_cells_grey_and_locked_inputs_white_and_unlocked(waste, sheet, prefilled, inputs):
    ws = waste[sheet]
    for label in prefilled:
        cell = ws.cell(FIRST, _column(ws, label))
        assert cell.protection.locked, cell.coordinate
        assert cell.fill.start_color.rgb.endswith("E7E6E6"), cell.coordinate
    for label in inputs:
        cell = ws.cell(FIRST, _column(ws, label))
        assert not cell.protection.locked, cell.coordinate
        assert cell.fill.start_color.rgb.endswith("FFFFFF"), cell.coordinate
        assert cell.border.left.style == "thin"
    assert all(c.protection.locked for c in ws[HEADER])


def test_signoff_inputs_unlocked(waste):
    ws = waste["Sign-off"]
    locked = {ws.cell(HEADER + i, 1).value: ws.cell(HEADER + i, 2).protection.locked for i in range(5)}
    assert locked == {"Service": True, "Period": True, "Prepared By": False, "Approved By": False,
                      "Date Approved": False}


def test_sheets_protected_but_rows_and_columns_resizable(waste):
    for ws in waste.worksheets:
        assert ws.protection.sheet, ws.title
        assert ws.protection.formatColumns is False and ws.protection.formatRows is False
        assert not ws.protection.password
    assert waste.security.lockStructure


# --- validation and help ----------------------------------------------------------------------
def test_progress_is_a_dropdown_of_the_progress_values(waste):
    ws = waste["Actions"]
    [dv] = _validations_for(ws, ws.cell(FIRST, _column(ws, "Progress")).coordinate)
    assert dv.type == "list"
    assert dv.formula1 == '"Not started,In progress,Completed,No longer viable"'
    assert dv.showErrorMessage and dv.error and dv.showInputMessage and dv.prompt


@pytest.mark.parametrize(("sheet", "label", "row"), [
    ("Actions", "Expected End Date", FIRST),
    ("Actions", "Completed Date", FIRST),
    ("Sign-off", None, HEADER + 4),
])
def test_dates_are_validated_with_messages(waste, sheet, label, row):
    ws = waste[sheet]
    col = _column(ws, label) if label else 2
    [dv] = _validations_for(ws, ws.cell(row, col).coordinate)
    assert dv.type == "date"
    assert "dd/mm/yyyy" in dv.prompt and "dd/mm/yyyy" in dv.error
    assert dv.showErrorMessage and dv.showInputMessage and dv.promptTitle and dv.errorTitle


@pytest.mark.parametrize("label", ["Actual", "Forecast Year-End"])
def test_numbers_are_validated_and_percent_says_how_to_type(waste, label):
    ws = waste["Indicators"]
    col = _column(ws, label)
    [percent] = _validations_for(ws, ws.cell(FIRST, col).coordinate)     # WR1 is a %
    [count] = _validations_for(ws, ws.cell(FIRST + 1, col).coordinate)   # WR2 is a number
    for dv in (percent, count):
        assert dv.type == "decimal" and dv.allow_blank
        assert dv.showErrorMessage and "number" in dv.error and dv.showInputMessage
    assert "type 12 for 12%" in percent.prompt
    assert "12%" not in count.prompt


def test_every_header_has_a_comment(waste):
    for sheet in ("Indicators", "Actions"):
        for cell in waste[sheet][HEADER]:
            assert cell.comment is not None and len(cell.comment.text) > 20, (sheet, cell.value)
    ws = waste["Sign-off"]
    assert all(ws.cell(HEADER + i, 1).comment is not None for i in range(5))


def test_header_frozen_below_and_right_of_the_id_column(waste):
    assert waste["Indicators"].freeze_panes == "B5"
    assert waste["Actions"].freeze_panes == "B5"


def test_tables_print_landscape_fit_to_width_with_titles_repeated(waste):
    for sheet in ("Indicators", "Actions"):
        ws = waste[sheet]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == "$1:$4"


def test_long_text_columns_wrap_and_are_wide(waste):
    ws = waste["Indicators"]
    for label in ("Indicator", "Commentary"):
        col = _column(ws, label)
        assert ws.cell(FIRST, col).alignment.wrap_text
        assert ws.column_dimensions[ws.cell(HEADER, col).column_letter].width >= 30


def test_instructions_give_deadline_contact_and_typing_rules(waste):
    text = "\n".join(str(c.value) for c in waste["Instructions"]["A"] if c.value)
    assert "5pm on Wednesday 21 October 2026" in text
    assert "performance team at Borsetshire County Council" in text
    assert "type 12 for 12%" in text
    assert "dd/mm/yyyy" in text
    assert "Grey cells" in text and "don't change them" in text
    for label in (*C.PROGRESS_VALUES, C.GREEN, C.AMBER, C.RED, C.SLIPPED_MORE):
        assert label in text


def test_empty_actions_sheet_says_nothing_to_fill(tmp_path):
    register = _register()
    register.actions = register.actions[register.actions["Service"] != "Housing"]
    write_templates(register, PERIOD, tmp_path, previous_actuals=None, previous_actions=None,
                    council_name="C", deadline=None, contact="Jo Bloggs (01234 567890)")
    wb = load_workbook(tmp_path / "housing-2026-27-Q2.xlsx")
    assert "no open actions" in wb["Actions"]["A3"].value
    assert [c.value for c in wb["Actions"][HEADER]][0] == "Action ID"
    text = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Contact Jo Bloggs (01234 567890)." in text
    assert "the email that came with it" in text  # no deadline given


def test_output_is_byte_for_byte_deterministic(tmp_path):
    kwargs = dict(previous_actuals=PREVIOUS_ACTUALS, previous_actions=PREVIOUS_ACTIONS,
                  council_name="Borsetshire County Council", deadline=DEADLINE)
    first = write_templates(_register(), PERIOD, tmp_path / "a", **kwargs)
    second = write_templates(_register(), PERIOD, tmp_path / "b", **kwargs)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


# --- filled in and read back -------------------------------------------------------------------
def test_filled_template_reads_back(written, tmp_path):
    out, _ = written
    wb = load_workbook(out / "waste-and-recycling-2026-27-Q2.xlsx")
    ind, act, sign = wb["Indicators"], wb["Actions"], wb["Sign-off"]
    ind.cell(FIRST, _column(ind, "Actual")).value = 51.3
    ind.cell(FIRST, _column(ind, "Commentary")).value = "Garden waste up after a wet summer."
    act.cell(FIRST, _column(act, "Progress")).value = C.PROGRESS_IN_PROGRESS
    act.cell(FIRST, _column(act, "Expected End Date")).value = datetime(2027, 2, 28)
    sign.cell(HEADER + 3, 2).value = "Tom Hart"
    path = tmp_path / "Waste return Q2 FINAL.xlsx"
    wb.save(path)

    back = load_workbook(path)
    ind, act, sign = back["Indicators"], back["Actions"], back["Sign-off"]
    assert ind.cell(FIRST, _column(ind, "Actual")).value == 51.3
    assert ind.cell(FIRST, _column(ind, "Commentary")).value == "Garden waste up after a wet summer."
    assert act.cell(FIRST, _column(act, "Progress")).value == "In progress"
    assert act.cell(FIRST, _column(act, "Expected End Date")).value == datetime(2027, 2, 28)
    assert sign.cell(HEADER + 3, 2).value == "Tom Hart"
    assert ind.protection.sheet  # still protected after a save by another tool


def test_a_label_given_to_the_public_functions_is_parsed_once_at_the_boundary():
    # Templates are written from scripts and notebooks too: a label is read as the Period it names.
    assert template_file_name("Housing", "2026-27 Q2") == template_file_name("Housing", Period.parse("2026-27 Q2"))
    assert services_to_return(_register(), "2026-27 Q2") == services_to_return(_register(), Period.parse("2026-27 Q2"))
    with pytest.raises(PeriodError, match="'Quarter two' is not a period"):
        template_file_name("Housing", "Quarter two")
