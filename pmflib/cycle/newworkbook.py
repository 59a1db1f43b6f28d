"""``pmf new DIR --council NAME``: an empty workbook folder for a council of its own.

Everything an officer needs to start is written here so nobody has to read
the developers' notes: commented params, a register with the exact SPEC §3
headers, Excel dropdowns on every fixed-value column and a Guide sheet, an
empty history table, READMEs and a .gitignore. It never overwrites.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pmflib.core import constants as C
from pmflib.core.errors import PmfError

#: Rows the dropdowns cover: more than any council's plan.
VALIDATED_ROWS = 2000

_YN = ("Y", "N")

#: Column → (what it means, allowed values or format, example) for the Guide sheet.
GUIDE = {
    C.OUTCOMES_SHEET: {
        "Outcome ID": ("A short unique code for the outcome (case-sensitive).", "text", "O1"),
        "Outcome": ("The outcome in the council plan's words.", "text", "Residents live in clean, safe neighbourhoods"),
        "Cabinet Member": ("The portfolio holder.", "text", "Cllr A. Khan"),
        "Lead Director": ("The director accountable.", "text", "Director of Place"),
    },
    C.INDICATORS_SHEET: {
        "Indicator ID": ("A short unique code for the indicator (case-sensitive).", "text", "ENV01"),
        "Indicator": ("The measure's name as published.", "text", "Household waste recycled"),
        "Outcome ID": ("The outcome it measures: an ID from the Outcomes sheet.", "an Outcome ID", "O1"),
        "Service": ("The service that sends the return (one return per service).", "text", "Waste"),
        "Owner": ("The officer who reports it.", "text", "J. Smith"),
        "Escalation Owner": ("Who is told when it is Red.", "text", "Head of Waste"),
        "Definition": ("How it is counted.", "text", "Tonnes recycled ÷ tonnes collected"),
        "Unit": ("The unit of the values.", "%, number, £, days, rate, or free text", "%"),
        "Decimals": ("Decimal places shown in reports.", "a whole number (default 1)", "1"),
        "Polarity": ("Which direction is good.", " | ".join(C.POLARITIES), C.POLARITIES[0]),
        "Type": ("Balanced-scorecard type.", " | ".join(C.INDICATOR_TYPES), C.INDICATOR_TYPES[0]),
        "Frequency": ("How often it is reported.", " | ".join(C.FREQUENCIES), C.FREQUENCIES[1]),
        "Cumulative": ("Y for a year-to-date count (Q2 includes Q1).", "Y | N", "N"),
        "KPI": ("Y for a Key Performance Indicator, analysed in detail.", "Y | N", "Y"),
        "Headline": ("Y to show it on the headline page.", "Y | N", "Y"),
        "Tolerance": ("The amber band: 5% of target, or a number in the unit.", "e.g. 5% or 2 (default 5%)", "5%"),
        "Comparator Metric": ("Optional key into inputs/comparators.csv for benchmarking.", "text or blank", ""),
    },
    C.TARGETS_SHEET: {
        "Indicator ID": ("The indicator: an ID from the Indicators sheet.", "an Indicator ID", "ENV01"),
        "Year": ("The financial year.", "YYYY-YY, e.g. 2026-27", "2026-27"),
        "Annual Target": ("The year-end target, in the indicator's unit (12.5 for 12.5%).", "a number", "52"),
        "Q1 Target": ("Optional quarterly profile; for a cumulative measure, year to date.", "a number or blank", "50"),
        "Q2 Target": ("As Q1.", "a number or blank", "51"),
        "Q3 Target": ("As Q1.", "a number or blank", ""),
        "Q4 Target": ("As Q1; usually the annual target.", "a number or blank", ""),
    },
    C.ACTIONS_SHEET: {
        "Action ID": ("A short unique code for the action.", "text", "A1"),
        "Action": ("What will be done.", "text", "Roll out food-waste collection"),
        "Outcome ID": ("The outcome it serves: an ID from the Outcomes sheet.", "an Outcome ID", "O1"),
        "Service": ("The service that reports its progress.", "text", "Waste"),
        "Owner": ("The officer responsible.", "text", "J. Smith"),
        "Start Date": ("When it starts.", "a date, e.g. 01/04/2026", "01/04/2026"),
        "End Date": ("The end date approved in the plan (the baseline).", "a date after the start", "31/03/2027"),
    },
}

_CHOICES = {
    "Polarity": C.POLARITIES,
    "Type": C.INDICATOR_TYPES,
    "Frequency": C.FREQUENCIES,
    "Cumulative": _YN,
    "KPI": _YN,
    "Headline": _YN,
}

_HEADERS = {
    C.OUTCOMES_SHEET: C.REGISTER_OUTCOME_COLUMNS,
    C.INDICATORS_SHEET: C.REGISTER_INDICATOR_COLUMNS,
    C.TARGETS_SHEET: C.REGISTER_TARGET_COLUMNS,
    C.ACTIONS_SHEET: C.REGISTER_ACTION_COLUMNS,
}

GITIGNORE = """\
# Kept out of git: returns (personal data, e-mailed files), the ledger and outputs.
inputs/returns/
inputs/ledger/
outputs/
# Kept in git (listed here so nobody ignores them by accident):
!inputs/register.xlsx
!inputs/history.csv
!params/
!inputs/narrative/
"""

INPUTS_README = """\
# inputs/

