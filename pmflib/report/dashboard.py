"""The static dashboard: one page per period linking everything, and a site index.

Built from the period's own open data, so the dashboard, the reports and the
CSVs always show the same figures.
"""

from __future__ import annotations

import html

from datetime import datetime
from pathlib import Path

import pandas as pd

from pmflib.core import constants as C
from pmflib.inputs.files import atomic_write
from pmflib.report.export import CSS
from pmflib.core.periods import Period
from pmflib.report.present import provenance_title, status_badge


def _run_note(period: Period):
    from pmflib.report.site import RunNote

    return RunNote(datetime.now().replace(microsecond=0), period.label)


def _page(title: str, council: str, body: str, colours: dict | None = None, *, root: str = "../",
          run=None, script: bool = False) -> str:
    from pmflib.report.site import RunNote, page

    run = run or RunNote(datetime.now().replace(microsecond=0), "site index")
    return page(title, council, body, root, run, colours, script=script)


def _outcome_tiles(indicators: pd.DataFrame) -> str:
    from pmflib.report.site import OUTCOME_DIR, page_id

    rows = []
    for (outcome_id, outcome), group in indicators.groupby(["Outcome ID", "Outcome"], sort=True):
        counts = group["Status"].value_counts().reindex(list(C.STATUSES), fill_value=0)
        cells = "".join(f'<td class="num">{int(n)}</td>' for n in counts)
        rows.append(f'<tr><th scope="row"><a href="../{OUTCOME_DIR}/{page_id(outcome_id)}.html">'
                    f'{html.escape(outcome)}</a></th>{cells}</tr>')
    head = "".join(f'<th scope="col">{status_badge(s)}</th>' for s in C.STATUSES)
    return (f'<table class="data" id="status-by-outcome"><caption>Indicators by status, for each outcome'
            f'</caption><thead><tr><th scope="col">Outcome</th>{head}</tr></thead><tbody>{"".join(rows)}'
            '</tbody></table>')


#: The dashboard's filters: (data attribute, label, open-data column).
FILTERS = (("outcome", "Outcome", "Outcome"), ("service", "Service", "Service"), ("status", "Status", "Status"),
           ("direction", "Direction", "Direction"), ("kind", "KPI or headline", "Kind"))


def _kind(row: dict, headlines: set[str]) -> str:
    if row["Indicator ID"] in headlines:
        return "Headline"
    return "KPI" if str(row.get("KPI", "")).upper() == "Y" else "Other indicator"


def _filter_form(indicators: pd.DataFrame) -> str:
    """The filter form: hidden until site.js shows it (without JavaScript
    there is nothing to filter with, and every row is in the table)."""
    fields = []
    for key, label, column in FILTERS:
        options = "".join(f'<option value="{html.escape(v)}">{html.escape(v)}</option>'
                          for v in sorted(set(indicators[column])) if v)
        fields.append(f'<div><label for="filter-{key}">{label}</label><select id="filter-{key}" name="{key}">'
                      f'<option value="">All</option>{options}</select></div>')
    return ('<form id="indicator-filters" class="filters" hidden aria-label="Filter the indicators">'
            + "".join(fields)
            + '<div><label for="filter-search">Search by name</label><input type="search" id="filter-search" '
              'name="q" autocomplete="off"></div><div><button type="reset">Clear filters</button></div></form>'
            '<p id="filter-count" role="status" aria-live="polite"></p>')


def _basis(row: dict) -> str:
    """The open data's Status Reason under the badge: what the status compared
    (a Green beside an actual below target must say it was the forecast)."""
    reason = str(row.get("Status Reason") or "").strip()
    return f'<span class="basis">{html.escape(reason)}</span>' if reason else ""


