"""Open data (SPEC §10): the indicator and action tables every report is
drawn from, as plain CSV with a Frictionless Data Package beside them.

The CSVs are what the public and other councils reuse, so they follow the
SPEC's columns exactly: ISO dates, plain numbers (no separators, no ``%``:
the Unit column says what a number is), text labels for every status.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pmflib.core.constants import ACTION_COLUMNS, INDICATOR_COLUMNS, OPEN_DATA_LICENCE

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
}


def format_number(value: object) -> str:
    """A plain number as text: ``12`` not ``12.0``, no separators, blank for none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return str(value)
    number = float(value)
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.10g}"


def format_date(value: object) -> str:
    """ISO date (``2025-09-30``), blank for none."""
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        if pd.isna(value):
            return ""
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
            out[column] = ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in series]
    return out.reset_index(drop=True)


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


def datapackage(council: str, period_label: str, tables: dict[str, pd.DataFrame]) -> dict:
    """A Frictionless Data Package descriptor for the period's tables."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in council.lower()).strip("-")
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
    period_label: str,
    indicators: pd.DataFrame,
    actions: pd.DataFrame,
    indicator_extra: tuple[str, ...] = (),
) -> dict[str, Path]:
    """Write ``indicators.csv``, ``actions.csv`` and ``datapackage.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "indicators": indicators_table(indicators, indicator_extra),
        "actions": actions_table(actions),
    }
    paths = {}
    for name, table in tables.items():
        paths[name] = folder / f"{name}.csv"
        table.to_csv(paths[name], index=False, encoding="utf-8", lineterminator="\n")
    paths["datapackage"] = folder / "datapackage.json"
    paths["datapackage"].write_text(
        json.dumps(datapackage(council, period_label, tables), indent=2) + "\n", encoding="utf-8"
    )
    return paths
