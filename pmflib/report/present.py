"""HTML fragments of a report: title page, tiles, tables, badges, definitions.

Reviewers — councillors and the public, some using screen readers — read
these, so every fragment is semantic HTML (captions, ``scope`` on header
cells, landmarks), every status is text plus colour plus a shape (never
colour alone), every piece of text from a return is escaped or rendered as
safe Markdown, and the definitions are generated from the same constants the
rules use so the printed rules cannot drift from the code.
"""

from __future__ import annotations

import html
import math
from datetime import date, datetime

import pandas as pd

from pmflib.core import constants as C
from pmflib.report.narrative import format_value as _format_value
from pmflib.report.narrative import render_inline
from pmflib.core.periods import Period

_STATUS_STYLE = {
    C.GREEN: ("green", "✔"),
    C.AMBER: ("amber", "▲"),
    C.RED: ("red", "✖"),
    C.MEASURED: ("measured", "M"),
    C.NOT_REPORTED: ("not-reported", "?"),
}
_DIRECTION_STYLE = {
    C.IMPROVING: ("improving", "↑"),
    C.MAINTAINED: ("maintained", "→"),
    C.DECLINING: ("declining", "↓"),
    C.MEASURED: ("measured", "–"),
}
_ACTION_STYLE = {
    C.DELIVERED: ("green", "✔"),
    C.ON_TARGET: ("green", "●"),
    C.SLIPPED_LESS: ("amber", "▲"),
    C.SLIPPED_MORE: ("red", "✖"),
    C.SCHEDULED: ("measured", "◷"),
    C.NO_LONGER_VIABLE: ("not-reported", "⊘"),
}
_VARIATION_STYLE = {
    C.SPC_IMPROVEMENT: ("improvement", "▲"),
    C.SPC_CONCERN: ("concern", "▼"),
    C.SPC_COMMON_CAUSE: ("common", "●"),
    C.SPC_NOT_ENOUGH_DATA: ("not-reported", "…"),
}


def esc(value: object) -> str:
    """Text for HTML: escaped, blank for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NaT:
        return ""
    return html.escape(str(value))


def format_value(value: object, unit: object = "", decimals: object = C.DEFAULT_DECIMALS) -> str:
    """A figure with its unit (``54.3%``, ``£1,200``); "no value" said in words."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return '<span aria-hidden="true">–</span><span class="visually-hidden">no value</span>'
    return esc(_format_value(value, unit, decimals))


def format_date(value: object) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (pd.Timestamp, datetime)):
        return "" if pd.isna(value) else value.strftime("%d %b %Y")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return esc(value)


def _badge(kind: str, icon: str, text: str) -> str:
    return (f'<span class="badge badge-{kind}"><span class="badge-icon" aria-hidden="true">{icon}</span> '
            f"{esc(text)}</span>")


def status_badge(status: object) -> str:
    kind, icon = _STATUS_STYLE.get(str(status), ("not-reported", "?"))
    return _badge(kind, icon, status or C.NOT_REPORTED)


def direction_badge(direction: object) -> str:
    kind, icon = _DIRECTION_STYLE.get(str(direction), ("measured", "–"))
    return _badge(f"dir-{kind}", icon, direction or C.MEASURED)


def action_badge(status: object) -> str:
    kind, icon = _ACTION_STYLE.get(str(status), ("measured", "●"))
    return _badge(kind, icon, status)


def variation_badge(variation: object) -> str:
    from pmflib.rules.spc import variation_icon_label

    text = str(variation or C.SPC_NOT_ENOUGH_DATA)
    kind, icon = _VARIATION_STYLE.get(text, ("neutral", "◆"))
    return _badge(kind, icon, variation_icon_label(text))


