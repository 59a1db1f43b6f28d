"""The concise committee-paper layout: summary, attention, scorecards, actions.

A Cabinet paper grows with what needs attention, not with the number of
indicators (issue 10, seed 003 §6.3): every KPI gets one scorecard row with a
small sparkline; full SPC charts are drawn only for the KPIs that need
attention. Pure HTML builders over the period's tables; the notebooks call
them through ``reportkit``.
"""

from __future__ import annotations

import html
import math
import re

import pandas as pd

from pmflib.core import constants as C
from pmflib.rules.status import entered_red, left_red

#: Quarters shown in a scorecard sparkline.
SPARK_POINTS = 8
SPARK_WIDTH, SPARK_HEIGHT = 84, 22


def _esc(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    return html.escape(str(value))


def slug(text: object) -> str:
    """A readable file-name part: lower case words joined by hyphens."""
    words = re.sub(r"[^a-z0-9]+", "-", str(text).casefold()).strip("-")
    return words[:80].rstrip("-") or "report"


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 KPI``, ``2 KPIs``: the count with its noun agreeing."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


# --- sparkline -----------------------------------------------------------------------------------
def sparkline_svg(values, labels, name: str, unit: str = "", latest: str = "") -> str:
    """A tiny inline SVG line of recent values, with alt text saying first, last and count.

    Fewer than two values: no line, and the text says so (nothing to draw).
    ``latest`` is the report's quarter: when the line stops before it (the
    quarter was not reported), the sparkline keeps an empty slot for it with
    a hollow marker, and the alt text says so, so a reader never takes the
    last point drawn for this quarter's figure.
    """
    points = [(str(lab), float(v)) for lab, v in zip(labels, values)
              if v is not None and not (isinstance(v, float) and math.isnan(v))][-SPARK_POINTS:]
    if len(points) < 2:
        return '<span class="muted spark-none">Too few points</span>'
    gap = bool(latest) and points[-1][0] != str(latest)
    if gap:
        points = points[-(SPARK_POINTS - 1):]
    low = min(v for _, v in points)
    high = max(v for _, v in points)
    span = (high - low) or 1.0
    slots = len(points) + (1 if gap else 0)
    step = (SPARK_WIDTH - 6) / (slots - 1)
    coords = [(2 + i * step, SPARK_HEIGHT - 3 - (v - low) / span * (SPARK_HEIGHT - 6))
              for i, (_, v) in enumerate(points)]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    unit_text = "%" if unit == "%" else ""

    def fmt(v: float) -> str:
        return f"{v:,.1f}".rstrip("0").rstrip(".") + unit_text

    alt = (f"{name}: {len(points)} quarters from {points[0][0]} ({fmt(points[0][1])}) "
           f"to {points[-1][0]} ({fmt(points[-1][1])}); lowest {fmt(low)}, highest {fmt(high)}")
    last_x, last_y = coords[-1]
    end = f'<circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.2" fill="#0b0c0c"/>'
    if gap:
        alt += f"; {latest} not reported"
        gap_x = 2 + (slots - 1) * step
        end += (f'<line x1="{last_x:.1f}" y1="{last_y:.1f}" x2="{gap_x:.1f}" y2="{last_y:.1f}" stroke="#6f777b" '
                f'stroke-width="1" stroke-dasharray="2 2"/>'
                f'<circle cx="{gap_x:.1f}" cy="{last_y:.1f}" r="2.4" fill="#ffffff" stroke="#d4351c" '
                f'stroke-width="1.4"/>')
    return (f'<svg class="spark" role="img" aria-label="{_esc(alt)}" width="{SPARK_WIDTH}" '
            f'height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}">'
            f"<title>{_esc(alt)}</title>"
            f'<polyline fill="none" stroke="#1d4f91" stroke-width="1.5" points="{path}"/>{end}</svg>')


def _spark_for(row: dict, spc_results: dict) -> str:
    result = spc_results.get(row["Indicator ID"])
    if result is None or result.points is None or result.points.empty:
        return '<span class="muted spark-none">No history</span>'
    pts = result.points
    return sparkline_svg(list(pts["value"]), list(pts["x"]), str(row.get("Indicator", "")),
                         str(row.get("Unit", "")), latest=str(row.get("Period") or ""))


# --- what needs attention -----------------------------------------------------------------------
def attention_mask(kpis: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """KPIs that need attention: Red (including moved into Red) or special-cause concern."""
    red = kpis["Status"] == C.RED
    concern = kpis.get("Variation", pd.Series("", index=kpis.index)).astype(str) == C.SPC_CONCERN
    return red | concern


def moved_into_red(kpis: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    if previous is None or previous.empty:
        return kpis.iloc[0:0]
    before = previous.set_index("Indicator ID")["Status"]
    was = kpis["Indicator ID"].map(before).fillna("")
    moved = entered_red(was, kpis["Status"]) & (was != "")
    return kpis[moved].assign(Was=was[moved])


# --- scorecard ----------------------------------------------------------------------------------
def scorecard_table(kpis: pd.DataFrame, spc_results: dict, caption: str) -> str:
    """One row per KPI: sparkline, value assessed, target, status, direction, variation, assurance."""
    from pmflib.report import present

    if kpis.empty:
        return f'<p class="empty-table"><strong>{_esc(caption)}:</strong> none.</p>'
    heads = ["Indicator", "Recent quarters", "Actual", "Target", "Status and basis", "Direction", "Variation",
             "Assurance"]
    head = "".join(f'<th scope="col">{h}</th>' for h in heads)
    rows = []
    for r in kpis.to_dict("records"):
        rows.append(
            f'<tr><th scope="row">{_esc(r["Indicator"])}<span class="id">{_esc(r["Indicator ID"])}</span></th>'
            f"<td>{_spark_for(r, spc_results)}</td>"
            f'<td class="num">{present.format_value(r.get("Actual"), r.get("Unit"), r.get("Decimals"))}</td>'
            f'<td class="num">{present.format_value(r.get("Target"), r.get("Unit"), r.get("Decimals"))}</td>'
            f'<td class="status">{present.status_with_basis(r)}</td>'
            f'<td>{present.direction_badge(r["Direction"])}</td>'
            f'<td class="mdc-cell">{present.variation_badge(r.get("Variation"), r.get("Polarity"))}</td>'
            f'<td class="mdc-cell">{present.assurance_badge(r.get("Assurance"), r.get("Variation"), r.get("Target"), r.get("Polarity"))}</td></tr>'
        )
    return (f'<table class="data scorecard"><caption>{_esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>' + present.spc_note(kpis))


# --- actions ------------------------------------------------------------------------------------
def action_summary(actions: pd.DataFrame, caption: str) -> str:
    """Counts of actions by status in one line, then only the slipped ones listed."""
    from pmflib.report import present

    if actions.empty:
        return f'<p class="empty-table"><strong>{_esc(caption)}:</strong> none.</p>'
    counts = actions["Status"].value_counts()
    items = "".join(
        f'<li>{present.action_badge(status)} <span class="count">{int(counts[status])}</span></li>'
        for status in C.ACTION_STATUSES if counts.get(status, 0)
    )
    slipped = actions[actions["Status"].isin([C.SLIPPED_LESS, C.SLIPPED_MORE])]
    parts = [f'<div class="action-summary"><h3>{_esc(caption)}</h3>'
             f'<p>{plural(len(actions), "action")}:</p><ul class="count-list">{items}</ul>']
    if len(slipped):
        parts.append(slipped_list(slipped))
    else:
        parts.append("<p>No action has slipped.</p>")
    rest = actions[~actions.index.isin(slipped.index)]
    if len(rest):
        parts.append('<details class="screen-only"><summary>All other actions</summary>'
                     + present.actions_table(rest, caption=f"Other actions: {caption.split(': ', 1)[-1]}")
                     + "</details>")
    parts.append("</div>")
    return "".join(parts)


def slipped_list(slipped: pd.DataFrame) -> str:
    """The exceptions of an outcome's actions, one line each: action, owner, slippage."""
    from pmflib.report import present

    items = []
    for r in slipped.sort_values("Slippage Months", ascending=False).to_dict("records"):
        months = r.get("Slippage Months")
        months_text = "" if months is None or pd.isna(months) else f", {float(months):.1f} months late"
        more = " (reason in What needs attention)" if r["Status"] == C.SLIPPED_MORE else ""
        items.append(f'<li>{present.action_badge(r["Status"])} <strong>{_esc(r["Action"])}</strong> '
                     f'<span class="muted">{_esc(r.get("Action ID"))}</span>: {_esc(r.get("Owner"))}'
                     f"{_esc(months_text)}{more}</li>")
    return f'<p>Slipped actions:</p><ul class="slipped">{"".join(items)}</ul>'


def changes_summary(kpis: pd.DataFrame, previous: pd.DataFrame) -> str:
    """What changed since last quarter in one short list of counts."""
    order = {C.GREEN: 0, C.AMBER: 1, C.RED: 2}
    if previous is None or previous.empty:
        return "<h3>What changed since last quarter</h3><p>No earlier quarter to compare with.</p>"
    before = dict(zip(previous["Indicator ID"], previous["Status"]))
    was = kpis["Indicator ID"].map(before).fillna("").astype(str)
    now = kpis["Status"].astype(str)
    moved = (was != "") & (was != now)
    changed = int(moved.sum())
    rank_was, rank_now = was.map(order), now.map(order)  # NaN unless Green, Amber or Red
    better = int((moved & (rank_now < rank_was)).sum())
    worse = int((moved & (rank_now > rank_was)).sum())
    # The narrative's rule (rules.status), so these counts and the KPIs named
    # on page one agree: a Red KPI not reported this quarter has not left Red.
    into_red = int((moved & entered_red(was, now)).sum())
    out_of_red = int((moved & left_red(was, now)).sum())
    if not changed:
        return "<h3>What changed since last quarter</h3><p>No KPI changed status since last quarter.</p>"
    items = [f"{plural(changed, 'KPI')} changed status",
             f"{plural(better, 'KPI')} moved to a better status (Red to Amber or Green, Amber to Green)",
             f"{plural(worse, 'KPI')} moved to a worse status",
             f"{plural(into_red, 'KPI')} moved into Red; {plural(out_of_red, 'KPI')} moved out of Red"]
    # The rest moved to or from a status that is neither better nor worse, so
    # a reader can see where the "changed" count went (it is not a typo).
    neither = changed - better - worse
    if neither:
        items.insert(3, f"{plural(neither, 'KPI')} moved to or from {C.MEASURED} or {C.NOT_REPORTED.lower()}")
    lis = "".join(f"<li>{_esc(i)}</li>" for i in items)
    return f'<h3>What changed since last quarter</h3><ul class="changes">{lis}</ul>'


def attention_pointer(kpis: pd.DataFrame) -> str:
    """One sentence pointing to the attention section, with its counts."""
    red = int((kpis["Status"] == C.RED).sum())
    concern = int(((kpis.get("Variation", pd.Series("", index=kpis.index)).astype(str) == C.SPC_CONCERN)
                   & (kpis["Status"] != C.RED)).sum())
    missing = int((kpis["Status"] == C.NOT_REPORTED).sum())
    return (f'<p class="attention-pointer"><a href="#exceptions-heading">What needs attention</a>: '
            f"{_esc(plural(red, 'KPI'))} Red, {_esc(plural(concern, 'other KPI'))} showing special-cause concern, "
            f"{_esc(plural(missing, 'KPI'))} not reported.</p>")
