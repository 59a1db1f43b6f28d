"""Draft sections written from the data until an analyst replaces them (pure)."""

from __future__ import annotations

from typing import Iterable

from pmflib.core.constants import (
    ACTION_STATUSES,
    AMBER,
    DECLINING,
    DELIVERED,
    GREEN,
    IMPROVING,
    MAINTAINED,
    MEASURED,
    NARRATIVE_ACHIEVEMENTS,
    NARRATIVE_ACTION_STATUS_NAMES,
    NARRATIVE_ANNUAL,
    NARRATIVE_BENCHMARKING,
    NARRATIVE_CASE_STUDIES,
    NARRATIVE_DATA_QUALITY,
    NARRATIVE_EXCEPTION,
    NARRATIVE_EXCEPTIONS,
    NARRATIVE_OUTCOME_TITLE,
    NARRATIVE_PUBLIC_AUDIENCE,
    NARRATIVE_QUARTERLY,
    NARRATIVE_SECTION_TITLES,
    NARRATIVE_SUMMARY,
    NOT_REPORTED,
    RED,
    RED_KPI_COMMENTARY_QUARTERS,
    SLIPPED_MORE,
)
from pmflib.report.narrative.context import (
    _outcomes,
)
from pmflib.report.narrative.keys import (
    outcome_section_key,
    placeholder_name,
)


# --- drafts (pure) -----------------------------------------------------------------------
def _p(name: str) -> str:
    return "{{ " + name + " }}"


def _actions_list(prefix: str) -> str:
    names = NARRATIVE_ACTION_STATUS_NAMES
    return "\n".join(f"- {label}: {_p(prefix + 'actions_' + names[label])}" for label in ACTION_STATUSES)


def _status_sentence(prefix: str, group: str, noun: str, when: str) -> str:
    g = f"{prefix}{group}"
    # No verb agrees with a count here: "1 are Red" cannot be written.
    return (
        f"{_p(g + '_green')} of {_p(g + '_count_text')} on target ({GREEN}) {when} "
        f"({_p(g + '_green_percent')}); {AMBER}: {_p(g + '_amber')}; {RED}: {_p(g + '_red')}. "
        f"{MEASURED} (no {GREEN}, {AMBER} or {RED} can be given): {_p(g + '_measured')}; "
        f"{NOT_REPORTED.lower()}: {_p(g + '_not_reported')}."
    )


def _direction_sentence(prefix: str, group: str, versus: str) -> str:
    g = f"{prefix}{group}"
    return (
        f"Direction of travel {versus}: {_p(g + '_improving')} {IMPROVING.lower()}, "
        f"{_p(g + '_maintained')} {MAINTAINED.lower()} and {_p(g + '_declining')} {DECLINING.lower()}."
    )


def _movement_sentence(prefix: str, plural: str) -> str:
    p = f"{prefix}{plural}"
    return (
        f"Moved to {RED} since last quarter: {_p(p + '_moved_to_red')}. "
        f"Moved out of {RED}: {_p(p + '_moved_out_of_red')}."
    )


def _summary(prefix: str, group: str, noun: str, period) -> str:
    versus = "year on year" if period.is_year_end else "since the last report"
    return "\n\n".join([
        _status_sentence(prefix, group, noun, "this quarter"),
        _direction_sentence(prefix, group, versus),
        _movement_sentence(prefix, f"{group}s"),
        f"Actions ({_p(prefix + 'action_count')} in the plan):",
        _actions_list(prefix),
    ])


def _outcome_draft(prefix: str, outcome_name: str) -> str:
    return (
        f"{_p(outcome_name)}: {_p(prefix + 'kpi_green')} of {_p(prefix + 'kpi_count_text')} {GREEN}, "
        f"{_p(prefix + 'kpi_amber')} {AMBER} and {_p(prefix + 'kpi_red')} {RED}. "
        f"Moved to {RED} since last quarter: {_p(prefix + 'kpis_moved_to_red')}. "
        f"Actions: {_p(prefix + 'actions_delivered')} of {_p(prefix + 'action_count_text')} "
        f"{DELIVERED.lower()}; {_p(prefix + 'actions_slipped_more')} {SLIPPED_MORE.lower()}."
    )


