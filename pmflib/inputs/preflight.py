"""The pre-flight check of a return: is it safe to hand to a parser at all?

Returns come by email from dozens of people and are untrusted (SECURITY.md).
A workbook is a zip of XML, and the zip's own directory says how big each part
unpacks to; the sheet XML says which cells exist. Both can be read in a
bounded, streamed way with the standard library alone, *before* calamine or
openpyxl allocates anything for the file. So a zip bomb, an XML entity bomb,
an XXE, a single cell at XFD1048576 (for which calamine would try to allocate
550 GB and abort the process) or a damaged number format is refused here as
one problem naming the file and the limit it broke, and never reaches a parser.

What this cannot see (an .xls, which is not a zip; a value that is out of
range) is caught later: the read runs in a worker process with memory and
time limits (``pmflib.inputs.worker``), and every value is bounded
(``pmflib.core.cells``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from pmflib.core.constants import (
    MAX_COLS,
    MAX_COMPRESSION_RATIO,
    MAX_ROWS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_CHECK_MIN_BYTES,
)
from pmflib.core.errors import Problem

#: Suffixes that are zips of XML and so can be checked here.
ZIPPED_SUFFIXES = (".xlsx", ".ods")
MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
#: Bytes read from an entry at a time, and overlap kept between reads so a tag
#: split across two reads is still seen.
_CHUNK = 1024 * 1024
_OVERLAP = 256

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
#: A cell's or row's position: r="XFD1048576" on <c>, r="1048576" on <row>.
_POSITION = re.compile(rb"<(?:\w+:)?(c|row)\b[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]*)\$?(\d*)[\"']")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b")
_NUMFMT = re.compile(rb"<(?:\w+:)?numFmt\b([^>]*)>")
_NUMFMT_ID = re.compile(rb"\bnumFmtId\s*=\s*[\"'](\d{1,9})[\"']")


def column_number(letters: str) -> int:
    """``A`` → 1, ``CV`` → 100, ``XFD`` → 16384."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _limits_text() -> str:
    return f"{MAX_ROWS:,} rows and {MAX_COLS} columns (A to {column_letters(MAX_COLS)})"


def check_return(path: Path) -> Problem | None:
    """The one reason ``path`` must not be parsed, or None when it may be.

    Reads only the zip directory and streams each XML part in 1 MB pieces,
    so a hostile file costs at most ``MAX_UNCOMPRESSED_BYTES`` of reading and
    a few MB of memory.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix in MACRO_SUFFIXES:
        return Problem(name, "", "", (
            f"{name} is a macro-enabled workbook ({suffix}): macros are not accepted in returns. "
            "Save it as .xlsx (Excel Workbook) and send it again"))
    if suffix not in ZIPPED_SUFFIXES:
        return None
    try:
        with zipfile.ZipFile(path) as book:
            return _check_zip(name, book)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
            RuntimeError):
        # Not a zip, damaged, encrypted or using a compression zipfile lacks: the
        # reader says "could not be opened" in the usual words, in its worker.
        return None


def _refuse(name: str, what: str, sheet: str = "", cell: str = "", value: str = "") -> Problem:
    return Problem(name, sheet, cell, f"{name} was not read: {what}", value)


def _check_zip(name: str, book: zipfile.ZipFile) -> Problem | None:
    entries = book.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return _refuse(name, f"it holds {len(entries):,} parts, more than the {MAX_ZIP_ENTRIES} a workbook may "
                       "have. Save the return again from the template as .xlsx and send it again")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        return _refuse(name, f"it unpacks to {total / 2**20:,.0f} MB, more than the limit of "
                       f"{MAX_UNCOMPRESSED_BYTES / 2**20:.0f} MB for a return. Delete unused sheets, rows and "
                       "pictures, save it as .xlsx and send it again")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_CHECK_MIN_BYTES and ratio > MAX_COMPRESSION_RATIO:
            return _refuse(name, f"its part {entry.filename} unpacks {ratio:,.0f} times larger than it is "
                           f"stored (the limit is {MAX_COMPRESSION_RATIO} times), as a 'zip bomb' does. "
                           "Save the return again from the template as .xlsx and send it again")
    # The small parts that name the sheets first, so the sheets can be named.
    order = sorted(entries, key=lambda e: e.filename not in _NAMING_PARTS)
    sheets: dict[str, str] = {}
    for entry in order:
        if not entry.filename.lower().endswith((".xml", ".rels", ".vml")) or entry.is_dir():
            continue
        if not sheets and entry.filename not in _NAMING_PARTS:
            sheets = _sheet_names(book)
        problem = _check_xml(name, book, entry.filename, sheets.get(entry.filename, ""))
        if problem is not None:
            return problem
    return None


_NAMING_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet part → the sheet's name as the officer sees it, for messages. Only
    called once both parts were checked free of DTDs and are within the limits."""
    try:
        workbook = ElementTree.fromstring(book.read(_NAMING_PARTS[0]))
        rels = ElementTree.fromstring(book.read(_NAMING_PARTS[1]))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile):
        return {"": ""}
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    names = {"": ""}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_REL_ID), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        names[part] = sheet.get("name", "")
    return names


