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
from pmflib.report.cabinet import plural
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
    """A figure with its unit (``54.3%``, ``£1,200``) for a table cell; "no value" said in words.

    The figure is ``narrative.format_value``'s, so a table and the narrative
    quote the same text. It differs on purpose in two ways: the text is
    HTML-escaped (a free-text unit comes from the register), and no value is a
    dash for the eye with "no value" for a screen reader, where a sentence
    says "not available".
    """
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


def variation_badge(variation: object, polarity: object = C.HIGHER_IS_BETTER) -> str:
    """The Making Data Count variation icon and its short word; a dash when
    there are too few points (the table's note says why, once)."""
    from pmflib.report import icons

    return icons.variation_icon(str(variation or ""), str(polarity or C.HIGHER_IS_BETTER)) or _no_icon()


def assurance_badge(assurance: object, variation: object = "", target: object = None,
                    polarity: object = "") -> str:
    """The assurance icon, or the reason there is none.

    Why the variation and target are asked for: a blank assurance has three
    causes, and "No target to assure" beside a target is wrong. Too few points
    gives a dash (explained once in the table's note); no target, or a
    neutral measure, says so.
    """
    from pmflib.report import icons

    icon = icons.assurance_icon(str(assurance or ""))
    if icon:
        return icon
    reason = no_assurance_reason(variation, target, polarity)
    return f'<span class="muted">{esc(reason)}</span>' if reason else _no_icon()


def no_assurance_reason(variation: object, target: object, polarity: object = "") -> str:
    """Why a measure has no assurance icon, in a few words ("" when the reason
    is too few points, which a table says once in its note)."""
    if str(variation or C.SPC_NOT_ENOUGH_DATA) == C.SPC_NOT_ENOUGH_DATA:
        return ""
    if str(polarity or "") == C.NEUTRAL:
        return "Neutral measure"
    if target is None or (isinstance(target, float) and math.isnan(target)) or str(target).strip() == "":
        return "No target"
    return ""


def _no_icon() -> str:
    return '<span class="muted" aria-hidden="true">–</span><span class="visually-hidden">no icon</span>'


def status_basis(row: dict) -> str:
    """What the status compared, in words ("Forecast year-end 1,151 against
    annual target 1,090: on track to meet it"). Why: a Green beside an actual
    below its target reads as a mistake unless the basis is shown beside it."""
    from pmflib.rules.status import status_basis_of_row

    return status_basis_of_row(row)


def status_with_basis(row: dict) -> str:
    """The status badge with its basis on the line below (every table that shows a status)."""
    basis = status_basis(row)
    extra = f'<span class="basis">{esc(basis)}</span>' if basis else ""
    return f"{status_badge(row.get('Status'))}{extra}"


def spc_note(indicators: pd.DataFrame, noun: str = "KPI") -> str:
    """One note under a table for the measures with too few points for SPC,
    instead of "Not enough data for SPC" on every row."""
    if indicators is None or indicators.empty or "Variation" not in indicators:
        return ""
    few = int((indicators["Variation"].fillna(C.SPC_NOT_ENOUGH_DATA).astype(str).replace("", C.SPC_NOT_ENOUGH_DATA)
               == C.SPC_NOT_ENOUGH_DATA).sum())
    if not few:
        return ""
    return (f'<p class="table-note">No variation or assurance icon (–) for {esc(plural(few, noun))}: fewer '
            f"than {C.SPC_MIN_POINTS} quarters of figures, not enough for statistical process control.</p>")


def is_are(count: int) -> str:
    return "is" if count == 1 else "are"


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
        f'<li class="tile">{badge(label)} <span class="tile-count">{int(count)}</span></li>'
        for label, count in counts.items()
    )
    return f'<div class="tiles"><h3>{esc(title)}</h3><ul class="tile-list">{items}</ul></div>'


def summary_tiles(indicators: pd.DataFrame, kind: str = "KPIs") -> str:
    """Counts by status and by direction, every label shown (zeros too)."""
    statuses = indicators["Status"].value_counts().reindex(list(C.STATUSES), fill_value=0)
    directions = indicators["Direction"].value_counts().reindex(list(C.DIRECTIONS), fill_value=0)
    total = len(indicators)
    # The count introduces the tiles under it, at the body's size: as a large
    # sentence on its own it read as a stray fragment after the summary.
    return (f'<div class="summary"><p>{esc(plural(total, kind.rstrip("s")))} this period, counted by status '
            'and by direction of travel:</p>'
            + _tiles(f"{kind} by status", statuses, status_badge)
            + _tiles(f"{kind} by direction of travel", directions, direction_badge) + "</div>")


def action_tiles(actions: pd.DataFrame) -> str:
    counts = actions["Status"].value_counts().reindex(list(C.ACTION_STATUSES), fill_value=0)
    return _tiles(f"Actions by status ({plural(len(actions), 'action')})", counts, action_badge)


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
        f'{esc(status_basis(r)) or "no figure reported"} ({esc(r.get("Owner"))})</li>'
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


def provenance_title(row: dict) -> str:
    """A ``title`` attribute naming where a published actual came from (file,
    sheet, cell), so a reader can trace a report's figure to the return as the
    open data does; blank when the row carries no provenance."""
    source = row.get("Source")
    if not isinstance(source, str) or not source:
        return ""
    if source == C.HISTORY_SOURCE:
        return ' title="From history, imported from inputs/history.csv"'
    return (f' title="From {esc(source)}, sheet {esc(row.get("Source Sheet"))}, '
            f'cell {esc(row.get("Source Cell"))}"')


def kpi_table(indicators: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}<span class="id">{esc(r["Indicator ID"])}</span></th>'
        f'<td class="num"{provenance_title(r)}>{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="num">{format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="status">{status_with_basis(r)}</td><td>{direction_badge(r["Direction"])}</td>'
        f'<td class="mdc-cell">{variation_badge(r.get("Variation"), r.get("Polarity"))} '
        f'{assurance_badge(r.get("Assurance"), r.get("Variation"), r.get("Target"), r.get("Polarity"))}</td>'
        f'<td class="commentary">{_commentary(r)}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "Actual", "Target", "Status and basis", "Direction",
                            "Variation and assurance", "Owner commentary"], rows, "data kpi") + spc_note(indicators)


def exceptions_table(indicators: pd.DataFrame, caption: str) -> str:
    rows = [
        f'<tr><th scope="row">{esc(r["Indicator"])}</th><td>{esc(r.get("Owner"))}<br>'
        f'<span class="muted">Escalation: {esc(r.get("Escalation Owner"))}</span></td>'
        f'<td class="num"{provenance_title(r)}>{format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="num">{format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))}</td>'
        f'<td class="status">{status_with_basis(r)}</td>'
        f'<td class="commentary">{_commentary(r)}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "Owner", "Actual", "Target", "Status and basis",
                            "Reason and corrective action"], rows)


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
        f'<td>{direction_badge(r["Direction"])}</td><td class="status">{status_with_basis(r)}</td></tr>'
        for r in indicators.to_dict("records")
    ]
    return _table(caption, ["Indicator", "A year earlier", "This year", "Direction", "Status and basis"], rows)


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

    from pmflib.report.icons import icon_key

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
{icon_key()}
</section>"""
