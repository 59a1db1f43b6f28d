"""The values placeholders quote, worked out from a period's result (pure)."""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from pmflib.core.constants import (
    DEFAULT_DECIMALS,
    GREEN,
    NARRATIVE_ACTION_STATUS_NAMES,
    NARRATIVE_DIRECTION_NAMES,
    NARRATIVE_INDICATOR_VALUES,
    NARRATIVE_NO_VALUE,
    NARRATIVE_NUMBER_COLUMNS,
    NARRATIVE_STATUS_NAMES,
    NOT_REPORTED,
    RED,
)
from pmflib.core.values import as_text as _text
from pmflib.rules.status import entered_red, left_red
from pmflib.report.narrative.formatting import (
    _flag,
    _names,
    _percent,
    format_value,
)
from pmflib.report.narrative.keys import (
    NarrativeError,
    placeholder_name,
)

# --- the values placeholders quote (pure) --------------------------------------------------
_REQUIRED_INDICATOR_COLUMNS = ("Indicator ID", "Indicator", "Outcome ID", "KPI", "Status", "Direction")
_PREVIOUS_STATUS = NARRATIVE_INDICATOR_VALUES["previous_status"]
#: What ``_put_counts`` reads of the indicator table.
_COUNTED_COLUMNS = ("Indicator ID", "Indicator", "Outcome ID", "KPI", "Status", "Direction", _PREVIOUS_STATUS)
_PREVIOUS_ACTUAL = NARRATIVE_INDICATOR_VALUES["previous_actual"]