def _chunks(book: zipfile.ZipFile, part: str):
    """The part's bytes in overlapping pieces; a part whose real size differs
    from its declared one stops with BadZipFile (CRC) after at most its size."""
    tail = b""
    with book.open(part) as stream:
        while True:
            piece = stream.read(_CHUNK)
            if not piece:
                return
            yield tail + piece
            tail = piece[-_OVERLAP:]


def _check_xml(name: str, book: zipfile.ZipFile, part: str, sheet: str) -> Problem | None:
    is_sheet = part.startswith("xl/worksheets/") and part.endswith(".xml")
    is_styles = part == "xl/styles.xml"
    rows_seen = 0
    tail_rows = b""
    for chunk in _chunks(book, part):
        if _DECLARATION.search(chunk):
            return _refuse(name, f"its part {part} declares a DTD or entities (<!DOCTYPE or <!ENTITY>), which "
                           "Excel never writes and which are used to attack the programs that read them. "
                           "Save the return again from the template as .xlsx and send it again")
        if is_sheet:
            problem = _check_positions(name, chunk, sheet)
            if problem is not None:
                return problem
            # Rows without an r attribute are numbered by counting them.
            rows_seen += len(_ROW_TAG.findall(chunk)) - len(_ROW_TAG.findall(tail_rows))
            tail_rows = chunk[-_OVERLAP:]
            if rows_seen > MAX_ROWS:
                return _refuse(name, f"{_called(sheet)} has more than {MAX_ROWS:,} rows, the limit for a return "
                               f"({_limits_text()}). Delete the rows below the table, save and send it again",
                               sheet=sheet)
        if is_styles:
            for attributes in _NUMFMT.findall(chunk):
                if not _NUMFMT_ID.search(attributes):
                    return _refuse(name, "its styles part has a number format without a valid number "
                                   "(numFmtId), so the file is damaged. Open it in Excel, save it as .xlsx "
                                   "and send it again", value=attributes.decode("utf-8", "replace")[:200])
    return None


def _check_positions(name: str, chunk: bytes, sheet: str) -> Problem | None:
    for match in _DIMENSION.finditer(chunk):
        ref = match.group(1).decode("ascii", "replace")
        for corner in ref.split(":"):
            letters = corner.rstrip("0123456789").lstrip("$").replace("$", "")
            digits = corner[len(corner.rstrip("0123456789")):]
            if _beyond(letters, digits):
                return _refuse(name, f"{_called(sheet)} says it spans {ref}, beyond the limit for a return "
                               f"({_limits_text()}). Delete the rows and columns outside the table, save "
                               "and send it again", sheet=sheet, value=ref)
    # Screen the chunk at once (thousands of cells, a few distinct columns); look
    # for the first offending cell one by one only when there is one.
    found = _POSITION.findall(chunk)
    if not found:
        return None
    columns = {f[1] for f in found}
    highest = max((f[2] for f in found), key=lambda d: (len(d), d))
    if not any(_beyond(c.decode("ascii"), "") for c in columns) and not _beyond("", highest.decode("ascii")):
        return None
    for match in _POSITION.finditer(chunk):
        letters = match.group(2).decode("ascii")
        digits = match.group(3).decode("ascii")
        if _beyond(letters, digits):
            where = f"{letters}{digits}" if letters else f"row {digits}"
            return _refuse(name, f"{_called(sheet)} has a cell at {where}, beyond the limit for a return "
                           f"({_limits_text()}). Delete everything outside the table, save and send it again",
                           sheet=sheet, cell=f"{letters}{digits}" if letters else "", value=where)
    return None


def _called(sheet: str) -> str:
    return f"the {sheet} sheet" if sheet else "a sheet"


def _beyond(letters: str, digits: str) -> bool:
    if len(letters) > 3 or (letters and not letters.isalpha()):
        return True
    if letters and column_number(letters) > MAX_COLS:
        return True
    return bool(digits) and (len(digits) > 7 or int(digits) > MAX_ROWS)
