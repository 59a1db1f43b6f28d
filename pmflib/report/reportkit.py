"""What a report notebook calls: one function per section of a report.

The notebooks stay thin and linear (parameters → prepare → sections →
narrative) and hold no logic; each function here gathers the period's tables
for one section and hands them to ``present`` (HTML), ``charts`` and
``narrative``. Every function returns an object that displays as HTML in
JupyterLab and under papermill, so a notebook cell is a single call.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from pmflib.core import constants as C
from pmflib.report import narrative as narr
from pmflib.cycle.compute import PeriodResult
from pmflib.core.errors import ConfigError, PmfError
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook

#: The report kinds the notebooks build (ids in params/reports.yml).
KINDS = ("quarterly", "exception", "annual", "data-quality")
OUTCOME_SCOPE = "outcome"
COMMITTEE_SCOPE = "committee"


@dataclass(frozen=True)
class Html:
    """An HTML fragment that displays itself (no IPython import in notebooks)."""

    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


@dataclass
class Report:
    """One report being built: its parameters, data and narrative values."""

    kind: str
    title: str
    audience: str
    outcome_id: str
    report_key: str
    period: Period
    workbook: Workbook
    result: PeriodResult
    scope: str
    context: dict = field(default_factory=dict)
    output_dir: Path = Path(".")
    produced: date = field(default_factory=date.today)
    data_as_at: datetime | None = None
    benchmarks: pd.DataFrame = field(default_factory=pd.DataFrame)
    comparators: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: The scrutiny committee this report is for ("" for other reports).
    committee: str = ""
    #: The whole council's period (the summary of a committee's report is council-wide).
    council_result: PeriodResult | None = None

    @property
    def narrative_folder(self) -> Path:
        return self.workbook.narrative_dir(self.period)

    @property
    def council(self) -> str:
        return self.workbook.name


# --- parameters ---------------------------------------------------------------------------
def _report_entry(workbook: Workbook, kind: str) -> dict:
    reports = (workbook.report_set() or {}).get("reports") or []
    for entry in reports:
        if entry.get("id") == kind:
            return entry
    known = ", ".join(str(e.get("id")) for e in reports) or "none"
    raise ConfigError(f"params/reports.yml has no report with id '{kind}' (it has: {known})")


def _audience(entry: dict, audience: str) -> dict:
    for item in entry.get("audiences") or []:
        if str(item.get("name", "")).casefold() == str(audience).strip().casefold():
            return item
    names = ", ".join(str(a.get("name")) for a in entry.get("audiences") or [])
    raise ConfigError(
        f"audience '{audience}' is not one of the audiences of the {entry.get('id')} report "
        f"in params/reports.yml: {names}"
    )


def prepare(
    kind: str, *, workbook_dir: str, period: str, audience: str, outcome_id: str = "",
    report_key: str = "", output_dir: str = "", committee: str = "",
) -> Report:
    """Check the notebook's parameters once, then load everything the report shows.

    Errors name the parameter and what is allowed, so an analyst running the
    notebook in JupyterLab knows what to change.
    """
    if kind not in KINDS:
        raise ConfigError(f"report kind '{kind}' is not one of {', '.join(KINDS)}")
    root = Path(workbook_dir)
    if not (root / "inputs" / "register.xlsx").exists():
        raise ConfigError(
            f"workbook_dir '{workbook_dir}' has no inputs/register.xlsx: point it at the council's "
            "workbook folder (or run `pmf demo` to build the demo council)"
        )
    wb = Workbook.open(root)
    the_period = Period.parse(period)
    entry = _report_entry(wb, kind)
    _check_due(entry, the_period)
    chosen = _audience(entry, audience)
    scope = str(chosen.get("scope") or "council")
    from pmflib.cycle.handoff import load_result
    from pmflib.cycle.pipeline import load_period

    # Under `pmf run` the period is already computed: take the run's result
    # from its staging folder rather than computing it again in every report.
    result = load_result(wb, the_period, Path(output_dir) if output_dir else None) or load_period(wb, the_period)
    council_result = result
    outcome_id = str(outcome_id or "").strip()
    committee = str(committee or "").strip()
    if scope == COMMITTEE_SCOPE and committee:
        result = _committee_result(wb, result, committee)
    elif committee:
        raise ConfigError(f"committee is only for scrutiny committee reports; leave it blank for the "
                          f"{chosen.get('name')} report")
    if scope == OUTCOME_SCOPE:
        known = list(result.outcomes["Outcome ID"])
        if outcome_id not in known:
            raise ConfigError(
                f"outcome_id '{outcome_id}' is not an outcome in the register; the "
                f"{chosen.get('name')} report needs one of: {', '.join(known)}"
            )
        result = _one_outcome(result, outcome_id)
    elif outcome_id:
        raise ConfigError(f"outcome_id is only for outcome reports; leave it blank for the {chosen.get('name')} report")
    key = report_key or (narr.report_key(kind, committee) if committee
                         else narr.report_key(kind, str(chosen.get("name")), outcome_id or None))
    # Run by `pmf run`, output_dir is the run's staging folder; run by hand in
    # JupyterLab (blank), the report's data go to a scratch folder, never into
    # the published outputs.
    out = Path(output_dir) if output_dir else scratch_dir(wb, the_period)
    context_path = out / "data" / f"{key}.context.json"
    context = narr.prepare_narrative(
        result, wb.narrative_dir(the_period), key, kind, str(chosen.get("name")),
        outcome_id or None, context_path=context_path,
    )
    report = Report(
        kind=kind, title=str(entry.get("title", kind)), audience=str(chosen.get("name")),
        outcome_id=outcome_id, report_key=key, period=the_period, workbook=wb, result=result,
        scope=scope, context=context, output_dir=out, data_as_at=_data_as_at(result),
        committee=committee, council_result=council_result,
    )
    if kind in ("quarterly", "annual") and (the_period.is_mid_year or the_period.is_year_end):
        report = _with_benchmarks(report)
    return report


def scratch_dir(wb: Workbook, period: Period) -> Path:
    """Where a notebook run by hand keeps its data: outside outputs/, so an
    analyst's trial run changes nothing that is published."""
    return wb.root / "scratch" / period.slug