def assurance_badge(assurance: object) -> str:
    from pmflib.rules.spc import assurance_icon_label

    text = str(assurance or "")
    if not text:
        return '<span class="muted">No target to assure</span>'
    kind = {C.SPC_CONSISTENTLY_PASS: "green", C.SPC_CONSISTENTLY_FAIL: "red"}.get(text, "amber")
    icon = {C.SPC_CONSISTENTLY_PASS: "P", C.SPC_CONSISTENTLY_FAIL: "F"}.get(text, "?")
    return _badge(kind, icon, assurance_icon_label(text))


# --- title page and summary --------------------------------------------------------------------
def title_page(council: str, report_title: str, audience: str, period: Period, produced: date,
               data_as_at: datetime | None, logo: str | None = None) -> str:
    as_at = data_as_at.strftime("%d %B %Y, %H:%M") if data_as_at else "no returns received"
    logo_html = f'<img class="logo" src="{esc(logo)}" alt="{esc(council)}">' if logo else ""
    return f"""<header class="title-page">
{logo_html}<p class="council">{esc(council)}</p>
<h1>{esc(report_title)}</h1>
<p class="period">{esc(period.label)} <span class="muted">({esc(period.months)})</span></p>
<dl class="report-facts">
<div><dt>For</dt><dd>{esc(audience)}</dd></div>
<div><dt>Period</dt><dd>{esc(period.label)}, {esc(period.start_date.strftime('%d %B %Y'))} to {esc(period.end_date.strftime('%d %B %Y'))}</dd></div>
<div><dt>Produced</dt><dd>{esc(produced.strftime('%d %B %Y'))}</dd></div>
<div><dt>Data as at</dt><dd>{esc(as_at)}</dd></div>
</dl>
</header>"""


def _tiles(title: str, counts: pd.Series, badge) -> str:
    items = "".join(
        f'<li class="tile">{badge(label)}<span class="tile-count">{int(count)}</span></li>'
        for label, count in counts.items()
    )
    return f'<div class="tiles"><h3>{esc(title)}</h3><ul class="tile-list">{items}</ul></div>'


def summary_tiles(indicators: pd.DataFrame, kind: str = "KPIs") -> str:
    """Counts by status and by direction, every label shown (zeros too)."""
    statuses = indicators["Status"].value_counts().reindex(list(C.STATUSES), fill_value=0)
    directions = indicators["Direction"].value_counts().reindex(list(C.DIRECTIONS), fill_value=0)
    total = len(indicators)
    return (f'<div class="summary"><p class="lead">{total} {esc(kind)} this period.</p>'
            + _tiles(f"{kind} by status", statuses, status_badge)
            + _tiles(f"{kind} by direction of travel", directions, direction_badge) + "</div>")


def action_tiles(actions: pd.DataFrame) -> str:
    counts = actions["Status"].value_counts().reindex(list(C.ACTION_STATUSES), fill_value=0)
    return _tiles(f"Actions by status ({len(actions)} actions)", counts, action_badge)


