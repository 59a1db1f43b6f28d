"""``pmf check``: validate a workbook's inputs without ingesting or running anything.

An officer who has just filled the register wants to know, before sending
anything to services, whether the workbook will accept it. This reads the
register, history, comparators and params and returns every problem as a
``Problem`` row (printed grouped by the CLI). With a plan year it also lists
what the new year still lacks: targets, and actions ending before it starts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.errors import PmfError, Problem, RegisterError
from pmflib.core.periods import parse_year, year_label


def _params_problems(root: Path) -> list[Problem]:
    from pmflib.cycle.workbook import COUNCIL_PARAMS, REPORTS_PARAMS, Workbook

    problems = []
    for rel in (COUNCIL_PARAMS, REPORTS_PARAMS):
        if not (root / rel).exists():
            problems.append(Problem(rel, "", "", "the parameters file is missing: run `pmf new` "
                                    "in an empty folder to get a commented one"))
    try:
        wb = Workbook.open(root)
        if (root / REPORTS_PARAMS).exists():
            wb.report_set()
    except PmfError as exc:
        problems.append(Problem("params", "", "", str(exc)))
    return problems


def year_gaps(register, year: str) -> list[Problem]:
    """Indicators with no target for ``year`` and actions ending before it starts (pure)."""
    label = year_label(parse_year(year))
    start = pd.Timestamp(date(parse_year(year), 4, 1))
    problems = []
    targeted = set(register.targets.loc[register.targets["Year"] == label, "Indicator ID"])
    for _, row in register.indicators.iterrows():
        if row["Indicator ID"] not in targeted:
            problems.append(Problem(
                "register.xlsx", C.TARGETS_SHEET, "",
                f"no target for {label}: add a Targets row for this indicator and year",
                id=row["Indicator ID"]))
    for _, row in register.actions.iterrows():
        end = row["End Date"]
        if pd.notna(end) and pd.Timestamp(end) < start:
            problems.append(Problem(
                "register.xlsx", C.ACTIONS_SHEET, "",
                f"ends before {label} starts: give it a new End Date or remove it from the plan",
                value=pd.Timestamp(end).strftime("%d/%m/%Y"), id=row["Action ID"]))
    return problems


def check_workbook(root: "Path | str", year: str | None = None) -> list[Problem]:
    """Every problem with the workbook's inputs; empty when it is ready to use."""
    from pmflib.cycle.workbook import Workbook
    from pmflib.inputs.comparators import read_comparators
    from pmflib.inputs.register import read_history, read_register

    root = Path(root).resolve()
    problems = _params_problems(root)
    try:
        wb = Workbook.open(root)
    except PmfError:
        return problems
    register = None
    if not wb.register_path.exists():
        problems.append(Problem("inputs/register.xlsx", "", "",
                                "the register is missing: `pmf new` writes an empty one with a Guide sheet"))
    else:
        try:
            register = read_register(wb.register_path)
        except RegisterError as exc:
            problems.extend(exc.problems)
    if wb.history_path is not None:
        problems.extend(read_history(wb.history_path, register)[1])
    if wb.comparators_path.exists():
        problems.extend(read_comparators(wb.comparators_path)[1])
    if year and register is not None:
        problems.extend(year_gaps(register, year))
    return problems
