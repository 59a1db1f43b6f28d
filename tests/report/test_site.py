"""The public performance site (issue 11), end to end on the tiny demo council.

One real council, built once for the module: the tiny demo's latest quarter
run with its reports; the two quarters before it and a history-only quarter
(2025-26 Q3, before the council adopted returns) published as open data; then
an officer's return re-sent with commentary that a spreadsheet would run as a
formula, the period's open data refreshed, a narrative edit and ``pmf
export``. Every check reads what was published, the ledger's archive or a
real browser: nothing is mocked.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote as url_unquote, urlsplit

import openpyxl
import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.core.periods import Period
from pmflib.cycle import pipeline
from pmflib.cycle.workbook import Workbook
from pmflib.report.site import _targets_table, records_by, unquote
from tests.support.browser import describe_violations, open_page, run_axe, screenshot

REPO = Path(__file__).resolve().parents[2]
LATEST = Period.parse("2026-27 Q2")
HISTORY_ONLY = Period.parse("2025-26 Q3")
EARLIER = (Period.parse("2025-26 Q4"), Period.parse("2026-27 Q1"))
#: Commentary an officer might type that Excel or LibreOffice would run as a formula.
PLANTED = {
    "COU-02": ("=1+1 claims were late", "+44 1632 960000 is the helpline"),
    "COU-04": ("-3 days on last quarter", "@SUM(A1:A9) was used to total"),
}
NARRATIVE_EDIT = "Edited by the analyst for the site test."


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-site")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest")
    wb = Workbook.open(root)
    for period in (HISTORY_ONLY, *EARLIER):
        pipeline.run(wb, period, reports=False)
    _plant_formula_commentary(wb.returns_dir(LATEST))
    pipeline.run(wb, LATEST, reports=False)  # refreshes the open data; reports and site as they were
    before = (wb.outputs / "latest.html").read_text(encoding="utf-8")
    narrative = wb.narrative_dir(LATEST) / "quarterly-cabinet.md"
    text = narrative.read_text(encoding="utf-8")
    start = text.index("## @summary")
    end = text.find("\n## @", start + 5)
    narrative.write_text(text[:start] + f"## @summary One-minute summary\n{NARRATIVE_EDIT}\n"
                         + (text[end:] if end != -1 else ""), encoding="utf-8")
    pipeline.export(wb, LATEST)
    return {"root": root, "wb": wb, "latest_before_export": before}


def _plant_formula_commentary(returns: Path) -> None:
    """Re-save the Revenues return with formula-like commentary (as an officer
    would type it) in the Commentary and Corrective Action cells."""
    path = next(p for p in returns.glob("*.xlsx") if p.name.startswith("Revenues"))
    book = openpyxl.load_workbook(path)
    sheet = book["Indicators"]
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "Indicator ID")
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    for row in range(header + 1, sheet.max_row + 1):
        ident = sheet.cell(row, 1).value
        if ident in PLANTED:
            commentary, action = PLANTED[ident]
            sheet.cell(row, columns["Commentary"]).value = commentary
            sheet.cell(row, columns["Commentary"]).data_type = "s"
            sheet.cell(row, columns["Corrective Action"]).value = action
            sheet.cell(row, columns["Corrective Action"]).data_type = "s"
    book.save(path)


def _open_data(council, period: Period = LATEST) -> pd.DataFrame:
    path = council["wb"].outputs / period.slug / "open-data" / "indicators.csv"
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- reading HTML without a third-party parser -------------------------------------------------
class _Page(HTMLParser):
    """Every table (by id, as rows of cell texts with their attributes) and
    every link of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[tuple[str, dict]]]] = {}
        self.links: list[str] = []
        self._table: str | None = None
        self._cell: list | None = None
        self._row: list | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])
        if tag == "table":
            self._table = attrs.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ["", attrs]

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append((self._cell[0].strip(), self._cell[1]))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell[0] += data


def _parse(path: Path) -> _Page:
    parsed = _Page()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def _body_rows(table: list) -> list[dict]:
    header = [text for text, _ in table[0]]
    return [{h: cell for h, cell in zip(header, row)} for row in table[1:]]


