"""The real reports, end to end, on the tiny demo council.

Real papermill runs of the real notebooks, real nbconvert and WeasyPrint
exports, checked in real headless Chromium with axe-core and with pdftotext.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pmflib.cycle import pipeline
from pmflib.report.narrative import NarrativeError
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook
from tests.support.browser import describe_violations, run_axe

REPO = Path(__file__).resolve().parents[2]
LATEST = Period.parse("2026-27 Q2")


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-reports")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="all")
    return root


@pytest.fixture
def own_council(council, tmp_path):
    """A copy of the published council for a test that edits narrative or re-runs, so
    no other test sees what it changed."""
    root = tmp_path / "council"
    shutil.copytree(council, root, symlinks=True)
    return root


def _out(root: Path, period: Period = LATEST) -> Path:
    return root / "outputs" / period.slug


def test_every_due_report_is_published_in_html_and_pdf(council):
    out = _out(council)
    html = sorted(p.name for p in out.glob("*.html"))
    assert "quarterly-cabinet.html" in html and "quarterly-places-scrutiny-committee.html" in html
    assert "data-quality-performance-team.html" in html
    assert "quarterly-cllr-priya-sharma-clean-and-green-neighbourhoods.html" in html  # member and outcome
    assert not any(name.startswith("exception-") for name in html)  # Q2: no exception report
    for page in out.glob("*.html"):
        if page.name != "index.html":
            assert page.with_suffix(".pdf").exists(), page.name
    # Q1 has the exception report; Q4 the annual report.
    assert (_out(council, Period.parse("2026-27 Q1")) / "exception-places-scrutiny-committee.html").exists()
    assert (_out(council, Period.parse("2025-26 Q4")) / "annual-public.html").exists()
    assert (council / "outputs" / "index.html").exists()
    # The period handed from the run to its notebooks is never published.
    assert not list((council / "outputs").rglob(".pmf-period-result.pickle*"))


def test_html_has_no_code_and_reads_as_a_report(council):
    page = (_out(council) / "quarterly-cabinet.html").read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in page
    assert "<main" in page and "<title>" in page
    for code in ("reportkit.", "import ", "In&nbsp;[", "workbook_dir", "Traceback"):
        assert code not in page, code
    assert "Definitions and rules" in page and "Northmere Borough Council" in page
    # Charts are SVG named by their title and described from the data (the
    # description the PDF's image keeps as its alt).
    tag = re.search(r'<svg [^>]*\bclass="spc-chart"[^>]*>', page)
    chart = tag and re.search(r'\baria-labelledby="(chart-[\w-]+)-title \1-desc"', tag.group(0))
    assert chart and f'<desc id="{chart.group(1)}-desc">Trend of ' in page
    # Q2: benchmarking against comparator councils, and the SPC icons beside RAG.
    assert "Benchmarking against comparator councils" in page and "is ranked" in page
    assert "Common cause — no significant change" in page or "Special cause" in page
    assert "Variation and assurance (Making Data Count)" in page


@pytest.mark.parametrize("name", ["quarterly-cabinet.html", "data-quality-performance-team.html", "index.html"])
def test_pages_pass_axe_in_chromium(council, name):
    violations = run_axe(_out(council) / name)
    assert violations == [], describe_violations(violations)


def test_annual_and_exception_reports_pass_axe(council):
    for path in (_out(council, Period.parse("2025-26 Q4")) / "annual-public.html",
                 _out(council, Period.parse("2026-27 Q1")) / "exception-places-scrutiny-committee.html"):
        violations = run_axe(path)
        assert violations == [], describe_violations(violations)


def test_pdf_has_page_numbers_title_and_sane_length(council):
    pdf = _out(council) / "quarterly-cabinet.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 3 <= pages <= 40
    assert "Page 1 of" in text and f"Page {pages} of {pages}" in text
    assert "Quarterly performance report" in text and "2026-27 Q2" in text
    assert re.search(r"Tagged:\s+yes", info)


def test_open_data_matches_the_report_tables(council):
    indicators = pd.read_csv(_out(council) / "open-data" / "indicators.csv", dtype=str, keep_default_na=False)
    page = (_out(council) / "quarterly-cabinet.html").read_text(encoding="utf-8")
    kpis = indicators[indicators["KPI"] == "Y"]
    rows = re.findall(r"<tr[ >].*?</tr>", page, flags=re.S)
    assert len(kpis) > 0
    for row in kpis.to_dict("records"):
        name = row["Indicator"].replace("&", "&amp;")
        # The KPI's own row carries its status: a badge elsewhere on the page does not count.
        own = [r for r in rows if name in r and row["Status"] in re.sub(r"<[^>]+>", " ", r)]
        assert own, f"{row['Indicator']}: no table row shows it as {row['Status']}"


def test_narrative_edits_survive_a_rerun_and_export_without_rerunning(own_council):
    council = own_council
    wb = Workbook.open(council)
    folder = wb.narrative_dir(LATEST)
    path = folder / "quarterly-cabinet.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("## @summary")
    end = text.find("\n## @", start + 5)
    edited = (text[:start] + "## @summary One-minute summary\nCouncillors: {{ kpi_green }} KPIs are Green. "
              "Edited by the analyst.\n" + (text[end:] if end != -1 else ""))
    path.write_text(edited, encoding="utf-8")
    pipeline.export(wb, LATEST)
    page = (_out(council) / "quarterly-cabinet.html").read_text(encoding="utf-8")
    assert "Edited by the analyst." in page
    assert "{{" not in page
    pipeline.run(wb, LATEST)  # re-running the period keeps the analyst's text
    assert "Edited by the analyst." in path.read_text(encoding="utf-8")
    assert "Edited by the analyst." in (_out(council) / "quarterly-cabinet.html").read_text(encoding="utf-8")


def test_export_after_a_narrative_edit_leaves_the_site_alone_until_its_inputs_change(own_council):
    """The site shows no narrative: an export rewrites the edited report only.
    Once something the site is made from changes (the register here), the
    next export rebuilds the site and the dashboard too."""
    import os

    from pmflib.report.site import site_is_current

    wb = Workbook.open(own_council)
    pipeline.run(wb, LATEST)  # this copy's own run: the site is built from what is there now
    site_page = next((wb.outputs / "indicators").glob("*-01.html"))
    dashboard = _out(own_council) / "index.html"
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in (site_page, dashboard)}
    assert site_is_current(wb)
    path = wb.narrative_dir(LATEST) / "quarterly-cabinet.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA sentence added by the analyst.\n", encoding="utf-8")
    pipeline.export(wb, LATEST)
    assert "A sentence added by the analyst." in (_out(own_council) / "quarterly-cabinet.html").read_text(encoding="utf-8")
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in before} == before
    stat = wb.register_path.stat()
    os.utime(wb.register_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the register saved again
    assert not site_is_current(wb)
    pipeline.export(wb, LATEST)
    assert all(path.stat().st_mtime_ns != before[path][1] for path in before)
    assert site_is_current(wb)


def test_unknown_placeholder_fails_clearly_and_keeps_published_outputs(own_council):
    council = own_council
    wb = Workbook.open(council)
    path = wb.narrative_dir(LATEST) / "quarterly-places-scrutiny-committee.md"
    before = (_out(council) / "quarterly-places-scrutiny-committee.html").read_bytes()
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("## @summary", "## @summary\nWe quote {{ kpis_gren }} here.\n", 1), encoding="utf-8")
    try:
        with pytest.raises(NarrativeError, match="kpis_gren"):
            pipeline.export(wb, LATEST)
        assert (_out(council) / "quarterly-places-scrutiny-committee.html").read_bytes() == before
    finally:
        path.write_text(original, encoding="utf-8")


def test_axe_passes_on_every_published_page(council):
    pages = sorted((council / "outputs").glob("*/*.html")) + [council / "outputs" / "index.html"]
    assert len(pages) >= 15
    failures = {p.relative_to(council).as_posix(): describe_violations(v) for p in pages if (v := run_axe(p))}
    assert failures == {}


def _break_the_data_quality_notebook(tmp_path, monkeypatch):
    """Run the reports from a copy of the notebooks whose data-quality report fails in its last cell."""
    import nbformat

    from pmflib.report import runner as reports

    broken = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", broken)
    nb = nbformat.read(broken / "data-quality-report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('deliberately broken for the test')"))
    nbformat.write(nb, broken / "data-quality-report.ipynb")
    monkeypatch.setattr(reports, "NOTEBOOKS", broken)


def test_a_failing_notebook_names_notebook_and_cell_and_keeps_published_outputs(own_council, tmp_path, monkeypatch):
    council = own_council
    from pmflib.core.errors import ReportError

    _break_the_data_quality_notebook(tmp_path, monkeypatch)
    wb = Workbook.open(council)
    site = [*_out(council).glob("*.html"), *(council / "outputs").glob("*/*.html"), council / "outputs" / "latest.html"]
    published = {p: p.read_bytes() for p in site}
    with pytest.raises(ReportError) as failure:
        pipeline.run(wb, LATEST)
    message = str(failure.value)
    assert "data-quality-report.ipynb" in message and "cell" in message and "deliberately broken" in message
    # the reports, and the site built alongside them, are as they were; no staging is left
    assert {p: p.read_bytes() for p in site} == published
    assert not [p.name for p in (council / "outputs").iterdir() if p.name.startswith(".staging")]
    kept = list((council / "outputs" / "failed" / LATEST.slug).glob("data-quality*.ipynb"))
    assert kept, "the executed notebook is kept in outputs/failed/ for diagnosis"
    assert "deliberately broken" in kept[0].read_text(encoding="utf-8")


def test_a_failed_run_waits_for_the_exports_already_running_before_removing_staging(own_council, tmp_path,
                                                                                    monkeypatch):
    """CI once found a ``.staging-*`` folder left by a failed run: an export
    still writing into it while it was removed. Every export here takes 2 s, so
    some are running when the broken notebook fails."""
    import time

    from pmflib.core.errors import ReportError
    from pmflib.report import runner as reports
    from tests.support import slow_export

    council = own_council
    _break_the_data_quality_notebook(tmp_path, monkeypatch)
    monkeypatch.setattr(reports, "_timed_export", slow_export.slow_export)
    with pytest.raises(ReportError):
        pipeline.run(Workbook.open(council), LATEST)
    failed_at = time.time()
    stamps = council / "export-stamps"
    started = {p.stem for p in stamps.glob("*.started")}
    assert started, "no export had started when the notebook failed: the test proves nothing"
    finished = {p.stem: float(p.read_text()) for p in stamps.glob("*.finished")}
    assert set(finished) == started
    assert max(finished.values()) <= failed_at
    assert not [p.name for p in (council / "outputs").iterdir() if p.name.startswith(".staging")]


def test_the_whole_councils_reports_are_printed_after_the_kernels_are_shut_down(own_council, monkeypatch):
    """The Cabinet report's print was the large council's peak of memory while
    both kernels ran beside it; it now waits until they are shut down."""
    import os

    from jupyter_client.manager import start_new_kernel

    from pmflib.report import runner as reports
    from tests.support import slow_export

    # the count sees a running kernel
    km, client = start_new_kernel(kernel_name="python3")
    try:
        assert slow_export.running_kernels(os.getpid()) == 1
    finally:
        client.stop_channels()
        km.shutdown_kernel(now=True)
    assert slow_export.running_kernels(os.getpid()) == 0

    monkeypatch.setattr(reports, "_timed_export", slow_export.kernels_counting_export)
    pipeline.run(Workbook.open(own_council), LATEST)
    seen = {p.stem: int(p.read_text()) for p in (own_council / "export-stamps").glob("*.kernels")}
    assert len(seen) == 6 and seen["quarterly-cabinet"] == 0
    assert (_out(own_council) / "quarterly-cabinet.pdf").exists()
