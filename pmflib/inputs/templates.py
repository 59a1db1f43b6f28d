"""Write the service return workbooks (SPEC §4): one per service per period.

A service manager never opens Python; the return is the only part of the
product they touch. So the workbook explains itself (an Instructions sheet,
a comment on every heading, an input message on every input cell), keeps
what the performance team filled in out of harm's way (grey, locked, sheet
protection on) and checks what is typed in Excel itself (dropdowns, dates,
numbers), because a mistake caught while typing never reaches the
data-quality report.

The layout is the contract with the reader (``pmflib.returns``): sheet names,
header labels and the Sign-off form come from ``pmflib.constants``; the
header row sits in the first rows below a title, where the reader looks.

Choosing the rows is pure (``indicator_rows``, ``action_rows``,
``services_to_return``); only ``write_templates`` touches disk.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import datetime, time
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from pmflib.core.values import is_missing
from pmflib.rules.status import is_due
from pmflib.core import constants as C
from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period

# --- look ----------------------------------------------------------------------------
# Presentation only (not labels or thresholds), so kept beside the code that uses it.
_GREY = "E7E6E6"          # prefilled, locked cells
_WHITE = "FFFFFF"         # input cells
_HEAD_PREFILLED = "595959"  # heading over a prefilled column
_HEAD_INPUT = "1D4F91"      # heading over an input column: "type here"
_RULE = "A6A6A6"
# Fonts are named: LibreOffice falls back to a serif face for an unnamed bold font.
_FONT = "Calibri"
_TITLE_FONT = Font(name=_FONT, bold=True, size=14)
_SUBTITLE_FONT = Font(name=_FONT, bold=True, size=12)
_HINT_FONT = Font(name=_FONT, italic=True, size=10, color="404040")
_HEAD_FONT = Font(name=_FONT, bold=True, color="FFFFFF")
_LABEL_FONT = Font(name=_FONT, bold=True)
_SECTION_FONT = Font(name=_FONT, bold=True, size=12, color="1D4F91")
_THIN = Side(style="thin", color=_RULE)
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)
_TOP_WRAP = Alignment(vertical="top", wrap_text=True)
_HEAD_ALIGN = Alignment(vertical="center", horizontal="center", wrap_text=True)
_MIDDLE = Alignment(vertical="center", horizontal="left")
_DATE_ALIGN = Alignment(vertical="top", horizontal="center")
_POINTS_PER_LINE = 15

#: Column widths (characters) chosen so a manager reads every column without
#: resizing; long text columns wrap instead of widening.
_WIDTHS = {
    "Indicator ID": 12, "Indicator": 36, "Unit": 8, "Polarity": 14, "Target": 10,
    "Previous Value": 10, "Actual": 11, "Forecast Year-End": 11, "Commentary": 38,
    "Corrective Action": 32, "Data Note": 22,
    "Action ID": 9, "Action": 38, "Baseline End Date": 12, "Previous Status": 16,
    "Progress": 15, "Expected End Date": 12, "Completed Date": 12,
    "Reason For Delay": 28,
}
_INSTRUCTIONS_WIDTH = 80
#: Column widths count digit widths; running prose fits about this many times
#: more letters per line (measured on the LibreOffice rendering, roomier in Calibri).
_PROSE_LETTERS_PER_WIDTH = 1.1
_SIGNOFF_WIDTHS = (18, 44)

_DATE_COLUMNS = {"Baseline End Date", "Expected End Date", "Completed Date", "Date Approved"}
_NUMBER_COLUMNS = {"Target", "Previous Value", "Actual", "Forecast Year-End"}
# A tuple, not a set: the validations are written in this order, and set order
# changes between runs, which would make the files differ byte for byte.
_TEXT_INPUTS = ("Commentary", "Corrective Action", "Data Note", "Reason For Delay")

# Excel's widest numbers: "any number" for a decimal validation.
_ANY_NUMBER = ("-9.99E+307", "9.99E+307")
# Dates a return can sensibly hold, as Excel serial numbers (01/01/2000 to 31/12/2099),
# which both Excel and LibreOffice read the same way.
_EARLIEST_DATE, _LATEST_DATE = "36526", "73050"

# --- what goes in each column (shown as a comment on its heading) ---------------------
_INDICATOR_HELP = {
    "Indicator ID": "The indicator's reference in the council plan. Filled in for you: do not change it.",
    "Indicator": "What is measured. Filled in for you.",
    "Unit": "What the number counts: % (type 12 for 12%), £ (pounds), days, a number or a rate.",
    "Polarity": "Whether a higher or a lower value is better. Neutral means no target direction.",
    "Target": "This quarter's target (the quarterly profile if there is one, otherwise the annual target). Blank if none is set.",
    "Previous Value": "The last value reported before this quarter, for comparison.",
    "Actual": "This quarter's value, as a plain number. For % type 12 for 12%. Leave blank only if there is no figure, and say why in Data Note.",
    "Forecast Year-End": "Your best estimate of the value at 31 March, as a plain number. Leave blank at year-end (Q4).",
    "Commentary": "What the figure shows and why. Required when the target is missed (Red), at mid-year and year-end.",
    "Corrective Action": "What is being done to bring performance back on track, by whom and by when. Required when Red at mid-year and year-end.",
    "Data Note": "Anything about the data itself: provisional, estimated, a definition change, or why no figure is given.",
}
_ACTION_HELP = {
    "Action ID": "The action's reference in the council plan. Filled in for you: do not change it.",
    "Action": "What the plan commits to. Filled in for you.",
    "Baseline End Date": "The end date approved in the plan. Slippage is measured from this date.",
    "Previous Status": "The action's status at the last quarter.",
    "Progress": "Choose from the list: Not started, In progress, Completed or No longer viable.",
    "Expected End Date": "When you now expect the action to be finished (dd/mm/yyyy). Fill in unless it is completed.",
    "Completed Date": "The date the action was finished (dd/mm/yyyy). Only when Progress is Completed.",
    "Commentary": "Progress this quarter in a sentence or two. Say why if the action is no longer viable.",
    "Reason For Delay": "Required if the expected end date is more than 3 months after the baseline end date.",
    "Corrective Action": "What is being done to get a delayed action back on track.",
}
_SIGNOFF_HELP = {
    "Service": "The service this return is for. Filled in for you.",
    "Period": "The quarter this return is for. Filled in for you.",
    "Prepared By": "Name of the person who filled in this return.",
    "Approved By": "Name of the head of service (or deputy) who approves the figures. A return without an approver is chased.",
    "Date Approved": "The date the return was approved (dd/mm/yyyy).",
}


# --- choosing the rows (pure) ------------------------------------------------------------
def service_slug(service: str) -> str:
    """``Waste and Recycling`` → ``waste-and-recycling``: safe in any file system."""
    return re.sub(r"[^a-z0-9]+", "-", str(service).lower()).strip("-")


def template_file_name(service: str, period: "Period | str") -> str:
    """``waste-and-recycling-2026-27-Q2.xlsx``."""
    return f"{service_slug(service)}-{Period.parse(period).slug}.xlsx"


def _is_due(frequency: object, quarter: int) -> bool:
    """The status rules' ``is_due``, except that an unknown frequency counts as
    due: a row too many in a return is safer than a value never asked for (the
    register check reports the frequency itself)."""
    if str(frequency) not in C.REPORTING_QUARTERS:
        return True
    return is_due(str(frequency), quarter)


def _decimals(value: object) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return C.DEFAULT_DECIMALS
    return min(max(number, 0), C.MAX_DECIMALS)


def _period_targets(targets: pd.DataFrame, period: Period) -> pd.Series:
    """This period's target per indicator: the quarter's profile, else the annual target."""
    year = targets[targets["Year"].astype(str) == period.year_label].drop_duplicates("Indicator ID")
    quarter = pd.to_numeric(year[f"{period.quarter_name} Target"], errors="coerce")
    annual = pd.to_numeric(year["Annual Target"], errors="coerce")
    return pd.Series(quarter.fillna(annual).to_numpy(), index=year["Indicator ID"].to_numpy(), dtype="float64")


def _previous_values(previous_actuals: pd.DataFrame | None, period: Period) -> pd.Series:
    """The latest actual before ``period`` per indicator (NaN values skipped)."""
    if previous_actuals is None or previous_actuals.empty:
        return pd.Series(dtype="float64")
    known = previous_actuals[["Indicator ID", "Period", "Actual"]].copy()
    known["Actual"] = pd.to_numeric(known["Actual"], errors="coerce")
    known["Index"] = [Period.parse(p).index for p in known["Period"]]
    known = known[(known["Index"] < period.index) & known["Actual"].notna()]
    latest = known.sort_values("Index", kind="stable").drop_duplicates("Indicator ID", keep="last")
    return pd.Series(latest["Actual"].to_numpy(), index=latest["Indicator ID"].to_numpy(), dtype="float64")


def indicator_rows(register, period: "Period | str", previous_actuals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Indicators sheet of every return: register indicators due this period.

    Only due indicators go out (``constants.REPORTING_QUARTERS``): asking an
    annual measure for a Q2 value invites a guess. Returns ``Service``, the
    prefilled return columns and ``Decimals`` (for number formats), in
    register order.
    """
    period = Period.parse(period)
    indicators = register.indicators
    due = indicators[[_is_due(f, period.quarter) for f in indicators["Frequency"]]]
    targets = _period_targets(register.targets, period)
    previous = _previous_values(previous_actuals, period)
    ids = due["Indicator ID"]
    return pd.DataFrame({
        "Service": due["Service"].astype(str).to_numpy(),
        "Indicator ID": ids.astype(str).to_numpy(),
        "Indicator": due["Indicator"].astype(str).to_numpy(),
        "Unit": due["Unit"].astype(str).to_numpy(),
        "Polarity": due["Polarity"].astype(str).to_numpy(),
        "Target": ids.map(targets).astype("float64").to_numpy(),
        "Previous Value": ids.map(previous).astype("float64").to_numpy(),
        "Decimals": [_decimals(d) for d in due["Decimals"]],
    })