# --- 1. the open data's provenance, found in the archived returns -------------------------------
def test_every_published_figure_is_in_the_archived_return_at_its_cell(council):
    wb = council["wb"]
    checked = 0
    for period in (*EARLIER, LATEST):
        for row in _open_data(council, period).to_dict("records"):
            if row["Source"] in ("", C.HISTORY_SOURCE):
                continue
            archived = wb.archive_dir / f"{row['Source SHA-256']}.xlsx"
            assert archived.is_file(), f"{row['Indicator ID']} {period.label}: {archived} is not in the archive"
            assert _sha256(archived) == row["Source SHA-256"]
            book = openpyxl.load_workbook(archived, data_only=True)
            cell = book[row["Source Sheet"]][row["Source Cell"]].value
            # as the officer typed it: a number, or text such as "1,234" or "45%" that ingest reads
            typed = cell if isinstance(cell, (int, float)) else float(re.sub(r"[,%£\s]", "", str(cell)))
            cell_format = book[row["Source Sheet"]][row["Source Cell"]].number_format
            if isinstance(cell, (int, float)) and "%" in cell_format:
                typed = cell * 100  # 18.5% typed into a percentage-formatted cell is stored as 0.185
            assert typed == pytest.approx(float(row["Actual"])), (row["Indicator ID"], period.label, cell)
            # the same row of the return names the indicator, and its sign-off names the approver
            sheet = book[row["Source Sheet"]]
            assert sheet[f"A{sheet[row['Source Cell']].row}"].value == row["Indicator ID"]
            signoff = {r[0]: r[1] for r in book["Sign-off"].iter_rows(values_only=True) if r[0]}
            assert row["Approved By"] == (signoff.get("Approved By") or "")
            checked += 1
    assert checked >= 20  # three quarters of returns from two services


def test_the_history_quarter_is_published_as_history_with_no_return(council):
    rows = _open_data(council, HISTORY_ONLY)
    with_actual = rows[rows["Actual"] != ""]
    assert len(with_actual) > 0
    assert set(with_actual["Source"]) == {C.HISTORY_SOURCE}
    assert set(with_actual["Approved By"]) == {""}


# --- 2 and 3. the indicator pages ---------------------------------------------------------------
def _indicator_page(council, ident: str) -> Path:
    return council["wb"].outputs / "indicators" / f"{ident}.html"


def test_each_indicator_page_period_table_agrees_with_the_open_data(council):
    periods = (HISTORY_ONLY, *EARLIER, LATEST)
    published = pd.concat([_open_data(council, p) for p in periods], ignore_index=True)
    for ident, rows in published.groupby("Indicator ID"):
        page = _parse(_indicator_page(council, ident))
        table = _body_rows(page.tables["history-table"])
        assert [r["Period"][0] for r in table] == [p.label for p in periods]
        by_period = {r["Period"][0]: r for r in table}
        for row in rows.to_dict("records"):
            shown = by_period[row["Period"]]
            assert shown["Actual"][0] == row["Actual"], (ident, row["Period"])
            assert shown["Target"][0] == row["Target"]
            assert shown["Forecast year-end"][0] == row["Forecast Year-End"]
            assert shown["Status"][0].endswith(row["Status"])
            assert shown["Status basis"][0] == row["Status Reason"]
            assert shown["Direction"][0].endswith(row["Direction"])
            if row["Source"] and row["Source"] != C.HISTORY_SOURCE:
                assert f"sheet {row['Source Sheet']}, cell {row['Source Cell']}" in shown["Actual"][1]["title"]
        provenance = {r["Period"][0]: r["Source"][0] for r in _body_rows(page.tables["provenance-table"])}
        history = rows[rows["Source"] == C.HISTORY_SOURCE]
        for label in history["Period"]:
            assert provenance[label] == "history, imported from inputs/history.csv"
        for row in rows[~rows["Source"].isin(["", C.HISTORY_SOURCE])].to_dict("records"):
            said = provenance[row["Period"]]
            assert row["Source"] in said and row["Source SHA-256"] in said
            assert f"sheet {row['Source Sheet']}, cell {row['Source Cell']}" in said
            assert (f"approved by {row['Approved By']}" in said) if row["Approved By"] else "not approved" in said
    assert (published["Source"] == C.HISTORY_SOURCE).sum() > 0


