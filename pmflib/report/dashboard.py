"""The static dashboard: one page per period linking everything, and a site index.

Built from the period's own open data, so the dashboard, the reports and the
CSVs always show the same figures.
"""

from __future__ import annotations

import html

from datetime import date
from pathlib import Path

import pandas as pd

from pmflib.core import constants as C
from pmflib.report.export import CSS, _atomic_write
from pmflib.core.periods import Period
from pmflib.report.present import status_badge


def _page(title: str, council: str, body: str, colours: dict | None = None) -> str:
    css = CSS.read_text(encoding="utf-8")
    if colours:
        css += "\n:root { " + " ".join(f"--pmf-{k}: {v};" for k, v in colours.items() if str(v).startswith("#")) + " }"
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{css}</style></head>
<body>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header"><p><strong>{html.escape(council)}</strong>: performance reports and open data</p></header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="report-footer"><p>Produced with PMF Workbook on {date.today():%d %B %Y}. Open data under the
Open Government Licence v3.0.</p></footer>
</body></html>"""


def _outcome_tiles(indicators: pd.DataFrame) -> str:
    rows = []
    for (outcome_id, outcome), group in indicators.groupby(["Outcome ID", "Outcome"], sort=True):
        counts = group["Status"].value_counts().reindex(list(C.STATUSES), fill_value=0)
        cells = "".join(f'<td class="num">{int(n)}</td>' for n in counts)
        rows.append(f'<tr><th scope="row">{html.escape(outcome)}</th>{cells}</tr>')
    head = "".join(f'<th scope="col">{status_badge(s)}</th>' for s in C.STATUSES)
    return (f'<table class="data"><caption>Indicators by status, for each outcome</caption><thead><tr>'
            f'<th scope="col">Outcome</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _indicator_table(indicators: pd.DataFrame) -> str:
    rows = "".join(
        f'<tr><th scope="row">{html.escape(r["Indicator"])}</th><td>{html.escape(r["Outcome"])}</td>'
        f'<td class="num">{html.escape(r["Actual"])}</td><td class="num">{html.escape(r["Target"])}</td>'
        f'<td>{html.escape(r["Unit"])}</td><td>{status_badge(r["Status"])}</td><td>{html.escape(r["Direction"])}</td></tr>'
        for r in indicators.to_dict("records")
    )
    return (f'<table class="data"><caption>Every indicator this period ({len(indicators)})</caption><thead><tr>'
            '<th scope="col">Indicator</th><th scope="col">Outcome</th><th scope="col">Actual</th>'
            '<th scope="col">Target</th><th scope="col">Unit</th><th scope="col">Status</th>'
            f'<th scope="col">Direction</th></tr></thead><tbody>{rows}</tbody></table>')


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
        body += ['<h2 id="picture-heading">The council-wide picture</h2>', _outcome_tiles(indicators),
                 _indicator_table(indicators)]
    path = out_dir / "index.html"
    colours = wb.council.get("colours")
    _atomic_write(path, _page(f"{wb.name}: performance {period.label}", wb.name, "\n".join(body), colours).encode())
    return path


def write_site_index(wb) -> Path:
    """``outputs/index.html``: every period that has a dashboard, newest first."""
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
    body = (f"<h1>{html.escape(wb.name)}: performance reports</h1><p>Each quarter's reports, dashboard and open "
            f"data.</p><h2>Periods</h2><ul>{items or '<li>None yet.</li>'}</ul>")
    path = wb.outputs / "index.html"
    _atomic_write(path, _page(f"{wb.name}: performance reports", wb.name, body, wb.council.get("colours")).encode())
    return path



