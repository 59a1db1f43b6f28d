"""Analysts' narrative (SPEC §9): per-period Markdown files, numbers quoted
through placeholders, drafts generated from the data, and safe rendering of
the untrusted text that ends up in a published report.

Why a file per period and report: the narrative is an analyst's work and must
survive re-running the cycle on corrected returns, so it is an *input*
(``inputs/narrative/<period slug>/<report key>.md``), never something kept
only in an executed notebook that the next run replaces.

The file::

    <!-- PMF Workbook narrative: ... (generated; lists every placeholder) -->

    ## @summary One-minute summary
    <!-- draft: generated from the data; replace this text and delete this line -->

    {{ kpi_green }} of {{ kpi_count }} KPIs are on target ...

    ## @outcome-O1 O1: A thriving local economy
    Text an analyst wrote (no draft line: never changed by a re-run).

A line ``## @<key> <title>`` starts a section; everything before the first
such line is the generated comment. A section is a draft while its draft line
is there: a re-run refreshes a draft (a corrected return updates an unedited
draft) and never touches a section once an analyst has deleted that line.

Placeholders (``{{ kpi_green }}``) keep quoted numbers tied to the data. They
are a plain regular-expression substitution of named, already formatted
values, not a template language, because the text comes from many hands and
must never run code. An unknown name is an error that names it. ``\\{{``
writes a literal ``{{``.

Per-indicator placeholder names end with the Indicator ID in lower case with
every character other than a-z and 0-9 written as ``_``: ``KPI-01`` →
``actual_kpi_01``; per-outcome counts start ``outcome_<outcome id>_`` in the
same way (``outcome_o1_kpi_red``).

Rendering: narrative and owners' commentary are Markdown from many hands, so
raw HTML is shown as typed, only http, https, mailto and relative links are
links, and the HTML is then cleaned against an allowlist (nh3) as a second
line of defence.

Re-export without re-running: a notebook shows each section through
``render_section`` (HTML carrying ``data-narrative-report`` and
``data-narrative-section``) and saves its placeholder values with
``save_context``; ``refresh_notebook`` later swaps those outputs for the
current text of the narrative file, so ``pmf export`` takes seconds.

The rules (``narrative_context``, ``draft_sections``, ``merge_narrative``,
``parse_narrative``, ``fill_placeholders``, ``render_markdown``,
``section_html``) are pure; reading and writing files happens only in
``ensure_narrative``, ``read_narrative``, ``render_section``,
``save_context``/``load_context`` and ``prepare_narrative``.
"""

from __future__ import annotations

import copy
import difflib
import html
import json
import math
import os
import re
import tempfile
from dataclasses import dataclass
from decimal import InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import unquote

import nh3
import pandas as pd
from markdown_it import MarkdownIt

from pmflib.core.constants import (
    ACTION_STATUSES,
    AMBER,
    DECLINING,
    DEFAULT_DECIMALS,
    DELIVERED,
    GREEN,
    IMPROVING,
    MAINTAINED,
    MAX_DECIMALS,
    MEASURED,
    NARRATIVE_ACHIEVEMENTS,
    NARRATIVE_ACTION_STATUS_NAMES,
    NARRATIVE_ALIGN_CLASSES,
    NARRATIVE_ANNUAL,
    NARRATIVE_BENCHMARKING,
    NARRATIVE_CASE_STUDIES,
    NARRATIVE_DATA_QUALITY,
    NARRATIVE_DEFAULT_TITLE,
    NARRATIVE_DIRECTION_NAMES,
    NARRATIVE_DRAFT_BANNER,
    NARRATIVE_DRAFT_MARKER,
    NARRATIVE_EXCEPTION,
    NARRATIVE_EXCEPTIONS,
    NARRATIVE_HTML_ATTRIBUTES,
    NARRATIVE_HTML_TAGS,
    NARRATIVE_INDICATOR_VALUES,
    NARRATIVE_LINK_REL,
    NARRATIVE_LINK_SCHEMES,
    NARRATIVE_LIST_SEPARATOR,
    NARRATIVE_MIN_HEADING_LEVEL,
    NARRATIVE_NO_VALUE,
    NARRATIVE_NONE,
    NARRATIVE_NUMBER_COLUMNS,
    NARRATIVE_OTHER_UNIT_FORMAT,
    NARRATIVE_OUTCOME_PREFIX,
    NARRATIVE_OUTCOME_TITLE,
    NARRATIVE_PERCENT_DECIMALS,
    NARRATIVE_PUBLIC_AUDIENCE,
    NARRATIVE_QUARTERLY,
    NARRATIVE_SECTION_PREFIX,
    NARRATIVE_SECTION_TITLES,
    NARRATIVE_STATUS_NAMES,
    NARRATIVE_SUFFIX,
    NARRATIVE_SUMMARY,
    NARRATIVE_TITLE_HEADING_LEVEL,
    NARRATIVE_UNIT_FORMATS,
    NARRATIVE_UNIT_SINGULAR,
    NOT_REPORTED,
    RED,
    RED_KPI_COMMENTARY_QUARTERS,
    SLIPPED_MORE,
)
from pmflib.core.errors import PmfError
from pmflib.core.values import as_text as _text, is_missing as _missing
from pmflib.rules.status import round_half_up