def test_an_indicator_page_says_what_it_measures_and_shows_everything_the_issue_asks(council):
    wb = council["wb"]
    from pmflib.cycle.pipeline import _read_register

    register = _read_register(wb)
    benchmarked = 0
    for indicator in register.indicators.to_dict("records"):
        path = _indicator_page(council, indicator["Indicator ID"])
        text = path.read_text(encoding="utf-8")
        page = _parse(path)
        words = "".join(page.text)
        for label in ("Definition", "Unit", "Polarity", "Frequency", "Owner", "Outcome", "Type",
                      "Key Performance Indicator", "Headline indicator"):
            assert f"<dt>{label}</dt>" in text, (indicator["Indicator ID"], label)
        assert str(indicator["Owner"]) in words and str(indicator["Polarity"]) in words
        has_targets = (register.targets["Indicator ID"] == indicator["Indicator ID"]).any()
        assert ("Targets by year" if has_targets else "No targets are set in the register.") in words
        assert 'id="history-table"' in text and 'id="provenance-table"' in text
        if indicator["Indicator ID"] in ("ENV-01", "COU-02"):
            # The chart is inline SVG: role="img", its description written from the data.
            alt = re.search(r'<figure class="chart"[^>]*><svg [^>]*role="img"[^>]*>.*?<desc id="[^"]*">([^<]*)</desc>',
                            text, re.S)
            assert alt and "against a target of" in alt.group(1), indicator["Indicator ID"]
            assert "Figures behind this chart" in text
        if indicator.get("Comparator Metric"):
            assert 'id="benchmark-table"' in text
            benchmarked += 1
    assert benchmarked > 0  # the demo council has comparators
    cou02 = _indicator_page(council, "COU-02").read_text(encoding="utf-8")
    # commentary quarter by quarter, shown as typed (never a formula, never the CSV's quote)
    assert "<h3>2026-27 Q2</h3><p>=1+1 claims were late</p>" in cou02
    assert "+44 1632 960000 is the helpline" in cou02


def test_outcome_pages_name_member_and_director_and_link_their_indicators(council):
    wb = council["wb"]
    from pmflib.cycle.pipeline import _read_register

    register = _read_register(wb)
    for outcome in register.outcomes.to_dict("records"):
        page = _parse(wb.outputs / "outcomes" / f"{outcome['Outcome ID']}.html")
        words = "".join(page.text)
        assert outcome["Cabinet Member"] in words and outcome["Lead Director"] in words
        mine = register.indicators[register.indicators["Outcome ID"] == outcome["Outcome ID"]]
        for ident in mine["Indicator ID"]:
            assert f"../indicators/{ident}.html" in page.links


# --- 4. report tables traceable -----------------------------------------------------------------
def test_report_figures_carry_their_file_sheet_and_cell(council):
    out = council["wb"].outputs / LATEST.slug
    report = _parse(out / "quarterly-cabinet.html")
    titled = [attrs["title"] for table in report.tables.values() for row in table for _text, attrs in row
              if attrs.get("title", "").startswith("From ")]
    rows = _open_data(council)
    red_with_source = rows[(rows["Status"] == C.RED) & (rows["KPI"] == "Y") & (rows["Source"] != "")]
    assert len(red_with_source) > 0
    # the report was exported before the planted resend only in narrative; sources are the run's
    for row in red_with_source.to_dict("records"):
        assert any(f"sheet {row['Source Sheet']}, cell {row['Source Cell']}" in t for t in titled), row["Indicator"]
    dashboard = _parse(out / "index.html")
    table = dashboard.tables["indicator-table"]
    actual_titles = [r[3][1].get("title", "") for r in table[1:]]
    assert sum(t.startswith("From ") for t in actual_titles) == (rows["Source"] != "").sum()


# --- 5. the dashboard's filters in real Chromium ------------------------------------------------
def _visible_names(page) -> list[str]:
    return page.eval_on_selector_all(
        "#indicator-table tbody tr:not([hidden])", "rows => rows.map(r => r.cells[0].textContent.trim())")


