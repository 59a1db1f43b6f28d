"""Problems that only show once statuses are known (SPEC §5, §8), located in the return.

Ingest finds what is wrong with a cell; this module finds what is missing
given the rules: a due KPI with no actual, a Red KPI at Q2/Q4 without
commentary or corrective action, an action slipped more than 3 months
without a reason. Each becomes a data-quality row pointing at the cell the
service must fill, and a line on the chasing list with the owner and the
escalation owner.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from pmflib.core.constants import MISSING_COMMENTARY, MISSING_CORRECTIVE_ACTION, MISSING_REASON_FOR_DELAY
from pmflib.core.errors import Problem

CHASE_COLUMNS = ("What", "ID", "Name", "Service", "Owner", "Escalation Owner", "File", "Cell")

#: (file name, sheet, row, field) → A1 cell of that field in that return, or "".
CellLookup = Callable[[str, str, object, str], str]


def _no_cell(file: str, sheet: str, row: object, field: str) -> str:
    return ""


def _return_row(returns: pd.DataFrame | None, key: str, item_id: str) -> dict:
    if returns is None or returns.empty or key not in returns.columns:
        return {}
    rows = returns[returns[key] == item_id]
    return rows.iloc[0].to_dict() if len(rows) else {}


def _where(row: dict) -> tuple[str, str, object]:
    return str(row.get("File", "") or ""), str(row.get("Sheet", "") or ""), row.get("Row")


def red_kpi_label(missing: str) -> str:
    """The chasing line for a Red KPI, naming exactly what the owner left blank (SPEC §8).

    ``missing`` is the exceptions table's text ("Commentary", "Corrective
    action", "Commentary and corrective action"); an officer chasing a
    corrective action must not be told the commentary is missing.
    """
    text = (missing or "").lower()
    commentary = MISSING_COMMENTARY.lower() in text
    action = MISSING_CORRECTIVE_ACTION.lower() in text
    if commentary and action:
        return "Red KPI without commentary or corrective action"
    if action:
        return "Red KPI without corrective action"
    return "Red KPI without commentary"


def _chase(owner: str, escalation: str) -> str:
    return f"chase {owner or 'the owner'}" + (f" (escalation: {escalation})" if escalation else "")


def status_problems(
    indicators: pd.DataFrame,
    actions: pd.DataFrame,
    exceptions: dict[str, pd.DataFrame],
    indicator_returns: pd.DataFrame | None = None,
    action_returns: pd.DataFrame | None = None,
    cell_for: CellLookup = _no_cell,
    services_returned: set[str] | None = None,
) -> tuple[list[Problem], pd.DataFrame]:
    """The rule-based problems and the chasing list for a period.

    ``indicators``/``actions`` are the period tables of ``cycle.PeriodResult``
    (register facts joined); returns carry provenance (File, Sheet, Row).
    Items of a service that sent no return at all (``services_returned``
    given) are left to the one "no return received" line ingest writes, so
    the officer chases the return, not each of its figures separately.
    """
    problems: list[Problem] = []
    chase: list[dict] = []
    owners = indicators.set_index("Indicator ID")[["Indicator", "Service", "Owner", "Escalation Owner"]].to_dict("index")
    action_facts = actions.set_index("Action ID")[["Action", "Service", "Owner"]].to_dict("index")

    def add(kind: str, item_id: str, facts: dict, row: dict, field: str, text: str) -> None:
        if services_returned is not None and facts.get("Service", "") not in services_returned:
            return
        file, sheet, number = _where(row)
        cell = cell_for(file, sheet, number, field) if file else ""
        problems.append(Problem(file=file, sheet=sheet, cell=cell, id=item_id, problem=text, value=""))
        chase.append({
            "What": kind, "ID": item_id, "Name": facts.get("Indicator") or facts.get("Action", ""),
            "Service": facts.get("Service", ""), "Owner": facts.get("Owner", ""),
            "Escalation Owner": facts.get("Escalation Owner", ""), "File": file, "Cell": cell,
        })

    for item in exceptions.get("kpis_not_reported", pd.DataFrame()).to_dict("records"):
        item_id = item["Indicator ID"]
        facts = owners.get(item_id, {})
        row = _return_row(indicator_returns, "Indicator ID", item_id)
        where = "" if row else " (the indicator is not in any return received)"
        add(
            "KPI not reported", item_id, facts, row, "Actual",
            f"KPI '{facts.get('Indicator', item_id)}' has no actual for the period{where}: "
            + _chase(facts.get("Owner", ""), facts.get("Escalation Owner", "")),
        )

    for item in exceptions.get("red_kpis_missing_commentary", pd.DataFrame()).to_dict("records"):
        item_id = item["Indicator ID"]
        facts = owners.get(item_id, {})
        row = _return_row(indicator_returns, "Indicator ID", item_id)
        missing = item.get("Missing", "")
        field = "Commentary" if MISSING_COMMENTARY.lower() in missing.lower() else "Corrective Action"
        add(
            red_kpi_label(missing), item_id, facts, row, field,
            f"Red KPI '{facts.get('Indicator', item_id)}' needs {missing.lower() or 'commentary'} "
            f"from its owner: " + _chase(facts.get("Owner", ""), facts.get("Escalation Owner", "")),
        )

    for item in exceptions.get("slipped_actions_missing_reason", pd.DataFrame()).to_dict("records"):
        item_id = item["Action ID"]
        facts = action_facts.get(item_id, {})
        row = _return_row(action_returns, "Action ID", item_id)
        missing = item.get("Missing", "")
        field = "Reason For Delay" if MISSING_REASON_FOR_DELAY.lower() in missing.lower() else "Corrective Action"
        add(
            "Action slipped more than 3 months without a reason", item_id, facts, row, field,
            f"Action '{facts.get('Action', item_id)}' has slipped more than 3 months: it needs "
            f"{missing.lower() or 'a reason for the delay'} — " + _chase(facts.get("Owner", ""), ""),
        )
    return problems, pd.DataFrame(chase, columns=list(CHASE_COLUMNS))

