"""Placing the catalogue at a scale: which outcomes, services, people and
indicators a tiny, standard or large demo council has, and the small
calendar and number helpers the generator shares.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np

from pmflib.core import constants as C
from pmflib.core.errors import ConfigError
from pmflib.core.tolerance import parse_tolerance
from pmflib.demo.catalogue import (  # noqa: F401
    _FIRST_NAMES,
    _SURNAMES,
    CATALOGUE,
    DECIMALS_BY_UNIT,
    DEMO_SCALES,
    EXPLICIT_DEFAULT_TOLERANCE_SHARE,
    LOCALITIES,
    OUTCOMES,
    SERVICE_FAMILIES,
    SERVICE_PEOPLE,
    SMALL_COUNT_LEVEL,
    TINY_INDICATORS,
    TINY_OUTCOMES,
    DemoScale,
    _Outcome,
    _Spec,
)


# --- small helpers ------------------------------------------------------------------------------------------
def _rng(seed: int, stream: int, *keys: int) -> np.random.Generator:
    """An independent random stream per (stream, keys), so items do not disturb each other."""
    return np.random.default_rng([seed, stream, *keys])


_STREAM_INDICATOR, _STREAM_FORECAST, _STREAM_TARGET, _STREAM_TEXT = 1, 2, 3, 4
_STREAM_ACTION, _STREAM_COMPARATOR, _STREAM_REGISTER, _STREAM_ACTION_TEXT = 5, 6, 7, 8
_STREAM_ACTION_PLAN = 9


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_end_at(index: int) -> date:
    return _month_end(index // 12, index % 12 + 1)


def _month_start_at(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _random_month(rng: np.random.Generator, first: date, last: date) -> int:
    """A month index between two dates' months, inclusive."""
    low, high = _month_index(first), _month_index(last)
    return int(rng.integers(low, max(low, high) + 1))


def _decimals(spec: _Spec) -> int:
    if spec.decimals is not None:
        return spec.decimals
    if spec.zero_target or (spec.unit == "number" and spec.level < SMALL_COUNT_LEVEL):
        return 0
    return DECIMALS_BY_UNIT.get(spec.unit, 1)


def _is_count(spec: _Spec) -> bool:
    """Whole-number counts of events, drawn as Poisson counts when small."""
    return spec.unit == "number" and _decimals(spec) == 0


def _tolerance(spec: _Spec, explicit_default: bool) -> tuple[str, float, bool]:
    """(register text, band, relative) for the indicator's Tolerance, read as the
    register reader reads it (``core.tolerance``); a blank cell is written only
    when ``explicit_default`` (then as ``5%``)."""
    text, band, relative = parse_tolerance(spec.tolerance)
    return (text if spec.tolerance or explicit_default else ""), band, relative


def format_value(value: float, unit: str, decimals: int) -> str:
    """A value as the demo's services type it in commentary: ``44.2%``, ``£1,250``, ``19.5 days``, ``1,234``.

    Not the reports' ``narrative.format_value`` (the demo may not import
    report): this one rounds as Python's format does (half to even on the
    binary value: 12.25 → 12.2, where a report prints 12.3), writes ``1 days``
    and ``-0.0%``, and says "no value". It is what a service manager typed, so
    it is left as it is: switching would change the demo's commentary.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no value"
    number = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 else ""
    if unit == "%":
        return f"{sign}{number}%"
    if unit == "£":
        return f"{sign}£{number}"
    if unit in ("number", "rate", ""):
        return f"{sign}{number}"
    return f"{sign}{number} {unit}"


# --- choosing the council's indicators for a scale ---------------------------------------------------------
@dataclass(frozen=True)
class _Indicator:
    """A catalogue entry placed in this council: ID, service and people."""

    id: str
    spec: _Spec
    outcome_id: str
    service: str
    owner: str
    escalation_owner: str
    tolerance: tuple[str, float, bool]
    comparator: str
    headline: bool


def _scale(scale: str) -> DemoScale:
    if scale not in DEMO_SCALES:
        raise ConfigError(f"Unknown demo scale '{scale}': choose one of {', '.join(DEMO_SCALES)}")
    return DEMO_SCALES[scale]


def _outcomes_for(scale: str) -> tuple[_Outcome, ...]:
    if scale == "tiny":
        return tuple(o for o in OUTCOMES if o.code in TINY_OUTCOMES)
    return OUTCOMES[: DEMO_SCALES[scale].outcomes]


def _outcome_ids(outcomes: tuple[_Outcome, ...]) -> dict[str, str]:
    return {o.code: f"O{n:02d}" for n, o in enumerate(outcomes, start=1)}


def _extra_people(service: str, index: int) -> tuple[str, tuple[str, ...]]:
    """A manager and an officer for one of the large council's extra services."""
    first = _FIRST_NAMES[index % len(_FIRST_NAMES)]
    surname = _SURNAMES[(index * 7 + 3) % len(_SURNAMES)]
    second = _FIRST_NAMES[(index * 5 + 11) % len(_FIRST_NAMES)]
    surname2 = _SURNAMES[(index * 11 + 1) % len(_SURNAMES)]
    return (f"{first} {surname}, {service} Manager",
            (f"{first} {surname}, {service} Manager", f"{second} {surname2}, {service} Team Leader"))