def changes_since_last_quarter(current: pd.DataFrame, previous: pd.DataFrame) -> str:
    before = previous.set_index("Indicator ID")["Status"]
    rows = []
    for row in current.to_dict("records"):
        was = before.get(row["Indicator ID"], "")
        if was and was != row["Status"]:
            rows.append(f'<tr><th scope="row">{esc(row["Indicator"])}</th><td>{status_badge(was)}</td>'
                        f'<td>{status_badge(row["Status"])}</td></tr>')
    if not rows:
        return "<h3>What changed since last quarter</h3><p>No KPI changed status since last quarter.</p>"
    return ('<h3>What changed since last quarter</h3><table class="data"><caption>KPIs whose status changed '
            'since last quarter</caption><thead><tr><th scope="col">Indicator</th><th scope="col">Last quarter'
            '</th><th scope="col">This quarter</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def attention_list(indicators: pd.DataFrame) -> str:
    needing = indicators[indicators["Status"].isin([C.RED, C.NOT_REPORTED])]
    if needing.empty:
        return "<h3>KPIs that need attention</h3><p>No KPI is Red or unreported.</p>"
    items = "".join(
        f'<li>{status_badge(r["Status"])} <strong>{esc(r["Indicator"])}</strong>: '
        f'{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))} against a target of '
        f'{format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))} ({esc(r.get("Owner"))})</li>'
        for r in needing.to_dict("records")
    )
    return f"<h3>KPIs that need attention</h3><ul class=\"attention\">{items}</ul>"


# --- tables -----------------------------------------------------------------------------------
def _table(caption: str, headers: list[str], rows: list[str], css: str = "data") -> str:
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    if not rows:
        return f'<p class="empty-table"><strong>{esc(caption)}:</strong> none.</p>'
    return (f'<table class="{css}"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _commentary(row: dict) -> str:
    parts = []
    if row.get("Commentary"):
        parts.append(render_inline(row["Commentary"]))
    if row.get("Corrective Action"):
        parts.append("<strong>Corrective action:</strong> " + render_inline(row["Corrective Action"]))
    return "<br>".join(parts) or '<span class="muted">No commentary</span>'


def kpi_table(indicators: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}<span class="id">{esc(r["Indicator ID"])}</span></th>'
        f'<td class="num">{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="num">{format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td>{status_badge(r["Status"])}</td><td>{direction_badge(r["Direction"])}</td>'
        f'<td>{variation_badge(r.get("Variation"))}<br>{assurance_badge(r.get("Assurance"))}</td>'
        f'<td class="commentary">{_commentary(r)}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "Actual", "Target", "Status", "Direction", "SPC", "Owner commentary"],
                  rows, "data kpi")


def exceptions_table(indicators: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}</th><td>{esc(r.get("Owner"))}<br>'
        f'<span class="muted">Escalation: {esc(r.get("Escalation Owner"))}</span></td>'
        f'<td class="num">{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="num">{format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="commentary">{_commentary(r)}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "Owner", "Actual", "Target", "Reason and corrective action"], rows)


def exception_measures_table(table: pd.DataFrame) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}</th><td>{esc(r.get("Owner"))}</td>'
        f'<td>{status_badge(r["Previous Status"])}</td><td>{status_badge(r["Current Status"])}</td>'
        f'<td>{direction_badge(r["Direction"])}</td><td class="commentary">{_commentary(r)}</td></tr>'
        for r in table.to_dict("records")
    ]
    return _table("Measures Red last quarter and how they have moved",
                  ["Measure", "Owner", "Last quarter", "This quarter", "Direction", "Owner commentary"], rows)


def actions_table(actions: pd.DataFrame, caption: str) -> str:
    rows = []
    for r in actions.to_dict("records"):
        slip = r.get("Slippage Months")
        slip_text = "" if slip is None or pd.isna(slip) or not slip else f"{float(slip):.1f} months"
        note = r.get("Reason For Delay") or r.get("Commentary") or ""
        rows.append(
            f'<tr><th scope="row">{esc(r["Action"])}<span class="id">{esc(r["Action ID"])}</span></th>'
            f'<td>{esc(r.get("Owner"))}</td><td>{format_date(r.get("Baseline End Date"))}</td>'
            f'<td>{format_date(r.get("Expected End Date") if not pd.isna(r.get("Expected End Date")) else r.get("Completed Date"))}</td>'
            f'<td>{action_badge(r["Status"])}</td><td class="num">{esc(slip_text)}</td>'
            f'<td class="commentary">{render_inline(note) if note else ""}</td></tr>'
        )
    return _table(caption, ["Action", "Owner", "Planned end", "Expected or completed", "Status", "Slippage",
                            "Commentary"], rows, "data actions")


def year_on_year_table(indicators: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}</th>'
        f'<td class="num">{format_value(r.get("Comparison Value"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="num">{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td>{direction_badge(r["Direction"])}</td><td>{status_badge(r["Status"])}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "A year earlier", "This year", "Direction", "Status"], rows)