def action_rows(register, previous_actions: pd.DataFrame | None = None) -> pd.DataFrame:
    """The Actions sheet of every return: register actions not yet finished.

    An action Delivered or No longer viable at the last quarter is left off
    (nothing more to report); everything else goes out, including actions
    not yet started, so the service can confirm they are still scheduled.
    """
    actions = register.actions
    status: dict[str, str] = {}
    if previous_actions is not None and not previous_actions.empty:
        status = {str(a): "" if pd.isna(s) else str(s)
                  for a, s in zip(previous_actions["Action ID"], previous_actions["Status"])}
    previous = pd.Series([status.get(str(a), "") for a in actions["Action ID"]], dtype="str")
    rows = pd.DataFrame({
        "Service": actions["Service"].astype(str).to_numpy(),
        "Action ID": actions["Action ID"].astype(str).to_numpy(),
        "Action": actions["Action"].astype(str).to_numpy(),
        "Baseline End Date": pd.to_datetime(actions["End Date"]).to_numpy(),
        "Previous Status": previous.to_numpy(),
    })
    return rows[~rows["Previous Status"].isin(C.FINISHED_ACTION_STATUSES)].reset_index(drop=True)


def services_to_return(register, period: "Period | str") -> list[str]:
    """Services that owe a return: an indicator due this period, or any action.

    The same rule as ``ingest.services_due``, so every service chased for a
    missing return was sent a template.
    """
    period = Period.parse(period)
    indicators = register.indicators
    due = indicators[[_is_due(f, period.quarter) for f in indicators["Frequency"]]]
    services = set(due["Service"].astype(str)) | set(register.actions["Service"].astype(str))
    return sorted(s for s in services if s.strip())