def due_quarters(entry: dict) -> list[int]:
    """The quarters (1-4) a report in params/reports.yml is produced in."""
    quarters = []
    for item in entry.get("quarters") or []:
        text = str(item).strip().upper().lstrip("Q")
        if text in ("1", "2", "3", "4"):
            quarters.append(int(text))
    return quarters


def _check_due(entry: dict, period: Period) -> None:
    quarters = due_quarters(entry)
    if period.quarter in quarters:
        return
    names = " and ".join(f"Q{q}" for q in quarters) or "no quarter"
    raise ConfigError(
        f"The {entry.get('title', entry.get('id'))} is produced in {names} only (params/reports.yml, "
        f"report '{entry.get('id')}'), and {period.label} is Q{period.quarter}: set period to a "
        f"{names} period, or add Q{period.quarter} to its quarters."
    )


def _data_as_at(result: PeriodResult) -> datetime | None:
    submissions = result.submissions
    if submissions is None or submissions.empty or "Received At" not in submissions:
        return None
    times = pd.to_datetime(submissions["Received At"], errors="coerce").dropna()
    return times.max().to_pydatetime() if len(times) else None


def _committee_result(wb: Workbook, result: PeriodResult, committee: str) -> PeriodResult:
    """The period narrowed to the outcome plans a scrutiny committee covers."""
    from pmflib.report.runner import committees

    found = committees(wb.report_set(), result.outcomes)
    for item in found:
        if item["name"].casefold() == committee.casefold():
            return _outcomes_only(result, item["outcomes"])
    names = ", ".join(c["name"] for c in found) or "none"
    raise ConfigError(f"committee '{committee}' is not one of the committees in params/reports.yml: {names}")


def _one_outcome(result: PeriodResult, outcome_id: str) -> PeriodResult:
    """The period narrowed to one outcome plan (a Portfolio Holder's report)."""
    return _outcomes_only(result, [outcome_id])


def _outcomes_only(result: PeriodResult, outcome_ids: list[str]) -> PeriodResult:
    """The period narrowed to some outcome plans, every table consistently."""
    keep = result.indicators["Outcome ID"].isin(outcome_ids)
    ids = set(result.indicators.loc[keep, "Indicator ID"])
    exceptions = {
        name: table[table["Indicator ID"].isin(ids)] if "Indicator ID" in table.columns else table
        for name, table in result.exceptions.items()
    }
    actions = result.actions[result.actions["Outcome ID"].isin(outcome_ids)]
    action_ids = set(actions["Action ID"])
    exceptions = {
        name: table[table["Action ID"].isin(action_ids)] if "Action ID" in table.columns else table
        for name, table in exceptions.items()
    }
    return replace(
        result,
        indicators=result.indicators[keep].reset_index(drop=True),
        previous_indicators=result.previous_indicators[
            result.previous_indicators["Outcome ID"].isin(outcome_ids)
        ].reset_index(drop=True),
        actions=actions.reset_index(drop=True),
        outcomes=result.outcomes[result.outcomes["Outcome ID"].isin(outcome_ids)].reset_index(drop=True),
        exceptions=exceptions,
    )


