"""The public performance site (SPEC §10, issue 11): a page per indicator and
per outcome across every published period, a "latest" page and the
publication schedule, beside each period's dashboard.

Everything is built from what was published (each period's
``open-data/indicators.csv``), the register and the ledger's provenance, so
the site, the reports and the open data always show the same figures. Pages
are plain string templates (the large council has 600 indicators), links are
relative so ``outputs/`` can be copied to any static host or opened from disk,
and every page says when it was produced and from which run.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.inputs.files import atomic_write, file_stamp
from pmflib.report.export import CSS, colour_css
from pmflib.report.present import (assurance_badge, direction_badge, provenance_title, status_badge,
                                   variation_badge)

SITE_CSS = Path(__file__).with_name("assets") / "site.css"
SITE_JS = Path(__file__).with_name("assets") / "site.js"
INDICATOR_DIR = "indicators"
OUTCOME_DIR = "outcomes"
#: Default for ``publish_days_after_deadline`` in params/council.yml.
DEFAULT_PUBLISH_DAYS = 14


def esc(value: object) -> str:
    """HTML-escaped text; blank for None/NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value))


def page_id(identifier: object) -> str:
    """A file-name-safe form of an indicator or outcome ID (``PI-01`` stays ``PI-01``)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", str(identifier)).strip("-") or "item"


@dataclass(frozen=True)
class RunNote:
    """When a page was produced and from which run: printed on every page."""

    produced: datetime
    period_label: str

    @property
    def run_id(self) -> str:
        return f"{self.period_label} run of {self.produced:%Y-%m-%d %H:%M:%S}"

    def html(self) -> str:
        return (f'<p class="run-note">Produced on {self.produced:%d %B %Y at %H:%M} by PMF Workbook, '
                f'from the {esc(self.run_id)}.</p>')


def page(title: str, council: str, body: str, root: str, run: RunNote, colours: dict | None = None,
         script: bool = False) -> str:
    """A complete, self-contained page (styles and script inline, no network)."""
    css = CSS.read_text(encoding="utf-8") + "\n" + SITE_CSS.read_text(encoding="utf-8")
    css += colour_css(colours)
    js = f"<script>{SITE_JS.read_text(encoding='utf-8')}</script>" if script else ""
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{css}</style></head>
<body>
<a class="skip-link" href="#main">Skip to the content</a>
<header class="site-header"><p><a href="{root}index.html"><strong>{esc(council)}</strong>: performance reports and open data</a></p>
<nav aria-label="Site"><p><a href="{root}latest.html">Latest quarter</a> · <a href="{root}index.html">All periods</a> ·
<a href="{root}{OUTCOME_DIR}/index.html">Outcomes</a> · <a href="{root}{INDICATOR_DIR}/index.html">Indicators</a></p></nav></header>
<main id="main" tabindex="-1">
{body}
</main>
<footer class="report-footer">{run.html()}<p>Open data under the Open Government Licence v3.0.</p></footer>
{js}
</body></html>"""


# --- reading what was published -------------------------------------------------------------
def published_periods(outputs: Path) -> list[Period]:
    """Every period folder under ``outputs/`` with open data, oldest first."""
    found = []
    for folder in outputs.iterdir() if outputs.exists() else []:
        try:
            period = Period.parse(folder.name)
        except Exception:
            continue
        if (folder / "open-data" / "indicators.csv").exists():
            found.append(period)
    return sorted(found)


def published_indicators(outputs: Path, periods: list[Period], staged: dict | None = None) -> pd.DataFrame:
    """Every published period's ``indicators.csv`` stacked, as text, oldest first
    (``staged``: a period's folder still being built by the run, read instead)."""
    folders = {p: (staged or {}).get(p, outputs / p.slug) for p in periods}
    frames = [pd.read_csv(folders[p] / "open-data" / "indicators.csv", dtype=str, keep_default_na=False)
              .assign(_index=p.index, _slug=p.slug) for p in periods]
    if not frames:
        return pd.DataFrame()
    return pd.concat(frames, ignore_index=True)