* `register.xlsx` — the council's outcome plans: Outcomes, Indicators, Targets,
  Actions. The **Guide** sheet explains every column. Check it with `pmf check`.
* `history.csv` — values from before the workbook was adopted
  (`Indicator ID`, `Period`, `Actual`; a period is a quarter such as `2025-26 Q4`).
  A wide table (one column per period) is accepted too.
* `comparators.csv` — optional benchmarking values.
* `returns/<period>/` — the returns that came back from services (any file
  name). `pmf templates --period P` writes the ones to send out.
  Beside them, an optional `received.csv` (columns `File`, `Received`, e.g.
  `housing.xlsx,14/10/2026 16:40`) records when each really arrived; lateness
  uses it, else when the workbook first saw the file (never the file's date).
See docs/register.md and docs/quarter.md in the PMF Workbook documentation.
"""

OUTPUTS_README = """\
# outputs/

Written by `pmf run`: one folder per quarter with the reports (HTML, PDF),
the open data, `data-quality.csv` and `chase-list.csv`; `index.html` is the
dashboard of every quarter. Nothing here is edited by hand.
"""


def _skeleton(name: str) -> str:
    return resources.files("pmflib.cycle").joinpath("skeleton", "params", name).read_text(encoding="utf-8")


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def council_params(council: str) -> str:
    """The commented council.yml template with this council's name put in."""
    short = council.replace(" Council", "").replace("Borough", "").replace("District", "").strip() or council
    text = _skeleton("council.yml")
    text = re.sub(r'^name: .*$', f"name: {_yaml_text(council)}", text, count=1, flags=re.M)
    text = re.sub(r'^own_authority: .*$', f"own_authority: {_yaml_text(council)}", text, count=1, flags=re.M)
    text = re.sub(r"^# This copy describes Northmere.*?\n(#.*\n)*?# each colon", "# Edit the values on the right of\n# each colon", text, count=1, flags=re.M)
    return text.replace("Northmere Borough Council", council).replace("Northmere", short)


def default_params() -> dict[str, str]:
    """The shipped params files (name → text), for `pmf demo` in an empty folder."""
    return {name: _skeleton(name) for name in ("council.yml", "reports.yml")}


def write_register_template(path: Path) -> Path:
    """An empty register: exact headers, dropdowns, and a Guide sheet."""
    book = XlsxWorkbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for sheet, headers in _HEADERS.items():
        ws = book.create_sheet(sheet)
        ws.append(list(headers))
        for index, header in enumerate(headers, start=1):
            ws.cell(row=1, column=index).font = bold
            ws.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
            choices = _CHOICES.get(header) if sheet == C.INDICATORS_SHEET else None
            if choices:
                letter = get_column_letter(index)
                rule = DataValidation(
                    type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                    showErrorMessage=True, errorTitle=header,
                    error=f"{header} must be one of: {', '.join(choices)}",
                )
                rule.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
                ws.add_data_validation(rule)
        ws.freeze_panes = "A2"
    guide = book.create_sheet("Guide")
    guide.append(["Sheet", "Column", "What it means", "Allowed values", "Example"])
    for cell in guide[1]:
        cell.font = bold
    for sheet, columns in GUIDE.items():
        for column, (meaning, allowed, example) in columns.items():
            guide.append([sheet, column, meaning, allowed, example])
    for letter, width in zip("ABCDE", (12, 20, 60, 50, 40)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    guide.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def new_workbook(root: "Path | str", council: str) -> list[Path]:
    """Create the workbook folder ``root`` for ``council``; refuse to overwrite one."""
    root = Path(root)
    if not council.strip():
        raise PmfError("pmf new: give the council's name, e.g. --council \"Anytown District Council\"")
    existing = [p for p in ("params/council.yml", "params/reports.yml", "inputs/register.xlsx")
                if (root / p).exists()]
    if existing:
        raise PmfError(
            f"{root}: already holds a workbook ({', '.join(existing)}); `pmf new` never overwrites. "
            "Choose an empty folder, or edit the files that are there."
        )
    files = {
        "params/council.yml": council_params(council.strip()),
        "params/reports.yml": _skeleton("reports.yml"),
        "inputs/history.csv": ",".join(C.HISTORY_COLUMNS) + "\n",
        "inputs/README.md": INPUTS_README,
        "outputs/README.md": OUTPUTS_README,
        ".gitignore": GITIGNORE,
    }
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (root / "inputs" / "returns").mkdir(parents=True, exist_ok=True)
    written.append(write_register_template(root / "inputs" / "register.xlsx"))
    return written