def test_dashboard_filters_search_and_sort_with_javascript(council):
    out = council["wb"].outputs / LATEST.slug
    rows = _open_data(council)
    with open_page(out / "index.html") as page:
        assert page.is_visible("#indicator-filters")
        assert len(_visible_names(page)) == len(rows)
        for select, column in (("outcome", "Outcome"), ("service", "Service"), ("status", "Status"),
                               ("direction", "Direction")):
            for value in sorted(set(rows[column]) - {""}):
                page.select_option(f"#filter-{select}", value)
                assert sorted(_visible_names(page)) == sorted(rows[rows[column] == value]["Indicator"]), value
                assert page.text_content("#filter-count") == (
                    f"Showing {(rows[column] == value).sum()} of {len(rows)} indicators.")
            page.select_option(f"#filter-{select}", "")
        page.select_option("#filter-kind", "KPI")
        kinds = page.eval_on_selector_all("#indicator-table tbody tr:not([hidden])",
                                          "rows => rows.map(r => r.cells[8].textContent.trim())")
        assert kinds and set(kinds) == {"KPI"}
        page.select_option("#filter-kind", "")
        # two filters together narrow further
        status = rows["Status"].iloc[0]
        service = rows["Service"].iloc[0]
        page.select_option("#filter-status", status)
        page.select_option("#filter-service", service)
        both = rows[(rows["Status"] == status) & (rows["Service"] == service)]
        assert sorted(_visible_names(page)) == sorted(both["Indicator"])
        page.click("button[type=reset]")
        page.wait_for_function(f"document.querySelectorAll('#indicator-table tbody tr:not([hidden])').length"
                               f" === {len(rows)}")
        # search by name, case-insensitive, by keyboard
        word = rows["Indicator"].iloc[0].split()[1]
        page.focus("#filter-search")
        page.keyboard.type(word.upper())
        wanted = sorted(n for n in rows["Indicator"] if word.lower() in n.lower())
        assert sorted(_visible_names(page)) == wanted
        page.fill("#filter-search", "")
        # sort by actual, ascending then descending (blank actuals last when ascending)
        page.click("#indicator-table thead th:nth-child(4) button")
        values = page.eval_on_selector_all("#indicator-table tbody tr",
                                           "rows => rows.map(r => r.cells[3].getAttribute('data-value'))")
        numbers = [float(v) for v in values if v]
        assert numbers == sorted(numbers) and all(v == "" for v in values[len(numbers):])
        assert page.get_attribute("#indicator-table thead th:nth-child(4)", "aria-sort") == "ascending"
        page.keyboard.press("Enter")  # the sort button keeps focus: Enter sorts the other way
        values = page.eval_on_selector_all("#indicator-table tbody tr",
                                           "rows => rows.map(r => r.cells[3].getAttribute('data-value'))")
        numbers = [float(v) for v in values if v]
        assert numbers == sorted(numbers, reverse=True)
        assert page.get_attribute("#indicator-table thead th:nth-child(4)", "aria-sort") == "descending"
        # sort by name
        page.click("#indicator-table thead th:nth-child(1) button")
        names = _visible_names(page)
        assert names == sorted(names, key=str.lower) or names == sorted(names)


def test_dashboard_without_javascript_shows_every_row_readably(council):
    out = council["wb"].outputs / LATEST.slug
    rows = _open_data(council)
    with open_page(out / "index.html", javascript=False) as page:
        assert not page.is_visible("#indicator-filters")
        visible = page.eval_on_selector_all(
            "#indicator-table tbody tr",
            "rows => rows.filter(r => r.offsetHeight > 0).map(r => r.innerText)")
        assert len(visible) == len(rows)
        for text, row in zip(visible, rows.to_dict("records")):
            assert row["Indicator"] in text and row["Status"] in text and row["Service"] in text
        assert page.is_visible("#status-by-outcome")


# --- 6. axe -------------------------------------------------------------------------------------
@pytest.mark.parametrize("page", ["indicators/COU-02.html", "indicators/ENV-01.html", "outcomes/O01.html",
                                  "latest.html", f"{LATEST.slug}/index.html", "index.html",
                                  "indicators/index.html", "outcomes/index.html"])
def test_site_pages_pass_axe(council, page):
    violations = run_axe(council["wb"].outputs / page)
    assert violations == [], describe_violations(violations)