# --- writing one workbook -------------------------------------------------------------------
#: How spreadsheet software recognises a formula in text (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def defuse_formulas(book) -> int:
    """Make every cell of a template plain text that could be read as a formula.

    The register's text is copied into the templates sent to services, so
    ``=HYPERLINK(...)`` in a register title would otherwise be saved as a live
    formula (openpyxl treats any string starting with ``=`` as one). Templates
    hold no formulas of their own, so every formula cell is register text: it
    is stored as a string, and every formula-like string gets Excel's quote
    prefix so editing the cell keeps it text. Returns the cells changed.
    """
    changed = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    if cell.data_type == "f":
                        cell.data_type = "s"
                    cell.quotePrefix = True
                    changed += 1
    return changed


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def _title(ws: Worksheet, council_name: str, service: str, period: Period, hint: str) -> None:
    """Rows 1–3: council, "Service return — service — period", and a one-line hint,
    so whichever sheet is printed or open, it says whose return and which quarter."""
    ws["A1"] = council_name
    ws["A1"].font = _TITLE_FONT
    ws["A2"] = C.TEMPLATE_TITLE.format(service=service, period=period.label)
    ws["A2"].font = _SUBTITLE_FONT
    ws["A3"] = hint
    ws["A3"].font = _HINT_FONT
    ws.row_dimensions[1].height = 20
    ws.row_dimensions[2].height = 18


