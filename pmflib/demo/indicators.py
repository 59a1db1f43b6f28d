"""Each demo indicator's series, targets and returns: drawn from a model of
its level, trend, noise and step changes, with targets planned from the series
so the latest quarter shows the mix of statuses a real Cabinet report would.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pmflib.core import constants as C
from pmflib.core.periods import Period, year_label
from pmflib.demo.catalogue import (  # noqa: F401
    AMBER_GAP,
    COMMENTARY_SHARE_GREEN,
    COMMENTARY_SHARE_MEASURED,
    CORRECTIVE_SHARE_AMBER,
    CURRENT_YEAR_MIX,
    DATA_NOTE_SHARE,
    FORECAST_SHARE_CUMULATIVE,
    FORECAST_SHARE_OTHER,
    GREEN_GAP_SDS,
    IMPROVING_TREND_SHARE,
    NOISE_BY_UNIT,
    NOISE_OTHER,
    PAST_YEAR_MIX,
    PERCENT_HEADROOM_SHARE,
    RANDOM_STEP_SHARE,
    RED_GAP,
    SMALL_COUNT_LEVEL,
    STEP_QUARTERS_AGO,
    STEP_SIZE_SDS,
    TARGET_STRETCH,
    TREND_RANGE,
    _Spec,
)
from pmflib.demo.place import (  # noqa: F401
    _STREAM_TARGET,
    _decimals,
    _family_of,
    _Indicator,
    _is_count,
    _rng,
    format_value,
)
from pmflib.demo.texts import (  # noqa: F401
    DATA_NOTES,
    SERVICE_TEXT,
    SURVEY_PAUSED_COMMENTARY,
)
from pmflib.rules import status


# --- series ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Model:
    """How one indicator's values are drawn: level, trend, season, step and noise."""

    level: float
    scale: float        # the size one unit of trend or noise is measured in
    trend: float        # per year, in units of ``scale`` (positive = numbers rise)
    noise: float        # standard deviation, in units of ``scale``
    season: tuple[float, float, float, float]
    shares: tuple[float, float, float, float]
    step_index: int | None
    step: float         # in units of ``scale``
    poisson: bool


def _scale_of(spec: _Spec) -> float:
    if spec.unit == "%":
        return math.sqrt(max(spec.level * (100 - spec.level), 1.0))
    return max(abs(spec.level), 1.0)


def _model(spec: _Spec, latest: Period, rng: np.random.Generator) -> _Model:
    improving = rng.random() < IMPROVING_TREND_SHARE
    better = {C.HIGHER_IS_BETTER: 1, C.LOWER_IS_BETTER: -1}.get(spec.polarity, 1 if rng.random() < 0.5 else -1)
    trend = float(rng.uniform(*TREND_RANGE)) * better * (1 if improving else -1)
    amplitude, peak = spec.season
    season = tuple(1 + amplitude * math.cos(2 * math.pi * (q - peak) / 4) for q in (1, 2, 3, 4))
    raw = spec.shares or tuple(s / 4 for s in season)
    shares = tuple(s / sum(raw) for s in raw)
    noise = NOISE_BY_UNIT.get(spec.unit, NOISE_OTHER)
    wants_step = spec.step or (
        not spec.cumulative and spec.frequency in (C.MONTHLY, C.QUARTERLY) and not spec.zero_target
        and not spec.baseline and amplitude == 0 and spec.level >= SMALL_COUNT_LEVEL
        and rng.random() < RANDOM_STEP_SHARE)
    step_index, step = None, 0.0
    if wants_step:
        ago = int(rng.integers(STEP_QUARTERS_AGO[0], STEP_QUARTERS_AGO[1] + 1))
        step_index = latest.index - ago
        direction = better * (1 if rng.random() < 0.5 else -1)
        # Big enough to stand out from the noise and the seasonal swing alike.
        swing = 2 * amplitude * spec.level / _scale_of(spec)
        step = direction * (float(rng.uniform(*STEP_SIZE_SDS)) * noise + swing)
    poisson = _is_count(spec) and spec.level < SMALL_COUNT_LEVEL
    return _Model(spec.level, _scale_of(spec), trend, noise, season, shares, step_index, step, poisson)


def _mean(model: _Model, period: Period, latest: Period) -> float:
    """The noise-free level at ``period`` (before seasonality)."""
    years = (period.index - latest.index) / 4
    value = model.level + model.trend * model.scale * years
    if model.step_index is not None:
        # The step is already in today's level: before it, the level was different.
        if period.index < model.step_index:
            value -= model.step * model.scale
    return max(value, model.level * 0.1 if model.level > 0 else 0.0)


def _clip(spec: _Spec, value: float) -> float:
    """Keep a value possible for its unit and round it as the service would."""
    if not (spec.unit == "£" and spec.polarity == C.LOWER_IS_BETTER):  # an overspend can go negative
        value = max(value, 0.0)
    if spec.unit == "%":
        value = min(value, 100.0)
    return round(value, _decimals(spec))