class NarrativeError(PmfError):
    """A narrative file, placeholder or context the analyst must fix; the
    message says which file and section, and what to do."""


class PlaceholderError(NarrativeError):
    """A placeholder that names no value: names it, where it is, and the
    nearest names that do exist."""

    def __init__(self, message: str, placeholder: str, where: str, suggestions: list[str]):
        super().__init__(message)
        self.placeholder = placeholder
        self.where = where
        self.suggestions = suggestions


# --- keys and names ----------------------------------------------------------------------
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NAME = re.compile(r"[A-Za-z0-9_]+")


def _check_key(key: object, what: str) -> str:
    """A report or section key, checked because it becomes a file name and an HTML id."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise NarrativeError(
            f"{key!r} is not a valid {what}: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, with no spaces"
        )
    return key


def key_part(text: object) -> str:
    """``Portfolio Holder`` → ``Portfolio-Holder``: text made safe for a key
    (a file name and HTML id); case is kept because IDs are case-sensitive."""
    part = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text).strip()).strip("-.")
    if not part:
        raise NarrativeError(f"{text!r} has no letters or digits to make a narrative key from")
    return part


def report_key(report_id: str, audience: str, outcome_id: str | None = None) -> str:
    """The narrative file's name for one report: ``quarterly-cabinet``,
    ``quarterly-portfolio-holder-O3``, ``data-quality-performance-team``.

    Built here, once, so a notebook and ``pmf export`` always agree on it.
    """
    parts = [key_part(report_id).lower(), key_part(audience).lower()]
    if outcome_id is not None and str(outcome_id).strip():
        parts.append(key_part(outcome_id))
    return "-".join(parts)


def outcome_section_key(outcome_id: object) -> str:
    """``O1`` → ``outcome-O1``: the narrative section for one outcome plan."""
    return NARRATIVE_OUTCOME_PREFIX + key_part(outcome_id)


def placeholder_name(text: object) -> str:
    """``KPI-01`` → ``kpi_01``: an ID as it appears in a placeholder name.

    Lower case, and every character other than a-z and 0-9 becomes ``_``
    (one for one, so the rule is easy to apply by eye).
    """
    return re.sub(r"[^a-z0-9]", "_", str(text).strip().lower())


# --- formatting values ------------------------------------------------------------------


def _flag(value: object) -> bool:
    """A KPI/Headline flag: bool per DESIGN.md, "Y" read the same way."""
    if isinstance(value, str):
        return value.strip().lower() in ("y", "yes", "true")
    return False if _missing(value) else bool(value)


def _decimals(value: object) -> int:
    if _missing(value):
        return DEFAULT_DECIMALS
    try:
        number = int(float(value))
    except (TypeError, ValueError):
        return DEFAULT_DECIMALS
    return min(max(number, 0), MAX_DECIMALS)


def format_value(value: object, unit: object = "", decimals: object = DEFAULT_DECIMALS) -> str:
    """A number as a reader expects to see it quoted: ``54.3%``, ``£1,200``,
    ``12 days``, ``3.46 per 1,000 homes``; ``not available`` for no value.

    Rounded half up to the indicator's Decimals, as on paper and as the
    direction-of-travel rule rounds, so the narrative and the tables agree.
    """
    if _missing(value) or (isinstance(value, str) and not value.strip()):
        return NARRATIVE_NO_VALUE
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return NARRATIVE_NO_VALUE
    places = _decimals(decimals)
    try:
        rounded = round_half_up(abs(number), places)
    except InvalidOperation:
        return NARRATIVE_NO_VALUE
    digits = f"{rounded:,.{places}f}"
    sign = "-" if number < 0 and rounded != 0 else ""
    unit_text = _text(unit).strip()
    known = unit_text.lower()
    if digits == "1" and known in NARRATIVE_UNIT_SINGULAR:
        template = NARRATIVE_UNIT_SINGULAR[known]
    elif known in NARRATIVE_UNIT_FORMATS:
        template = NARRATIVE_UNIT_FORMATS[known]
    elif unit_text:
        template = NARRATIVE_OTHER_UNIT_FORMAT
    else:
        template = "{number}"
    return sign + template.format(number=digits, unit=unit_text)


def _percent(part: int, whole: int) -> str:
    if whole == 0:
        return NARRATIVE_NO_VALUE
    return format_value(100.0 * part / whole, "%", NARRATIVE_PERCENT_DECIMALS)


def _names(rows: pd.DataFrame) -> str:
    """Indicator names as a list for a sentence (``none`` for no rows)."""
    names = [
        _text(row.get("Indicator")).strip() or _text(row.get("Indicator ID"))
        for row in rows.to_dict("records")
    ]
    return NARRATIVE_LIST_SEPARATOR.join(names) if names else NARRATIVE_NONE


# --- the values placeholders quote (pure) --------------------------------------------------
_REQUIRED_INDICATOR_COLUMNS = ("Indicator ID", "Indicator", "Outcome ID", "KPI", "Status", "Direction")
_PREVIOUS_STATUS = NARRATIVE_INDICATOR_VALUES["previous_status"]
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
        to_red = rows[(status == RED) & (before != RED)]
        out_of_red = rows[(before == RED) & status.isin([GREEN, AMBER])]
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
    _put_counts(ctx, "", table, actions)

    outcomes = _outcomes(result, indicators)
    ctx.put("outcome_count", len(outcomes))
    action_outcomes = actions["Outcome ID"].map(_text) if "Outcome ID" in actions.columns else None
    for oid, name in outcomes:
        key = placeholder_name(oid)
        ctx.put(f"outcome_{key}", name or oid, f"outcome {oid}")
        own_actions = actions[action_outcomes == oid] if action_outcomes is not None else actions.iloc[0:0]
        _put_counts(ctx, f"outcome_{key}_", table[table["Outcome ID"].map(_text) == oid], own_actions)

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
    drafts: dict[str, str] = {}

    if report_kind == NARRATIVE_EXCEPTION:
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

    if report_kind == NARRATIVE_ANNUAL:
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

    if report_kind == NARRATIVE_DATA_QUALITY:
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


# --- placeholders (pure) -------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\\\{\{|\{\{(?P<body>[^{}\n]*)\}\}|\{\{")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~#&{}])")
_LEADING_MARKER = re.compile(r"^([-+=])")
_NAME_HELP = (
    "Names are lower case; per-indicator names end with the Indicator ID in lower case with every "
    "character other than a letter or digit written as _ (KPI-01 → actual_kpi_01)."
)


def escape_markdown(value: str) -> str:
    """Quote a data value in Markdown as text: an indicator called ``A*B`` must
    not turn into emphasis, nor a value start a list or a new paragraph."""
    flat = re.sub(r"\s+", " ", value)
    return _LEADING_MARKER.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", flat))


def _unknown(name: str, context: Mapping[str, str], where: str, problem: str) -> PlaceholderError:
    suggestions: list[str] = []
    normalised = placeholder_name(name)
    if normalised in context and normalised != name:
        suggestions.append(normalised)
    for match in difflib.get_close_matches(normalised or name, list(context), n=3, cutoff=0.6):
        if match not in suggestions:
            suggestions.append(match)
    hint = (
        "Did you mean " + " or ".join(_p(s) for s in suggestions) + "? "
        if suggestions else "No placeholder has a similar name. "
    )
    message = (
        f"{problem} {_p(name) if name else '{{ }}'} in {where}. {hint}"
        "Every placeholder, with its current value, is listed in the comment at the top of the "
        f"narrative file. {_NAME_HELP}"
    )
    return PlaceholderError(message, name, where, suggestions)


def fill_placeholders(text: str, context: Mapping[str, str], *, where: str, markdown: bool = True) -> str:
    """``{{ name }}`` → the value of ``name``; ``\\{{`` → a literal ``{{``.

    An unknown name, a name that is not a name, or an opening ``{{`` with no
    closing ``}}`` on the same line is an error naming the placeholder and
    ``where`` (file and section), so nothing half-filled is ever published.
    With ``markdown`` (the default) each value is escaped so it reads as
    text, whatever characters the data holds.
    """

    def replace(match: re.Match) -> str:
        whole = match.group(0)
        if whole == "\\{{":
            return "{{"
        body = match.group("body")
        if body is None:
            raise PlaceholderError(
                f"An opening {{{{ with no closing }}}} on the same line in {where}. Close the "
                "placeholder, or write \\{{ for literal braces.",
                "{{", where, [],
            )
        name = body.strip()
        if not _NAME.fullmatch(name):
            raise _unknown(name, context, where, "Not a placeholder name:")
        if name not in context:
            raise _unknown(name, context, where, "Unknown placeholder")
        value = str(context[name])
        return escape_markdown(value) if markdown else value

    return _PLACEHOLDER.sub(replace, text)


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order, once each (escaped ``\\{{`` skipped)."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        body = match.group("body")
        if body is not None and body.strip() not in names:
            names.append(body.strip())
    return names


# --- the narrative file (parsing and merging are pure) --------------------------------------
_MARKER_START = re.compile(r"^##[ \t]+@")
_MARKER = re.compile(r"^##[ \t]+@(?P<key>[A-Za-z0-9][A-Za-z0-9._-]*)(?:[ \t]+(?P<title>.*?))?[ \t]*$")
_DRAFT_LINE = re.compile(r"^[ \t]*<!--[ \t]*draft:.*-->[ \t]*$", re.IGNORECASE)
_HEADER_START = "<!-- PMF Workbook narrative"
_GENERATED_HEADER = re.compile(re.escape(_HEADER_START) + r".*?-->[ \t]*\n*", re.DOTALL)


@dataclass(frozen=True)
class Section:
    """One section of a narrative file: its text without the draft line."""

    key: str
    title: str
    text: str
    is_draft: bool


@dataclass(frozen=True)
class _Block:
    section: Section
    heading: str  # the "## @key title" line as written, with its newline
    raw: str  # the whole block as written, heading included


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _section_text(body: list[str]) -> tuple[str, bool]:
    kept, draft = [], False
    for line in body:
        bare = line.rstrip("\n")
        if _DRAFT_LINE.match(bare):
            draft = True
            continue
        kept.append(bare)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept), draft


def _parse(text: str, where: str) -> tuple[str, list[_Block]]:
    header: list[str] = []
    found: list[tuple[str, str, list[str], int]] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(_lines(_normalise(text)), start=1):
        bare = line.rstrip("\n")
        if _MARKER_START.match(bare):
            match = _MARKER.match(bare)
            if match is None:
                raise NarrativeError(
                    f"{where}, line {number}: {bare!r} is not a section line. Write it as "
                    f"'{NARRATIVE_SECTION_PREFIX}section-key Title' (the key is letters, digits, "
                    "'-', '_' or '.', with no spaces)."
                )
            key = match["key"]
            if key in first_line:
                raise NarrativeError(
                    f"{where}, line {number}: section @{key} appears twice (first at line "
                    f"{first_line[key]}). Merge the two into one section."
                )
            first_line[key] = number
            found.append((key, (match["title"] or "").strip(), [line], number))
        elif found:
            found[-1][2].append(line)
        else:
            header.append(line)
    blocks = []
    for key, title, lines, _number in found:
        body_text, draft = _section_text(lines[1:])
        blocks.append(_Block(Section(key, title, body_text, draft), lines[0], "".join(lines)))
    return "".join(header), blocks


def parse_narrative(text: str, where: str = "narrative") -> dict[str, Section]:
    """The sections of a narrative file's text, in file order, by key."""
    _header, blocks = _parse(text, where)
    return {block.section.key: block.section for block in blocks}


def _comment_safe(value: str) -> str:
    """A value shown inside the generated HTML comment: one line, and never
    the ``-->`` that would end the comment early."""
    return re.sub(r"\s+", " ", value).replace("--", "- -")


_HEADER_TEMPLATE = """{start}: {report_key}{period}

This comment is written by the workbook every time the report runs: anything
typed here is replaced. Write in the sections below it.

* A section starts with a line "## @key Title". Keep the "## @key" part (the
  title may be changed) and write Markdown below it: paragraphs, **bold**,
  lists, tables, [links](https://example.org). HTML is shown as typed, not
  run; links may only be http, https or mailto.
* A section the workbook drafted from the data has a "draft:" comment line
  under its title, and the report shows it with a "Draft" banner. Replace the
  text and delete that line: from then on re-running the cycle never changes
  the section. While the line is there, a re-run on corrected returns
  refreshes the draft.
* Quote numbers with placeholders, which are filled from the data when the
  report is built, e.g. {{{{ kpi_green }}}} of {{{{ kpi_count }}}} KPIs. Write \\{{{{ for
  literal braces. Per-indicator names end with the Indicator ID in lower case
  with every character other than a letter or digit as _ (KPI-01 becomes
  actual_kpi_01); per-outcome counts start outcome_<outcome id>_ likewise.
* After editing, re-export without re-running the notebooks:
  pmf export --period "{period_label}"

Placeholders and their values now:
{values}
-->

"""


#: Per-outcome values shown on each outcome's line of the header (the rest follow the rule).
_HEADER_OUTCOME_NAMES = ("kpi_count", "kpi_green", "kpi_amber", "kpi_red", "action_count")


def _header_values(available: Mapping[str, str]) -> str:
    """The placeholder list, compact enough to scroll past: every council-wide
    name with its value, then one line per outcome and one per indicator
    (a council has hundreds of per-indicator names)."""
    indicator_prefixes = list(NARRATIVE_INDICATOR_VALUES)
    first = f"{indicator_prefixes[0]}_"
    claimed: set[str] = set()
    indicator_lines = []
    for name in available:
        if not name.startswith(first):
            continue
        key = name[len(first):]
        family = [f"{prefix}_{key}" for prefix in indicator_prefixes if f"{prefix}_{key}" in available]
        claimed.update(family)
        indicator_lines.append("  " + "; ".join(f"{n} = {_comment_safe(available[n])}" for n in family))
    outcome_lines = []
    for name in available:
        if not name.startswith("outcome_") or f"{name}_kpi_count" not in available or name in claimed:
            continue
        family = [n for n in available if n.startswith(f"{name}_") and n[len(name) + 1:] in available]
        claimed.update(family + [name])
        shown = [f"{name}_{suffix} = {_comment_safe(available[f'{name}_{suffix}'])}"
                 for suffix in _HEADER_OUTCOME_NAMES if f"{name}_{suffix}" in available]
        outcome_lines.append(f"  {_p(name)} = {_comment_safe(available[name])}; " + "; ".join(shown))
    lines = [f"  {_p(n)} = {_comment_safe(str(v))}" for n, v in available.items() if n not in claimed]
    if outcome_lines:
        lines += ["", "For each outcome, every count and list above also exists as",
                  "outcome_<outcome id>_<name> (e.g. outcome_o1_kpi_red):"] + outcome_lines
    if indicator_lines:
        lines += ["", "For each indicator (write any of these as {{ name }}):"] + indicator_lines
    return "\n".join(lines) if lines else "  (none)"


def narrative_header(report_key: str, available: Mapping[str, str]) -> str:
    """The generated comment at the top of a narrative file: how to edit it and
    every placeholder with its current value, so an analyst never guesses a name."""
    period_label = _comment_safe(str(available.get("period", "")))
    return _HEADER_TEMPLATE.format(
        start=_HEADER_START,
        report_key=report_key,
        period=f", {period_label}" if period_label else "",
        period_label=period_label or "PERIOD",
        values=_header_values(available),
    )


def _fills(text: str, available: Mapping[str, str]) -> bool:
    """Whether every placeholder in ``text`` is known (and well formed).

    Why: a draft an analyst has typed into, with a placeholder typo, must not
    be silently replaced by a fresh draft on the next run; kept as written, it
    fails loudly when the report shows it (file, section, nearest name).
    """
    try:
        fill_placeholders(text, available, where="draft")
    except PlaceholderError:
        return False
    return True


def _draft_body(heading: str, text: str) -> str:
    return f"{heading.rstrip(chr(10))}\n{NARRATIVE_DRAFT_MARKER}\n\n{text.strip(chr(10))}\n\n"


def merge_narrative(
    existing: str | None,
    report_key: str,
    drafts: Mapping[str, str],
    available: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    where: str = "narrative",
) -> str:
    """The narrative file's new text: the header regenerated, every section an
    analyst has made their own kept exactly as written, drafts still marked as
    drafts refreshed, and sections missing from the file added as drafts.

    Why only marked drafts are refreshed: the analyst's deletion of the draft
    line is the one signal that the text is theirs and must survive re-runs.
    A draft whose placeholders do not all fill (a typo typed into it) is kept
    as written too, so the typo fails the report instead of vanishing.
    A draft section the report no longer generates is kept as it is.
    """
    _check_key(report_key, "report key")
    for key in drafts:
        _check_key(key, "section key")
    titles = dict(titles or {})
    header, blocks = _parse(existing, where) if existing is not None else ("", [])
    parts = [narrative_header(report_key, available)]
    foreign = _GENERATED_HEADER.sub("", header, count=1).strip("\n")
    if foreign.strip():
        parts.append(foreign + "\n\n")  # text someone typed above the first section: kept
    seen = set()
    for block in blocks:
        key = block.section.key
        seen.add(key)
        if block.section.is_draft and key in drafts and _fills(block.section.text, available):
            parts.append(_draft_body(block.heading, drafts[key]))
        else:
            parts.append(block.raw if block.raw.endswith("\n") else block.raw + "\n")
    for key, text in drafts.items():
        if key in seen:
            continue
        if not parts[-1].endswith("\n\n"):
            parts.append("\n")
        title = titles.get(key, NARRATIVE_SECTION_TITLES.get(key, ""))
        heading = f"{NARRATIVE_SECTION_PREFIX}{key}" + (f" {title}" if title else "")
        parts.append(_draft_body(heading, text))
    return "".join(parts)


# --- file I/O ----------------------------------------------------------------------------
def narrative_path(folder: "Path | str", report_key: str) -> Path:
    return Path(folder) / f"{_check_key(report_key, 'report key')}{NARRATIVE_SUFFIX}"


def _write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and a rename, so an analyst's file is never
    left half written (and JupyterLab never sees a partial file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = (path.stat().st_mode & 0o777) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NarrativeError(
            f"{path}: the narrative file is missing. Run the report once (pmf run) to create it "
            "with drafts, then edit it."
        ) from exc
    except UnicodeDecodeError as exc:
        raise NarrativeError(f"{path}: is not UTF-8 text; save it as UTF-8 in the editor") from exc


def ensure_narrative(
    folder: "Path | str",
    report_key: str,
    drafts: Mapping[str, str],
    available: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
) -> Path:
    """Create or update ``<folder>/<report key>.md`` (see ``merge_narrative``)
    and return its path. The file is written only when its text changes."""
    path = narrative_path(folder, report_key)
    existing = _read(path) if path.exists() else None
    text = merge_narrative(existing, report_key, drafts, available, titles=titles, where=str(path))
    if existing is None or text != _normalise(existing):
        _write_atomic(path, text)
    return path


def read_narrative(path: "Path | str") -> dict[str, Section]:
    """The sections of a narrative file, in file order, by key."""
    path = Path(path)
    return parse_narrative(_read(path), str(path))


def save_context(context: Mapping[str, object], path: "Path | str") -> Path:
    """Keep the placeholder values a notebook used, so ``pmf export`` can fill
    edited narrative without the data or a re-run."""
    clean = {}
    for name, value in context.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise NarrativeError(f"{name!r} is not a placeholder name (letters, digits and _ only)")
        clean[name] = "" if value is None else str(value)
    path = Path(path)
    _write_atomic(path, json.dumps(clean, ensure_ascii=False, indent=1) + "\n")
    return path


def load_context(path: "Path | str") -> dict[str, str]:
    """The placeholder values saved by ``save_context``, checked."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NarrativeError(
            f"{path}: the saved narrative values are missing; run the period again (pmf run) "
            "before exporting"
        ) from exc
    except json.JSONDecodeError as exc:
        raise NarrativeError(f"{path}: the saved narrative values are not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise NarrativeError(f"{path}: expected placeholder names and text values")
    return data


# --- safe Markdown (pure) ------------------------------------------------------------------
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")


def is_safe_link(url: str) -> bool:
    """Only http, https, mailto and relative or #fragment links are links.

    Characters browsers ignore in a URL are dropped before the scheme is
    read, so ``java\\tscript:`` cannot slip through; markdown-it has already
    decoded entities, so ``jav&#x61;script:`` arrives here as ``javascript:``;
    a percent-encoded scheme (``java%09script:``) is refused as well.
    """
    for form in (url, unquote(url)):  # percent-decoded too: refuse rather than rely on browsers
        match = _SCHEME.match(_IGNORED_IN_URLS.sub("", form))
        if match is not None and match.group(1).lower() not in NARRATIVE_LINK_SCHEMES:
            return False
    return True


@lru_cache(maxsize=2)
def _parser(breaks: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False, "breaks": breaks})
    md.enable("table")
    # Images are off: untrusted text must not load things from elsewhere into a
    # reader's browser (tracking), and an image typed in a return has no alt text.
    md.disable("image")
    md.validateLink = is_safe_link
    return md


def _adjust(tokens) -> None:
    """Headings typed in narrative sit below the report's own; table alignment
    becomes a class, since style attributes are never allowed."""
    shift = NARRATIVE_MIN_HEADING_LEVEL - 1
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + shift, 6)}"
        elif token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                align = NARRATIVE_ALIGN_CLASSES.get(style.split(":", 1)[1])
                if align:
                    token.attrs["class"] = align


def clean_html(markup: str) -> str:
    """The allowlist every rendered fragment passes through: the second line of
    defence after the parser, and usable on any HTML built from untrusted text."""
    return nh3.clean(
        markup,
        tags=set(NARRATIVE_HTML_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in NARRATIVE_HTML_ATTRIBUTES.items()},
        url_schemes=set(NARRATIVE_LINK_SCHEMES),
        link_rel=NARRATIVE_LINK_REL,
        allowed_classes={tag: set(NARRATIVE_ALIGN_CLASSES.values()) for tag in ("th", "td")},
        strip_comments=True,
    )


def render_markdown(text: object, *, breaks: bool = False) -> str:
    """Untrusted Markdown (narrative, owners' commentary) as safe HTML.

    Raw HTML is shown as text, unsafe links as plain text, and the result is
    cleaned against an allowlist (no style, no event handlers; links get
    ``rel="noopener noreferrer"``) in case the parser ever lets one through.
    """
    source = _text(text)
    if not source.strip():
        return ""
    md = _parser(breaks)
    tokens = md.parse(source)
    _adjust(tokens)
    return clean_html(md.renderer.render(tokens, md.options, {}))


def render_inline(text: object, *, breaks: bool = True) -> str:
    """Short text for a table cell: one paragraph comes back without its ``<p>``.

    Line breaks are kept by default because commentary typed in an Excel cell
    uses Alt+Enter to mean a new line.
    """
    source = _text(text)
    if not source.strip():
        return ""
    md = _parser(breaks)
    tokens = md.parse(source)
    _adjust(tokens)
    if len(tokens) == 3 and tokens[0].type == "paragraph_open" and tokens[2].type == "paragraph_close":
        tokens = tokens[1:2]
    return clean_html(md.renderer.render(tokens, md.options, {}))


# --- the HTML a notebook shows (pure) ---------------------------------------------------------
@dataclass(frozen=True)
class NarrativeHtml:
    """A rendered section that displays as HTML in JupyterLab and papermill
    (``_repr_html_``), so a notebook needs no IPython import to show it."""

    html: str
    report_key: str = ""
    section_key: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Narrative {self.report_key} @{self.section_key}"


def section_html(
    report_key: str, section_key: str, text: str, *, is_draft: bool, title: str | None = None
) -> str:
    """One narrative section as a report shows it.

    The ``data-narrative-*`` attributes let ``refresh_notebook`` find it again
    after the analyst edits the file; a draft carries a visible banner (text,
    not colour) so no reader mistakes generated text for reviewed text; an
    empty section is kept (hidden) so a later edit can still fill it.
    """
    report_key = _check_key(report_key, "report key")
    section_key = _check_key(section_key, "section key")
    body = render_markdown(text)
    ident = f"narrative-{report_key}-{section_key}"
    attributes = [
        'class="narrative"',
        f'data-narrative-report="{report_key}"',
        f'data-narrative-section="{section_key}"',
    ]
    if is_draft:
        attributes.append('data-narrative-draft="true"')
    if not body and not is_draft:
        return f"<section {' '.join(attributes)} hidden></section>"
    parts = []
    if title and title.strip():
        attributes.append(f'aria-labelledby="{ident}"')
        level = NARRATIVE_TITLE_HEADING_LEVEL
        heading = html.escape(title.strip())
        parts.append(f'<h{level} class="narrative-title" id="{ident}">{heading}</h{level}>')
    else:
        label = NARRATIVE_SECTION_TITLES.get(section_key, NARRATIVE_DEFAULT_TITLE)
        attributes.append(f'aria-label="{html.escape(label)}"')
    if is_draft:
        banner = html.escape(NARRATIVE_DRAFT_BANNER)
        parts.append(f'<p class="narrative-draft-banner" role="note"><strong>{banner}</strong></p>')
    if body:
        parts.append(body)
    return f"<section {' '.join(attributes)}>\n" + "\n".join(parts) + "\n</section>"


def _render_from(sections: Mapping[str, Section], path: Path, report_key: str, section_key: str,
                 context: Mapping[str, str]) -> str:
    section = sections.get(section_key)
    if section is None:
        raise NarrativeError(
            f"{path}: has no section @{section_key}, which the report shows. Add a line "
            f"'{NARRATIVE_SECTION_PREFIX}{section_key}' with its text, or run the period again "
            "(pmf run) to add it as a draft."
        )
    filled = fill_placeholders(section.text, context, where=f"{path}, section @{section_key}")
    title = section.title or None
    return section_html(report_key, section_key, filled, is_draft=section.is_draft, title=title)


def render_section(
    folder: "Path | str", report_key: str, section_key: str, context: Mapping[str, str]
) -> NarrativeHtml:
    """One section of the current narrative file, placeholders filled, ready to display."""
    path = narrative_path(folder, report_key)
    markup = _render_from(read_narrative(path), path, report_key, section_key, context)
    return NarrativeHtml(markup, report_key, section_key)


def prepare_narrative(
    result,
    folder: "Path | str",
    report_key: str,
    report_kind: str,
    audience: str,
    outcome_id: str | None = None,
    context_path: "Path | str | None" = None,
) -> dict[str, str]:
    """What a report notebook does before showing narrative, in one call (so
    the notebook stays linear): work out the values, create or refresh the
    narrative file's drafts, save the values for ``pmf export``."""
    context = narrative_context(result)
    drafts = draft_sections(result, report_kind, audience, outcome_id)
    ensure_narrative(folder, report_key, drafts, context, titles=section_titles(result, drafts))
    if context_path is not None:
        save_context(context, context_path)
    return context


# --- re-export without re-running ---------------------------------------------------------------
_MARKED_TAG = re.compile(r"<[A-Za-z][^>]*\bdata-narrative-section=\"[^\"]*\"[^>]*>")
_REPORT_ATTRIBUTE = re.compile(r"\bdata-narrative-report=\"([^\"]*)\"")
_SECTION_ATTRIBUTE = re.compile(r"\bdata-narrative-section=\"([^\"]*)\"")
_DISPLAY_OUTPUTS = ("display_data", "execute_result")
#: One whole narrative section as ``section_html`` writes it. Narrative HTML
#: never contains a ``<section>`` of its own (the sanitiser does not allow
#: one), so the first closing tag ends it; the rest of an output (tables,
#: charts around an outcome's narrative) is left exactly as executed.
_NARRATIVE_ELEMENT = re.compile(
    r"<section\b[^>]*\bdata-narrative-section=\"[^\"]*\"[^>]*>.*?</section>", re.DOTALL
)


def narrative_markers(markup: str) -> list[tuple[str, str]]:
    """(report key, section key) of every narrative section in some HTML, in order."""
    markers = []
    for tag in _MARKED_TAG.findall(markup):
        report = _REPORT_ATTRIBUTE.search(tag)
        section = _SECTION_ATTRIBUTE.search(tag)
        if report is None:
            raise NarrativeError(f"A narrative output has no data-narrative-report attribute: {tag}")
        markers.append((html.unescape(report.group(1)), html.unescape(section.group(1))))
    return markers


def refresh_notebook(nb, narrative_folder: "Path | str", context: Mapping[str, str]):
    """A copy of an executed notebook whose narrative outputs show the current
    narrative files, with placeholders filled from ``context``.

    Every narrative ``<section>`` (marked ``data-narrative-section``) inside a
    display output is replaced in place; everything around it, and every
    other output and cell, is left exactly as executed. This is what lets ``pmf export`` pick up edits
    in seconds without re-running a notebook.
    """
    folder = Path(narrative_folder)
    fresh = copy.deepcopy(nb)
    files: dict[str, dict[str, Section]] = {}
    for cell in fresh.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") not in _DISPLAY_OUTPUTS:
                continue
            data = output.get("data") or {}
            markup = data.get("text/html")
            if markup is None:
                continue
            if isinstance(markup, list):
                markup = "".join(markup)
            markers = narrative_markers(markup)
            if not markers:
                continue
            def replace_section(match: re.Match) -> str:
                report, section = narrative_markers(match.group(0))[0]
                path = narrative_path(folder, report)
                if report not in files:
                    files[report] = read_narrative(path)
                return _render_from(files[report], path, report, section, context)

            data["text/html"] = _NARRATIVE_ELEMENT.sub(replace_section, markup)
    return fresh


__all__ = [
    "NarrativeError", "PlaceholderError", "Section", "NarrativeHtml",
    "key_part", "report_key", "outcome_section_key", "placeholder_name", "format_value",
    "narrative_context", "draft_sections", "section_titles",
    "escape_markdown", "fill_placeholders", "placeholders_in",
    "parse_narrative", "narrative_header", "merge_narrative", "narrative_path",
    "ensure_narrative", "read_narrative", "save_context", "load_context",
    "is_safe_link", "clean_html", "render_markdown", "render_inline",
    "section_html", "render_section", "prepare_narrative",
    "narrative_markers", "refresh_notebook",
]
