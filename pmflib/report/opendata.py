"""Open data (SPEC §10): the indicator and action tables every report is
drawn from, as plain CSV with a Frictionless Data Package beside them.

The CSVs are what the public and other councils reuse, so they follow the
SPEC's columns exactly: ISO dates, plain numbers (no separators, no ``%``:
the Unit column says what a number is), text labels for every status.
"""

from __future__ import annotations

import json
import math
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pmflib.core.constants import ACTION_COLUMNS, INDICATOR_COLUMNS, OPEN_DATA_LICENCE
from pmflib.core.periods import Period
from pmflib.core.values import as_text, is_missing

#: Frictionless field types for the open data columns; anything not listed is a string.
_NUMBER_FIELDS = {"Actual", "Forecast Year-End", "Target", "Comparison Value", "Slippage Months"}
_DATE_FIELDS = {"Start Date", "Baseline End Date", "Expected End Date", "Completed Date"}
_FIELD_DESCRIPTIONS = {
    "Period": "UK financial-year quarter the row reports on, e.g. 2025-26 Q2",
    "Status": "Green, Amber, Red, Measured (no RAG can be given) or Not reported",
    "Status Reason": "Why the indicator has its status",
    "Direction": "Direction of travel: Improving, Maintained, Declining or Measured",
    "Compared With": "The period the direction of travel compares with",
    "Comparison Value": "The actual in the period compared with",
    "Slippage Months": "Calendar months the expected end date is later than the baseline end date",
    "KPI": "Y if a Key Performance Indicator",
    "Target": "The target the status was assessed against",
    "Variation": "Making Data Count SPC variation of the latest point",
    "Assurance": "Making Data Count SPC assurance that the target will be met",
    "Source": "Where the actual came from: the file name of the service's return, or history "
              "(imported from inputs/history.csv before the council adopted returns)",
    "Source Sheet": "The sheet of the source file that holds the actual",
    "Source Cell": "The cell (A1 reference) of the source file that holds the actual",
    "Source SHA-256": "SHA-256 of the source file as received; the ledger archives it under this name",
    "Approved By": "Who approved the return the actual came from; empty for history",
}

#: A text cell starting with one of these would be run as a formula by Excel or
#: LibreOffice (OWASP "CSV Injection"), so it is written with a leading ``'``.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula (OWASP):
    a cell starting with ``= + - @``, tab or carriage return gets a leading
    single quote. Only text columns pass through here; number columns stay
    plain numbers, so ``-3`` in ``Actual`` is still minus three."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def format_number(value: object) -> str:
    """A plain number as text (SPEC §10): ``12`` not ``12.0``, no separators,
    never an exponent (``0.00001``, not ``1e-05``), blank for none.

    Ten significant figures: enough for any figure a return can hold, and no
    binary noise (``0.30000000000000004``). Infinity is no figure anyone
    reported (ingest refuses it), so it is written as no value.
    """
    if is_missing(value):
        return ""
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    number = float(value)
    if not math.isfinite(number):
        return ""
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    text = f"{number:.10g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def format_date(value: object) -> str:
    """ISO date (``2025-09-30``), blank for none."""
    if is_missing(value):
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _as_text_table(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"open data table lacks columns {missing}")
    out = pd.DataFrame(index=frame.index)
    for column in columns:
        series = frame[column]
        if column in _NUMBER_FIELDS:
            out[column] = [format_number(v) for v in series]
        elif column in _DATE_FIELDS:
            out[column] = [format_date(v) for v in series]
        elif series.dtype == bool:
            out[column] = series.map({True: "Y", False: "N"})
        else:
            out[column] = [as_text(v) for v in series]
    return out.reset_index(drop=True)


def _safe_for_spreadsheets(table: pd.DataFrame) -> pd.DataFrame:
    """The CSV form of a text table: text columns made formula-safe."""
    out = table.copy()
    for column in out.columns:
        if column not in _NUMBER_FIELDS and column not in _DATE_FIELDS:
            out[column] = [safe_text(v) for v in out[column]]
    return out