def _with_benchmarks(report: Report) -> Report:
    path = report.workbook.comparators_path
    if not path.exists():
        return report
    try:
        from pmflib.inputs.comparators import read_comparators
        from pmflib.rules import benchmark
    except ImportError:  # benchmarking module not installed in this build
        return report

    comparators, _problems = read_comparators(path)  # reported by the data-quality step
    table = benchmark.benchmark_table(
        report.result.indicators, comparators, report.workbook.council["own_authority"]
    )
    return replace(report, benchmarks=table, comparators=comparators)


# --- sections -----------------------------------------------------------------------------------
def _kpis(report: Report) -> pd.DataFrame:
    table = report.result.indicators
    return table[table["KPI"].astype(bool)]


def _scope_text(report: Report) -> str:
    if report.scope == OUTCOME_SCOPE and len(report.result.outcomes):
        from pmflib.report.runner import member_name

        row = report.result.outcomes.iloc[0]
        member = member_name(row["Cabinet Member"])
        return f"{member} — {row['Outcome']}" if member else str(row["Outcome"])
    return ""


def report_title(report: Report) -> str:
    """The report's title as its reader looks for it: the Cabinet Member and
    outcome for a Portfolio Holder, the committee for scrutiny."""
    if _scope_text(report):
        return _scope_text(report)
    if report.committee:
        return f"{report.title} — {report.committee}"
    return report.title


def title_page(report: Report) -> Html:
    from pmflib.report import present

    audience = report.audience
    if report.scope == OUTCOME_SCOPE:
        audience = f"{report.audience}: {report.title.lower()}" if report.title else report.audience
    elif report.committee:
        outcomes = "; ".join(str(o) for o in report.result.outcomes["Outcome"])
        audience = f"{report.committee} (covers: {outcomes})"
    return Html(present.title_page(
        report.council, report_title(report), audience, report.period, report.produced,
        report.data_as_at, logo=report.workbook.council.get("logo") or None,
    ))


def narrative(report: Report, section: str) -> narr.NarrativeHtml:
    """One section of the analyst's narrative for this report and period."""
    return narr.render_section(report.narrative_folder, report.report_key, section, report.context)


def contents(report: Report) -> Html:
    """A short table of contents so a screen-reader user can jump to a section."""
    items = [("summary-heading", "Summary")]
    if report.kind == "annual":
        items.append(("year-on-year-heading", "The year compared with last year"))
    items.append(("exceptions-heading", "What needs attention"))
    for row in report.result.outcomes.itertuples(index=False):
        items.append((f"outcome-{_anchor(row[0])}", str(row[1])))
    if len(report.benchmarks):
        items.append(("benchmarking-heading", "Benchmarking against comparator councils"))
    items.append(("definitions-heading", "Definitions and rules"))
    links = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in items)
    return Html(f'<nav class="contents" aria-labelledby="contents-heading"><h2 id="contents-heading">'
                f'Contents</h2><ol>{links}</ol></nav>')


def _anchor(value: object) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in str(value)).strip("-").lower()


def summary(report: Report) -> Html:
    """The one-minute summary: counts by status and direction, changes, attention."""
    from pmflib.report import cabinet, present

    whole = report.council_result or report.result
    table = whole.indicators
    kpis = table[table["KPI"].astype(bool)]
    previous = whole.previous_indicators
    previous = previous[previous["Indicator ID"].isin(kpis["Indicator ID"])]
    heading = "Summary: the whole council" if report.committee else "Summary"
    parts = [
        f'<section aria-labelledby="summary-heading"><h2 id="summary-heading">{heading}</h2>',
        str(narrative(report, "summary")),
        present.summary_tiles(kpis, kind="KPIs"),
        present.action_tiles(whole.actions) if hasattr(present, "action_tiles") else "",
        cabinet.changes_summary(kpis, previous),
        '<details class="screen-only"><summary>Every KPI whose status changed</summary>'
        + present.changes_since_last_quarter(kpis, previous) + "</details>",
        cabinet.attention_pointer(kpis),
        "</section>",
    ]
    return Html("\n".join(p for p in parts if p))


