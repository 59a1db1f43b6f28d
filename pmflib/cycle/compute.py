"""Everything one period's reports need, computed once from the register and
the ledger.

``compute_period`` is pure (tables in, tables out) so it is tested without
files; ``load_period`` is the thin edge that reads the workbook. Notebooks
call ``load_period`` so they run the same from ``pmf run``, papermill or
JupyterLab.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pmflib.rules import status
from pmflib.core.constants import (
    EXCEPTION_REPORT_QUARTERS,
    RED,
    RED_KPI_COMMENTARY_QUARTERS,
)
from pmflib.core.periods import Period

_OUTCOME_COLUMNS = ["Outcome ID", "Outcome", "Cabinet Member", "Lead Director"]
#: Register columns carried into the period's indicator table beside the assessment.
_INDICATOR_REGISTER_COLUMNS = [
    "Indicator ID", "Indicator", "Outcome ID", "Service", "Owner", "Escalation Owner",
    "Definition", "Unit", "Decimals", "Polarity", "Type", "Frequency", "Cumulative",
    "KPI", "Headline", "Tolerance", "Comparator Metric",
]
#: Optional register column: periods at which an indicator's SPC limits are re-based.
SPC_REBASE_COLUMN = "SPC Rebase"
_ACTION_REGISTER_COLUMNS = ["Action ID", "Action", "Outcome ID", "Service", "Owner", "Start Date"]


@dataclass(frozen=True)
class PeriodResult:
    """One period's assessed indicators and actions with everything around them."""

    period: Period
    indicators: pd.DataFrame
    actions: pd.DataFrame
    previous_indicators: pd.DataFrame
    outcomes: pd.DataFrame
    exceptions: dict[str, pd.DataFrame] = field(default_factory=dict)
    actuals: pd.DataFrame = field(default_factory=pd.DataFrame)
    submissions: pd.DataFrame = field(default_factory=pd.DataFrame)
    data_quality: pd.DataFrame = field(default_factory=pd.DataFrame)
    chase: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Indicator ID → spc.SpcResult (Making Data Count chart of its actuals).
    spc: dict = field(default_factory=dict)

    @property
    def kpis(self) -> pd.DataFrame:
        return self.indicators[self.indicators["KPI"]]


def _empty_returns(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="str") for c in columns})


INDICATOR_RETURN_COLUMNS = ["Indicator ID", "Actual", "Forecast Year-End", "Commentary", "Corrective Action", "Data Note"]
ACTION_RETURN_COLUMNS = [
    "Action ID", "Progress", "Expected End Date", "Completed Date", "Commentary",
    "Reason For Delay", "Corrective Action",
]


def indicator_table(register, assessed: pd.DataFrame) -> pd.DataFrame:
    """Register facts, outcome names and the assessment side by side, one row per indicator."""
    facts = register.indicators[_INDICATOR_REGISTER_COLUMNS].merge(
        register.outcomes[_OUTCOME_COLUMNS], on="Outcome ID", how="left"
    )
    assessed = assessed.drop(columns=[c for c in assessed.columns if c in facts.columns and c != "Indicator ID"])
    return facts.merge(assessed, on="Indicator ID", how="left")


def action_table(register, assessed: pd.DataFrame) -> pd.DataFrame:
    """Register facts and the assessment side by side, one row per action."""
    facts = register.actions[_ACTION_REGISTER_COLUMNS].merge(
        register.outcomes[["Outcome ID", "Outcome"]], on="Outcome ID", how="left"
    )
    assessed = assessed.drop(columns=[c for c in assessed.columns if c in facts.columns and c != "Action ID"])
    return facts.merge(assessed, on="Action ID", how="left")


