"""The period dashboard and site index (pmflib.report.dashboard), from a hand-made open-data table."""

from __future__ import annotations

import re

import pandas as pd
import yaml

from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook
from pmflib.report.dashboard import (
    _basis,
    _filter_form,
    _indicator_table,
    _kind,
    _outcome_tiles,
    write_period_dashboard,
    write_site_index,
)

HOSTILE = "Fly-tipping <script>alert(1)</script> & co"
PERIOD = Period.parse("2025-26 Q2")


def _indicators() -> pd.DataFrame:
    """Rows as the dashboard reads indicators.csv: every value text (dtype=str, no NaN)."""
    return pd.DataFrame({
        "Indicator ID": ["PI-01", "PI-02", "PI-03", "PI-04"],
        "Indicator": ["Homes built", "Streets clean", HOSTILE, "Residents satisfied"],
        "Outcome ID": ["O01", "O02", "O02", "O02"],
        "Outcome": ["More homes", "Clean <streets>", "Clean <streets>", "Clean <streets>"],
        "Service": ["Housing", "Waste", "Waste", "Communications"],
        "Actual": ["60", "98.5", "12", ""],
        "Target": ["198", "95", "10", ""],
        "Unit": ["Number", "%", "Number", "%"],
        "Status": [C.RED, C.GREEN, C.GREEN, C.NOT_REPORTED],
        "Status Reason": ["Forecast year-end 139 against annual target 198: 29.8% short, beyond the 5% tolerance",
                          "Actual 98.5% against the Q2 profile of 95%: target met", "", "  "],
        "Direction": ["Declining", "Improving", "Maintained", ""],
        "KPI": ["Y", "N", "y", ""],
        "Kind": ["Headline", "Other indicator", "KPI", "Other indicator"],
        "Source": ["housing.xlsx", "history", "", ""],
        "Source Sheet": ["Indicators", "", "", ""],
        "Source Cell": ["G5", "", "", ""],
    })


def _rows(markup: str) -> list[str]:
    return re.findall(r"<tr.*?</tr>", markup[markup.index("<tbody>"):])


# --- the pure helpers --------------------------------------------------------------------------
def test_outcome_tiles_count_each_status_per_outcome_in_status_order():
    tiles = _outcome_tiles(_indicators())
    assert tiles.startswith('<table class="data" id="status-by-outcome">')
    head = tiles[tiles.index("<thead>"):tiles.index("</thead>")]
    # SPEC §5 statuses, in order: Green, Amber, Red, Measured, Not reported
    assert [head.index(f"</span> {s}</span>") for s in C.STATUSES] == sorted(
        head.index(f"</span> {s}</span>") for s in C.STATUSES)
    counts = [re.findall(r'<td class="num">(\d+)</td>', row) for row in _rows(tiles)]
    assert counts == [["0", "0", "1", "0", "0"], ["2", "0", "0", "0", "1"]]
    assert '<a href="../outcomes/O01.html">More homes</a>' in tiles
    assert '<a href="../outcomes/O02.html">Clean &lt;streets&gt;</a>' in tiles and "<streets>" not in tiles


def test_kind_is_headline_then_kpi_then_other():
    assert _kind({"Indicator ID": "PI-01", "KPI": "Y"}, {"PI-01"}) == "Headline"
    assert _kind({"Indicator ID": "PI-01", "KPI": "N"}, {"PI-01"}) == "Headline"
    assert _kind({"Indicator ID": "PI-02", "KPI": "y"}, {"PI-01"}) == "KPI"
    assert _kind({"Indicator ID": "PI-02", "KPI": "N"}, set()) == "Other indicator"
    assert _kind({"Indicator ID": "PI-02"}, set()) == "Other indicator"


def test_basis_shows_the_status_reason_escaped_or_nothing():
    assert _basis({"Status Reason": "Actual 5 < 6"}) == '<span class="basis">Actual 5 &lt; 6</span>'
    assert _basis({"Status Reason": "  Target met "}) == '<span class="basis">Target met</span>'
    assert _basis({"Status Reason": "   "}) == ""
    assert _basis({"Status Reason": None}) == ""
    assert _basis({}) == ""


def test_indicator_table_has_a_row_per_indicator_with_status_basis_and_escaping():
    table = _indicator_table(_indicators())
    assert "Every indicator this period (4)" in table
    rows = _rows(table)
    assert len(rows) == 4
    assert [re.search(r'data-status="([^"]*)"', r).group(1) for r in rows] == [
        "Red", "Green", "Green", "Not reported"]
    assert [re.search(r'data-kind="([^"]*)"', r).group(1) for r in rows] == [
        "Headline", "Other indicator", "KPI", "Other indicator"]
    first = rows[0]
    assert 'data-outcome="More homes" data-service="Housing"' in first
    assert 'data-name="homes built"' in first
    assert '<a href="../indicators/PI-01.html">Homes built</a>' in first
    assert '<td class="num" data-value="60" title="From housing.xlsx, sheet Indicators, cell G5">60</td>' in first
    assert '<td class="num" data-value="198">198</td>' in first
    assert ('</span> Red</span><span class="basis">Forecast year-end 139 against annual target 198: 29.8% short, '
            'beyond the 5% tolerance</span>') in first
    assert 'title="From history, imported from inputs/history.csv"' in rows[1]
    assert "</span> Green</span><span class=\"basis\">Actual 98.5% against the Q2 profile of 95%" in rows[1]
    # No reason, no basis span; no source, no title.
    assert 'class="basis"' not in rows[2] and 'class="basis"' not in rows[3] and "title=" not in rows[2]
    # The hostile name is text, not markup, in the link and in the search attribute.
    assert "<script>" not in table
    assert "Fly-tipping &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</a>" in rows[2]
    assert 'data-name="fly-tipping &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"' in rows[2]


