"""Writing a register or history workbook as an officer keeps one: bold frozen headers, dates, Y/N flags."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from pmflib.core import constants as C
from pmflib.core.errors import PmfError

# --- writing -------------------------------------------------------------------------

#: Columns the reader derives; writing them back would make them look like
#: extra register columns the officer typed.
_DERIVED_COLUMNS = {
    C.INDICATORS_SHEET: ("Tolerance Value", "Tolerance Relative"),
    C.TARGETS_SHEET: ("Baseline",),
}
_DATE_FORMAT = "yyyy-mm-dd"
_MIN_WIDTH, _MAX_WIDTH, _DATE_WIDTH = 8, 60, 12


def _sheet_order(names: list[str]) -> list[str]:
    """Standard sheets first, in SPEC order, so every register looks the same."""
    standard = [name for name in C.REGISTER_SHEETS if name in names]
    return standard + [name for name in names if name not in C.REGISTER_SHEETS]


def _excel_value(value: object) -> object:
    """Turn one pandas value into what an officer expects to see in Excel.

    Booleans become ``Y``/``N`` text because that is how the register spells
    flags; missing values become empty cells rather than ``nan``.
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return C.YES_NO[0] if value else C.YES_NO[1]
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (datetime, date, str)):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _for_writing(sheet: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Drop derived columns; put a baseline word back where the reader found one.

    This makes ``write_register(read_register(p))`` reproduce the register.
    """
    out = frame.drop(columns=[c for c in _DERIVED_COLUMNS.get(sheet, ()) if c in frame.columns])
    if sheet == C.TARGETS_SHEET and "Baseline" in frame.columns and "Annual Target" in out.columns:
        annual = out["Annual Target"].astype(object)
        is_baseline = frame["Baseline"].fillna(False).astype(bool) & annual.isna()
        out["Annual Target"] = annual.where(~is_baseline, C.BASELINE_TARGET_WORDS[0].capitalize())
    return out


def _column_width(header: str, values: list[object]) -> float:
    """Wide enough for the header and the longest value, within reason."""
    if any(isinstance(v, (datetime, date)) for v in values):
        longest = max(len(str(header)), _DATE_WIDTH)
    else:
        longest = max([len(str(header))] + [len(str(v)) for v in values if v is not None])
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _write_sheet(book: XlsxWorkbook, name: str, frame: pd.DataFrame) -> None:
    """One table as a sheet: bold frozen header, real dates, text kept as text."""
    sheet = book.create_sheet(title=name)
    bold = Font(bold=True)
    for col, header in enumerate(frame.columns, start=1):
        sheet.cell(row=1, column=col, value=str(header)).font = bold
    for col, header in enumerate(frame.columns, start=1):
        values = [_excel_value(v) for v in frame[header].tolist()]
        for row, value in enumerate(values, start=2):
            cell = sheet.cell(row=row, column=col, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            elif isinstance(value, (datetime, date)):
                cell.number_format = _DATE_FORMAT
        sheet.column_dimensions[get_column_letter(col)].width = _column_width(str(header), values)
    sheet.freeze_panes = "A2"


def _write_workbook(sheets: list[tuple[str, pd.DataFrame]], path: "Path | str") -> Path:
    path = Path(path)
    book = XlsxWorkbook()
    book.remove(book.active)
    for name, frame in sheets:
        _write_sheet(book, name, frame)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def write_register(sheets: dict[str, pd.DataFrame], path: "Path | str") -> Path:
    """Write a register workbook: Outcomes, Indicators, Targets, Actions, then extras.

    Used by the demo council and by tests, so the workbook must look like one
    an officer keeps by hand: bold frozen header, ``yyyy-mm-dd`` dates, Y/N
    flags as text. The frames are not modified.
    """
    ordered = [(name, _for_writing(name, sheets[name])) for name in _sheet_order(list(sheets))]
    return _write_workbook(ordered, path)


def write_history(history: pd.DataFrame, path: "Path | str") -> Path:
    """Write the history long table as ``.csv`` or ``.xlsx``, chosen by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        history.to_csv(path, index=False, date_format="%Y-%m-%d")
        return path
    if suffix == ".xlsx":
        return _write_workbook([(C.HISTORY_SHEET, history)], path)
    raise PmfError(f"{path.name}: history can be written as .csv or .xlsx, not '{path.suffix}'")
