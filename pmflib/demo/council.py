"""Northmere Borough Council: a deterministic, fictional council for the demo.

The demo has to look like a real council's outcome plans, because that is
what convinces a performance team the workbook will work for them, and it
has to exercise every rule of SPEC §5–§8: all four balanced-scorecard types
and frequencies, cumulative year-to-date counts that reset in April, targets
of 0, absolute tolerances, profiled quarterly targets, baselines, neutral
contextual counts, step changes for SPC to find, and actions that slip.

Everything is drawn from ``numpy.random.default_rng`` with one seed, in
independent streams per indicator and per action, so two calls give the same
council and adding an indicator to the catalogue does not reshuffle the rest.
Targets are planned from the series rather than typed by hand, so the latest
quarter shows the believable mix a Cabinet report would (mostly Green, some
Amber and Red, a few Measured), and the planned statuses are checked with the
real rules in ``pmflib.status`` rather than a copy of them.

``generate_demo`` is pure; ``write_demo_inputs`` is the only function that
touches disk. The returns here are the *clean* values a service would enter;
``pmflib.demo_returns`` plants the imperfections.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pmflib.core import constants as C
from pmflib.core.periods import Period, period_range, year_label
from pmflib.demo.actions import (  # noqa: F401
    _action_return_row,
    _place_actions,
)
from pmflib.demo.catalogue import (  # noqa: F401
    ACTION_MIX,
    ACTIONS_PER_NOT_VIABLE,
    AMBER_GAP,
    ASC,
    CATALOGUE,
    COMMENTARY_SHARE_GREEN,
    COMMENTARY_SHARE_MEASURED,
    COMPARATOR_SPREAD_OTHER,
    COMPARATOR_SPREAD_PERCENT,
    COMPARATOR_YEARS,
    CORRECTIVE_SHARE_AMBER,
    COUNCIL_NAME,
    CSC,
    CURRENT_YEAR_MIX,
    CUSTOMER,
    DATA_NOTE_SHARE,
    DECIMALS_BY_UNIT,
    DEFAULT_SEED,
    DELIVERED_LATE_SHARE,
    DEMO_SCALES,
    ECONDEV,
    ENVH,
    EXPLICIT_DEFAULT_TOLERANCE_SHARE,
    FORECAST_SHARE_CUMULATIVE,
    FORECAST_SHARE_OTHER,
    GREEN_GAP_SDS,
    HIGHWAYS,
    HOUSING,
    HRFIN,
    IMPROVING_TREND_SHARE,
    LATEST_PERIOD,
    LEISURE,
    LOCALITIES,
    NEIGHBOURS,
    NOISE_BY_UNIT,
    NOISE_OTHER,
    OUTCOMES,
    OWN_AUTHORITY,
    PAST_YEAR_MIX,
    PERCENT_HEADROOM_SHARE,
    PLACES,
    PLAN_END,
    PLAN_START,
    PLANNING,
    RANDOM_STEP_SHARE,
    RED_GAP,
    REVS,
    SERVICE_FAMILIES,
    SERVICE_PEOPLE,
    SERVICES,
    SLIP_LESS_MONTHS,
    SLIP_MORE_MONTHS,
    SLIP_NOTICE_MONTHS,
    SMALL_COUNT_LEVEL,
    STEP_QUARTERS_AGO,
    STEP_SIZE_SDS,
    TARGET_STRETCH,
    TINY_INDICATORS,
    TINY_OUTCOMES,
    TREND_RANGE,
    WASTE,
    DemoScale,
    _Outcome,
    _Spec,
)
from pmflib.demo.indicators import (  # noqa: F401
    _clip,
    _draw_series,
    _forecasts,
    _gives_forecast,
    _indicator_return_row,
    _model,
    _scale_of,
    _target_rows,
)
from pmflib.demo.place import (  # noqa: F401
    _STREAM_ACTION_TEXT,
    _STREAM_COMPARATOR,
    _STREAM_FORECAST,
    _STREAM_INDICATOR,
    _STREAM_TEXT,
    _decimals,
    _definition,
    _Indicator,
    _outcome_ids,
    _outcomes_for,
    _place_indicators,
    _rng,
    _scale,
    format_value,
)
from pmflib.demo.texts import (  # noqa: F401
    ACTION_PHASES,
    ACTION_STEMS,
    ACTION_YEARS,
    DATA_NOTES,
    DELAY_ACTIONS,
    DELAY_REASONS,
    DELIVERED_NOTES,
    NOT_VIABLE_REASONS,
    ON_TRACK_NOTES,
    SERVICE_TEXT,
    SURVEY_PAUSED_COMMENTARY,
    TINY_ACTIONS,
)
from pmflib.rules import status


# --- the result ---------------------------------------------------------------------------------------------
@dataclass
class DemoCouncil:
    """The fictional council: its register, history, benchmarks and the clean
    returns its services would send for each return period."""

    name: str
    register_sheets: dict[str, pd.DataFrame]
    history: pd.DataFrame
    comparators: pd.DataFrame
    return_periods: list[Period]
    indicator_returns: dict[str, pd.DataFrame]
    action_returns: dict[str, pd.DataFrame]
    latest_period: Period
    scale: str = "standard"
    seed: int = DEFAULT_SEED
    #: The status planned for each indicator at the latest period (for tests and notebooks).
    planned_status: dict[str, str] = field(default_factory=dict)


# --- comparators -------------------------------------------------------------------------------------------
def _own_year_value(spec: _Spec, series: dict[Period, float], year: int) -> float:
    """The council's published figure for a year: year-end for cumulative and
    annual measures, else the mean of the year's quarters."""
    if spec.cumulative or spec.frequency in (C.ANNUAL, C.HALF_YEARLY):
        return series.get(Period(year, 4), math.nan)
    values = [series[p] for p in series if p.year == year]
    return float(np.mean(values)) if values else math.nan