# --- 7. the accessible spreadsheet and formula safety -------------------------------------------
def _spreadsheet(council) -> Path:
    return next((council["wb"].outputs / LATEST.slug / "open-data").glob("*.xlsx"))


def test_open_data_spreadsheet_follows_the_releasing_statistics_guidance(council):
    book = openpyxl.load_workbook(_spreadsheet(council))
    assert book.sheetnames[:2] == ["Cover", "Notes"] and {"Indicators", "Actions"} <= set(book.sheetnames)
    assert "performance indicators and actions" in book["Cover"]["A1"].value
    csv_rows = _open_data(council)
    for name in book.sheetnames:
        sheet = book[name]
        assert not sheet.merged_cells.ranges, f"{name} has merged cells"
        if name == "Cover":
            continue
        assert len(sheet.tables) == 1, f"{name} should hold exactly one table"
        table = next(iter(sheet.tables.values()))
        assert table.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
        header = [c.value for c in sheet[1]]
        assert all(isinstance(h, str) and h for h in header), f"{name}: one header row, every column named"
        assert len(set(header)) == len(header)
        for row in sheet.iter_rows(min_row=2):
            assert any(c.value not in (None, "") for c in row), f"{name}: a blank row inside the table"
            assert all(c.data_type != "f" for c in row)
    sheet = book["Indicators"]
    header = [c.value for c in sheet[1]]
    assert header == list(csv_rows.columns)
    commentary = {sheet.cell(r, 2).value: (sheet.cell(r, header.index("Commentary") + 1),
                                           sheet.cell(r, header.index("Corrective Action") + 1))
                  for r in range(2, sheet.max_row + 1)}
    for ident, typed in PLANTED.items():
        for cell, text in zip(commentary[ident], typed):
            assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    actual = sheet.cell(2, header.index("Actual") + 1)
    assert actual.value is None or isinstance(actual.value, (int, float))


def test_csv_marks_formula_like_text_and_libreoffice_runs_no_formula(council, tmp_path):
    rows = _open_data(council).set_index("Indicator ID")
    for ident, (commentary, action) in PLANTED.items():
        assert rows.loc[ident, "Commentary"] == "'" + commentary
        assert rows.loc[ident, "Corrective Action"] == "'" + action
        assert unquote(rows.loc[ident, "Commentary"]) == commentary
    csv_path = council["wb"].outputs / LATEST.slug / "open-data" / "indicators.csv"
    shutil.copy(csv_path, tmp_path / "indicators.csv")
    shutil.copy(_spreadsheet(council), tmp_path / "open-data.xlsx")
    profile = tmp_path / "lo-profile"
    for args in (["--convert-to", "xlsx", "indicators.csv"],
                 ["--convert-to", 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,3',
                  "open-data.xlsx"]):
        done = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", *args,
                               "--outdir", str(tmp_path / "lo")], cwd=tmp_path, capture_output=True, text=True,
                              timeout=180)
        assert done.returncode == 0, done.stderr
    # the CSV opened in LibreOffice: no formula anywhere, the commentary is text
    book = openpyxl.load_workbook(tmp_path / "lo" / "indicators.xlsx")
    sheet = book.active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = {str(c.value) for c in cells if c.value is not None}
    for commentary, action in PLANTED.values():
        assert any(t.endswith(commentary) for t in texts) and any(t.endswith(action) for t in texts)
    # the spreadsheet's Indicators sheet (the third) saved by LibreOffice as CSV: the text as typed
    exported = next((tmp_path / "lo").glob("open-data*Indicators*.csv"), None) or \
        next((tmp_path / "lo").glob("open-data*.csv"))
    indicators = pd.read_csv(exported, dtype=str, keep_default_na=False).set_index("Indicator ID")
    for ident, (commentary, action) in PLANTED.items():
        assert indicators.loc[ident, "Commentary"] == commentary
        assert indicators.loc[ident, "Corrective Action"] == action