#: The provenance columns of ``indicators.csv`` (SPEC §10), from ``Ledger.figure_sources``.
SOURCE_COLUMNS = ("Source", "Source Sheet", "Source Cell", "Source SHA-256", "Approved By")


def with_sources(indicators: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The period's indicator rows with where each actual came from; blank
    where the period has no actual (Not reported)."""
    keep = sources[["Indicator ID", "Period", *SOURCE_COLUMNS]]
    base = indicators.drop(columns=[c for c in SOURCE_COLUMNS if c in indicators.columns])
    merged = base.merge(keep, on=["Indicator ID", "Period"], how="left")
    for column in SOURCE_COLUMNS:
        merged[column] = merged[column].fillna("")
    merged.index = indicators.index
    return merged


def indicators_table(indicators: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """The open-data indicator rows as text, in SPEC column order."""
    from pmflib.rules.status import status_bases

    if {"Status", "Target"} <= set(indicators.columns):
        # SPEC §10: the reason names what was compared, not only the verdict.
        indicators = indicators.assign(**{"Status Reason": status_bases(indicators)})
    return _as_text_table(indicators, INDICATOR_COLUMNS + tuple(extra))


def actions_table(actions: pd.DataFrame) -> pd.DataFrame:
    """The open-data action rows as text, in SPEC column order."""
    return _as_text_table(actions, ACTION_COLUMNS)


def _schema(columns: list[str]) -> dict:
    fields = []
    for column in columns:
        kind = "number" if column in _NUMBER_FIELDS else "date" if column in _DATE_FIELDS else "string"
        field = {"name": column, "type": kind}
        if column in _FIELD_DESCRIPTIONS:
            field["description"] = _FIELD_DESCRIPTIONS[column]
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def datapackage(council: str, period: Period, tables: dict[str, pd.DataFrame]) -> dict:
    """A Frictionless Data Package descriptor for the period's tables."""
    period_label = Period.parse(period).label
    # Frictionless names are lower-case ASCII: "Ynys Môn" is written "ynys-mon".
    ascii_name = unicodedata.normalize("NFKD", council).encode("ascii", "ignore").decode("ascii")
    slug = "".join(ch if ch.isalnum() else "-" for ch in ascii_name.lower()).strip("-")
    return {
        "profile": "tabular-data-package",
        "name": f"{slug}-performance-{period_label.replace(' ', '-').lower()}",
        "title": f"{council}: performance indicators and actions, {period_label}",
        "description": (
            "Every indicator's actual, target, RAG status and direction of travel, and every "
            "action's delivery status, as published in the quarterly performance report."
        ),
        "licenses": [OPEN_DATA_LICENCE],
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(list(frame.columns)),
            }
            for name, frame in tables.items()
        ],
    }


def write_open_data(
    folder: Path,
    council: str,
    period: Period,
    indicators: pd.DataFrame,
    actions: pd.DataFrame,
    indicator_extra: tuple[str, ...] = (),
) -> dict[str, Path]:
    """Write ``indicators.csv``, ``actions.csv`` and ``datapackage.json`` into ``folder``."""
    period = Period.parse(period)  # a label from a script is parsed here, once
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "indicators": indicators_table(indicators, indicator_extra),
        "actions": actions_table(actions),
    }
    paths = {}
    for name, table in tables.items():
        paths[name] = folder / f"{name}.csv"
        _safe_for_spreadsheets(table).to_csv(paths[name], index=False, encoding="utf-8", lineterminator="\n")
    paths["datapackage"] = folder / "datapackage.json"
    paths["datapackage"].write_text(
        json.dumps(datapackage(council, period, tables), indent=2) + "\n", encoding="utf-8"
    )
    paths["spreadsheet"] = folder / f"{spreadsheet_name(council, period)}.xlsx"
    write_spreadsheet(paths["spreadsheet"], council, period, tables)
    return paths


def spreadsheet_name(council: str, period: Period) -> str:
    """``<council>-performance-<period>``: the spreadsheet's file stem."""
    return datapackage(council, period, {})["name"]