def _comparator_rows(ind: _Indicator, series: dict[Period, float], seed: int, index: int) -> list[dict]:
    spec = ind.spec
    rng = _rng(seed, _STREAM_COMPARATOR, index)
    decimals = _decimals(spec)
    own = {year: _own_year_value(spec, series, year) for year in COMPARATOR_YEARS}
    known = [v for v in own.values() if not math.isnan(v)]
    centre = float(np.mean(known)) if known else spec.level
    spread = (COMPARATOR_SPREAD_PERCENT * _scale_of(spec) if spec.unit == "%"
              else COMPARATOR_SPREAD_OTHER * abs(centre))
    effects = rng.normal(0, 1, len(NEIGHBOURS))
    rows = []
    for year in COMPARATOR_YEARS:
        drift = (year - COMPARATOR_YEARS[-1]) * 0.01 * spread
        if not math.isnan(own[year]):
            rows.append({"Comparator Metric": ind.comparator, "Year": year_label(year),
                         "Authority": OWN_AUTHORITY, "Value": round(own[year], decimals)})
        for name, effect in zip(NEIGHBOURS, effects):
            value = centre + drift + spread * (effect + rng.normal(0, 0.3))
            rows.append({"Comparator Metric": ind.comparator, "Year": year_label(year),
                         "Authority": name, "Value": _clip(spec, value)})
    return rows


# --- assembling the council ---------------------------------------------------------------------------------
def _text_frame(rows: list[dict], columns: list[str], numbers=(), dates=()) -> pd.DataFrame:
    """A table in the DESIGN.md convention: text "" for blank, floats NaN, dates NaT."""
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in numbers:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
        elif column in dates:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        else:
            frame[column] = frame[column].fillna("").astype("str")
    return frame


def _yes_no(flag: bool) -> str:
    return C.YES_NO[0] if flag else C.YES_NO[1]


def generate_demo(scale: str = "standard", seed: int = DEFAULT_SEED) -> DemoCouncil:
    """Build Northmere Borough Council at ``scale`` (tiny, standard or large). Pure: no I/O.

    Pipeline: place indicators → draw each series → forecasts → plan targets
    from the series → the clean returns → actions and their returns →
    comparators. Each step draws from its own seeded stream.
    """
    cfg = _scale(scale)
    latest = LATEST_PERIOD
    first_return = latest.shift(-(cfg.return_quarters - 1))
    first_history = first_return.shift(-cfg.history_quarters)
    periods = period_range(first_history, latest)
    return_periods = periods[-cfg.return_quarters:]
    years = sorted({p.year for p in periods})
    outcomes = _outcomes_for(scale)
    indicators = _place_indicators(scale, seed, outcomes)

    history_rows, target_rows, comparator_rows, returns, planned = _draw_indicators(
        indicators, periods, return_periods, years, first_return, latest, seed)
    actions = _place_actions(scale, seed, outcomes, latest)
    action_returns = _action_return_frames(actions, return_periods, seed)
    register = _register_sheets(outcomes, indicators, target_rows, actions)
    return DemoCouncil(
        name=COUNCIL_NAME,
        register_sheets=register,
        history=_text_frame(history_rows, list(C.HISTORY_COLUMNS), numbers=("Actual",)),
        comparators=_text_frame(comparator_rows, list(COMPARATOR_COLUMNS), numbers=("Value",)),
        return_periods=return_periods,
        indicator_returns={
            p.label: _text_frame(returns[p], list(_INDICATOR_RETURN_COLUMNS),
                                 numbers=("Actual", "Forecast Year-End"))
            for p in return_periods
        },
        action_returns=action_returns,
        latest_period=latest,
        scale=scale,
        seed=seed,
        planned_status=planned,
    )


