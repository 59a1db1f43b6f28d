"""SPEC §8 exception lists (Red KPIs lacking commentary, measures Red last quarter, slipped actions, KPIs not reported) and status counts."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from pmflib.core.constants import (
    ACTION_STATUSES,
    DIRECTIONS,
    EXCEPTION_MEASURE_COLUMNS,
    MEASURED,
    MISSING_COMMENTARY,
    MISSING_CORRECTIVE_ACTION,
    MISSING_REASON_FOR_DELAY,
    MOVEMENT,
    NOT_REPORTED,
    NOT_REPORTED_KPI_COLUMNS,
    RED,
    RED_KPI_COMMENTARY_QUARTERS,
    RED_KPI_EXCEPTION_COLUMNS,
    SLIPPED_ACTION_EXCEPTION_COLUMNS,
    SLIPPED_MORE,
    STATUSES,
)
from pmflib.core.periods import Period
from pmflib.core.values import as_text as _text
from pmflib.rules.status.common import (
    _flag,
    _missing_text,
)
from pmflib.rules.status.tables import (
    _texts,
)


# --- §8 exception lists ------------------------------------------------------------------------
def _with_register(assessed: pd.DataFrame, register: pd.DataFrame, key: str, columns: Iterable[str]) -> pd.DataFrame:
    """The assessment with the register facts a chasing list needs (owner, service…)."""
    facts = register.reindex(columns=[key] + [c for c in columns if c != key])
    return assessed.drop(columns=[c for c in facts.columns if c in assessed.columns and c != key]).merge(
        facts, on=key, how="left"
    )


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="str") for column in columns})


def _finish(rows: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """Exactly the list's columns, renumbered, text as str, for a report table."""
    columns = list(columns)
    if rows.empty:
        return _empty(columns)
    frame = rows.reindex(columns=columns).reset_index(drop=True)
    for column in columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = _texts(frame[column])
    return frame


def red_kpis_missing_commentary(assessed: pd.DataFrame, indicators: pd.DataFrame, period: Period | str) -> pd.DataFrame:
    """Red KPIs whose owner has not given commentary and/or corrective action (Q2 and Q4 only).

    Why: at mid-year and year end every Red KPI must be explained and acted
    on; a missing explanation is chased, not silently published.
    """
    period = Period.parse(period)
    if period.quarter not in RED_KPI_COMMENTARY_QUARTERS:
        return _empty(RED_KPI_EXCEPTION_COLUMNS)
    table = _with_register(assessed, indicators, "Indicator ID", RED_KPI_EXCEPTION_COLUMNS[:-1] + ("KPI",))
    table = table[(table["Status"] == RED) & table["KPI"].map(_flag)].copy()
    table["Missing"] = [
        _missing_text({MISSING_COMMENTARY: commentary, MISSING_CORRECTIVE_ACTION: action})
        for commentary, action in zip(table["Commentary"], table["Corrective Action"])
    ]
    return _finish(table[table["Missing"] != ""], RED_KPI_EXCEPTION_COLUMNS)


def exception_measures(current: pd.DataFrame, previous: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Every measure (KPI or not) that was Red last quarter, and how it has moved since.

    Why: the Q1 and Q3 exception report follows up last quarter's Reds so
    none drops out of sight. Register order; Movement reads "Red → Amber".
    """
    red_before = previous.loc[previous["Status"] == RED, ["Indicator ID", "Status"]].rename(
        columns={"Status": "Previous Status"}
    )
    register = indicators.reindex(columns=["Indicator ID", "Indicator", "KPI", "Service", "Owner", "Escalation Owner"])
    current_rows = current.reindex(
        columns=["Indicator ID", "Status", "Direction", "Actual", "Target", "Commentary", "Corrective Action"]
    )
    table = register.merge(red_before, on="Indicator ID", how="inner").merge(current_rows, on="Indicator ID", how="left")
    if table.empty:
        return _empty(EXCEPTION_MEASURE_COLUMNS)
    table = table.rename(columns={"Status": "Current Status"})
    table["KPI"] = table["KPI"].map(_flag)
    table["Current Status"] = table["Current Status"].map(_text)
    table["Direction"] = table["Direction"].map(lambda d: _text(d) or MEASURED)
    table["Movement"] = [
        MOVEMENT.format(previous=before, current=now)
        for before, now in zip(table["Previous Status"], table["Current Status"])
    ]
    return _finish(table, EXCEPTION_MEASURE_COLUMNS)


def slipped_actions_missing_reason(assessed_actions: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Actions slipped more than 3 months with no reason for the delay and/or corrective action.

    Why: a long slip must be explained and recovered, and the plan's owner
    chased when it is not.
    """
    table = _with_register(assessed_actions, actions, "Action ID", SLIPPED_ACTION_EXCEPTION_COLUMNS[:-1])
    table = table[table["Status"] == SLIPPED_MORE].copy()
    table["Missing"] = [
        _missing_text({MISSING_REASON_FOR_DELAY: reason, MISSING_CORRECTIVE_ACTION: action})
        for reason, action in zip(table["Reason For Delay"], table["Corrective Action"])
    ]
    return _finish(table[table["Missing"] != ""], SLIPPED_ACTION_EXCEPTION_COLUMNS)


def kpis_not_reported(assessed: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """KPIs with no actual although one was due, with who to chase and who to escalate to."""
    table = _with_register(assessed, indicators, "Indicator ID", NOT_REPORTED_KPI_COLUMNS + ("KPI",))
    table = table[(table["Status"] == NOT_REPORTED) & table["KPI"].map(_flag)]
    return _finish(table, NOT_REPORTED_KPI_COLUMNS)


# --- summaries --------------------------------------------------------------------------------
def _counts(values: pd.Series, labels: Iterable[str], name: str) -> pd.Series:
    labels = list(labels)
    counts = values.value_counts().reindex(labels, fill_value=0).astype("int64")
    counts.index = pd.Index(labels, name=name, dtype="str")
    counts.name = "Count"
    return counts


def status_counts(assessed: pd.DataFrame) -> pd.Series:
    """How many indicators have each status, in STATUSES order, zeros included (for the summary)."""
    return _counts(assessed["Status"], STATUSES, "Status")


def direction_counts(assessed: pd.DataFrame) -> pd.Series:
    """How many indicators have each direction, in DIRECTIONS order, zeros included."""
    return _counts(assessed["Direction"], DIRECTIONS, "Direction")


def action_status_counts(assessed_actions: pd.DataFrame) -> pd.Series:
    """How many actions have each status, in ACTION_STATUSES order, zeros included."""
    return _counts(assessed_actions["Status"], ACTION_STATUSES, "Status")
