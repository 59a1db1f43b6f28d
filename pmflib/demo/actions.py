"""The demo council's action plan: each action's dates and fate (delivered, on
target, slipped, no longer viable) and the updates its owner sends each quarter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from pmflib.core import constants as C
from pmflib.core.periods import Period, year_label
from pmflib.demo.catalogue import (  # noqa: F401
    ACTION_MIX,
    ACTIONS_PER_NOT_VIABLE,
    DELIVERED_LATE_SHARE,
    DEMO_SCALES,
    PLACES,
    PLAN_END,
    PLAN_START,
    SERVICE_FAMILIES,
    SLIP_LESS_MONTHS,
    SLIP_MORE_MONTHS,
    SLIP_NOTICE_MONTHS,
    _Outcome,
)
from pmflib.demo.indicators import (  # noqa: F401
    _choose,
)
from pmflib.demo.place import (  # noqa: F401
    _STREAM_ACTION,
    _STREAM_ACTION_PLAN,
    _all_people,
    _month_end_at,
    _month_index,
    _month_start_at,
    _outcome_ids,
    _random_month,
    _rng,
)
from pmflib.demo.texts import (  # noqa: F401
    ACTION_PHASES,
    ACTION_STEMS,
    ACTION_YEARS,
    DELAY_ACTIONS,
    DELAY_REASONS,
    DELIVERED_NOTES,
    NOT_VIABLE_REASONS,
    ON_TRACK_NOTES,
    TINY_ACTIONS,
)
from pmflib.rules import status


# --- actions --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Action:
    id: str
    text: str
    outcome_id: str
    service: str
    owner: str
    start: date
    end: date
    fate: str
    expected: date          # the final expected end date
    revealed: date          # from this date the return shows ``expected``
    completed: date | None
    stopped: date | None    # when it was judged no longer viable
    reason: str
    corrective: str


def _action_candidates(code: str, count: int, rng: np.random.Generator, large: bool) -> list[tuple[str, str]]:
    """Action names for one outcome: every stem once, then more places, phases and years.

    ``{year}`` is left in and filled from the action's dates. The large
    council also repeats stems by locality so it can reach 150 per outcome.
    """
    stems = ACTION_STEMS[code]
    variants: list[list[tuple[str, str]]] = []
    for text, service in stems:
        places = list(rng.permutation(PLACES))
        options = [text]
        if "{place}" in text:
            options = [text.replace("{place}", p) for p in places]
        if "{phase}" in text:
            options = [o.replace("{phase}", ph) for ph in ACTION_PHASES for o in options[:4]]
        if "{year}" in text:
            options = [o.replace("{year}", f"{{year:{y}}}") for y in ACTION_YEARS for o in options[:1]]
        variants.append([(o, service) for o in options])
    chosen: list[tuple[str, str]] = []
    depth = 0
    while len(chosen) < count and depth < 64:
        for options in variants:
            if depth < len(options) and len(chosen) < count:
                chosen.append(options[depth])
        depth += 1
    singles = [(text, service) for text, service in stems if "{" not in text]
    round_ = 0
    while len(chosen) < count and large and singles:
        place = PLACES[round_ % len(PLACES)]
        stage = f" (stage {round_ // len(PLACES) + 1})" if round_ >= len(PLACES) else ""
        for text, service in singles:
            if len(chosen) < count:
                chosen.append((f"{text} in {place}{stage}", service))
        round_ += 1
    return chosen


def _fixed_year(text: str) -> int | None:
    if "{year:" in text:
        return int(text.split("{year:")[1].split("}")[0])
    return None


def _fill_year(text: str, year: int) -> str:
    start = text.index("{year:")
    end = text.index("}", start)
    return text[:start] + year_label(year) + text[end + 1:]


def _action_dates(fate: str, latest_end: date, rng: np.random.Generator, year: int | None) -> dict:
    """Start, baseline end, expected end, completion and the date a slip became known."""
    months = lambda first, last: _random_month(rng, first, last)  # noqa: E731
    latest_index = _month_index(latest_end)
    expected = completed = stopped = None
    if year is not None:
        start, end = date(year, 4, 1), date(year + 1, 3, 31)
        fate = ("delivered" if end <= latest_end else "scheduled" if start > latest_end else "on target")
        if fate == "delivered":  # a year's programme is signed off in its last weeks
            completed = end - timedelta(days=int(rng.integers(0, 21)))
    elif fate == "delivered":
        late = rng.random() < DELIVERED_LATE_SHARE
        end_index = months(date(2024, 9, 1), _month_end_at(latest_index - (2 if late else 0)))
        end = _month_end_at(end_index)
        start = _month_start_at(max(_month_index(PLAN_START), end_index - int(rng.integers(6, 25))))
        if late:
            expected = status.add_months(end, int(rng.integers(1, 3)))
            expected = min(expected, latest_end)
        else:
            expected = end
        completed = max(start + timedelta(days=30), expected - timedelta(days=int(rng.integers(0, 21))))
    elif fate == "on target":
        start = _month_start_at(months(PLAN_START, date(2026, 7, 1)))
        end = _month_end_at(months(date(2026, 10, 1), PLAN_END))
    elif fate == "slipped less":
        start = _month_start_at(months(PLAN_START, date(2026, 3, 1)))
        end = _month_end_at(months(latest_end, date(2027, 12, 1)))
        expected = status.add_months(end, int(rng.integers(SLIP_LESS_MONTHS[0], SLIP_LESS_MONTHS[1] + 1)))
    elif fate == "slipped more":
        start = _month_start_at(months(PLAN_START, date(2026, 1, 1)))
        end = _month_end_at(months(date(2026, 3, 1), date(2027, 9, 1)))
        slip = int(rng.integers(SLIP_MORE_MONTHS[0], SLIP_MORE_MONTHS[1] + 1))
        while status.add_months(end, slip) <= latest_end:
            slip += 1
        expected = status.add_months(end, slip)
    elif fate == "not viable":
        start = _month_start_at(months(PLAN_START, date(2025, 10, 1)))
        stopped = _month_end_at(months(date(2025, 12, 1), latest_end))
        end = _month_end_at(months(max(status.add_months(stopped, 1), date(2026, 6, 1)), date(2027, 12, 1)))
    else:  # scheduled
        start = _month_start_at(months(date(2026, 10, 1), date(2027, 10, 1)))
        end = min(_month_end_at(_month_index(start) + int(rng.integers(6, 19))), PLAN_END)
    expected = expected or end
    revealed = end
    if expected != end:
        # The slip becomes known in the months before the baseline end, and by the
        # latest period at the latest, so the latest returns show it.
        earliest = max(status.add_months(end, -SLIP_NOTICE_MONTHS), status.add_months(start, 1))
        earliest = min(earliest, latest_end)
        revealed = _month_end_at(months(earliest, min(end, latest_end)))
    return {"fate": fate, "start": start, "end": end, "expected": expected, "revealed": revealed,
            "completed": completed, "stopped": stopped}


def _place_actions(scale: str, seed: int, outcomes: tuple[_Outcome, ...], latest: Period) -> list[_Action]:
    """The register's actions with the fate each will have by the latest period."""
    cfg = DEMO_SCALES[scale]
    outcome_ids = _outcome_ids(outcomes)
    people = _all_people()
    latest_end = latest.end_date
    plans: list[tuple[str, str, str, str]] = []   # (outcome code, text, service, fate)
    if scale == "tiny":
        for code, stem, fate in TINY_ACTIONS:
            text, service = ACTION_STEMS[code][stem]
            text = text.replace("{place}", PLACES[stem]).replace("{phase}", "1")
            text = text.replace("{year}", f"{{year:{latest.year}}}")
            plans.append((code, text, service, fate))
    else:
        per_outcome = [cfg.actions // len(outcomes) + (n < cfg.actions % len(outcomes))
                       for n in range(len(outcomes))]
        not_viable = max(1, round(cfg.actions / ACTIONS_PER_NOT_VIABLE))
        for n, (outcome, count) in enumerate(zip(outcomes, per_outcome)):
            rng = _rng(seed, _STREAM_ACTION_PLAN, n)
            large = scale.startswith("large")
            for text, service in _action_candidates(outcome.code, count, rng, large):
                if large:
                    family = (service,) + SERVICE_FAMILIES[service]
                    service = family[len(plans) % len(family)]
                plans.append((outcome.code, text, service, _choose(rng, ACTION_MIX)))
        stride = len(plans) // not_viable
        for k in range(not_viable):
            at = k * stride + stride // 2
            while _fixed_year(plans[at][1]) is not None:
                at += 1
            code, text, service, _ = plans[at]
            plans[at] = (code, text, service, "not viable")
    counters: dict[str, int] = {}
    actions = []
    for index, (code, text, service, fate) in enumerate(plans):
        rng = _rng(seed, _STREAM_ACTION, index)
        year = _fixed_year(text)
        dates = _action_dates(fate, latest_end, rng, year)
        if year is not None:
            text = _fill_year(text, year)
        counters[code] = counters.get(code, 0) + 1
        head, managers = people[service]
        owner = (head,) + managers
        reason = corrective = ""
        if dates["fate"] == "not viable":
            reason = NOT_VIABLE_REASONS[int(rng.integers(len(NOT_VIABLE_REASONS)))]
        elif dates["expected"] > dates["end"]:
            reason = DELAY_REASONS[int(rng.integers(len(DELAY_REASONS)))]
            corrective = DELAY_ACTIONS[int(rng.integers(len(DELAY_ACTIONS)))]
        actions.append(_Action(
            id=f"{code}-A{counters[code]:03d}", text=text, outcome_id=outcome_ids[code], service=service,
            owner=owner[int(rng.integers(len(owner)))], start=dates["start"], end=dates["end"],
            fate=dates["fate"], expected=dates["expected"], revealed=dates["revealed"],
            completed=dates["completed"], stopped=dates["stopped"], reason=reason, corrective=corrective,
        ))
    return actions