def _exceptions_draft(prefix: str, group: str, noun: str, period) -> str:
    g, plural = f"{prefix}{group}", f"{prefix}{group}s"
    text = (
        f"{RED} this quarter: {_p(g + '_red_text')} ({_p(plural + '_red')}). "
        f"{NOT_REPORTED}: {_p(g + '_not_reported_text')} ({_p(plural + '_not_reported')})."
    )
    if period.quarter in RED_KPI_COMMENTARY_QUARTERS:
        text += (
            f"\n\nEvery {RED} KPI needs commentary and corrective action from its owner; "
            "any still missing are listed for chasing in the data-quality report."
        )
    return text


_BENCHMARKING_DRAFT = (
    "The benchmarking table compares {{ year }} with similar councils. Replace this text with a "
    "short reading of where the council ranks and which quartile it is in, and why."
)
_CASE_STUDIES_DRAFT = (
    "Add one or two short case studies of the difference {{ year }}'s work made to residents: "
    "what was done, for whom, and what changed."
)


def draft_sections(result, report_kind: str, audience: str, outcome_id: str | None = None) -> dict[str, str]:
    """The starting text of each section of one report, with placeholders
    (not numbers) so that the draft stays true when the data is corrected.

    ``report_kind`` is the report's id in ``params/reports.yml``; a kind this
    module does not know gets only a summary, so a council can add a report
    without changing pmflib. ``outcome_id`` makes the drafts those of one
    outcome plan (the Portfolio Holder's report).
    """
    period = result.period
    public = str(audience).strip().lower() == NARRATIVE_PUBLIC_AUDIENCE.lower()
    kpis = "key performance indicators (KPIs)" if public else "KPIs"
    if report_kind == NARRATIVE_EXCEPTION:
        return _exception_report_drafts()
    if report_kind == NARRATIVE_ANNUAL:
        return _annual_report_drafts(kpis)
    if report_kind == NARRATIVE_DATA_QUALITY:
        return _data_quality_report_drafts(result)
    return _period_report_drafts(result, report_kind, period, kpis, outcome_id)


def _exception_report_drafts() -> dict[str, str]:
    """The exception report is about last quarter's reds only, so its drafts
    follow those measures rather than the whole set."""
    drafts: dict[str, str] = {}
    drafts[NARRATIVE_SUMMARY] = (
        f"{_p('previous_red_count')} measures were {RED} last quarter ({_p('previous_period')}). "
        f"This quarter {_p('previous_red_now_green')} are {GREEN}, {_p('previous_red_now_amber')} "
        f"{AMBER} and {_p('previous_red_now_red')} still {RED}; {_p('previous_red_now_measured')} are "
        f"{MEASURED} and {_p('previous_red_now_not_reported')} were {NOT_REPORTED.lower()}."
    )
    drafts[NARRATIVE_EXCEPTIONS] = (
        f"Still {RED}: {_p('previous_red_still_red')}.\n\n"
        f"Moved out of {RED}: {_p('indicators_moved_out_of_red')}.\n\n"
        f"Newly {RED} this quarter: {_p('indicators_moved_to_red')}."
    )
    return drafts