def _prefilled(cell, value: object) -> None:
    cell.value = None if is_missing(value) or value == "" else value
    cell.fill = PatternFill("solid", start_color=_GREY)
    cell.protection = _LOCKED
    cell.border = _BOX
    cell.alignment = _TOP_WRAP


def _input(cell) -> None:
    cell.fill = PatternFill("solid", start_color=_WHITE)
    cell.protection = _UNLOCKED
    cell.border = _BOX
    cell.alignment = _TOP_WRAP


def _header(ws: Worksheet, headers: tuple[str, ...], inputs: tuple[str, ...], help_text: dict[str, str]) -> None:
    """The header row: dark grey over prefilled columns, blue over inputs, with a
    comment on each saying what goes in the column."""
    row = C.TEMPLATE_HEADER_ROW
    for col, label in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=col, value=label)
        cell.font = _HEAD_FONT
        cell.fill = PatternFill("solid", start_color=_HEAD_INPUT if label in inputs else _HEAD_PREFILLED)
        cell.alignment = _HEAD_ALIGN
        cell.border = _BOX
        cell.protection = _LOCKED
        comment = Comment(help_text[label], "Performance team")
        comment.width, comment.height = 260, 110
        cell.comment = comment
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[label]
    lines = max(math.ceil(len(label) / max(_WIDTHS[label] - 2, 1)) for label in headers)
    ws.row_dimensions[row].height = _POINTS_PER_LINE * max(lines, 2)


def _lines(text: str, width: float) -> int:
    """Lines ``text`` wraps to in a column ``width`` characters wide. Rows get an
    explicit height from this because LibreOffice does not fit rows to wrapped
    text when it opens an .xlsx; the estimate assumes a font a little wider than
    Calibri, so it errs on the roomy side in Excel."""
    per_line = max(width - 2, 1)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in str(text).split("\n"))


def _row_height(texts: dict[str, str], minimum_lines: int = 2) -> float:
    """Tall enough for the longest prefilled text in the row, and at least two
    lines so there is visible room to type commentary (rows can be resized)."""
    lines = max([minimum_lines, *(_lines(text, _WIDTHS[label]) for label, text in texts.items())])
    return _POINTS_PER_LINE * lines


def _validation(kind: str | None, title: str, prompt: str, error: str = "", **rule) -> DataValidation:
    """An Excel validation with its input message (shown on selecting the cell)
    and, for a real rule, a stop message in plain English."""
    dv = DataValidation(
        type=kind, allow_blank=True, showInputMessage=True, promptTitle=title[:32], prompt=prompt[:255],
        **rule,
    )
    if kind is not None:
        dv.showErrorMessage = True
        dv.errorStyle = "stop"
        dv.errorTitle = title[:32]
        dv.error = error[:255]
    return dv


