"""Reports a Cabinet would table (issue 10): concise, one per audience, loud on typos.

Real demo councils, real papermill runs, real WeasyPrint PDFs counted with
pdfinfo, real Chromium with axe-core.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pmflib.core.errors import ConfigError, ReportError
from pmflib.core.periods import Period
from pmflib.cycle import pipeline
from pmflib.cycle.workbook import Workbook
from pmflib.report import cabinet, reportkit, runner
from pmflib.report.narrative import NarrativeError, PlaceholderError
from tests.support.browser import describe_violations, run_axe

REPO = Path(__file__).resolve().parents[2]
LATEST = Period.parse("2026-27 Q2")
COMMITTEES = {
    "quarterly-corporate-and-resources-scrutiny-committee": ["A well-run council that residents trust"],
    "quarterly-places-scrutiny-committee": ["Clean and green neighbourhoods"],
}


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-cabinet")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest")
    return root


def _out(root: Path) -> Path:
    return root / "outputs" / LATEST.slug


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


# --- pure pieces ---------------------------------------------------------------------------------
def test_sparkline_has_alt_text_naming_first_and_last_quarter():
    svg = cabinet.sparkline_svg([10, 12, 11, 15], ["Q1", "Q2", "Q3", "Q4"], "Missed bins", "")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-label="Missed bins: 4 quarters from Q1 (10) to Q4 (15); lowest 10, highest 15"' in svg
    assert "<polyline" in svg
    assert "<svg" not in cabinet.sparkline_svg([10], ["Q1"], "One point", "")


def test_plurals_agree_with_their_counts():
    assert cabinet.plural(1, "action") == "1 action"
    assert cabinet.plural(2, "action") == "2 actions"
    assert cabinet.plural(0, "KPI") == "0 KPIs"


def test_slug_is_a_readable_file_name():
    assert cabinet.slug("Cllr Dana Okoro — A thriving local economy with good jobs and skills") == (
        "cllr-dana-okoro-a-thriving-local-economy-with-good-jobs-and-skills")


def _outcomes():
    return pd.DataFrame({"Outcome ID": ["O01", "O02"],
                         "Outcome": ["A thriving local economy with good jobs and skills", "Safe communities"],
                         "Cabinet Member": ["Cllr Dana Okoro, Cabinet Member for Economy", "Cllr Ann Lee"]})


def _report_set(committees):
    return {"reports": [{"id": "quarterly", "notebook": "quarterly-report.ipynb", "title": "Quarterly performance report",
                         "quarters": ["Q2"], "audiences": [
                             {"name": "Portfolio Holder", "tier": 2, "scope": "outcome"},
                             {"name": "Scrutiny", "tier": 3, "scope": "committee"}]}],
            "committees": committees}


def test_portfolio_holder_jobs_are_titled_and_filed_by_member_and_outcome():
    jobs = runner.due_reports(_report_set([]), LATEST, _outcomes())
    holder = [j for j in jobs if j.outcome_id == "O01"][0]
    assert holder.label == "Cllr Dana Okoro — A thriving local economy with good jobs and skills"
    assert holder.file_stem == "quarterly-cllr-dana-okoro-a-thriving-local-economy-with-good-jobs-and-skills"
    assert "O01" not in holder.label and "O01" not in holder.file_stem
    # No committees listed: one council-wide scrutiny report, as before.
    assert [j.report_key for j in jobs if j.audience == "Scrutiny"] == ["quarterly-scrutiny"]


def test_one_scrutiny_job_per_committee_and_unknown_outcomes_are_named():
    committees = [{"name": "People Scrutiny Committee", "outcomes": ["O02"]},
                  {"name": "Places Scrutiny Committee", "outcomes": ["O01"]}]
    jobs = [j for j in runner.due_reports(_report_set(committees), LATEST, _outcomes()) if j.audience == "Scrutiny"]
    assert [(j.committee, j.file_stem) for j in jobs] == [
        ("People Scrutiny Committee", "quarterly-people-scrutiny-committee"),
        ("Places Scrutiny Committee", "quarterly-places-scrutiny-committee")]
    with pytest.raises(ConfigError, match=r"committee 'People' covers O09, not outcomes in the register"):
        runner.due_reports(_report_set([{"name": "People", "outcomes": ["O09"]}]), LATEST, _outcomes())


# --- notebooks as they stand ------------------------------------------------------------------------
def test_prepare_refuses_a_quarter_the_report_is_not_due_in(council):
    with pytest.raises(ConfigError, match=r"Exception report is produced in Q1 and Q3 only.*2026-27 Q2 is Q2"):
        reportkit.prepare("exception", workbook_dir=str(council), period="2026-27 Q2", audience="Scrutiny")
    with pytest.raises(ConfigError, match=r"produced in Q4 only"):
        reportkit.prepare("annual", workbook_dir=str(council), period="2026-27 Q2", audience="Cabinet")


def test_every_notebook_default_period_is_one_it_is_due_in():
    import nbformat

    wb_reports = Workbook.open(REPO).report_set()["reports"]
    for entry in wb_reports:
        nb = nbformat.read(runner.NOTEBOOKS / entry["notebook"], as_version=4)
        params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
        period = Period.parse(re.search(r'period: str = "([^"]+)"', params.source).group(1))
        assert period.quarter in reportkit.due_quarters(entry), entry["id"]


def test_run_by_hand_a_report_writes_nothing_into_published_outputs(council):
    out = _out(council)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    report = reportkit.prepare("quarterly", workbook_dir=str(council), period=LATEST.label, audience="Cabinet")
    str(reportkit.summary(report)), str(reportkit.outcomes(report))
    assert report.output_dir == council / "scratch" / LATEST.slug
    assert (report.output_dir / "data" / "quarterly-cabinet.context.json").exists()
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before


# --- per audience --------------------------------------------------------------------------------
def test_each_committee_report_differs_and_covers_only_its_outcomes(council):
    out = _out(council)
    texts = {}
    for stem, covered in COMMITTEES.items():
        page = (out / f"{stem}.html").read_text(encoding="utf-8")
        texts[stem] = page
        outcome_headings = re.findall(r'<h2 id="outcome-[^"]+">([^<]+)</h2>',
                                      page)
        assert outcome_headings == covered, stem
        assert "Summary: the whole council" in page
    a, b = texts.values()
    assert a != b
    assert not (out / "quarterly-scrutiny.html").exists()


def test_portfolio_holder_report_is_titled_by_member_and_linked_from_the_dashboard(council):
    out = _out(council)
    name = "quarterly-cllr-priya-sharma-clean-and-green-neighbourhoods.html"
    page = (out / name).read_text(encoding="utf-8")
    assert "<h1>Cllr Priya Sharma — Clean and green neighbourhoods</h1>" in page
    dashboard = (out / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{name}">Cllr Priya Sharma — Clean and green neighbourhoods' in dashboard
    assert "(O01)" not in dashboard


def test_cabinet_report_leads_with_attention_then_scorecards(council):
    page = (_out(council) / "quarterly-cabinet.html").read_text(encoding="utf-8")
    order = [page.index(s) for s in ('id="summary-heading"', 'id="exceptions-heading"', 'class="data scorecard"',
                                     'id="definitions-heading"')]
    assert order == sorted(order)
    sparks = re.findall(r'<svg [^>]*\bclass="spark"[^>]*>', page)
    assert sparks and all(re.search(r'\baria-label="[^"]+"', s) and 'role="img"' in s for s in sparks)
    assert "Actions slipped by more than 3 months" in page


@pytest.mark.parametrize("stem", ["quarterly-cabinet", *COMMITTEES,
                                  "quarterly-cllr-priya-sharma-clean-and-green-neighbourhoods"])
def test_new_reports_pass_axe(council, stem):
    violations = run_axe(_out(council) / f"{stem}.html")
    assert violations == [], describe_violations(violations)


# --- narrative that never vanishes ------------------------------------------------------------------
SECTION_KINDS = ["summary", "outcome-O01", "exceptions", "benchmarking"]


def _with_typo(path: Path, section: str) -> str:
    original = path.read_text(encoding="utf-8")
    marker = re.search(rf"^## @{re.escape(section)}\b.*$", original, flags=re.MULTILINE)
    assert marker, f"{path} has no section @{section}"
    edited = original[:marker.end()] + "\nWe quote {{ kpi_gren }} here.\n" + original[marker.end():]
    path.write_text(edited, encoding="utf-8")
    return original


@pytest.mark.parametrize("section", SECTION_KINDS)
def test_typo_in_any_section_fails_the_export_and_keeps_the_published_report(council, section):
    wb = Workbook.open(council)
    path = wb.narrative_dir(LATEST) / "quarterly-cabinet.md"
    published = _out(council) / "quarterly-cabinet.html"
    before = published.read_bytes()
    original = _with_typo(path, section)
    try:
        with pytest.raises(PlaceholderError) as caught:
            pipeline.export(wb, LATEST)
        message = str(caught.value)
        assert "kpi_gren" in message and f"section @{section}" in message and "quarterly-cabinet.md" in message
        assert "Did you mean {{ kpi_green }}" in message
        assert published.read_bytes() == before
    finally:
        path.write_text(original, encoding="utf-8")


@pytest.mark.parametrize("section", SECTION_KINDS)
def test_typo_in_any_section_fails_the_notebook_section_itself(council, section):
    wb = Workbook.open(council)
    path = wb.narrative_dir(LATEST) / "quarterly-cabinet.md"
    original = _with_typo(path, section)
    try:
        report = reportkit.prepare("quarterly", workbook_dir=str(council), period=LATEST.label, audience="Cabinet")
        builder = {"summary": reportkit.summary, "outcome-O01": reportkit.outcomes,
                   "exceptions": reportkit.exceptions, "benchmarking": reportkit.benchmarking}[section]
        with pytest.raises(NarrativeError, match=rf"kpi_gren.*section @{section}|section @{section}.*kpi_gren"):
            builder(report)
    finally:
        path.write_text(original, encoding="utf-8")


def test_typo_in_an_outcome_section_fails_the_run_and_keeps_published_outputs(council):
    wb = Workbook.open(council)
    path = wb.narrative_dir(LATEST) / "quarterly-cabinet.md"
    published = _out(council) / "quarterly-cabinet.html"
    before = published.read_bytes()
    original = _with_typo(path, "outcome-O02")
    try:
        with pytest.raises(ReportError, match=r"kpi_gren"):
            pipeline.run(wb, LATEST)
        assert published.read_bytes() == before
    finally:
        path.write_text(original, encoding="utf-8")


# --- the standard demo's Cabinet paper ----------------------------------------------------------------
def test_standard_demo_cabinet_pdf_is_at_most_24_pages(tmp_path):
    """Pages grow with what needs attention, not with the number of indicators (63 KPIs)."""
    shutil.copytree(REPO / "params", tmp_path / "params")
    pipeline.demo(tmp_path, scale="standard", periods="latest", reports=False)
    wb = Workbook.open(tmp_path)
    from pmflib.inputs.register import read_register

    jobs = runner.due_reports(wb.report_set(), LATEST, read_register(wb.register_path).outcomes)
    job = next(j for j in jobs if j.report_key == "quarterly-cabinet")
    staging = tmp_path / "staging"
    executed = runner._execute(job, wb.root, LATEST, staging)
    runner._export(job, executed, staging, wb, LATEST)
    pages = _pages(staging / "quarterly-cabinet.pdf")
    assert 8 <= pages <= 24, pages


# --- the basis of every forecast-assessed status -------------------------------------------------------
def _row_texts(page: Path) -> list[str]:
    import html as html_module

    rows = re.findall(r"<tr[ >].*?</tr>", page.read_text(encoding="utf-8"), flags=re.S)
    return [" ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def test_every_forecast_assessed_status_shows_its_basis_in_the_html_and_the_open_data(council):
    """SPEC §5: in Q1–Q3 a status may be judged on the forecast year-end; a Green
    whose forecast is not shown beside it looks wrong, so its row says what was compared."""
    out = _out(council)
    indicators = pd.read_csv(out / "open-data" / "indicators.csv", dtype=str, keep_default_na=False)
    judged = indicators[indicators["Forecast Year-End"].ne("") & indicators["Status"].isin(["Green", "Amber", "Red"])]
    forecast = judged[judged["Status Reason"].str.startswith("Forecast year-end")]
    assert len(forecast) > 0
    for row in forecast.to_dict("records"):
        # The open data: the assessed figure and the target, in words.
        quoted = re.match(r"Forecast year-end [£]?([\d,.]+)", row["Status Reason"])
        assert quoted and "against annual target" in row["Status Reason"], row
        assert float(quoted.group(1).replace(",", "")) == pytest.approx(float(row["Forecast Year-End"]), abs=0.051)
    cabinet_rows, dashboard_rows = _row_texts(out / "quarterly-cabinet.html"), _row_texts(out / "index.html")
    for row in forecast[forecast["KPI"] == "Y"].to_dict("records"):
        basis = row["Status Reason"].split(":")[0]
        for where, rows in (("Cabinet report", cabinet_rows), ("dashboard", dashboard_rows)):
            assert any(row["Indicator"] in r and basis in r and row["Status"] in r for r in rows), (
                f"{where}: {row['Indicator']} is {row['Status']} without '{basis}' beside it")