def _annual_report_drafts(kpis: str) -> dict[str, str]:
    """The annual report looks back over the year and year on year, and has
    room for case studies that no data can draft."""
    drafts: dict[str, str] = {}
    drafts[NARRATIVE_SUMMARY] = "\n\n".join([
        f"In {_p('year')}, {_p('kpi_green')} of {_p('kpi_count')} {kpis} met their target for the year "
        f"({_p('kpi_green_percent')}); {_p('kpi_amber')} were {AMBER} and {_p('kpi_red')} were {RED}.",
        _direction_sentence("", "kpi", "year on year"),
        f"{_p('actions_delivered')} of {_p('action_count')} actions were {DELIVERED.lower()}.",
    ])
    drafts[NARRATIVE_ACHIEVEMENTS] = (
        f"Targets met this year: {_p('kpis_green')}.\n\n"
        f"Improving on last year: {_p('kpis_improving')}."
    )
    drafts[NARRATIVE_CASE_STUDIES] = _CASE_STUDIES_DRAFT
    return drafts


def _data_quality_report_drafts(result) -> dict[str, str]:
    """The data-quality report mentions a kind of missing commentary only
    when the period's exceptions checked for it, so it never claims a count
    that was not computed."""
    drafts: dict[str, str] = {}
    lines = [
        f"{_p('data_quality_problem_count')} problems were found in the returns and data for "
        f"{_p('period')}; each is listed below with its file, sheet and cell.",
        f"{_p('kpi_not_reported')} KPIs were {NOT_REPORTED.lower()}: {_p('kpis_not_reported')}.",
    ]
    exceptions = getattr(result, "exceptions", None) or {}
    if "red_kpis_missing_commentary" in exceptions:
        lines.append(
            f"{_p('red_kpis_missing_commentary_count')} {RED} KPIs are missing commentary "
            "or corrective action."
        )
    if "slipped_actions_missing_reason" in exceptions:
        lines.append(
            f"{_p('slipped_actions_missing_reason_count')} actions {SLIPPED_MORE.lower()} are missing "
            "a reason for the delay or corrective action."
        )
    drafts[NARRATIVE_SUMMARY] = "\n\n".join(lines)
    return drafts


def _period_report_drafts(result, report_kind: str, period, kpis: str,
                          outcome_id: str | None) -> dict[str, str]:
    """The quarter's reports, and any kind this module does not know (which
    gets only a summary, so a council can add a report without changing
    pmflib). One outcome's drafts speak of its indicators; the council-wide
    quarterly report has a section per outcome, and benchmarking at mid-year."""
    drafts: dict[str, str] = {}
    if outcome_id is not None and str(outcome_id).strip():
        prefix = f"outcome_{placeholder_name(outcome_id)}_"
        drafts[NARRATIVE_SUMMARY] = _summary(prefix, "indicator", "indicators", period)
        drafts[NARRATIVE_EXCEPTIONS] = _exceptions_draft(prefix, "indicator", "indicators", period)
    else:
        drafts[NARRATIVE_SUMMARY] = _summary("", "kpi", kpis, period)
        if report_kind == NARRATIVE_QUARTERLY:
            for oid, _name in _outcomes(result, result.indicators):
                key = placeholder_name(oid)
                drafts[outcome_section_key(oid)] = _outcome_draft(f"outcome_{key}_", f"outcome_{key}")
            drafts[NARRATIVE_EXCEPTIONS] = _exceptions_draft("", "kpi", "KPIs", period)
    if report_kind == NARRATIVE_QUARTERLY and period.is_mid_year:
        drafts[NARRATIVE_BENCHMARKING] = _BENCHMARKING_DRAFT
    return drafts

def section_titles(result, section_keys: Iterable[str]) -> dict[str, str]:
    """The title each section starts with: the standard titles, and
    ``O1: <outcome name>`` for an outcome's section."""
    by_key = {outcome_section_key(oid): (oid, name) for oid, name in _outcomes(result, result.indicators)}
    titles = {}
    for key in section_keys:
        if key in by_key:
            oid, name = by_key[key]
            titles[key] = NARRATIVE_OUTCOME_TITLE.format(outcome_id=oid, outcome=name or oid)
        elif key in NARRATIVE_SECTION_TITLES:
            titles[key] = NARRATIVE_SECTION_TITLES[key]
    return titles
