"""Reading one service return (SPEC §4): every cell checked, nothing guessed.

Each file is read once. Values come from python-calamine (several times
faster than a full openpyxl load); the one thing calamine does not give —
whether a cell has a percentage number format, which is how Excel stores a
typed ``12%`` as 0.12 — is read straight from the workbook's XML, for the
Actual and Forecast columns only.

A file that is not a workbook, a sheet that is missing, a cell that cannot
be read: each becomes a ``Problem`` with file, sheet, cell and what to do,
and the rest of the row, sheet and file is kept.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pandas as pd
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from pmflib.core import cells
from pmflib.core.constants import (
    MAX_COMMENTARY_CHARS,
    MAX_PROBLEMS_PER_FILE,
    PROGRESS_COMPLETED,
    PROGRESS_NOT_VIABLE,
    PROGRESS_VALUES,
    RETURN_ACTIONS_SHEET,
    RETURN_INDICATORS_SHEET,
    RETURN_SIGNOFF_SHEET,
)
from pmflib.core.errors import PeriodError, Problem
from pmflib.core.headers import HEADER_SEARCH_ROWS, first_header_row, header_key
from pmflib.core.periods import Period
from pmflib.inputs.preflight import check_return

#: Suffixes read. ``.xlsm`` (macros) is refused by the pre-flight check with
#: its own message; ``.xls`` is not a zip, so it relies on the worker's limits.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
#: Suffixes whose zipped XML says which cells are percentages (OOXML number
#: formats; OpenDocument value types).
_ZIPPED_SUFFIXES = (".xlsx", ".ods")
#: Characters of a value echoed in a problem row (the cell itself may hold 32,767).
_SHOWN_CHARS = 200

INDICATOR_FIELDS = ("Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note")
INDICATOR_REQUIRED = ("Indicator ID", "Actual")
ACTION_FIELDS = (
    "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
    "Reason For Delay", "Corrective Action",
)
ACTION_REQUIRED = ("Action ID", "Progress")
SIGNOFF_FIELDS = ("Service", "Period", "Prepared By", "Approved By", "Date Approved")

INDICATOR_RETURN_COLUMNS = INDICATOR_FIELDS + ("Row", "Actual Cell", "Forecast Cell", "Sheet")
ACTION_RETURN_COLUMNS = ACTION_FIELDS + ("Row", "Sheet")


@dataclass
class ReturnFile:
    """What one return said, and every problem with it."""

    path: Path
    sha256: str
    service: str | None = None
    period: Period | None = None
    prepared_by: str = ""
    approved_by: str = ""
    date_approved: date | None = None
    indicators: pd.DataFrame = field(default_factory=lambda: _empty(INDICATOR_RETURN_COLUMNS))
    actions: pd.DataFrame = field(default_factory=lambda: _empty(ACTION_RETURN_COLUMNS))
    problems: list[Problem] = field(default_factory=list)
    #: sheet name (as in the file) → field → column letter, for locating cells later.
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    is_return: bool = False


@lru_cache(maxsize=8)
def _empty_template(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


def _empty(columns) -> pd.DataFrame:
    """An empty table with the return's columns. Building one costs milliseconds in
    pandas and every return needs two, so one is built and copied (copy-on-write)."""
    return _empty_template(tuple(columns)).copy(deep=False)


@lru_cache(maxsize=4)
def _register_lookups(register) -> tuple[dict[str, str], frozenset[str], dict[str, tuple[str, str]]]:
    """Action ID → service, the register's services, and Indicator ID → (service, unit):
    worked out once per register, not once per return.

    A register is compared by identity (``eq=False``), so the cache holds the
    register being ingested and nothing stale."""
    actions = dict(zip(register.actions["Action ID"], register.actions["Service"].astype(str)))
    services = frozenset(register.indicators["Service"]) | frozenset(register.actions["Service"])
    indicators = {
        str(i): (str(service), str(unit))
        for i, service, unit in zip(register.indicators["Indicator ID"], register.indicators["Service"],
                                    register.indicators["Unit"])
    }
    return actions, services, indicators


class _Collector:
    """Problems of one file, so each call site says only sheet, cell and words."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, sheet: str, cell: str, problem: str, value: object = "", id: str = "") -> None:
        """Keep the first ``MAX_PROBLEMS_PER_FILE``; count the rest (a sheet of a
        million bad rows must not make a million problem rows)."""
        if len(self.items) >= MAX_PROBLEMS_PER_FILE:
            self.dropped += 1
            return
        shown = "" if value is None else cells.parse_text(value) if not isinstance(value, str) else value
        if len(shown) > _SHOWN_CHARS:
            shown = shown[:_SHOWN_CHARS] + "…"
        self.items.append(Problem(self.file, sheet, cell, problem, shown, id))

    def close(self) -> None:
        """The one line that stands for the problems not kept."""
        if self.dropped:
            self.items.append(Problem(self.file, "", "", (
                f"… and {self.dropped:,} more problems in this file (only the first {MAX_PROBLEMS_PER_FILE} "
                "are listed): fix these and send it again to see the rest")))
            self.dropped = 0