def spc_by_indicator(indicators: pd.DataFrame, actuals: pd.DataFrame, period: Period) -> dict:
    """Each indicator's Making Data Count result over its actuals up to ``period``.

    The series is every known actual (history and returns) by period, in
    period order; the assurance uses the target the RAG status used (SPEC §5).
    An optional register column ``SPC Rebase`` lists periods (comma
    separated) where the limits start again, e.g. after a change of definition.
    """
    from pmflib.rules import spc

    known = actuals.assign(_index=[Period.parse(p).index for p in actuals["Period"]])
    known = known[known["_index"] <= period.index].sort_values("_index")
    series = {key: group for key, group in known.groupby("Indicator ID", sort=False)}
    results = {}
    for row in indicators.itertuples(index=False):
        indicator_id = row[0]
        group = series.get(indicator_id)
        values = [] if group is None else list(group["Actual"].astype(float))
        labels = [] if group is None else list(group["Period"])
        target = getattr(row, "Target", float("nan"))
        target = None if target is None or pd.isna(target) else float(target)
        rebase = [p.strip() for p in str(getattr(row, "SPC_Rebase", "") or "").split(",") if p.strip()]
        rebase = [Period.parse(p).label for p in rebase if Period.parse(p).label in labels]
        results[indicator_id] = spc.spc(values, row.Polarity, target, labels=labels, rebase_at=rebase)
    return results


def with_spc_columns(indicators: pd.DataFrame, results: dict) -> pd.DataFrame:
    """The open-data ``Variation`` and ``Assurance`` columns (issue: Beyond RAG)."""
    return indicators.assign(
        Variation=[results[i].variation for i in indicators["Indicator ID"]],
        Assurance=[results[i].assurance for i in indicators["Indicator ID"]],
    )


def compute_period(
    register,
    period: Period,
    actuals: pd.DataFrame,
    indicator_returns: pd.DataFrame | None = None,
    action_returns: pd.DataFrame | None = None,
    previous_indicator_returns: pd.DataFrame | None = None,
    previous_action_returns: pd.DataFrame | None = None,
) -> PeriodResult:
    """Assess every indicator and action for ``period`` and the one before.

    The previous period is assessed by the same rules so that "what changed
    since last quarter" and the Q1/Q3 exception report compare like with like.
    """
    if indicator_returns is None:
        indicator_returns = _empty_returns(INDICATOR_RETURN_COLUMNS)
    if action_returns is None:
        action_returns = _empty_returns(ACTION_RETURN_COLUMNS)
    if previous_indicator_returns is None:
        previous_indicator_returns = _empty_returns(INDICATOR_RETURN_COLUMNS)
    previous = period.previous()
    assessed = status.assess_indicators(
        register.indicators, register.targets, actuals, indicator_returns, period
    )
    previous_assessed = status.assess_indicators(
        register.indicators, register.targets, actuals, previous_indicator_returns, previous
    )
    actions = status.assess_actions(register.actions, action_returns, period, previous_action_returns)

    indicators = indicator_table(register, assessed)
    spc_columns = ["Indicator ID", "Polarity", "Target"]
    spc_input = indicators[spc_columns].assign(
        SPC_Rebase=register.indicators.set_index("Indicator ID")
        .reindex(indicators["Indicator ID"])
        .get(SPC_REBASE_COLUMN, pd.Series("", index=indicators["Indicator ID"]))
        .fillna("").astype(str).to_numpy()
    )
    spc_results = spc_by_indicator(spc_input, actuals, period)
    indicators = with_spc_columns(indicators, spc_results)
    previous_indicators = indicator_table(register, previous_assessed)
    action_rows = action_table(register, actions)

    exceptions = {
        "kpis_not_reported": status.kpis_not_reported(assessed, register.indicators),
        "red_kpis_missing_commentary": status.red_kpis_missing_commentary(assessed, register.indicators, period),
        "slipped_actions_missing_reason": status.slipped_actions_missing_reason(actions, register.actions),
    }
    if period.quarter in EXCEPTION_REPORT_QUARTERS:
        exceptions["exception_measures"] = status.exception_measures(assessed, previous_assessed, register.indicators)
    if period.quarter in RED_KPI_COMMENTARY_QUARTERS:
        red = indicators[(indicators["Status"] == RED) & indicators["KPI"]]
        exceptions["red_kpis"] = red
    return PeriodResult(
        period=period,
        indicators=indicators,
        actions=action_rows,
        previous_indicators=previous_indicators,
        outcomes=register.outcomes,
        exceptions=exceptions,
        actuals=actuals,
        spc=spc_results,
    )