def _expected(spec: _Spec, model: _Model, period: Period, latest: Period) -> float:
    """What the value would be at ``period`` without noise (for targets and forecasts)."""
    if spec.cumulative:
        year_total = _mean(model, Period(period.year, 2), latest)
        return year_total * sum(model.shares[: period.quarter])
    return _mean(model, period, latest) * model.season[period.quarter - 1]


def _draw_series(spec: _Spec, model: _Model, periods: list[Period], latest: Period,
                 rng: np.random.Generator) -> dict[Period, float]:
    """Every quarter's value; only quarters the frequency reports in are kept."""
    values: dict[Period, float] = {}
    ytd = 0.0
    for period in periods:
        if spec.cumulative:
            if period.quarter == 1:
                ytd = 0.0
            year_total = _mean(model, Period(period.year, 2), latest)
            flow = year_total * model.shares[period.quarter - 1]
            if model.poisson:
                flow = float(rng.poisson(max(flow, 0.0)))
            else:
                flow *= 1 + rng.normal(0, model.noise * model.scale / max(abs(model.level), 1e-9) / 2)
            ytd += max(flow, 0.0)
            value = ytd
        else:
            mean = _mean(model, period, latest) * model.season[period.quarter - 1]
            if model.poisson:
                value = float(rng.poisson(max(mean, 0.0)))
            else:
                value = mean + rng.normal(0, model.noise * model.scale)
        if status.is_due(spec.frequency, period.quarter):
            values[period] = _clip(spec, value)
    return values


# --- targets ------------------------------------------------------------------------------------------------
_RANK = {C.RED: 0, C.AMBER: 1, C.GREEN: 2}


def _target_step(value: float, decimals: int) -> float:
    """How finely targets are set: the display precision, or 3 significant figures."""
    step = 10.0 ** -decimals
    if abs(value) >= 1000:
        step = max(step, 10.0 ** (math.floor(math.log10(abs(value))) - 2))
    return step


def _round_to(value: float, step: float) -> float:
    """The nearest multiple of ``step``, printed without binary noise (2.2, not 2.2000000000000002)."""
    return round(round(value / step) * step, max(0, -math.floor(math.log10(step))))


def _choose(rng: np.random.Generator, mix: dict[str, float]) -> str:
    names = list(mix)
    return names[int(rng.choice(len(names), p=np.array(list(mix.values())) / sum(mix.values())))]


def _initial_target(value: float, desired: str, polarity: str, tolerance: tuple[str, float, bool],
                    spread: float, rng: np.random.Generator) -> float:
    """A target that should give ``desired`` for ``value`` (rounding is fixed up later).

    Green beats the target by a little of the indicator's own variation
    (``spread``, one noise SD); otherwise SPEC §5's gap is solved for the
    target: relative ``(v - t)/t = gap`` (mirrored for lower is better),
    absolute ``v - t = gap``.
    """
    _, band, relative = tolerance
    higher = polarity == C.HIGHER_IS_BETTER
    if desired == C.GREEN:
        margin = float(rng.uniform(*GREEN_GAP_SDS)) * spread
        return value - margin if higher else value + margin
    gap = -float(rng.uniform(*(AMBER_GAP if desired == C.AMBER else RED_GAP))) * band
    if relative:
        divisor = 1 + gap if higher else 1 - gap
        return value / divisor if divisor > 0 else value * 2
    return value - gap if higher else value + gap


def _fit_target(value: float, start: float, desired: str, polarity: str,
                tolerance: tuple[str, float, bool], step: float, multiplier: float,
                bounds: tuple[float, float]) -> tuple[float, str]:
    """Move a rounded target a step at a time until the real rules give ``desired``.

    ``multiplier`` turns the annual target into the one judged (a profiled
    quarter's share). Stops at the first overshoot, accepting the nearest
    status: with whole-number counts an Amber band can be narrower than one.
    """
    _, band, relative = tolerance
    annual = _round_to(start, step)
    last_move = 0
    for _ in range(400):
        annual = min(max(annual, bounds[0]), bounds[1])
        judged = _round_to(annual * multiplier, step) if multiplier != 1 else annual
        got, _ = status.rag_status(value, judged, polarity, band, relative)
        if got == desired:
            return annual, got
        easier = _RANK[desired] > _RANK[got]
        move = (-1 if polarity == C.HIGHER_IS_BETTER else 1) * (1 if easier else -1)
        if last_move and move != last_move:
            return annual, got
        nxt = min(max(_round_to(annual + move * step, step), bounds[0]), bounds[1])
        if nxt == annual:
            return annual, got
        annual, last_move = nxt, move
    return annual, got