# --- the workbook's XML: which cells are percentage-formatted ---------------------------------------
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BUILTIN_PERCENT = {9, 10}
_QUOTED = re.compile(r'"[^"]*"|\\.')


def _percent_styles(book: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of cell styles whose number format shows a percentage."""
    try:
        return _percent_styles_in(book.read("xl/styles.xml"))
    except KeyError:
        return frozenset()


@lru_cache(maxsize=32)
def _percent_styles_in(styles_xml: bytes) -> frozenset[int]:
    """Read once per distinct styles part: every return made from one
    template has the same one, and parsing it was 8% of reading a return."""
    root = ElementTree.fromstring(styles_xml)
    custom = {
        _int(fmt.get("numFmtId")): "%" in _QUOTED.sub("", fmt.get("formatCode", ""))
        for fmt in root.iterfind("m:numFmts/m:numFmt", _NS)
    }
    percent = set()
    for index, xf in enumerate(root.iterfind("m:cellXfs/m:xf", _NS)):
        number_format = _int(xf.get("numFmtId", 0))
        if number_format in _BUILTIN_PERCENT or custom.get(number_format):
            percent.add(index)
    return frozenset(percent)


def _int(text: object) -> int:
    """A style number; a missing or damaged one is -1 (no format)."""
    try:
        return int(text)
    except (TypeError, ValueError):
        return -1


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the XML part holding it."""
    return dict(_sheet_parts_in(book.read("xl/workbook.xml"), book.read("xl/_rels/workbook.xml.rels")))


@lru_cache(maxsize=32)
def _sheet_parts_in(workbook_xml: bytes, rels_xml: bytes) -> tuple[tuple[str, str], ...]:
    workbook = ElementTree.fromstring(workbook_xml)
    rels = ElementTree.fromstring(rels_xml)
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    parts = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(_REL_NS), "")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts[sheet.get("name")] = path
    return tuple(parts.items())


def percent_cells(data: bytes, sheet: str, columns: set[str]) -> set[str]:
    """A1 references of cells in ``columns`` (letters) of ``sheet`` that have a
    percentage format; streamed, so a large sheet costs little."""
    if not columns:
        return set()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            if "content.xml" in book.namelist() and "xl/workbook.xml" not in book.namelist():
                return _ods_percent_cells(book, sheet, columns)
            styles = _percent_styles(book)
            if not styles:
                return set()
            part = _sheet_parts(book).get(sheet)
            if part is None:
                return set()
            found = set()
            with book.open(part) as stream:
                for _, element in ElementTree.iterparse(stream):
                    if element.tag.endswith("}c"):
                        ref = element.get("r", "")
                        letters = ref.rstrip("0123456789")
                        if letters in columns and _int(element.get("s", 0)) in styles:
                            found.add(ref)
                        element.clear()
            return found
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, ValueError):
        return set()