def _number_validation(column: str, unit: str) -> DataValidation:
    if unit == "%":
        how = "Type the percentage as a number: type 12 for 12%. No % sign needed."
    elif unit == "£":
        how = "Type the amount in pounds as a plain number: type 3200000 for £3.2m."
    else:
        how = "Type a plain number, e.g. 1234 or 56.7, with no units or words."
    prompt = f"{how} Leave blank only if there is no figure, and say why in Data Note."
    return _validation(
        "decimal", column, prompt,
        f"{column} must be a number. {how} If there is no figure, leave the cell blank "
        "and explain in Data Note.",
        operator="between", formula1=_ANY_NUMBER[0], formula2=_ANY_NUMBER[1],
    )


def _date_validation(column: str, prompt: str) -> DataValidation:
    return _validation(
        "date", column, f"{prompt} Type the date as dd/mm/yyyy, e.g. 31/03/2027.",
        f"{column} must be a date, typed as dd/mm/yyyy (for example 31/03/2027).",
        operator="between", formula1=_EARLIEST_DATE, formula2=_LATEST_DATE,
    )


def _progress_validation() -> DataValidation:
    return _validation(
        "list", "Progress", "Choose from the list: " + ", ".join(C.PROGRESS_VALUES) + ".",
        "Choose one of: " + ", ".join(C.PROGRESS_VALUES) + ". Use the arrow beside the cell.",
        formula1='"' + ",".join(C.PROGRESS_VALUES) + '"',
    )


def _text_prompt(column: str, help_text: dict[str, str]) -> DataValidation:
    return _validation(None, column, help_text[column])