def _profile(spec: _Spec, model: _Model, annual: float, step: float) -> list[float]:
    """Quarterly targets: the year-to-date share for cumulative measures, else the season."""
    if spec.cumulative:
        shares = np.cumsum(model.shares)
        return [_round_to(annual * s, step) for s in shares[:3]] + [annual]
    return [_round_to(annual * model.season[q] / model.season[3], step) for q in range(3)] + [annual]


def _has_profile(spec: _Spec) -> bool:
    return (spec.cumulative or spec.profile) and not spec.zero_target


def _multiplier(spec: _Spec, model: _Model, quarter: int) -> float:
    if quarter == 4 or not _has_profile(spec):
        return 1.0
    if spec.cumulative:
        return float(sum(model.shares[:quarter]))
    return model.season[quarter - 1] / model.season[3]


def _target_rows(ind: _Indicator, model: _Model, series: dict[Period, float],
                 forecasts: dict[Period, float], years: list[int], latest: Period, seed: int,
                 index: int) -> tuple[list[dict], str]:
    """One Targets row per financial year, planned from the series; and the
    status planned for the latest period ("" when none is judged)."""
    spec = ind.spec
    if spec.no_target or spec.polarity == C.NEUTRAL:
        return [], C.MEASURED
    if spec.baseline:
        return [_target_row(ind.id, latest.year, "Baseline", None)], C.MEASURED
    rng = _rng(seed, _STREAM_TARGET, index)
    decimals = _decimals(spec)
    rows, planned = [], ""
    for year in years:
        if spec.no_target_latest and year == latest.year:
            continue
        plan_at = latest if year == latest.year else Period(year, 4)
        mix = CURRENT_YEAR_MIX if year == latest.year else PAST_YEAR_MIX
        desired = spec.forced if (spec.forced and year == latest.year) else _choose(rng, mix)
        if spec.zero_target:
            rows.append(_target_row(ind.id, year, 0.0, None))
            continue
        expected_q4 = _expected(spec, model, Period(year, 4), latest)
        step = _target_step(expected_q4, decimals)
        upper = 100.0 if spec.unit == "%" else math.inf
        actual, forecast = series.get(plan_at, math.nan), forecasts.get(plan_at, math.nan)
        if math.isnan(actual) and math.isnan(forecast):
            # Nothing to judge yet (an annual measure in-year): a stretch on the expected value.
            stretch = float(rng.uniform(*TARGET_STRETCH))
            sign = 1 if spec.polarity == C.HIGHER_IS_BETTER else -1
            annual = min(max(_round_to(expected_q4 * (1 + sign * stretch), step), 0.0), upper)
        else:
            multiplier = _multiplier(spec, model, plan_at.quarter)
            value, _, basis = status.assessment_basis(plan_at, actual, forecast, 1.0,
                                                      1.0 if multiplier != 1 else math.nan)
            if basis != C.BASIS_ACTUAL_QUARTER.format(quarter=plan_at.quarter_name):
                multiplier = 1.0
            bounds = (0.0, upper)
            if spec.unit == "%" and spec.polarity == C.HIGHER_IS_BETTER:
                # Nobody sets a 100% Council Tax collection target: keep stretch believable.
                ceiling = value + PERCENT_HEADROOM_SHARE * (100 - value)
                bounds = (0.0, _round_to(math.floor(ceiling / step) * step, step))
            spread = math.sqrt(max(model.level, 1.0)) if model.poisson else model.noise * model.scale
            judged = _initial_target(value, desired, spec.polarity, ind.tolerance, spread, rng)
            annual, got = _fit_target(value, judged / multiplier, desired, spec.polarity, ind.tolerance,
                                      step, multiplier, bounds)
            if year == latest.year:
                planned = got
        quarters = _profile(spec, model, annual, step) if _has_profile(spec) else None
        rows.append(_target_row(ind.id, year, annual, quarters))
    if spec.zero_target:
        value = series.get(latest, math.nan)
        planned = "" if math.isnan(value) else (C.GREEN if value <= 0 else C.RED)
    if not status.is_due(spec.frequency, latest.quarter) or spec.no_target_latest:
        planned = C.MEASURED
    return rows, planned or C.MEASURED


def _target_row(indicator_id: str, year: int, annual: object, quarters: list[float] | None) -> dict:
    row = {"Indicator ID": indicator_id, "Year": year_label(year), "Annual Target": annual}
    for q in range(4):
        row[f"Q{q + 1} Target"] = math.nan if quarters is None else float(quarters[q])
    return row


# --- forecasts --------------------------------------------------------------------------------------------
def _gives_forecast(spec: _Spec, rng: np.random.Generator) -> bool:
    if spec.forecast is not None:
        return spec.forecast
    if spec.type == C.TYPE_PERCEPTION or spec.frequency not in (C.MONTHLY, C.QUARTERLY):
        return False
    if spec.zero_target or spec.baseline or spec.polarity == C.NEUTRAL or spec.no_target:
        return False
    share = FORECAST_SHARE_CUMULATIVE if spec.cumulative else FORECAST_SHARE_OTHER
    return bool(rng.random() < share)