_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _ods_percent_cells(book: zipfile.ZipFile, sheet: str, columns: set[str]) -> set[str]:
    """The same for an OpenDocument (.ods) sheet, where a percentage cell says
    so itself (``office:value-type="percentage"``); repeated rows and cells
    are counted out so each A1 reference is where calamine puts the value."""
    found = set()
    for table in ElementTree.fromstring(book.read("content.xml")).iter(f"{_ODS_TABLE}table"):
        if table.get(f"{_ODS_TABLE}name") != sheet:
            continue
        row = 0
        for row_element in table.iter(f"{_ODS_TABLE}table-row"):
            rows = int(row_element.get(f"{_ODS_TABLE}number-rows-repeated", 1))
            column = 0
            for cell in row_element:
                repeat = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", 1))
                if cell.get(f"{_ODS_OFFICE}value-type") == "percentage":
                    for letters in {get_column_letter(c + 1) for c in range(column, column + repeat)} & columns:
                        found.update(f"{letters}{r + 1}" for r in range(row, row + rows))
                column += repeat
            row += rows
    return found


# --- tables --------------------------------------------------------------------------------
def find_header(grid: list[list[object]], wanted: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) within the first rows and each wanted label's column
    (``core.headers``: the same matching as the register's)."""
    return first_header_row(grid, wanted)


def _cell(row_index: int, column: int) -> str:
    return f"{get_column_letter(column + 1)}{row_index + 1}"


def _value(row: list[object], column: int | None) -> object:
    if column is None or column >= len(row):
        return None
    return row[column]


def _row_is_blank(row: list[object]) -> bool:
    return all(cells.is_blank(v) or (isinstance(v, str) and not v.strip()) for v in row)


# --- reading --------------------------------------------------------------------------------------
def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in pieces; "" if it cannot be read (vanished, locked)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for piece in iter(lambda: stream.read(1024 * 1024), b""):
                digest.update(piece)
    except OSError:
        return ""
    return digest.hexdigest()


def read_return(path: "Path | str", register, period: "Period | str") -> ReturnFile:
    """Read one return for ``period``; never raises for a bad file.

    The pre-flight check comes first, so a file that breaks a limit is
    refused before calamine allocates for it; calamine's own failures
    (XmlError, a Rust panic, an overflow) become one problem for the file.
    """
    path = Path(path)
    period = Period.parse(period)
    data = path.read_bytes()
    result = ReturnFile(path=path, sha256=hashlib.sha256(data).hexdigest())
    issues = _Collector(path.name)
    result.problems = issues.items
    try:
        _read_checked(path, data, register, period, result, issues)
    except BaseException as exc:  # noqa: B036 - see _reraise
        _reraise(exc)
        result.indicators, result.actions = _empty(INDICATOR_RETURN_COLUMNS), _empty(ACTION_RETURN_COLUMNS)
        result.is_return, result.service = False, None
        what = str(exc) if isinstance(exc, ReturnReadError) else f"{type(exc).__name__}: {str(exc)[:120]}"
        issues.add("", "", f"{path.name} could not be read: it holds something the reader cannot handle "
                   f"({what}). Open it in Excel, check for values far out of "
                   "range (huge numbers, dates or durations), save it as .xlsx and send it again")
    issues.close()
    return result


def _reraise(exc: BaseException) -> None:
    """What a file may raise is one problem for that file: calamine's own errors
    (XmlError, ZipError), a Rust panic (pyo3's PanicException derives from
    BaseException, not Exception), overflow and memory errors while values are
    converted. Only an interrupt goes on up."""
    if isinstance(exc, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise exc


def _read_checked(path: Path, data: bytes, register, period: Period, result: ReturnFile, issues: _Collector) -> None:
    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES or not data:
        issues.add("", "", f"{path.name} is not an Excel workbook: save it as .xlsx and send it again")
        return
    refusal = check_return(path)
    if refusal is not None:
        issues.items.append(refusal)
        return
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except BaseException as exc:  # noqa: B036 - calamine raises several kinds, a panic among them
        _reraise(exc)
        issues.add("", "", f"{path.name} could not be opened as an Excel workbook (it may be damaged, "
                   "password-protected or another kind of file): save it as .xlsx and send it again")
        return

    sheets = {header_key(name): name for name in names}
    wanted = {header_key(s): s for s in (RETURN_INDICATORS_SHEET, RETURN_ACTIONS_SHEET, RETURN_SIGNOFF_SHEET)}
    present = {label: sheets[k] for k, label in wanted.items() if k in sheets}
    if not present:
        issues.add("", "", f"{path.name} is not a return: it has none of the sheets "
                   f"{RETURN_INDICATORS_SHEET}, {RETURN_ACTIONS_SHEET}, {RETURN_SIGNOFF_SHEET} "
                   f"(it has {', '.join(names) or 'no sheets'}). Send the return made from the template.")
        return
    result.is_return = True
    for label in wanted.values():
        if label not in present:
            issues.add(label, "", f"The {label} sheet is missing: copy it back from the template")

    def grid(label: str) -> list[list[object]]:
        return _grid(book, present[label])

    if RETURN_SIGNOFF_SHEET in present:
        _read_signoff(grid(RETURN_SIGNOFF_SHEET), present[RETURN_SIGNOFF_SHEET], register, period, result, issues)
    if RETURN_INDICATORS_SHEET in present:
        name = present[RETURN_INDICATORS_SHEET]
        _read_indicators(grid(RETURN_INDICATORS_SHEET), name, data if suffix in _ZIPPED_SUFFIXES else None,
                         register, result, issues)
    if RETURN_ACTIONS_SHEET in present:
        _read_actions(grid(RETURN_ACTIONS_SHEET), present[RETURN_ACTIONS_SHEET], register, result, issues)
    if not result.service:
        _infer_service(register, result, issues)


def _grid(book, sheet: str) -> list[list[object]]:
    """The sheet's values; a Rust panic (a date or duration out of range) is
    turned into an ordinary exception the caller reports for the file."""
    try:
        return book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except BaseException as exc:  # noqa: B036 - PanicException is a BaseException
        _reraise(exc)
        raise ReturnReadError(f"the {sheet} sheet: {type(exc).__name__}: {str(exc)[:100]}") from None


class ReturnReadError(Exception):
    """calamine could not turn a sheet into values."""


def _read_signoff(grid, sheet, register, period: Period, result: ReturnFile, issues: _Collector) -> None:
    keys = {header_key(label): label for label in SIGNOFF_FIELDS}
    found: dict[str, tuple[object, str]] = {}
    for number, row in enumerate(grid):
        label = keys.get(header_key(_value(row, 0))) if _value(row, 0) is not None else None
        if label and label not in found:
            found[label] = (_value(row, 1), _cell(number, 1))
    for label in SIGNOFF_FIELDS:
        if label not in found:
            issues.add(sheet, "", f"Sign-off has no '{label}' line (labels in column A, values in column B)")
    raw, cell = found.get("Service", (None, ""))
    service = cells.parse_text(raw)
    services = _register_lookups(register)[1]
    if service:
        match = next((s for s in services if header_key(s) == header_key(service)), None)
        if match is None:
            issues.add(sheet, cell, f"'{service}' is not a service in the register — type the service's name "
                       "as the template gave it", service)
        else:
            result.service = match
    raw, cell = found.get("Period", (None, ""))
    if not cells.is_blank(raw):
        try:
            stated = Period.parse(cells.parse_text(raw))
            result.period = stated
            if stated != period:
                issues.add(sheet, cell, f"This return is for {stated.label}, not {period.label}: it was not "
                           f"used. Put it in the {stated.slug} folder, or send the {period.label} return",
                           cells.parse_text(raw), result.service or "")
        except PeriodError:
            issues.add(sheet, cell, f"'{cells.parse_text(raw)}' is not a period — type it like {period.label}",
                       cells.parse_text(raw), result.service or "")
    result.prepared_by = cells.parse_text(found.get("Prepared By", ("", ""))[0])
    raw, cell = found.get("Approved By", (None, ""))
    result.approved_by = cells.parse_text(raw)
    if not result.approved_by and "Approved By" in found:
        issues.add(sheet, cell, "Not approved: Approved By is blank — the return must be signed off by a manager",
                   "", result.service or "")
    raw, cell = found.get("Date Approved", (None, ""))
    result.date_approved, problem = cells.parse_date(raw)
    if problem:
        issues.add(sheet, cell, f"Date Approved: {problem}", raw, result.service or "")


def _table(grid, sheet, fields, required, issues: _Collector, what: str):
    header = find_header(grid, fields)
    if header is None:
        issues.add(sheet, "", f"The {sheet} sheet has no header row with '{fields[0]}' in its first "
                   f"{HEADER_SEARCH_ROWS} rows: copy the headings back from the template")
        return None
    number, columns = header
    for label in required:
        if label not in columns:
            issues.add(sheet, f"{number + 1}:{number + 1}", f"The {what} table has no '{label}' column "
                       f"(header row {number + 1}): add it back from the template")
    if any(label not in columns for label in required):
        return None
    return number, columns


def _read_indicators(grid, sheet, data, register, result: ReturnFile, issues: _Collector) -> None:
    table = _table(grid, sheet, INDICATOR_FIELDS, INDICATOR_REQUIRED, issues, "indicators")
    if table is None:
        return
    header, columns = table
    result.columns[sheet] = {label: get_column_letter(c + 1) for label, c in columns.items()}
    facts = _register_lookups(register)[2]
    numeric = {get_column_letter(columns[c] + 1) for c in ("Actual", "Forecast Year-End") if c in columns}
    percent = percent_cells(data, sheet, numeric) if data is not None else set()
    rows, seen = [], {}
    for number in range(header + 1, len(grid)):
        row = grid[number]
        if _row_is_blank(row):
            continue
        id_cell = _cell(number, columns["Indicator ID"])
        indicator_id = cells.parse_text(_value(row, columns["Indicator ID"]))
        if not indicator_id:
            if any(not cells.is_blank(_value(row, columns[c])) for c in INDICATOR_FIELDS[1:] if c in columns):
                issues.add(sheet, id_cell, "This row has figures but no Indicator ID: fill in the ID")
            continue
        if indicator_id not in facts:
            issues.add(sheet, id_cell, f"'{indicator_id}' is not in the register — check the ID or ask the "
                       "performance team to add it", indicator_id, indicator_id)
            continue
        owner = facts[indicator_id][0]
        if result.service and owner != result.service:
            issues.add(sheet, id_cell, _other_service(indicator_id, owner, result.service), indicator_id, indicator_id)
            continue
        if indicator_id in seen:
            issues.add(sheet, id_cell, f"'{indicator_id}' appears twice (first in row {seen[indicator_id]}): "
                       "this row was not used — delete one of them", indicator_id, indicator_id)
            continue
        seen[indicator_id] = number + 1
        unit = facts[indicator_id][1]
        record = {"Indicator ID": indicator_id, "Row": number + 1, "Sheet": sheet}
        for label in ("Actual", "Forecast Year-End"):
            column = columns.get(label)
            cell = _cell(number, column) if column is not None else ""
            raw = _value(row, column)
            value, problem = cells.parse_number(raw, unit, percent_formatted=cell in percent)
            if problem:
                issues.add(sheet, cell, f"{label}: {problem}", raw, indicator_id)
            record[label] = float("nan") if value is None else value
            record["Actual Cell" if label == "Actual" else "Forecast Cell"] = cell
        for label in ("Commentary", "Corrective Action", "Data Note"):
            record[label] = _text(row, number, columns.get(label), label, sheet, indicator_id, issues)
        rows.append(record)
    if rows:
        result.indicators = pd.DataFrame(rows, columns=list(INDICATOR_RETURN_COLUMNS))


def _read_actions(grid, sheet, register, result: ReturnFile, issues: _Collector) -> None:
    table = _table(grid, sheet, ACTION_FIELDS, ACTION_REQUIRED, issues, "actions")
    if table is None:
        return
    header, columns = table
    result.columns[sheet] = {label: get_column_letter(c + 1) for label, c in columns.items()}
    known = _register_lookups(register)[0]
    rows, seen = [], {}
    for number in range(header + 1, len(grid)):
        row = grid[number]
        if _row_is_blank(row):
            continue
        id_cell = _cell(number, columns["Action ID"])
        action_id = cells.parse_text(_value(row, columns["Action ID"]))
        if not action_id:
            if any(not cells.is_blank(_value(row, columns[c])) for c in ACTION_FIELDS[1:] if c in columns):
                issues.add(sheet, id_cell, "This row has an update but no Action ID: fill in the ID")
            continue
        if action_id not in known:
            issues.add(sheet, id_cell, f"'{action_id}' is not in the register — check the ID or ask the "
                       "performance team to add it", action_id, action_id)
            continue
        if result.service and known[action_id] != result.service:
            issues.add(sheet, id_cell, _other_service(action_id, known[action_id], result.service),
                       action_id, action_id)
            continue
        if action_id in seen:
            issues.add(sheet, id_cell, f"'{action_id}' appears twice (first in row {seen[action_id]}): "
                       "this row was not used — delete one of them", action_id, action_id)
            continue
        seen[action_id] = number + 1
        record = {"Action ID": action_id, "Row": number + 1, "Sheet": sheet}

        def cell_of(label: str) -> str:
            return _cell(number, columns[label]) if label in columns else ""

        raw = _value(row, columns["Progress"])
        record["Progress"], problem = cells.parse_choice(raw, PROGRESS_VALUES)
        if problem:
            issues.add(sheet, cell_of("Progress"), f"Progress: {problem}", raw, action_id)
        for label in ("Expected End Date", "Completed Date"):
            raw = _value(row, columns.get(label))
            value, problem = cells.parse_date(raw)
            if problem:
                issues.add(sheet, cell_of(label), f"{label}: {problem}", raw, action_id)
            record[label] = pd.NaT if value is None else pd.Timestamp(value)
        for label in ("Commentary", "Reason For Delay", "Corrective Action"):
            record[label] = _text(row, number, columns.get(label), label, sheet, action_id, issues)
        if record["Progress"] == PROGRESS_COMPLETED and pd.isna(record["Completed Date"]):
            issues.add(sheet, cell_of("Completed Date"), "Completed but no Completed Date: type the date it was "
                       "completed (until then it is not counted as delivered)", "", action_id)
        if not pd.isna(record["Completed Date"]) and record["Progress"] != PROGRESS_COMPLETED:
            issues.add(sheet, cell_of("Progress"), f"A Completed Date is given but Progress is "
                       f"'{record['Progress'] or 'blank'}': set Progress to Completed or clear the date",
                       record["Progress"], action_id)
        if record["Progress"] == PROGRESS_NOT_VIABLE and not (record["Reason For Delay"] or record["Commentary"]):
            issues.add(sheet, cell_of("Reason For Delay"), "No longer viable: a reason is required — say why in "
                       "Reason For Delay", "", action_id)
        rows.append(record)
    if rows:
        result.actions = pd.DataFrame(rows, columns=list(ACTION_RETURN_COLUMNS))


def _text(row, number: int, column: int | None, label: str, sheet: str, item_id: str, issues: _Collector) -> str:
    """A commentary cell, cut at ``MAX_COMMENTARY_CHARS`` (a 1 MB commentary
    would make a 700-page report) and the cut reported on its cell."""
    text = cells.parse_text(_value(row, column))
    if len(text) > MAX_COMMENTARY_CHARS:
        issues.add(sheet, _cell(number, column), f"{label} is {len(text):,} characters long: only the first "
                   f"{MAX_COMMENTARY_CHARS:,} are kept — shorten it to a summary", text, item_id)
        text = text[:MAX_COMMENTARY_CHARS]
    return text


def _other_service(item_id: str, owner: str, service: str) -> str:
    """A row of another service's return (SPEC §4: a return for the wrong service)."""
    return (f"'{item_id}' belongs to {owner} in the register, not {service} (the Service in Sign-off): "
            f"this row was not used — correct Service in Sign-off, or send it in {owner}'s return")


def _infer_service(register, result: ReturnFile, issues: _Collector) -> None:
    """No service in Sign-off: take it from the indicators' register service, and say so."""
    ids = list(result.indicators["Indicator ID"]) if len(result.indicators) else []
    services = register.indicators.loc[register.indicators["Indicator ID"].isin(ids), "Service"].unique()
    if len(services) == 1:
        result.service = str(services[0])
        issues.add(RETURN_SIGNOFF_SHEET, "", f"Sign-off has no Service: taken as '{result.service}' from the "
                   "indicators in the return — fill in Service to confirm", "", result.service)
    elif result.is_return:
        issues.add(RETURN_SIGNOFF_SHEET, "", "Sign-off has no Service and it cannot be told from the "
                   "indicators: the return was not used — fill in Service")