def _protect(ws: Worksheet) -> None:
    """Sheet protection on, so grey cells cannot be overtyped, but rows and
    columns can still be resized (a manager with long commentary needs to)."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False
    if C.TEMPLATE_PASSWORD:
        ws.protection.password = C.TEMPLATE_PASSWORD


def _print_setup(ws: Worksheet, *, landscape: bool, repeat_rows: bool) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4
    if repeat_rows:
        ws.print_title_rows = f"1:{C.TEMPLATE_HEADER_ROW}"
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = "&A"


def _indicators_sheet(ws: Worksheet, rows: pd.DataFrame) -> None:
    headers, inputs = C.RETURN_INDICATOR_HEADERS, C.RETURN_INDICATOR_INPUTS
    _header(ws, headers, inputs, _INDICATOR_HELP)
    col = {label: i for i, label in enumerate(headers, start=1)}
    number_rules: dict[tuple[str, str], DataValidation] = {}
    text_rules = {label: _text_prompt(label, _INDICATOR_HELP) for label in inputs if label in _TEXT_INPUTS}
    first = C.TEMPLATE_HEADER_ROW + 1
    for offset, item in enumerate(rows.itertuples(index=False)):
        row = first + offset
        values = dict(zip(rows.columns, item))
        number_format = _number_format(values["Decimals"])
        for label in C.RETURN_INDICATOR_PREFILLED:
            cell = ws.cell(row=row, column=col[label])
            _prefilled(cell, values[label])
            if label in _NUMBER_COLUMNS:
                cell.number_format = number_format
        for label in inputs:
            cell = ws.cell(row=row, column=col[label])
            _input(cell)
            if label in _NUMBER_COLUMNS:
                cell.number_format = number_format
                unit = "%" if values["Unit"] == "%" else "£" if values["Unit"] == "£" else ""
                key = (label, unit)
                if key not in number_rules:
                    number_rules[key] = _number_validation(label, unit)
                number_rules[key].add(cell.coordinate)
            else:
                cell.number_format = "@"
                text_rules[label].add(cell.coordinate)
        ws.row_dimensions[row].height = _row_height(
            {label: str(values[label]) for label in ("Indicator", "Unit", "Polarity")})
    for dv in [*number_rules.values(), *text_rules.values()]:
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=first, column=2).coordinate


def _actions_sheet(ws: Worksheet, rows: pd.DataFrame) -> None:
    headers, inputs = C.RETURN_ACTION_HEADERS, C.RETURN_ACTION_INPUTS
    _header(ws, headers, inputs, _ACTION_HELP)
    col = {label: i for i, label in enumerate(headers, start=1)}
    rules: dict[str, DataValidation] = {
        "Progress": _progress_validation(),
        "Expected End Date": _date_validation("Expected End Date", "When you now expect the action to finish."),
        "Completed Date": _date_validation("Completed Date", "Only if Progress is Completed: the date it finished."),
        **{label: _text_prompt(label, _ACTION_HELP) for label in inputs if label in _TEXT_INPUTS},
    }
    first = C.TEMPLATE_HEADER_ROW + 1
    for offset, item in enumerate(rows.itertuples(index=False)):
        row = first + offset
        values = dict(zip(rows.columns, item))
        for label in C.RETURN_ACTION_PREFILLED:
            cell = ws.cell(row=row, column=col[label])
            value = values[label]
            _prefilled(cell, None if is_missing(value) else pd.Timestamp(value).to_pydatetime()
                       if label in _DATE_COLUMNS else value)
            if label in _DATE_COLUMNS:
                cell.number_format = C.RETURN_DATE_FORMAT
                cell.alignment = _DATE_ALIGN
        for label in inputs:
            cell = ws.cell(row=row, column=col[label])
            _input(cell)
            if label in _DATE_COLUMNS:
                cell.number_format = C.RETURN_DATE_FORMAT
                cell.alignment = _DATE_ALIGN
            else:
                cell.number_format = "@"
            rules[label].add(cell.coordinate)
        ws.row_dimensions[row].height = _row_height(
            {label: str(values[label]) for label in ("Action", "Previous Status")})
    for dv in rules.values():
        if dv.sqref:
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(row=first, column=2).coordinate


def _signoff_sheet(ws: Worksheet, service: str, period: Period) -> None:
    """Labels in column A, values in column B (the two-column form the reader expects)."""
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = _SIGNOFF_WIDTHS
    prefilled = {"Service": service, "Period": period.label}
    rules = {
        "Prepared By": _text_prompt("Prepared By", _SIGNOFF_HELP),
        "Approved By": _text_prompt("Approved By", _SIGNOFF_HELP),
        "Date Approved": _date_validation("Date Approved", "The date the head of service approved this return."),
    }
    for offset, label in enumerate(C.RETURN_SIGNOFF_LABELS):
        row = C.TEMPLATE_HEADER_ROW + offset
        name = ws.cell(row=row, column=1, value=label)
        name.font = _LABEL_FONT
        name.alignment = _MIDDLE
        name.border = _BOX
        name.protection = _LOCKED
        comment = Comment(_SIGNOFF_HELP[label], "Performance team")
        comment.width, comment.height = 260, 90
        name.comment = comment
        value = ws.cell(row=row, column=2)
        if label in prefilled:
            _prefilled(value, prefilled[label])
        else:
            _input(value)
            value.number_format = C.RETURN_DATE_FORMAT if label in _DATE_COLUMNS else "@"
            rules[label].add(value.coordinate)
        value.alignment = _MIDDLE
        ws.row_dimensions[row].height = 22
    for dv in rules.values():
        ws.add_data_validation(dv)


def _deadline_text(deadline: datetime | None) -> str:
    if deadline is None:
        return "by the date given in the email that came with it"
    day = f"{deadline:%A} {deadline.day} {deadline:%B %Y}"
    if deadline.time() in (time(0, 0), time(23, 59), time(23, 59, 59)):
        return f"by the end of {day}"
    hour = deadline.hour % 12 or 12
    minutes = f":{deadline.minute:02d}" if deadline.minute else ""
    return f"by {hour}{minutes}{'am' if deadline.hour < 12 else 'pm'} on {day}"


def instructions_text(service: str, period: Period, council_name: str, deadline: datetime | None,
                      contact: str) -> list[tuple[str, str]]:
    """The Instructions sheet as (style, text) lines: ``h`` heading, ``p`` paragraph."""
    who = contact or f"the performance team at {council_name}"
    progress = {
        C.PROGRESS_NOT_STARTED: "work has not begun yet.",
        C.PROGRESS_IN_PROGRESS: "work is under way; give the date you now expect it to finish in Expected End Date.",
        C.PROGRESS_COMPLETED: "the action is finished; give the Completed Date.",
        C.PROGRESS_NOT_VIABLE: "the action will not be delivered; say why in Commentary.",
    }
    return [
        ("h", "What this workbook is"),
        ("p", f"This is {service}'s performance return for {period.label} ({period.months}). "
              f"Please complete it and send it back {_deadline_text(deadline)}."),
        ("h", "What to fill in"),
        ("p", "Indicators sheet: for each indicator, the Actual for the quarter and your Forecast Year-End "
              "(what you expect at 31 March), with Commentary. If the target is missed, say why in Commentary "
              "and what is being done in Corrective Action. Use Data Note for anything about the figure itself "
              "(provisional, estimated, or why there is no figure)."),
        ("p", "Actions sheet: for each action, choose its Progress from the list, give the Expected End Date "
              "(or the Completed Date if it is finished) and a short Commentary. If the expected end date is "
              "more than 3 months after the Baseline End Date, give the Reason For Delay and Corrective Action."),
        ("p", "Sign-off sheet: the name of who prepared the return, and the head of service who approved it, "
              "with the date. A return without an approver is chased."),
        ("h", "Grey cells and white cells"),
        ("p", "Grey cells are filled in for you and locked: please don't change them. Type only in the white "
              "cells (blue headings). Don't rename sheets, move columns or add rows; if an indicator or action "
              "is wrong or missing, tell us instead. Hover over a heading to see what goes in the column; you "
              "can widen columns and rows if you need more room."),
        ("h", "How to type numbers and dates"),
        ("p", "Numbers: type plain numbers, e.g. 1234 or 56.7, with no £ sign, 'k' or 'm', and no words. "
              "Money is in pounds: type 3200000 for £3.2m."),
        ("p", "Percentages (Unit %): type the number only: type 12 for 12%."),
        ("p", "No figure: leave Actual blank (not 0, unless the value really is 0) and explain in Data Note."),
        ("p", "Dates: type as dd/mm/yyyy, e.g. 31/03/2027."),
        ("h", "What the action Progress choices mean"),
        *[("p", f"{label}: {meaning}") for label, meaning in progress.items()],
        ("h", "What we will report"),
        ("p", f"Each indicator gets a status: {C.GREEN} (target met or on track to be met), {C.AMBER} (missed by "
              f"no more than the tolerance, usually 5%), {C.RED} (missed by more), or {C.MEASURED} (no target to "
              f"judge against). A KPI due this quarter with no Actual is shown as '{C.NOT_REPORTED}'."),
        ("p", f"Each action is {C.DELIVERED}, {C.ON_TARGET}, {C.SLIPPED_LESS}, {C.SLIPPED_MORE}, {C.SCHEDULED} "
              f"or {C.NO_LONGER_VIABLE}, judged against the Baseline End Date."),
        ("h", "Questions"),
        ("p", f"Contact {who}."),
    ]


def _instructions_sheet(ws: Worksheet, lines: list[tuple[str, str]]) -> None:
    ws.column_dimensions["A"].width = _INSTRUCTIONS_WIDTH
    row = C.TEMPLATE_HEADER_ROW
    for style, text in lines:
        cell = ws.cell(row=row, column=1, value=text)
        if style == "h":
            cell.font = _SECTION_FONT
            ws.row_dimensions[row].height = 22
            cell.alignment = Alignment(vertical="bottom")
        else:
            cell.alignment = _TOP_WRAP
            ws.row_dimensions[row].height = _POINTS_PER_LINE * _lines(text, _INSTRUCTIONS_WIDTH * _PROSE_LETTERS_PER_WIDTH) + 3
        row += 1


def build_workbook(service: str, period: "Period | str", indicators: pd.DataFrame, actions: pd.DataFrame,
                   *, council_name: str, deadline: datetime | None = None, contact: str = "") -> Workbook:
    """One service's return as an openpyxl Workbook (not saved), from its rows
    of ``indicator_rows`` and ``action_rows``."""
    period = Period.parse(period)
    wb = Workbook()
    instructions = wb.active
    instructions.title = C.RETURN_INSTRUCTIONS_SHEET
    _title(instructions, council_name, service, period,
           f"Please return this workbook {_deadline_text(deadline)}.")
    _instructions_sheet(instructions, instructions_text(service, period, council_name, deadline, contact))
    _print_setup(instructions, landscape=False, repeat_rows=False)

    hint = "Grey cells are filled in for you. Type in the white cells. Hover over a heading for help."
    # An empty table says so above its header (a note inside the table would be read as a row).
    sheet = wb.create_sheet(C.RETURN_INDICATORS_SHEET)
    _title(sheet, council_name, service, period,
           hint if len(indicators) else "No indicators are due from this service this quarter: nothing to fill in here.")
    _indicators_sheet(sheet, indicators)
    _print_setup(sheet, landscape=True, repeat_rows=True)

    sheet = wb.create_sheet(C.RETURN_ACTIONS_SHEET)
    _title(sheet, council_name, service, period,
           hint if len(actions) else "This service has no open actions this quarter: nothing to fill in here.")
    _actions_sheet(sheet, actions)
    _print_setup(sheet, landscape=True, repeat_rows=True)

    sheet = wb.create_sheet(C.RETURN_SIGNOFF_SHEET)
    _title(sheet, council_name, service, period,
           "The head of service approves the figures and commentary in this return.")
    _signoff_sheet(sheet, service, period)
    _print_setup(sheet, landscape=False, repeat_rows=False)

    for ws in wb.worksheets:
        _protect(ws)
    # Renamed or deleted sheets would stop the reader finding them.
    wb.security = WorkbookProtection(lockStructure=True)
    if C.TEMPLATE_PASSWORD:
        wb.security.workbookPassword = C.TEMPLATE_PASSWORD
    wb.properties.title = C.TEMPLATE_TITLE.format(service=service, period=period.label)
    wb.properties.subject = f"{service} {period.label}"
    wb.properties.creator = council_name
    wb.properties.keywords = f"PMF return; {service}; {period.label}"
    stamp = datetime.combine(period.start_date, time(0, 0))
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.lastModifiedBy = council_name
    return wb


# --- disk ----------------------------------------------------------------------------------
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def save_deterministic(wb: Workbook, path: Path) -> Path:
    """Save so the same inputs give byte-identical files: openpyxl stamps the
    save time into docProps/core.xml and the zip entries; both are pinned
    (to the workbook's own ``created`` date and the zip epoch), so a
    regenerated template is recognisably the same file."""
    buffer = io.BytesIO()
    wb.save(buffer)
    created = wb.properties.created.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + created + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


def write_templates(register, period: "Period | str", out_dir: "Path | str", *,
                    previous_actuals: pd.DataFrame | None, previous_actions: pd.DataFrame | None,
                    council_name: str, deadline: datetime | None, contact: str = "") -> list[Path]:
    """Write one return workbook per service owing a return for ``period``.

    ``previous_actuals`` (``Indicator ID``, ``Period``, ``Actual``) gives the
    Previous Value column; ``previous_actions`` (``Action ID``, ``Status``)
    the Previous Status column and which actions are finished. ``contact`` is
    who the Instructions sheet says to ask (default: the performance team).
    Files are ``<service slug>-<period slug>.xlsx`` in ``out_dir``; the list
    is in service order.
    """
    period = Period.parse(period)
    out_dir = Path(out_dir)
    indicators = indicator_rows(register, period, previous_actuals)
    actions = action_rows(register, previous_actions)
    services = services_to_return(register, period)
    names: dict[str, str] = {}
    for service in services:
        name = template_file_name(service, period)
        if not service_slug(service):
            raise ConfigError(f"Service '{service}' has no letters or digits to name its return file after")
        if name in names:
            raise ConfigError(
                f"Services '{names[name]}' and '{service}' would both be written to {name}: "
                "rename one in the register"
            )
        names[name] = service
    paths = []
    for name, service in names.items():
        wb = build_workbook(
            service, period,
            indicators[indicators["Service"] == service].drop(columns="Service").reset_index(drop=True),
            actions[actions["Service"] == service].drop(columns="Service").reset_index(drop=True),
            council_name=council_name, deadline=deadline, contact=contact,
        )
        defuse_formulas(wb)
        paths.append(save_deterministic(wb, out_dir / name))
    return paths