# --- 8. pmf export rebuilds the site ------------------------------------------------------------
def test_export_after_a_narrative_edit_rebuilds_report_dashboard_and_site(council):
    wb = council["wb"]
    out = wb.outputs / LATEST.slug
    assert NARRATIVE_EDIT in (out / "quarterly-cabinet.html").read_text(encoding="utf-8")
    latest = (wb.outputs / "latest.html").read_text(encoding="utf-8")
    assert latest != council["latest_before_export"]  # produced again, by the export
    # the resent commentary reached the indicator page only through the export's rebuild
    assert "=1+1 claims were late" in _indicator_page(council, "COU-02").read_text(encoding="utf-8")
    assert "=1+1 claims were late" not in council["latest_before_export"]


# --- 9. a site that publishes as it is ---------------------------------------------------------
def test_every_link_is_relative_and_resolves_and_every_page_says_when_and_which_run(council):
    outputs = council["wb"].outputs
    pages = sorted(p for p in outputs.rglob("*.html") if "notebooks" not in p.parts)
    assert len(pages) >= 12 + 2 + 6
    for path in pages:
        parsed = _parse(path)
        for link in parsed.links:
            if link.startswith(("data:", "#", "mailto:")):
                continue
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc and not link.startswith("/"), f"{path}: {link}"
            target = (path.parent / url_unquote(parts.path)).resolve()
            assert target.exists(), f"{path.relative_to(outputs)} links to {link}, which does not exist"
            assert outputs.resolve() in target.parents, f"{path}: {link} leaves outputs/"
        text = path.read_text(encoding="utf-8")
        if path.parent == outputs or path.parent.name in ("indicators", "outcomes") or path.name == "index.html":
            assert re.search(r'class="run-note">Produced on \d{2} \w+ \d{4} at \d{2}:\d{2} by PMF Workbook, '
                             r"from the .+ run of \d{4}-\d{2}-\d{2}", text), path


def test_dashboard_links_the_open_data_spreadsheet(council):
    out = council["wb"].outputs / LATEST.slug
    assert f"open-data/{_spreadsheet(council).name}" in _parse(out / "index.html").links


def test_site_pages_name_the_run_that_produced_them(council):
    outputs = council["wb"].outputs
    for page in ("index.html", "latest.html", "indicators/index.html", "indicators/ENV-01.html",
                 "outcomes/O01.html", f"{LATEST.slug}/index.html"):
        assert f"from the {LATEST.label} run of " in (outputs / page).read_text(encoding="utf-8"), page


def test_latest_page_has_the_publication_schedule(council):
    text = (council["wb"].outputs / "latest.html").read_text(encoding="utf-8")
    assert f'href="{LATEST.slug}/index.html"' in text
    assert "The next figures, for 2026-27 Q3" in text and "returns are due on" in text


# --- 11. screenshots ---------------------------------------------------------------------------
def test_screenshots_of_an_indicator_page_and_the_dashboard(council, tmp_path):
    """Renders the pages the README shows (``docs/screenshots``) and checks
    they are real pictures of a full page."""
    outputs = council["wb"].outputs
    for page, name in ((outputs / "indicators" / "ENV-01.html", "indicator-page.png"),
                       (outputs / LATEST.slug / "index.html", "dashboard.png")):
        png = screenshot(page, tmp_path / name)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        height = int.from_bytes(data[20:24], "big")
        assert height > 800  # the whole page, not one screen


# --- grouping rows for the pages, without pandas per indicator ---------------------------------
def test_records_by_groups_rows_by_indicator_in_their_order():
    frame = pd.DataFrame({"Indicator ID": ["B", "A", "B", "A"], "Year": ["2024-25", "2025-26", "2025-26", "2024-25"]})
    grouped = records_by(frame, "Indicator ID")
    assert list(grouped) == ["B", "A"]
    assert [r["Year"] for r in grouped["B"]] == ["2024-25", "2025-26"]
    assert [r["Year"] for r in grouped["A"]] == ["2025-26", "2024-25"]
    assert records_by(frame.iloc[0:0], "Indicator ID") == {}


def test_targets_table_from_records_lists_each_year_and_says_when_there_are_none():
    html = _targets_table([{"Indicator ID": "A", "Year": "2025-26", "Annual Target": "75", "Q2 Target": "70"}])
    assert "<caption>Targets by year</caption>" in html
    assert '<th scope="row">2025-26</th>' in html and ">75<" in html and ">70<" in html
    assert "Q1 Target" not in html  # only the register's own columns
    assert _targets_table([]) == "<p>No targets are set in the register.</p>"