def _action_return_row(action: _Action, period: Period, rng: np.random.Generator) -> dict:
    """What the service reports for an action as at the period's end: consistent with its dates."""
    end = period.end_date
    row = {"Action ID": action.id, "Service": action.service, "Progress": C.PROGRESS_IN_PROGRESS,
           "Expected End Date": action.end, "Completed Date": None, "Commentary": "",
           "Reason For Delay": "", "Corrective Action": ""}
    if action.start > end:
        row["Progress"] = C.PROGRESS_NOT_STARTED
        row["Commentary"] = f"Due to start in {action.start:%B %Y}; preparatory work is under way."
        return row
    if action.stopped is not None and end >= action.stopped:
        row.update({"Progress": C.PROGRESS_NOT_VIABLE, "Expected End Date": None,
                    "Commentary": f"Recommended to the project board as no longer viable. {action.reason}",
                    "Reason For Delay": action.reason})
        return row
    if action.completed is not None and end >= action.completed:
        row.update({"Progress": C.PROGRESS_COMPLETED, "Expected End Date": action.expected,
                    "Completed Date": action.completed,
                    "Commentary": f"Completed in {action.completed:%B %Y}. "
                                  f"{DELIVERED_NOTES[int(rng.integers(len(DELIVERED_NOTES)))]}"})
        return row
    if end >= action.revealed and action.expected > action.end:
        slip = status.months_between(action.end, action.expected, 0)
        row.update({
            "Expected End Date": action.expected,
            "Commentary": f"Completion is now expected in {action.expected:%B %Y}, "
                          f"{slip:.0f} month{'s' if slip != 1 else ''} after the planned "
                          f"{action.end:%B %Y}.",
            "Reason For Delay": action.reason,
            "Corrective Action": action.corrective if slip > C.SLIPPAGE_THRESHOLD_MONTHS
            or rng.random() < 0.5 else "",
        })
        return row
    row["Commentary"] = f"On track: {ON_TRACK_NOTES[int(rng.integers(len(ON_TRACK_NOTES)))]}"
    return row