def _forecasts(spec: _Spec, model: _Model, series: dict[Period, float], return_periods: list[Period],
               latest: Period, rng: np.random.Generator) -> dict[Period, float]:
    """Year-end forecasts in Q1-Q3 returns: the service's projection from the year so far."""
    out: dict[Period, float] = {}
    for period in return_periods:
        if period.quarter == 4 or period not in series:
            continue
        year_end = _expected(spec, model, Period(period.year, 4), latest)
        if spec.cumulative:
            share = float(sum(model.shares[: period.quarter]))
            year_end = 0.5 * year_end + 0.5 * series[period] / share
        noisy = year_end + rng.normal(0, model.noise * model.scale / 2)
        out[period] = _clip(spec, noisy)
    return out


# --- indicator returns --------------------------------------------------------------------------------------
def _targets_for(rows: list[dict], year: int, quarter: int) -> tuple[float, float, bool]:
    for row in rows:
        if row["Year"] == year_label(year):
            annual = row["Annual Target"]
            if isinstance(annual, str):
                return math.nan, math.nan, True
            return float(annual), float(row[f"Q{quarter} Target"]), False
    return math.nan, math.nan, False


def _indicator_return_row(ind: _Indicator, period: Period, actual: float, forecast: float,
                          target_rows: list[dict], rng: np.random.Generator) -> dict:
    """What a service enters for one indicator: figures, commentary that quotes them,
    corrective action when the status calls for it."""
    spec = ind.spec
    decimals = _decimals(spec)
    annual, quarter_target, baseline = _targets_for(target_rows, period.year, period.quarter)
    value, target, basis = status.assessment_basis(period, actual, forecast, annual, quarter_target)
    rag, _ = status.indicator_status(
        period, frequency=spec.frequency, polarity=spec.polarity, indicator_type=spec.type,
        value=value, target=target, basis=basis, baseline=baseline,
        tolerance_value=ind.tolerance[1], tolerance_relative=ind.tolerance[2],
    )
    good, pressure, corrective = SERVICE_TEXT[_family_of(ind.service)]
    fmt = lambda v: format_value(v, spec.unit, decimals)  # noqa: E731 - a local shorthand
    commentary = corrective_action = ""
    if spec.survey_paused and math.isnan(actual):
        commentary = SURVEY_PAUSED_COMMENTARY
    elif rag == C.GREEN:
        if rng.random() < COMMENTARY_SHARE_GREEN:
            compared = "meets" if fmt(value) == fmt(target) else "is better than"
            lead = (f"The year-end forecast of {fmt(value)} is on track for the target of {fmt(target)}."
                    if basis == C.BASIS_FORECAST else
                    f"At {fmt(actual)}, performance {compared} the target of {fmt(target)}.")
            commentary = f"{lead} {good[int(rng.integers(len(good)))]}"
    elif rag in (C.AMBER, C.RED):
        shortfall = "just short of" if rag == C.AMBER else "off track against"
        lead = (f"The year-end forecast of {fmt(value)} is {shortfall} the target of {fmt(target)}."
                if basis == C.BASIS_FORECAST else
                f"At {fmt(actual)}, performance is {shortfall} the target of {fmt(target)}.")
        commentary = f"{lead} {pressure[int(rng.integers(len(pressure)))]}"
        if rag == C.RED or rng.random() < CORRECTIVE_SHARE_AMBER:
            corrective_action = corrective[int(rng.integers(len(corrective)))]
    elif rng.random() < COMMENTARY_SHARE_MEASURED:
        commentary = _measured_commentary(spec, period, fmt(actual))
    data_note = DATA_NOTES[int(rng.integers(len(DATA_NOTES)))] if (
        not math.isnan(actual) and rng.random() < DATA_NOTE_SHARE) else ""
    return {
        "Indicator ID": ind.id, "Service": ind.service, "Actual": actual,
        "Forecast Year-End": forecast, "Commentary": commentary,
        "Corrective Action": corrective_action, "Data Note": data_note,
    }


def _measured_commentary(spec: _Spec, period: Period, shown: str) -> str:
    if spec.baseline:
        return (f"First year of collection: {shown} this quarter. The results will set the baseline "
                "for a target next year.")
    if spec.type == C.TYPE_PERCEPTION:
        return f"Result of the {period.year_label} survey: {shown}."
    if spec.polarity == C.NEUTRAL or spec.no_target:
        return (f"Contextual measure: {shown} this quarter. There is no target because a rise or a "
                "fall is not in itself good or bad.")
    return f"{shown} this period."