def benchmark_table(table: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}</th><td>{esc(r.get("Year"))}</td>'
        f'<td class="num">{format_value(r.get("Own Value"), r.get("Unit"), 1)}</td>'
        f'<td class="num">{format_value(r.get("Median"), r.get("Unit"), 1)}</td>'
        f'<td>{esc(r.get("Position"))}</td></tr>'
        for r in table.to_dict("records")
    ]
    return _table(caption, ["Indicator", "Year", "This council", "Comparator median", "Rank"], rows)


def spc_matrix(matrix: pd.DataFrame) -> str:
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in matrix.columns)
    body = "".join(
        f'<tr><th scope="row">{esc(index)}</th>' + "".join(f'<td class="num">{esc(v)}</td>' for v in row) + "</tr>"
        for index, row in matrix.iterrows()
    )
    return ('<section aria-labelledby="spc-heading"><h2 id="spc-heading">Variation and assurance '
            '(Making Data Count)</h2><p>How many KPIs show each kind of variation (rows) and each level of '
            'assurance that the target will be met (columns). See the definitions for what these mean.</p>'
            f'<table class="data"><caption>KPIs by variation and assurance</caption><thead><tr>'
            f'<td></td>{head}</tr></thead><tbody>{body}</tbody></table></section>')


def simple_table(frame: pd.DataFrame, caption: str) -> str:
    if frame is None or frame.empty:
        return f'<p class="empty-table"><strong>{esc(caption)}:</strong> none.</p>'
    columns = list(frame.columns)
    rows = [
        "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in record) + "</tr>"
        for record in frame.itertuples(index=False)
    ]
    return _table(caption, columns, rows)


def data_quality_table(problems: pd.DataFrame) -> str:
    return ('<section aria-labelledby="dq-heading"><h2 id="dq-heading">Problems found, with where to fix them</h2>'
            + simple_table(problems, f"Data-quality problems ({len(problems)})") + "</section>")


def submissions_table(submissions: pd.DataFrame, deadline: datetime) -> str:
    if submissions is None or submissions.empty:
        return "<h2>Returns received</h2><p>No returns have been received for this period.</p>"
    rows = [
        f'<tr><th scope="row">{esc(r["Service"])}</th><td>{esc(r["File"])}</td><td>{esc(r["Received At"])}</td>'
        f'<td>{"Late" if r.get("Late") else "On time"}</td><td>{esc(r.get("Approved By")) or "Not approved"}</td>'
        f'<td>{"Superseded" if r.get("Superseded By") and not pd.isna(r.get("Superseded By")) else "Current"}</td></tr>'
        for r in submissions.to_dict("records")
    ]
    return ('<section aria-labelledby="received-heading"><h2 id="received-heading">Returns received</h2>'
            f'<p>Deadline: {esc(deadline.strftime("%d %B %Y, %H:%M"))}. Received is the time the '
            'performance team recorded in received.csv beside the returns, or else when the workbook '
            'first saw the file; each late verdict in the data-quality list says which it used.</p>'
            + _table("Returns received this period", ["Service", "File", "Received", "On time?", "Approved by",
                                                      "Used"], rows) + "</section>")


def outcome_section_start(outcome: dict, anchor: str) -> str:
    return (f'<section class="outcome" aria-labelledby="{esc(anchor)}"><h2 id="{esc(anchor)}">'
            f'{esc(outcome["Outcome"])}</h2><dl class="outcome-leads"><div><dt>Cabinet Member</dt><dd>'
            f'{esc(outcome.get("Cabinet Member"))}</dd></div><div><dt>Lead Director</dt><dd>'
            f'{esc(outcome.get("Lead Director"))}</dd></div></dl>')