def _indicator_table(indicators: pd.DataFrame, headlines: set[str] = frozenset()) -> str:
    from pmflib.report.site import INDICATOR_DIR, page_id

    rows = []
    for r in indicators.to_dict("records"):
        data = " ".join(f'data-{key}="{html.escape(r[column])}"' for key, _label, column in FILTERS)
        title = provenance_title(r)
        rows.append(
            f'<tr {data} data-name="{html.escape(r["Indicator"].lower())}">'
            f'<th scope="row"><a href="../{INDICATOR_DIR}/{page_id(r["Indicator ID"])}.html">'
            f'{html.escape(r["Indicator"])}</a></th><td>{html.escape(r["Outcome"])}</td>'
            f'<td>{html.escape(r["Service"])}</td>'
            f'<td class="num" data-value="{html.escape(r["Actual"])}"{title}>{html.escape(r["Actual"])}</td>'
            f'<td class="num" data-value="{html.escape(r["Target"])}">{html.escape(r["Target"])}</td>'
            f'<td>{html.escape(r["Unit"])}</td><td data-value="{html.escape(r["Status"])}">{status_badge(r["Status"])}'
            f'{_basis(r)}</td><td>{html.escape(r["Direction"])}</td><td>{html.escape(r["Kind"])}</td></tr>')
    heads = [("Indicator", ""), ("Outcome", ""), ("Service", ""), ("Actual", "number"), ("Target", "number"),
             ("Unit", ""), ("Status and basis", ""), ("Direction", ""), ("KPI or headline", "")]
    head = "".join(f'<th scope="col"{f" data-sort={chr(34)}{k}{chr(34)}" if k else ""}>{h}</th>' for h, k in heads)
    return (f'<table class="data" id="indicator-table"><caption>Every indicator this period ({len(indicators)})'
            f'</caption><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def write_period_dashboard(wb, period: Period, out_dir: Path, reports: list[dict]) -> Path:
    """``outputs/<period>/index.html``: every report and file, tiles and the full table."""
    indicators_csv = out_dir / "open-data" / "indicators.csv"
    indicators = pd.read_csv(indicators_csv, dtype=str, keep_default_na=False) if indicators_csv.exists() else None
    links = "".join(
        f'<li><a href="{html.escape(r["html"])}">{html.escape(r["title"])} — {html.escape(r["audience"])}'
        f'{" (" + html.escape(r["outcome_id"]) + ")" if r["outcome_id"] else ""}</a>'
        + (f' (<a href="{html.escape(r["pdf"])}">PDF<span class="visually-hidden"> of {html.escape(r["title"])}'
           f' for {html.escape(r["audience"])} {html.escape(r["outcome_id"])}</span></a>)' if r.get("pdf") else "")
        + "</li>"
        for r in reports
    )
    files = [
        ("open-data/indicators.csv", "Open data: every indicator with its status (CSV)"),
        ("open-data/actions.csv", "Open data: every action with its status (CSV)"),
        ("open-data/datapackage.json", "Open data: Frictionless Data Package description (JSON)"),
        *((f"open-data/{x.name}", "Open data: indicators and actions as an accessible spreadsheet (Excel)")
          for x in sorted((out_dir / "open-data").glob("*.xlsx"))),
        ("data-quality.csv", "Data-quality problems, with file, sheet and cell (CSV)"),
        ("chase-list.csv", "Chasing list: owners and escalation owners (CSV)"),
    ]
    file_links = "".join(
        f'<li><a href="{html.escape(path)}">{html.escape(text)}</a></li>'
        for path, text in files if (out_dir / path).exists()
    )
    body = [f"<h1>{html.escape(wb.name)}: performance, {html.escape(period.label)}</h1>",
            f'<p class="lead">{html.escape(period.months)}. <a href="../index.html">All periods</a></p>',
            '<h2 id="reports-heading">Reports</h2>', f"<ul>{links or '<li>No reports were run.</li>'}</ul>",
            '<h2 id="files-heading">Data</h2>', f"<ul>{file_links}</ul>"]
    if indicators is not None:
        indicators = indicators.assign(**{c: "" for c in ("Source", "Source Sheet", "Source Cell")
                                          if c not in indicators.columns})
        headlines = _headlines(wb)
        indicators["Kind"] = [_kind(r, headlines) for r in indicators.to_dict("records")]
        body += ['<h2 id="picture-heading">The council-wide picture</h2>', _outcome_tiles(indicators),
                 '<h2 id="indicators-heading">Every indicator</h2>', _filter_form(indicators),
                 _indicator_table(indicators, headlines)]
    path = out_dir / "index.html"
    colours = wb.council.get("colours")
    atomic_write(path, _page(f"{wb.name}: performance {period.label}", wb.name, "\n".join(body), colours,
                              run=_run_note(period), script=True).encode())
    return path


def _headlines(wb) -> set[str]:
    """IDs of the register's headline indicators (not in the open data)."""
    try:
        from pmflib.cycle.pipeline import _read_register

        frame = _read_register(wb).indicators
    except Exception:  # the dashboard still works from the open data alone
        return set()
    return {i for i, h in zip(frame["Indicator ID"], frame.get("Headline", [])) if str(h).upper() in ("Y", "TRUE")}


def write_site_index(wb, run_period: "Period | None" = None) -> Path:
    """``outputs/index.html``: every period that has a dashboard, newest first
    (``run_period``: the period whose run or export wrote it, for its run note)."""
    periods = []
    for folder in wb.outputs.iterdir() if wb.outputs.exists() else []:
        try:
            period = Period.parse(folder.name)
        except Exception:
            continue
        if (folder / "index.html").exists():
            periods.append(period)
    items = "".join(
        f'<li><a href="{p.slug}/index.html">{html.escape(p.label)}</a> ({html.escape(p.months)})</li>'
        for p in sorted(periods, reverse=True)
    )
    latest = ""
    if periods:
        from pmflib.report.site import publication_schedule

        newest = max(periods)
        upcoming, deadline, publish = publication_schedule(wb, newest)
        latest = (f'<p class="lead">Latest: <a href="{newest.slug}/index.html">{html.escape(newest.label)}</a>. '
                  f"The next figures, for {html.escape(upcoming.label)}, will appear by {publish:%d %B %Y} "
                  f"(returns are due on {deadline:%d %B %Y}).</p>")
    body = (f"<h1>{html.escape(wb.name)}: performance reports</h1>{latest}<p>Each quarter's reports, dashboard and "
            f"open data; a page for every <a href=\"indicators/index.html\">indicator</a> and "
            f"<a href=\"outcomes/index.html\">outcome</a>.</p><h2>Periods</h2>"
            f"<ul>{items or '<li>None yet.</li>'}</ul>")
    path = wb.outputs / "index.html"
    atomic_write(path, _page(f"{wb.name}: performance reports", wb.name, body, wb.council.get("colours"),
                              root="", run=_run_note(run_period) if run_period else None).encode())
    return path