_TABLE_NOTES = {
    "indicators": "One row per indicator: its actual, target, RAG status, direction of travel and "
                  "where the actual came from (return file, sheet, cell, SHA-256, approver).",
    "actions": "One row per action: its dates, delivery status and slippage.",
}


def write_spreadsheet(path: Path, council: str, period: Period, tables: dict[str, pd.DataFrame]) -> Path:
    """The open data as an accessible spreadsheet, after the Analysis
    Function's "Releasing statistics in spreadsheets": a cover sheet, a notes
    sheet, then one table per sheet starting in A1 with a single header row,
    nothing merged, no blank rows or columns, numbers stored as numbers and
    text that Excel will never run as a formula (the cell is typed as text
    with Excel's quote prefix, the spreadsheet form of the CSV's ``'``)."""
    from openpyxl import Workbook as XlsxWorkbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.table import Table, TableStyleInfo

    period_label = Period.parse(period).label
    book = XlsxWorkbook()
    cover = book.active
    cover.title = "Cover"
    sheet_titles = {name: name.capitalize() for name in tables}
    cover_rows = [
        f"{council}: performance indicators and actions, {period_label}",
        "Every indicator's actual, target, RAG status and direction of travel, and every action's "
        "delivery status, as published in the quarterly performance report.",
        "Contents",
        *[f"{sheet_titles[name]} sheet: {_TABLE_NOTES.get(name, name)}" for name in tables],
        "Notes sheet: what the columns mean.",
        "The same tables are published as CSV with a Frictionless Data Package (datapackage.json).",
        f"Licence: {OPEN_DATA_LICENCE['title']} ({OPEN_DATA_LICENCE['path']})",
    ]
    for row, text in enumerate(cover_rows, start=1):
        _text_cell(cover, row, 1, text)
    cover["A1"].font = Font(bold=True, size=14)
    cover["A3"].font = Font(bold=True, size=12)
    cover.column_dimensions["A"].width = 110

    notes = book.create_sheet("Notes")
    _text_cell(notes, 1, 1, "Table")
    _text_cell(notes, 1, 2, "Column")
    _text_cell(notes, 1, 3, "Meaning")
    row = 2
    for name, frame in tables.items():
        for column in frame.columns:
            for col, text in enumerate((sheet_titles[name], column, _describe(column)), start=1):
                _text_cell(notes, row, col, text)
            row += 1
    _as_table(notes, "NotesTable", 3, row - 1, Table, TableStyleInfo, Font)
    notes.column_dimensions["C"].width = 90

    for name, frame in tables.items():
        sheet = book.create_sheet(sheet_titles[name])
        for col, column in enumerate(frame.columns, start=1):
            _text_cell(sheet, 1, col, column)
        for r, record in enumerate(frame.itertuples(index=False), start=2):
            for col, (column, value) in enumerate(zip(frame.columns, record), start=1):
                if column in _NUMBER_FIELDS and value != "":
                    sheet.cell(row=r, column=col, value=float(value) if "." in value or "e" in value
                               else int(value))
                else:
                    _text_cell(sheet, r, col, value)
        _as_table(sheet, f"{sheet_titles[name]}Table", len(frame.columns), len(frame) + 1,
                  Table, TableStyleInfo, Font)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _describe(column: str) -> str:
    return _FIELD_DESCRIPTIONS.get(column) or f"{column} (as in the register or the service's return)"


def _text_cell(sheet, row: int, column: int, text: str):
    """A cell that holds text and only text: typed as a string, and quote-prefixed
    when Excel would otherwise read it as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def _as_table(sheet, name: str, columns: int, last_row: int, Table, TableStyleInfo, Font) -> None:
    """Mark A1:<last> as a named Excel table with one bold header row, frozen."""
    from openpyxl.utils import get_column_letter

    for col in range(1, columns + 1):
        sheet.cell(row=1, column=col).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(col)].width = 22
    sheet.freeze_panes = "A2"
    if last_row >= 2:
        table = Table(displayName=name, ref=f"A1:{get_column_letter(columns)}{last_row}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        sheet.add_table(table)