def _optional_narrative(report: Report, section: str) -> str:
    """A narrative section the analyst may delete: absent, the report goes on
    without it; present with a placeholder typo, the report fails (it never
    silently drops the section)."""
    path = narr.narrative_path(report.narrative_folder, report.report_key)
    sections = narr.read_narrative(path) if path.exists() else {}
    if section not in sections:
        return ""
    return str(narrative(report, section))


def outcomes(report: Report) -> Html:
    """Per outcome: who leads it, its narrative, a scorecard (one row per KPI), actions summarised."""
    from pmflib.report import cabinet, present

    result = report.result
    parts = []
    kpis_all = _kpis(report)
    for outcome in result.outcomes.to_dict("records"):
        outcome_id = outcome["Outcome ID"]
        kpis = kpis_all[kpis_all["Outcome ID"] == outcome_id]
        actions = result.actions[result.actions["Outcome ID"] == outcome_id]
        parts.append(present.outcome_section_start(outcome, anchor=f"outcome-{_anchor(outcome_id)}"))
        parts.append(_optional_narrative(report, narr.outcome_section_key(outcome_id)))
        parts.append(cabinet.scorecard_table(kpis, result.spc, caption=f"Scorecard: {outcome['Outcome']}"))
        parts.append(cabinet.action_summary(actions, caption=f"Actions: {outcome['Outcome']}"))
        parts.append("</section>")
    return Html("\n".join(parts))


def exceptions(report: Report) -> Html:
    """What needs attention: Red KPIs with owners' commentary and corrective action,
    special-cause concern, moved into Red, actions slipped more than 3 months,
    and full SPC charts for those KPIs only."""
    from pmflib.report import cabinet, charts, present

    result = report.result
    kpis = _kpis(report)
    previous = result.previous_indicators
    red = kpis[kpis["Status"] == C.RED]
    concern = kpis[(kpis["Variation"].astype(str) == C.SPC_CONCERN) & (kpis["Status"] != C.RED)] \
        if "Variation" in kpis else kpis.iloc[0:0]
    parts = ['<section aria-labelledby="exceptions-heading"><h2 id="exceptions-heading">'
             'What needs attention</h2>']
    parts.append(_optional_narrative(report, "exceptions"))
    parts.append(present.exceptions_table(red, caption="KPIs that are Red, with their owners' commentary "
                                          "and corrective action"))
    moved = cabinet.moved_into_red(kpis, previous)
    if len(moved):
        items = "".join(f"<li><strong>{html.escape(str(r['Indicator']))}</strong> "
                        f"(was {html.escape(str(r['Was']))})</li>" for r in moved.to_dict("records"))
        parts.append(f"<h3>Moved into Red since last quarter</h3><ul class=\"attention\">{items}</ul>")
    else:
        parts.append("<h3>Moved into Red since last quarter</h3><p>No KPI moved into Red.</p>")
    parts.append(cabinet.scorecard_table(concern, result.spc, caption="Special-cause concern (not Red)")
                 if len(concern) else "<h3>Special-cause concern</h3><p>No other KPI shows special-cause "
                 "concern.</p>")
    slipped = result.actions[result.actions["Status"] == C.SLIPPED_MORE]
    parts.append(present.actions_table(slipped, caption="Actions slipped by more than 3 months, with their reasons"))
    missing = result.exceptions.get("red_kpis_missing_commentary")
    if missing is not None and len(missing):
        parts.append(present.simple_table(missing, caption="Red KPIs still awaiting commentary or corrective "
                                          "action from their owner (escalated to the escalation owner)"))
    attention = pd.concat([red, concern])
    if len(attention):
        parts.append('<h3 class="charts-heading">Charts of the KPIs that need attention</h3>'
                     '<div class="attention-charts">')
        for row in attention.to_dict("records"):
            chart = charts.spc_chart(row, result.spc.get(row["Indicator ID"]), row.get("Target"), svg=True)
            parts.append(chart.to_html(f"chart-{_anchor(row['Indicator ID'])}"))
        parts.append("</div>")
    parts.append("</section>")
    return Html("\n".join(p for p in parts if p))