class _Context(dict):
    """The placeholder values, refusing a second value for a name already used,
    so two IDs that differ only in case or punctuation cannot silently shadow
    each other."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: dict[str, str] = {}

    def put(self, name: str, value: object, source: str = "") -> None:
        if name in self:
            raise NarrativeError(
                f"Two values would share the narrative placeholder name {{{{ {name} }}}} "
                f"({self.sources[name] or 'a summary count'} and {source or 'a summary count'}). "
                "Placeholder names write IDs in lower case with every other character as '_'; "
                "give the register's IDs names that stay different when written that way."
            )
        self[name] = value if isinstance(value, str) else str(value)
        self.sources[name] = source


def _check_columns(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise NarrativeError(f"{what} has no column(s) {', '.join(missing)}: cannot quote it in narrative")


def _with_previous(indicators: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """This quarter's indicators with last quarter's status and actual beside them."""
    ours = (_PREVIOUS_STATUS, _PREVIOUS_ACTUAL)
    table = indicators.drop(columns=[c for c in ours if c in indicators.columns])
    if previous is None or previous.empty or "Indicator ID" not in previous.columns:
        table = table.copy()
        table[_PREVIOUS_STATUS] = ""
        table[_PREVIOUS_ACTUAL] = float("nan")
        return table
    before = pd.DataFrame({
        "Indicator ID": previous["Indicator ID"],
        _PREVIOUS_STATUS: previous["Status"] if "Status" in previous.columns else "",
        _PREVIOUS_ACTUAL: previous["Actual"] if "Actual" in previous.columns else float("nan"),
    }).drop_duplicates("Indicator ID")
    table = table.merge(before, on="Indicator ID", how="left")
    table[_PREVIOUS_STATUS] = table[_PREVIOUS_STATUS].map(_text)
    return table


def _counted(count: int, noun: str) -> str:
    """``1 KPI``, ``2 KPIs``: a count with its noun agreeing."""
    return f"{count} {noun if count == 1 else noun + 's'}"


def _put_counts(ctx: _Context, prefix: str, table: pd.DataFrame, actions: pd.DataFrame) -> None:
    """The same family of counts and lists for the council (no prefix) and for
    each outcome (``outcome_<id>_``), so a draft written for one works for the other."""
    kpi_mask = table["KPI"].map(_flag).astype(bool)
    for group, rows in (("indicator", table), ("kpi", table[kpi_mask])):
        plural = f"{group}s"
        status = rows["Status"].map(_text)
        direction = rows["Direction"].map(_text)
        before = rows[_PREVIOUS_STATUS]
        ctx.put(f"{prefix}{group}_count", len(rows))
        # Counted phrases ("1 KPI", "2 KPIs"), so drafts never say "1 are Red".
        noun = "KPI" if group == "kpi" else group
        ctx.put(f"{prefix}{group}_count_text", _counted(len(rows), noun))
        ctx.put(f"{prefix}{group}_red_text", _counted(int((status == RED).sum()), noun))
        ctx.put(f"{prefix}{group}_not_reported_text", _counted(int((status == NOT_REPORTED).sum()), noun))
        for label, name in NARRATIVE_STATUS_NAMES.items():
            ctx.put(f"{prefix}{group}_{name}", int((status == label).sum()))
            ctx.put(f"{prefix}{plural}_{name}", _names(rows[status == label]))
        ctx.put(f"{prefix}{group}_green_percent", _percent(int((status == GREEN).sum()), len(rows)))
        for label, name in NARRATIVE_DIRECTION_NAMES.items():
            ctx.put(f"{prefix}{group}_{name}", int((direction == label).sum()))
            ctx.put(f"{prefix}{plural}_{name}", _names(rows[direction == label]))
        to_red = rows[entered_red(before, status)]
        out_of_red = rows[left_red(before, status)]
        ctx.put(f"{prefix}{plural}_moved_to_red", _names(to_red))
        ctx.put(f"{prefix}{plural}_moved_to_red_count", len(to_red))
        ctx.put(f"{prefix}{plural}_moved_out_of_red", _names(out_of_red))
        ctx.put(f"{prefix}{plural}_moved_out_of_red_count", len(out_of_red))
    was_red = table[table[_PREVIOUS_STATUS] == RED]
    now = was_red["Status"].map(_text)
    ctx.put(f"{prefix}previous_red_count", len(was_red))
    for label, name in NARRATIVE_STATUS_NAMES.items():
        ctx.put(f"{prefix}previous_red_now_{name}", int((now == label).sum()))
    ctx.put(f"{prefix}previous_red_still_red", _names(was_red[now == RED]))
    action_status = actions["Status"].map(_text) if "Status" in actions.columns else pd.Series(dtype="str")
    ctx.put(f"{prefix}action_count", len(actions))
    ctx.put(f"{prefix}action_count_text", _counted(len(actions), "action"))
    for label, name in NARRATIVE_ACTION_STATUS_NAMES.items():
        ctx.put(f"{prefix}actions_{name}", int((action_status == label).sum()))


def _outcomes(result, indicators: pd.DataFrame) -> list[tuple[str, str]]:
    """(Outcome ID, Outcome) in register order, from the outcomes table or the indicators."""
    outcomes = getattr(result, "outcomes", None)
    if outcomes is None or outcomes.empty or "Outcome ID" not in outcomes.columns:
        outcomes = indicators
    pairs: dict[str, str] = {}
    for row in outcomes.to_dict("records"):
        oid = _text(row.get("Outcome ID")).strip()
        if oid and oid not in pairs:
            pairs[oid] = _text(row.get("Outcome")).strip()
    return list(pairs.items())


def narrative_context(result) -> dict[str, str]:
    """Every value a placeholder can quote for one period, formatted as a reader sees it.

    ``result`` is a ``cycle.PeriodResult`` (or anything with ``period``,
    ``indicators``, ``previous_indicators`` and ``actions``). All values are
    text, so the same dictionary can be saved with the executed notebook and
    used again by ``pmf export`` without the data.
    """
    indicators = result.indicators
    _check_columns(indicators, _REQUIRED_INDICATOR_COLUMNS, "The period's indicator table")
    table = _with_previous(indicators, getattr(result, "previous_indicators", None))
    actions = getattr(result, "actions", None)
    if actions is None:
        actions = pd.DataFrame({"Outcome ID": pd.Series(dtype="str"), "Status": pd.Series(dtype="str")})
    period = result.period
    ctx = _Context()
    ctx.put("period", period.label)
    ctx.put("period_months", period.months)
    ctx.put("previous_period", period.previous().label)
    ctx.put("year", period.year_label)
    ctx.put("quarter", period.quarter_name)
    # The counts read a handful of columns: filtered from those alone, the
    # ~40 masks per outcome do not copy every column of the table each time.
    counted = table[[c for c in _COUNTED_COLUMNS if c in table.columns]]
    _put_counts(ctx, "", counted, actions)

    outcomes = _outcomes(result, indicators)
    ctx.put("outcome_count", len(outcomes))
    action_outcomes = actions["Outcome ID"].map(_text) if "Outcome ID" in actions.columns else None
    for oid, name in outcomes:
        key = placeholder_name(oid)
        ctx.put(f"outcome_{key}", name or oid, f"outcome {oid}")
        own_actions = actions[action_outcomes == oid] if action_outcomes is not None else actions.iloc[0:0]
        _put_counts(ctx, f"outcome_{key}_", counted[counted["Outcome ID"].map(_text) == oid], own_actions)

    data_quality = getattr(result, "data_quality", None)
    ctx.put("data_quality_problem_count", 0 if data_quality is None else len(data_quality))
    for key, frame in (getattr(result, "exceptions", None) or {}).items():
        ctx.put(f"{placeholder_name(key)}_count", len(frame), f"exception list {key}")

    for row in table.to_dict("records"):
        iid = _text(row["Indicator ID"]).strip()
        key = placeholder_name(iid)
        for prefix, column in NARRATIVE_INDICATOR_VALUES.items():
            value = row.get(column)
            if column in NARRATIVE_NUMBER_COLUMNS:
                text = format_value(value, row.get("Unit", ""), row.get("Decimals", DEFAULT_DECIMALS))
            else:
                text = _text(value).strip() or NARRATIVE_NO_VALUE
            ctx.put(f"{prefix}_{key}", text, f"indicator {iid}")
    return dict(ctx)