def _draw_indicators(indicators, periods, return_periods, years, first_return, latest, seed):
    """Everything each indicator contributes, drawn one indicator at a time so
    that its series, forecasts, targets, return text and comparators agree.

    Each indicator draws from its own seeded streams (by its index), so its
    numbers do not depend on how much another indicator drew. Returns the history, target and
    comparator rows, the indicator return rows by period, and the status
    planned for each indicator at the latest period.
    """
    history_rows, target_rows, comparator_rows = [], [], []
    returns: dict[Period, list[dict]] = {p: [] for p in return_periods}
    planned: dict[str, str] = {}
    for index, ind in enumerate(indicators):
        spec = ind.spec
        rng = _rng(seed, _STREAM_INDICATOR, index)
        model = _model(spec, latest, rng)
        series = _draw_series(spec, model, periods, latest, rng)
        if spec.baseline:
            series = {p: v for p, v in series.items() if p >= first_return}
        if spec.survey_paused:
            series.pop(latest, None)
        forecast_rng = _rng(seed, _STREAM_FORECAST, index)
        forecasts = _forecasts(spec, model, series, return_periods, latest, forecast_rng) if (
            _gives_forecast(spec, forecast_rng)) else {}
        rows, planned[ind.id] = _target_rows(ind, model, series, forecasts, years, latest, seed, index)
        target_rows += rows
        history_rows += [{"Indicator ID": ind.id, "Period": p.label, "Actual": v}
                         for p, v in series.items() if p < first_return]
        text_rng = _rng(seed, _STREAM_TEXT, index)
        for period in return_periods:
            if status.is_due(spec.frequency, period.quarter):
                returns[period].append(_indicator_return_row(
                    ind, period, series.get(period, math.nan), forecasts.get(period, math.nan),
                    rows, text_rng))
        if ind.comparator:
            comparator_rows += _comparator_rows(ind, series, seed, index)
    return history_rows, target_rows, comparator_rows, returns, planned


def _action_return_frames(actions, return_periods, seed) -> dict[str, pd.DataFrame]:
    """Each quarter's action updates, keyed by period label; every action and
    quarter has its own text stream, so the quarters are independent."""
    action_returns = {}
    for period in return_periods:
        rows = [_action_return_row(a, period, _rng(seed, _STREAM_ACTION_TEXT, n, period.index))
                for n, a in enumerate(actions)]
        action_returns[period.label] = _text_frame(
            rows, list(_ACTION_RETURN_COLUMNS), dates=("Expected End Date", "Completed Date"))
    return action_returns


def _register_sheets(outcomes, indicators, target_rows, actions) -> dict[str, pd.DataFrame]:
    """The register as a council keeps it, sheet by sheet (what
    write_register writes to register.xlsx)."""
    return {
        C.OUTCOMES_SHEET: _outcomes_frame(outcomes),
        C.INDICATORS_SHEET: _indicators_frame(indicators),
        C.TARGETS_SHEET: _targets_frame(target_rows),
        C.ACTIONS_SHEET: _text_frame(
            [{"Action ID": a.id, "Action": a.text, "Outcome ID": a.outcome_id, "Service": a.service,
              "Owner": a.owner, "Start Date": a.start, "End Date": a.end} for a in actions],
            list(C.REGISTER_ACTION_COLUMNS), dates=("Start Date", "End Date")),
    }

COMPARATOR_COLUMNS = ("Comparator Metric", "Year", "Authority", "Value")
_INDICATOR_RETURN_COLUMNS = ("Indicator ID", "Service", "Actual", "Forecast Year-End", "Commentary",
                             "Corrective Action", "Data Note")
_ACTION_RETURN_COLUMNS = ("Action ID", "Service", "Progress", "Expected End Date", "Completed Date",
                          "Commentary", "Reason For Delay", "Corrective Action")


def _outcomes_frame(outcomes: tuple[_Outcome, ...]) -> pd.DataFrame:
    ids = _outcome_ids(outcomes)
    rows = [{"Outcome ID": ids[o.code], "Outcome": o.name, "Cabinet Member": o.cabinet_member,
             "Lead Director": o.lead_director} for o in outcomes]
    return _text_frame(rows, list(C.REGISTER_OUTCOME_COLUMNS))