def definitions_html() -> str:
    """Every status and rule, in plain English, from the constants the rules use."""
    tolerance = f"{C.DEFAULT_TOLERANCE_FRACTION:.0%}"
    months = C.SLIPPAGE_THRESHOLD_MONTHS
    status_rows = [
        (C.GREEN, "The target has been met, or the forecast for the year end meets the annual target."),
        (C.AMBER, f"The target has been missed by no more than the tolerance (usually {tolerance} of the "
                  f"target; exactly {tolerance} short is still Amber)."),
        (C.RED, f"The target has been missed by more than the tolerance (usually {tolerance})."),
        (C.MEASURED, "No status can be given: an annual or half-yearly measure outside the quarter it reports "
                     "in, a survey with no result this quarter, no target or no baseline yet, or a measure "
                     "with no better or worse direction (neutral)."),
        (C.NOT_REPORTED, "A figure was due but the service did not report it: a data-quality problem that "
                         "is being chased."),
    ]
    direction_rows = [
        (C.IMPROVING, "Better than the period compared with."),
        (C.MAINTAINED, "The same, once both figures are rounded as shown."),
        (C.DECLINING, "Worse than the period compared with."),
        (C.MEASURED, "Cannot be said: a figure is missing or the measure is neutral."),
    ]
    action_rows = [
        (C.DELIVERED, "Completed, with the date it was completed."),
        (C.ON_TARGET, "Under way and expected by the end date approved in the plan."),
        (C.SLIPPED_LESS, f"Now expected later than planned, by up to and including {months} calendar months."),
        (C.SLIPPED_MORE, f"Now expected more than {months} calendar months later than planned; the service "
                         "must give a reason and corrective action."),
        (C.SCHEDULED, "Not due to start until after this quarter."),
        (C.NO_LONGER_VIABLE, "Stopped by the service, with its reason."),
    ]

    def dl(rows, badge):
        return '<dl class="definitions">' + "".join(
            f"<div><dt>{badge(label)}</dt><dd>{esc(text)}</dd></div>" for label, text in rows
        ) + "</dl>"

    return f"""<section aria-labelledby="definitions-heading" class="definitions-section">
<h2 id="definitions-heading">Definitions and rules</h2>
<h3>Status of an indicator</h3>
<p>At the year end (quarter 4) the year's actual is compared with the annual target. In quarters 1 to 3
the forecast for the year end is compared with the annual target where the service gives one; otherwise
the quarter's actual is compared with the quarter's target.</p>
{dl(status_rows, status_badge)}
<h3>Direction of travel</h3>
<p>In quarters 1 to 3 each actual is compared with the previous quarter's (quarter 1 with the previous
year's quarter 4); at the year end, and always for year-to-date (cumulative) measures, with the same
quarter a year earlier; annual measures with the previous year.</p>
{dl(direction_rows, direction_badge)}
<h3>Status of an action</h3>
<p>Judged at the end of the quarter against the end date approved in the outcome plan. Where that date
has passed with no new date given, the action counts as slipped to the end of the quarter.</p>
{dl(action_rows, action_badge)}
<h3>Variation and assurance (Making Data Count)</h3>
<p>A status compares one figure with a target; it does not say whether anything has really changed.
Statistical process control charts do. Each chart shows the average (the centre line) and the
process limits, the range within which figures would normally vary by chance. A point outside the
limits, a run of {C.SPC_RUN_LENGTH} points on one side of
the average, a run of steadily rising or falling points, or two of three points close to a limit is a
<strong>special cause</strong>: a real change, for better (improvement) or worse (concern).
Otherwise the variation is <strong>common cause</strong>: the usual ups and downs, not worth reacting
to on their own. The assurance icon compares the target with the limits: if the target is outside the
limits on the good side, the target will <strong>consistently</strong> be met; on the bad side it
will consistently be missed unless something changes; between them, it will be <strong>hit and
miss</strong>. Fewer than {C.SPC_MIN_POINTS} points are not enough data for a chart to say anything
reliable, and no icon is shown.</p>
</section>"""