def _all_people() -> dict[str, tuple[str, tuple[str, ...]]]:
    people = dict(SERVICE_PEOPLE)
    extras = [s for family in SERVICE_FAMILIES.values() for s in family]
    for index, service in enumerate(extras):
        people[service] = _extra_people(service, index)
    return people


def _family_of(service: str) -> str:
    for base, family in SERVICE_FAMILIES.items():
        if service == base or service in family:
            return base
    return service


def _chosen_specs(scale: str, outcomes: tuple[_Outcome, ...]) -> list[tuple[_Spec, int]]:
    """(catalogue entry, copy number) for each indicator of the scale, in outcome order.

    The large council repeats the catalogue split by locality (copies 1-3),
    each copy reported by one of its service's sub-services.
    """
    codes = [o.code for o in outcomes]
    if scale == "tiny":
        by_name = {spec.name: spec for spec in CATALOGUE}
        chosen = [(by_name[name], 0) for name in TINY_INDICATORS]
    else:
        wanted = DEMO_SCALES[scale].indicators
        base = [spec for spec in CATALOGUE if spec.outcome in codes]
        chosen = [(spec, copy) for copy in range(math.ceil(wanted / len(base))) for spec in base][:wanted]
    return sorted(chosen, key=lambda item: (codes.index(item[0].outcome), item[1]))


def _place_indicators(scale: str, seed: int, outcomes: tuple[_Outcome, ...]) -> list[_Indicator]:
    """Give each chosen catalogue entry its ID, service, owners and register flags."""
    outcome_ids = _outcome_ids(outcomes)
    people = _all_people()
    counters: dict[str, int] = {}
    placed = []
    for index, (spec, copy) in enumerate(_chosen_specs(scale, outcomes)):
        rng = _rng(seed, _STREAM_REGISTER, index)
        counters[spec.outcome] = counters.get(spec.outcome, 0) + 1
        service = spec.service
        if copy:
            family = SERVICE_FAMILIES[spec.service]
            service = family[(copy - 1 + counters[spec.outcome]) % len(family)]
            area = f" {(copy - 1) // len(LOCALITIES) + 1}" if copy > len(LOCALITIES) else ""
            spec = replace(spec, name=f"{spec.name} - {LOCALITIES[(copy - 1) % len(LOCALITIES)]} locality{area}",
                           forced="")
        head, managers = people[service]
        owner = managers[int(rng.integers(len(managers)))]
        escalation = head if head != owner else SERVICE_PEOPLE[_family_of(service)][0]
        explicit_default = bool(rng.random() < EXPLICIT_DEFAULT_TOLERANCE_SHARE)
        placed.append(_Indicator(
            id=f"{spec.outcome}-{counters[spec.outcome]:02d}",
            spec=spec,
            outcome_id=outcome_ids[spec.outcome],
            service=service,
            owner=owner,
            escalation_owner=escalation,
            tolerance=_tolerance(spec, explicit_default),
            comparator=spec.comparator if copy == 0 else "",
            headline=spec.headline and copy == 0,
        ))
    return placed


def _definition(spec: _Spec) -> str:
    """The register's Definition: what is counted, how often, and how it accumulates."""
    text = spec.definition or f"{spec.name}."
    when = {
        C.MONTHLY: "Collected monthly and reported each quarter.",
        C.QUARTERLY: "Reported each quarter.",
        C.HALF_YEARLY: "Reported at mid-year (Q2) and year end (Q4).",
        C.ANNUAL: "Reported once a year, at year end (Q4).",
    }[spec.frequency]
    parts = [text, when]
    if spec.cumulative:
        parts.append("Year to date: accumulates from April and resets at the start of each financial year.")
    if spec.zero_target:
        parts.append("The target is zero.")
    return " ".join(parts)