def unquote(text: str) -> str:
    """The text a CSV cell stands for: the open data's formula-safety ``'`` removed."""
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def publication_schedule(wb, latest: Period) -> tuple[Period, datetime, datetime]:
    """The next quarter, when its returns are due and when its figures will
    be published (``publish_days_after_deadline`` after the deadline)."""
    upcoming = latest.next()
    deadline = wb.deadline(upcoming)
    days = wb.council.get("publish_days_after_deadline", DEFAULT_PUBLISH_DAYS)
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = DEFAULT_PUBLISH_DAYS
    return upcoming, deadline, deadline + timedelta(days=days)


# --- the pages ------------------------------------------------------------------------------
def _yes(value: object) -> str:
    return "Yes" if str(value).strip().upper() in ("Y", "YES", "TRUE", "1") else "No"


def _facts(pairs: list[tuple[str, str]]) -> str:
    return '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs) + "</dl>"


def _targets_table(targets: list[dict]) -> str:
    if not targets:
        return "<p>No targets are set in the register.</p>"
    cols = [c for c in ("Year", "Annual Target", "Q1 Target", "Q2 Target", "Q3 Target", "Q4 Target")
            if c in targets[0]]
    from pmflib.report.opendata import format_number

    rows = "".join(
        f'<tr><th scope="row">{esc(r["Year"])}</th>' + "".join(
            f'<td class="num">{esc(format_number(r[c]))}</td>' for c in cols[1:]) + "</tr>"
        for r in targets)
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in cols)
    return f'<table class="data"><caption>Targets by year</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def provenance_text(row: dict) -> str:
    """Where one published figure came from, in words."""
    source = row.get("Source", "")
    if not source:
        return "No actual was returned."
    if source == C.HISTORY_SOURCE:
        where = f", {row['Source Sheet']} {row['Source Cell']}" if row.get("Source Cell") else ""
        return f"history, imported from inputs/history.csv{esc(where)}"
    parts = [f"{esc(row.get('Source Service', ''))} return <code>{esc(source)}</code>",
             f"sheet {esc(row.get('Source Sheet', ''))}, cell {esc(row.get('Source Cell', ''))}",
             f"SHA-256 <code class=\"sha\">{esc(row.get('Source SHA-256', ''))}</code>"]
    approved = row.get("Approved By", "")
    when = row.get("Date Approved", "")
    parts.append(f"approved by {esc(approved)}" + (f" on {esc(when)}" if when else "") if approved else "not approved")
    return "; ".join(parts)


def _history_table(rows: list[dict]) -> str:
    body = []
    for r in rows:
        title = provenance_title(r)
        body.append(
            f'<tr><th scope="row">{esc(r["Period"])}</th><td class="num"{title}>{esc(r["Actual"])}</td>'
            f'<td class="num">{esc(r["Forecast Year-End"])}</td><td class="num">{esc(r["Target"])}</td>'
            f'<td>{status_badge(r["Status"]) if r["Status"] else ""}</td><td>{esc(r["Status Reason"])}</td>'
            f'<td>{direction_badge(r["Direction"]) if r["Direction"] else ""}</td>'
            f'<td>{variation_badge(r.get("Variation", "")) if r.get("Variation") else ""}</td>'
            f'<td>{assurance_badge(r.get("Assurance", "")) if r.get("Assurance") else ""}</td></tr>')
    head = "".join(f'<th scope="col">{h}</th>' for h in (
        "Period", "Actual", "Forecast year-end", "Target", "Status", "Status basis", "Direction", "Variation",
        "Assurance"))
    return (f'<table class="data" id="history-table"><caption>Every published period</caption><thead><tr>{head}'
            f'</tr></thead><tbody>{"".join(body)}</tbody></table>')


def _commentary_list(rows: list[dict]) -> str:
    items = []
    for r in reversed(rows):
        commentary, action = unquote(r.get("Commentary", "")), unquote(r.get("Corrective Action", ""))
        if not commentary and not action:
            continue
        items.append(f'<h3>{esc(r["Period"])}</h3>' + (f"<p>{esc(commentary)}</p>" if commentary else "")
                     + (f"<p><strong>Corrective action:</strong> {esc(action)}</p>" if action else ""))
    return "".join(items) or "<p>No commentary has been published.</p>"