def _indicators_frame(indicators: list[_Indicator]) -> pd.DataFrame:
    rows = []
    for ind in indicators:
        spec = ind.spec
        rows.append({
            "Indicator ID": ind.id, "Indicator": spec.name, "Outcome ID": ind.outcome_id,
            "Service": ind.service, "Owner": ind.owner, "Escalation Owner": ind.escalation_owner,
            "Definition": _definition(spec), "Unit": spec.unit, "Decimals": _decimals(spec),
            "Polarity": spec.polarity, "Type": spec.type, "Frequency": spec.frequency,
            "Cumulative": _yes_no(spec.cumulative), "KPI": _yes_no(spec.kpi),
            "Headline": _yes_no(ind.headline), "Tolerance": ind.tolerance[0],
            "Comparator Metric": ind.comparator,
        })
    frame = _text_frame(rows, list(C.REGISTER_INDICATOR_COLUMNS))
    frame["Decimals"] = pd.Series([r["Decimals"] for r in rows], dtype="int64")
    return frame


def _targets_frame(rows: list[dict]) -> pd.DataFrame:
    """Targets: Annual Target holds numbers, or the word Baseline where a year sets one."""
    quarters = [f"Q{q} Target" for q in (1, 2, 3, 4)]
    frame = _text_frame(rows, list(C.REGISTER_TARGET_COLUMNS), numbers=quarters + ["Annual Target"])
    frame["Annual Target"] = pd.Series([r["Annual Target"] for r in rows], dtype="object")
    return frame


# --- the edge: writing the inputs ---------------------------------------------------------------------------
def write_demo_inputs(council: DemoCouncil, workbook_dir: "Path | str") -> dict[str, Path]:
    """Write the register, history and comparators into ``workbook_dir/inputs``.

    Returns the paths by name (``register``, ``history``, ``comparators``).
    The returns are not written here: they are filled from templates by
    ``pmflib.demo_returns`` so they look like what services send back.
    """
    from pmflib.inputs.register import write_history, write_register

    inputs = Path(workbook_dir) / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    paths = {
        "register": write_register(council.register_sheets, inputs / "register.xlsx"),
        "history": write_history(council.history, inputs / "history.csv"),
    }
    comparators = inputs / "comparators.csv"
    council.comparators.to_csv(comparators, index=False)
    paths["comparators"] = comparators
    reports = Path(workbook_dir) / "params" / "reports.yml"
    if reports.exists():
        text = reports.read_text(encoding="utf-8")
        changed = with_demo_committees(text, committees_yaml(council.register_sheets["Outcomes"]))
        if changed != text:  # unchanged, the file is not written (the repository's own stays as committed)
            reports.write_text(changed, encoding="utf-8")
    return paths


#: The first line of the committees block ``pmf demo`` writes, so it can find
#: its own block again (to suit another scale) and never touches a council's.
DEMO_COMMITTEES_MARK = "# The demo council's scrutiny committees (written by `pmf demo`):"
_DEMO_BLOCK = re.compile(re.escape(DEMO_COMMITTEES_MARK) + r"\ncommittees:[^\n]*\n(?:[ \t]+[^\n]*\n?)*")


def with_demo_committees(text: str, block: str) -> str:
    """params/reports.yml with the demo's committees: in place of the shipped
    ``committees: []``, or of a block an earlier ``pmf demo`` wrote; a
    council's own committees are left as they are."""
    marked = f"{DEMO_COMMITTEES_MARK}\n{block.rstrip(chr(10))}\n"
    if _DEMO_BLOCK.search(text):
        return _DEMO_BLOCK.sub(lambda _: marked, text, count=1)
    if re.search(r"^committees: \[\]\s*$", text, flags=re.M):
        return re.sub(r"^committees: \[\]\s*$\n?", lambda _: marked, text, count=1, flags=re.M)
    return text


#: The demo's scrutiny committees (seed 003 §9.2: corporate and resources,
#: people, places) and the outcome plans (by code) each covers.
DEMO_COMMITTEES = (
    ("Corporate and Resources Scrutiny Committee", ("COU", "CLI")),
    ("People Scrutiny Committee", ("CYP", "ASC", "HEA")),
    ("Places Scrutiny Committee", ("ECO", "SAF", "ENV", "HOM", "CON")),
)


def committees_yaml(outcomes: pd.DataFrame) -> str:
    """The demo's ``committees:`` block for params/reports.yml, by the register's Outcome IDs.

    A committee none of whose outcomes this scale has is left out.
    """
    by_name = {o.name: o.code for o in OUTCOMES}
    ids_by_code = {by_name.get(str(r["Outcome"])): str(r["Outcome ID"]) for r in outcomes.to_dict("records")}
    lines = ["committees:"]
    for name, codes in DEMO_COMMITTEES:
        ids = [ids_by_code[c] for c in codes if c in ids_by_code]
        if ids:
            lines.append(f"  - name: {name}")
            lines.append(f"    outcomes: [{', '.join(ids)}]")
    return "\n".join(lines) + "\n" if len(lines) > 1 else "committees: []\n"