def exception_measures(report: Report) -> Html:
    """Q1/Q3: every measure Red last quarter and how it has moved since (SPEC §8)."""
    from pmflib.report import charts, present

    table = report.result.exceptions.get("exception_measures")
    parts = ['<section aria-labelledby="exception-heading"><h2 id="exception-heading">'
             f'Measures that were Red at {html.escape(report.period.previous().label)}</h2>']
    if table is None or table.empty:
        parts.append("<p>No measure was Red at the previous quarter.</p>")
    else:
        parts.append(present.exception_measures_table(table))
        rows = report.result.indicators.set_index("Indicator ID")
        for indicator_id in table["Indicator ID"]:
            row = rows.loc[indicator_id].to_dict() | {"Indicator ID": indicator_id}
            chart = charts.spc_chart(row, report.result.spc.get(indicator_id), row.get("Target"), svg=True)
            parts.append(chart.to_html(f"chart-{_anchor(indicator_id)}"))
    parts.append("</section>")
    return Html("\n".join(parts))


def year_on_year(report: Report) -> Html:
    """Q4: every KPI's year compared with last year (direction is year-on-year at Q4)."""
    from pmflib.report import present

    kpis = _kpis(report)
    return Html(
        '<section aria-labelledby="year-on-year-heading"><h2 id="year-on-year-heading">'
        "The year compared with last year</h2>"
        + present.summary_tiles(kpis, kind="KPIs")
        + present.year_on_year_table(kpis, caption=f"KPIs at {report.period.label} against the same quarter "
                                     "a year earlier")
        + "</section>"
    )


def benchmarking(report: Report) -> Html:
    """Q2 (and annual): rank and quartile among comparator councils."""
    if report.benchmarks is None or report.benchmarks.empty:
        return Html("")
    from pmflib.report import charts, present

    parts = ['<section aria-labelledby="benchmarking-heading"><h2 id="benchmarking-heading">'
             "Benchmarking against comparator councils</h2>"]
    parts.append(_optional_narrative(report, "benchmarking"))
    group = report.workbook.council.get("comparator_group") or "comparator councils"
    parts.append(present.benchmark_table(report.benchmarks, caption=f"Rank among {group}"))
    own = report.workbook.council["own_authority"]
    figures = []
    for row in report.benchmarks.to_dict("records"):
        if not row.get("Of"):
            continue  # no comparator values (the table's Position says so): nothing to draw
        values = report.comparators[
            (report.comparators["Comparator Metric"] == row["Comparator Metric"])
            & (report.comparators["Year"] == row["Year"])
        ]
        chart = charts.benchmark_chart(values, own, row["Polarity"], f"{row['Indicator']} ({row['Year']})",
                                       row["Unit"], position=row.get("Position", ""))
        figures.append(chart.to_html(f"bench-{_anchor(row['Indicator ID'])}"))
    if figures:
        # The table carries the ranks in the PDF; the charts are for the HTML reader.
        parts.append('<details class="screen-only"><summary>Charts of each benchmarked indicator</summary>'
                     + "".join(figures) + "</details>")
    parts.append("</section>")
    return Html("\n".join(parts))


def spc_overview(report: Report) -> Html:
    """The council's variation × assurance matrix (Making Data Count)."""
    from pmflib.report import present
    from pmflib.rules import spc

    kpis = _kpis(report).rename(columns={"Variation": C.SPC_VARIATION_COLUMN, "Assurance": C.SPC_ASSURANCE_COLUMN})
    matrix = spc.spc_summary_matrix(kpis)
    return Html(present.spc_matrix(matrix))


def definitions(report: Report) -> Html:
    from pmflib.report import present

    return Html(present.definitions_html())


def returns_received(report: Report) -> Html:
    from pmflib.report import present

    return Html(present.submissions_table(report.result.submissions, report.workbook.deadline(report.period)))


def data_quality(report: Report) -> Html:
    from pmflib.report import present

    return Html(present.data_quality_table(report.result.data_quality))


def chase_list(report: Report) -> Html:
    from pmflib.report import present

    return Html(present.simple_table(report.result.chase, caption="Chasing list: who to ask, and who to escalate to"))


__all__ = [
    "Html", "Report", "prepare", "title_page", "narrative", "contents", "summary", "outcomes",
    "exceptions", "exception_measures", "year_on_year", "benchmarking", "spc_overview",
    "definitions", "returns_received", "data_quality", "chase_list", "PmfError",
]