def _provenance_table(rows: list[dict]) -> str:
    body = "".join(f'<tr><th scope="row">{esc(r["Period"])}</th><td class="num">{esc(r["Actual"])}</td>'
                   f"<td>{provenance_text(r)}</td></tr>" for r in reversed(rows))
    return ('<table class="data" id="provenance-table"><caption>Where each published figure came from</caption>'
            '<thead><tr><th scope="col">Period</th><th scope="col">Actual</th><th scope="col">Source</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")


def indicator_page(indicator: dict, outcome: dict, targets: list[dict], rows: list[dict], chart_html: str,
                   benchmark_html: str = "") -> str:
    """The body of one indicator's page (see module docstring)."""
    root = "../"
    outcome_link = (f'<a href="{root}{OUTCOME_DIR}/{page_id(indicator["Outcome ID"])}.html">'
                    f'{esc(outcome.get("Outcome", indicator["Outcome ID"]))}</a>')
    facts = _facts([
        ("Indicator ID", esc(indicator["Indicator ID"])),
        ("Definition", esc(indicator.get("Definition", "")) or "Not given in the register"),
        ("Unit", esc(indicator.get("Unit", ""))),
        ("Polarity", esc(indicator.get("Polarity", ""))),
        ("Frequency", esc(indicator.get("Frequency", ""))),
        ("Owner", esc(indicator.get("Owner", ""))),
        ("Service", esc(indicator.get("Service", ""))),
        ("Outcome", outcome_link),
        ("Type", esc(indicator.get("Type", ""))),
        ("Key Performance Indicator", _yes(indicator.get("KPI", ""))),
        ("Headline indicator", _yes(indicator.get("Headline", ""))),
    ])
    parts = [f'<h1>{esc(indicator["Indicator"])}</h1>',
             '<h2 id="about">What it measures</h2>', facts,
             '<h2 id="targets">Targets</h2>', _targets_table(targets),
             '<h2 id="chart">Trend</h2>', chart_html or "<p>No chart: no figures have been published yet.</p>",
             '<h2 id="history">Every period</h2>', _history_table(rows) if rows else "<p>Not yet published.</p>",
             '<h2 id="commentary">Commentary and corrective action, quarter by quarter</h2>', _commentary_list(rows)]
    if benchmark_html:
        parts += ['<h2 id="benchmarking">Benchmarking</h2>', benchmark_html]
    parts += ['<h2 id="provenance">Where the figures came from</h2>', _provenance_table(rows)]
    return "\n".join(parts)


def outcome_page(outcome: dict, indicators: list[dict], latest: dict[str, dict], actions: pd.DataFrame) -> str:
    """The body of one outcome's page: its Cabinet Member, Lead Director,
    indicators (latest status, linking to their pages) and actions."""
    rows = []
    for ind in indicators:
        last = latest.get(ind["Indicator ID"], {})
        rows.append(
            f'<tr><th scope="row"><a href="../{INDICATOR_DIR}/{page_id(ind["Indicator ID"])}.html">'
            f'{esc(ind["Indicator"])}</a></th><td>{esc(last.get("Period", ""))}</td>'
            f'<td class="num">{esc(last.get("Actual", ""))}</td><td class="num">{esc(last.get("Target", ""))}</td>'
            f'<td>{status_badge(last["Status"]) if last.get("Status") else "Not published"}</td>'
            f'<td>{direction_badge(last["Direction"]) if last.get("Direction") else ""}</td></tr>')
    table = ('<table class="data"><caption>Indicators, latest published period</caption><thead><tr>'
             '<th scope="col">Indicator</th><th scope="col">Period</th><th scope="col">Actual</th>'
             '<th scope="col">Target</th><th scope="col">Status</th><th scope="col">Direction</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>') if rows else "<p>No indicators.</p>"
    action_rows = "".join(
        f'<tr><th scope="row">{esc(a.get("Action", ""))}</th><td>{esc(a.get("Owner", ""))}</td>'
        f'<td>{esc(a.get("Status", ""))}</td><td>{esc(a.get("Expected End Date", a.get("End Date", "")))}</td></tr>'
        for a in actions.to_dict("records"))
    action_table = ('<table class="data"><caption>Actions</caption><thead><tr><th scope="col">Action</th>'
                    '<th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Expected end</th></tr>'
                    f'</thead><tbody>{action_rows}</tbody></table>') if action_rows else "<p>No actions.</p>"
    return "\n".join([
        f'<h1>{esc(outcome["Outcome"])}</h1>',
        _facts([("Outcome ID", esc(outcome["Outcome ID"])), ("Cabinet Member", esc(outcome.get("Cabinet Member", ""))),
                ("Lead Director", esc(outcome.get("Lead Director", "")))]),
        '<h2 id="indicators">Indicators</h2>', table, '<h2 id="actions">Actions</h2>', action_table])


# --- building -------------------------------------------------------------------------------
def _chart_html(indicator: dict, result, target) -> str:
    from pmflib.report.charts import spc_chart

    chart = spc_chart(indicator, result, target, svg=True)
    return chart.to_html(f"chart-{page_id(indicator['Indicator ID'])}")


def benchmark_rows(wb, indicators: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each indicator's benchmarking row (its rank among comparators), by
    Indicator ID; empty when the workbook has no comparators. A comparators
    file that cannot be read is the data-quality report's business, not the
    site's: the pages are then published without benchmarking."""
    path = wb.comparators_path
    if not path.exists() or "Comparator Metric" not in indicators:
        return {}
    from pmflib.inputs.comparators import read_comparators
    from pmflib.rules import benchmark

    comparators, _problems = read_comparators(path)
    try:
        table = benchmark.benchmark_table(indicators, comparators, wb.council.get("own_authority") or wb.name)
    except benchmark.BenchmarkError:
        return {}
    return {ident: group for ident, group in table.groupby("Indicator ID")}


def benchmark_html(rows: "pd.DataFrame | None") -> str:
    """The indicator page's benchmarking table: year, this council's value,
    the comparator median and its rank ("" when there is no benchmarking)."""
    if rows is None or not len(rows):
        return ""
    from pmflib.report.present import format_value

    body = "".join(
        f'<tr><th scope="row">{esc(r["Year"])}</th><td>{esc(r["Comparator Metric"])}</td>'
        f'<td class="num">{format_value(r["Own Value"], r["Unit"], 1)}</td>'
        f'<td class="num">{format_value(r["Median"], r["Unit"], 1)}</td>'
        f'<td>{esc(r["Position"])}</td></tr>' for r in rows.to_dict("records"))
    return ('<table class="data" id="benchmark-table"><caption>Compared with similar councils</caption><thead><tr>'
            '<th scope="col">Year</th><th scope="col">Measure</th><th scope="col">This council</th>'
            '<th scope="col">Comparator median</th><th scope="col">Rank</th></tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _number(text: object):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def records_by(frame: pd.DataFrame, key: str) -> dict[str, list[dict]]:
    """A frame's rows as dicts grouped by one column, keeping their order."""
    grouped: dict[str, list[dict]] = {}
    for record in frame.to_dict("records"):
        grouped.setdefault(record[key], []).append(record)
    return grouped


def build_site(wb, period: Period, result=None, *, say=print, staged: Path | None = None,
               into: Path | None = None) -> dict[str, int]:
    """Write the indicator pages, outcome pages, ``latest.html`` and the site
    index for every published period; returns counts of pages written.

    ``result`` (the run's PeriodResult) supplies the SPC charts; a chart is
    drawn from the newest period's figures only when the run is for the
    newest published period, otherwise the page keeps the chart it has.

    ``pmf run`` builds the site while its reports run: ``staged`` is the
    period's staging folder (its open data is read there, before it is
    published) and ``into`` a folder of ``site_staging`` that
    ``install_site`` moves into place once the period is published."""
    periods = published_periods(wb.outputs)
    if staged is not None and (staged / "open-data" / "indicators.csv").exists() and period not in periods:
        periods = sorted([*periods, period])
    if not periods:
        return {}
    site = _SiteInputs(wb, periods, RunNote(datetime.now().replace(microsecond=0), period.label),
                       staged={period: staged} if staged is not None else {}, pages=into)
    draw_charts = result is not None and period == periods[-1]
    counts = {
        "indicator": _write_indicator_pages(site, result if draw_charts else None),
        "outcome": _write_outcome_pages(site),
        "other": _write_indexes(site),
    }
    if into is None:
        note_site_inputs(wb)
    say(f"Site: {counts['indicator']} indicator and {counts['outcome']} outcome pages written")
    return counts


def site_staging(wb) -> Path:
    """A hidden folder in ``outputs/`` to build the site's pages in (tidied
    away by ``recover_outputs`` if the run is killed)."""
    import os
    import tempfile

    from pmflib.cycle.workbook import STAGING_PREFIX

    wb.outputs.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}site-{os.getpid()}-", dir=wb.outputs))


def install_site(wb, pages: Path) -> None:
    """Put the pages ``build_site`` wrote into ``pages`` in place: each folder
    swapped whole (never half old, half new), a page of an indicator no
    longer in the register kept as it was published."""
    import os
    import shutil

    from pmflib.cycle.workbook import publish

    for name in (INDICATOR_DIR, OUTCOME_DIR):
        new, final = pages / name, wb.outputs / name
        if not new.is_dir():
            continue
        for old in final.iterdir() if final.is_dir() else []:
            if old.is_file() and not (new / old.name).exists():
                shutil.copy2(old, new / old.name)
        publish(new, final)
    if (pages / "latest.html").exists():
        os.chmod(pages / "latest.html", 0o644)
        os.replace(pages / "latest.html", wb.outputs / "latest.html")
    shutil.rmtree(pages, ignore_errors=True)
    note_site_inputs(wb)


#: Where the site notes what it was last built from (``site_is_current``).
SITE_INPUTS = Path("logs") / "site-inputs.json"


def site_inputs(wb) -> dict:
    """What the site's pages are made from, as file stamps (path, modification
    time, size): the register, comparators, ledger and params, every published
    period's open data, and the code and styles that draw the pages."""
    files = [wb.register_path, wb.comparators_path, wb.ledger_path, *sorted((wb.root / "params").glob("*.yml"))]
    for period in published_periods(wb.outputs):
        folder = wb.outputs / period.slug / "open-data"
        files += [folder / "indicators.csv", folder / "actions.csv"]
    files += [*sorted(Path(__file__).parent.glob("*.py")), CSS, SITE_CSS, SITE_JS]
    return {"files": [[str(path), *(file_stamp(path) or ("", 0, 0))[1:]] for path in files]}


def note_site_inputs(wb) -> None:
    """Record what the site was just built from, for ``site_is_current``."""
    atomic_write(wb.outputs / SITE_INPUTS, json.dumps(site_inputs(wb), indent=1).encode())


def site_is_current(wb) -> bool:
    """Has nothing the site is made from changed since it was last built?

    ``pmf export`` after a narrative edit changes only reports, which no site
    page shows: rebuilding 600 indicator pages for it was 1.6 s of a 6 s
    export on the large council. After ``pmf run --no-reports`` (open data
    refreshed, site not) or an edited register, the export rebuilds it."""
    try:
        return json.loads((wb.outputs / SITE_INPUTS).read_text(encoding="utf-8")) == site_inputs(wb)
    except (OSError, ValueError):
        return False


class _SiteInputs:
    """What every page of the site is written from, read once per build."""

    def __init__(self, wb, periods: list[Period], run: RunNote, *, staged: dict | None = None,
                 pages: Path | None = None):
        from pmflib.cycle.pipeline import _ledger, _read_register

        self.wb, self.periods, self.run = wb, periods, run
        self.outputs = wb.outputs  # what is published: read
        self.pages = pages or wb.outputs  # where the pages go
        self.staged = staged or {}
        self.newest = periods[-1]
        self.colours = wb.council.get("colours")
        self.register = _read_register(wb)
        published = published_indicators(self.outputs, periods, self.staged)
        with _ledger(wb) as ledger:
            sources = ledger.figure_sources(up_to=self.newest)
        extra = sources[["Indicator ID", "Period", "Source Service", "Date Approved"]]
        published = published.merge(extra, on=["Indicator ID", "Period"], how="left").fillna("")
        # Grouped once in Python: a frame's to_dict per indicator (and a boolean
        # mask per indicator for its targets) was most of the site's time, and
        # quadratic in the number of indicators.
        self.by_indicator = records_by(published.sort_values("_index", kind="stable"), "Indicator ID")
        self.outcomes = {o["Outcome ID"]: o for o in self.register.outcomes.to_dict("records")}
        self.targets = records_by(self.register.targets, "Indicator ID")

    def open_data(self, period: Period) -> Path:
        return self.staged.get(period, self.outputs / period.slug) / "open-data"

    def write(self, path: Path, title: str, body: str, root: str = "../") -> None:
        atomic_write(path, page(f"{title}: {self.wb.name}", self.wb.name, body, root, self.run,
                                self.colours).encode())


def _write_indicator_pages(site: _SiteInputs, result) -> int:
    """A page per indicator: history, chart (drawn anew from ``result``, or
    the one the page already has), targets, provenance and benchmarking."""
    benchmarks = benchmark_rows(site.wb, site.register.indicators)
    written = 0
    for indicator in site.register.indicators.to_dict("records"):
        ident = indicator["Indicator ID"]
        rows = site.by_indicator.get(ident, [])
        name = f"{page_id(ident)}.html"
        published = site.outputs / INDICATOR_DIR / name
        chart = ""
        if result is not None:
            latest_target = _number(rows[-1]["Target"]) if rows else None
            chart = _chart_html({**indicator, **(rows[-1] if rows else {})}, result.spc.get(ident), latest_target)
        elif published.exists():
            old = re.search(r'<figure class="chart".*?</figure>', published.read_text(encoding="utf-8"), re.S)
            chart = old.group(0) if old else ""
        body = indicator_page(indicator, site.outcomes.get(indicator["Outcome ID"], {}),
                              site.targets.get(ident, []), rows, chart,
                              benchmark_html(benchmarks.get(ident)))
        site.write(site.pages / INDICATOR_DIR / name, indicator["Indicator"], body)
        written += 1
    return written


def _write_outcome_pages(site: _SiteInputs) -> int:
    """A page per outcome: its indicators' latest figures and its actions (as
    last published, else as planned in the register)."""
    latest_rows = {k: v[-1] for k, v in site.by_indicator.items()}
    indicators_by_outcome = {k: g.to_dict("records") for k, g in site.register.indicators.groupby("Outcome ID")}
    newest_actions = site.open_data(site.newest) / "actions.csv"
    actions = (pd.read_csv(newest_actions, dtype=str, keep_default_na=False) if newest_actions.exists()
               else site.register.actions)
    for ident, outcome in site.outcomes.items():
        body = outcome_page(outcome, indicators_by_outcome.get(ident, []), latest_rows,
                            actions[actions["Outcome ID"] == ident])
        site.write(site.pages / OUTCOME_DIR / f"{page_id(ident)}.html", outcome["Outcome"], body)
    return len(site.outcomes)


def _write_indexes(site: _SiteInputs) -> int:
    """The outcome and indicator indexes, and ``latest.html`` with the publication schedule."""
    outcome_items = "".join(f'<li><a href="{page_id(k)}.html">{esc(o["Outcome"])}</a> (Cabinet Member: '
                            f'{esc(o.get("Cabinet Member", ""))})</li>' for k, o in site.outcomes.items())
    site.write(site.pages / OUTCOME_DIR / "index.html", "Outcomes", f"<h1>Outcomes</h1><ul>{outcome_items}</ul>")
    indicator_items = "".join(f'<li><a href="{page_id(i["Indicator ID"])}.html">{esc(i["Indicator"])}</a></li>'
                              for i in site.register.indicators.sort_values("Indicator").to_dict("records"))
    site.write(site.pages / INDICATOR_DIR / "index.html", "Indicators",
               f"<h1>Every indicator</h1><ul>{indicator_items}</ul>")
    newest = site.newest
    upcoming, deadline, publish = publication_schedule(site.wb, newest)
    schedule = (f'<h2 id="schedule">Publication schedule</h2><p>The next figures, for {esc(upcoming.label)} '
                f"({esc(upcoming.months)}), will appear by {publish:%d %B %Y}: services' returns are due on "
                f"{deadline:%d %B %Y}.</p>")
    latest_body = (f"<h1>{esc(site.wb.name)}: latest performance, {esc(newest.label)}</h1>"
                   f'<p class="lead"><a href="{newest.slug}/index.html">The {esc(newest.label)} dashboard</a>: '
                   f"reports, open data and every indicator's status.</p>{schedule}")
    site.write(site.pages / "latest.html", "Latest", latest_body, root="")
    return 3