def test_filter_form_offers_each_value_once_sorted_and_escaped():
    form = _filter_form(_indicators())
    assert form.startswith('<form id="indicator-filters" class="filters" hidden')

    def options(key):
        select = re.search(rf'<select id="filter-{key}" name="{key}">(.*?)</select>', form).group(1)
        return re.findall(r'<option value="([^"]*)">', select)

    assert options("outcome") == ["", "Clean &lt;streets&gt;", "More homes"]  # "" is "All"
    assert options("service") == ["", "Communications", "Housing", "Waste"]
    assert options("status") == ["", "Green", "Not reported", "Red"]
    assert options("direction") == ["", "Declining", "Improving", "Maintained"]  # blank direction not offered
    assert options("kind") == ["", "Headline", "KPI", "Other indicator"]
    assert '<input type="search" id="filter-search"' in form and "<streets>" not in form


# --- the pages, in a workbook folder with only params/council.yml ---------------------------------
def _workbook(tmp_path) -> Workbook:
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "council.yml").write_text(
        yaml.safe_dump({"name": "Anytown <District> Council"}), encoding="utf-8")
    return Workbook.open(tmp_path)


def test_period_dashboard_links_reports_and_files_and_shows_every_indicator(tmp_path):
    wb = _workbook(tmp_path)
    out = wb.output_dir(PERIOD)
    (out / "open-data").mkdir(parents=True)
    _indicators().drop(columns=["Kind", "Source", "Source Sheet", "Source Cell"]).to_csv(
        out / "open-data" / "indicators.csv", index=False)
    (out / "chase-list.csv").write_text("x\n")
    reports = [{"html": "quarterly-cabinet.html", "title": "Quarterly performance report", "audience": "Cabinet",
                "outcome_id": "", "pdf": "quarterly-cabinet.pdf"},
               {"html": "outcome-O02.html", "title": "Outcome report", "audience": "Scrutiny",
                "outcome_id": "O02"}]
    path = write_period_dashboard(wb, PERIOD, out, reports)
    assert path == out / "index.html"
    assert path.stat().st_mode & 0o777 == 0o644
    page = path.read_text(encoding="utf-8")
    assert "<h1>Anytown &lt;District&gt; Council: performance, 2025-26 Q2</h1>" in page
    assert "Jul–Sep 2025" in page and '<a href="../index.html">All periods</a>' in page
    assert '<li><a href="quarterly-cabinet.html">Quarterly performance report — Cabinet</a> (<a href=' \
           '"quarterly-cabinet.pdf">PDF' in page
    assert '<a href="outcome-O02.html">Outcome report — Scrutiny (O02)</a></li>' in page
    # Only the files that exist are linked.
    assert 'href="open-data/indicators.csv"' in page and 'href="chase-list.csv"' in page
    assert 'href="open-data/actions.csv"' not in page and 'href="data-quality.csv"' not in page
    table = page[page.index('<table class="data" id="indicator-table">'):]
    table = table[:table.index("</table>")]
    assert len(_rows(table)) == 4
    # No register here, so no headlines: the kind comes from the KPI column alone.
    assert [re.search(r'data-kind="([^"]*)"', r).group(1) for r in _rows(table)] == [
        "KPI", "Other indicator", "KPI", "Other indicator"]
    assert 'id="status-by-outcome"' in page and 'id="indicator-filters"' in page
    assert "<script>alert(1)" not in page


def test_period_dashboard_without_open_data_still_lists_reports(tmp_path):
    wb = _workbook(tmp_path)
    out = wb.output_dir(PERIOD)
    page = write_period_dashboard(wb, PERIOD, out, []).read_text(encoding="utf-8")
    assert "<li>No reports were run.</li>" in page
    assert 'id="indicator-table"' not in page and 'id="status-by-outcome"' not in page


def test_site_index_lists_periods_with_a_dashboard_newest_first_and_the_next_dates(tmp_path):
    wb = _workbook(tmp_path)
    assert "<li>None yet.</li>" in write_site_index(wb).read_text(encoding="utf-8")
    for slug in ("2025-26-Q1", "2025-26-Q2"):
        (wb.outputs / slug).mkdir(parents=True)
        (wb.outputs / slug / "index.html").write_text("x")
    (wb.outputs / "2025-26-Q3").mkdir()  # no dashboard yet
    (wb.outputs / "templates").mkdir()  # not a period
    page = write_site_index(wb, PERIOD).read_text(encoding="utf-8")
    items = re.findall(r'<li><a href="([^"]+)">', page)
    assert items == ["2025-26-Q2/index.html", "2025-26-Q1/index.html"]
    # Next: Q3 ends 31 Dec 2025; returns due 21 days later (default), published 14 days after that.
    assert ('Latest: <a href="2025-26-Q2/index.html">2025-26 Q2</a>. The next figures, for 2025-26 Q3, '
            'will appear by 04 February 2026 (returns are due on 21 January 2026).') in page
