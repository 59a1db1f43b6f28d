"""PDFs printed by headless Chromium (pmflib.report.chromium): the page as
printed, the footer, tagging, the choice of engine. Real browser, real PDFs,
read back with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import re
import subprocess

import pytest

from pmflib.core.errors import ReportError
from pmflib.report import chromium
from pmflib.report.export import html_to_pdf, pdf_engine

PAGE = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Report</title>
<style>@page { size: A4; margin: 18mm 14mm 20mm;
  @bottom-left { content: string(report-title); font-size: 8pt; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
h1 { string-set: report-title content(); } .screen-only { color: red } @media print { .screen-only { display: none } }
h2 { break-before: page; }</style></head>
<body><h1>Quarterly report</h1><h2>Summary</h2><p>First section.</p><h2>Scorecards</h2><p>Second section.</p>
<details class="screen-only"><summary>Only on screen</summary><p>Hidden in print</p></details></body></html>"""


def _info(pdf) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_chromium_pdf_is_a4_tagged_with_the_title_and_page_numbers_in_every_footer(tmp_path):
    pdf = html_to_pdf(PAGE, tmp_path / "r.pdf", title="Quarterly report — Cabinet", engine="chromium")
    info, text = _info(pdf), _text(pdf)
    assert re.search(r"Tagged:\s+yes", info) and re.search(r"Pages:\s+3\b", info)
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info)
    footers = [line for line in text.splitlines() if "Page " in line and " of 3" in line]
    assert len(footers) == 3 and all("Quarterly report — Cabinet" in line for line in footers)
    assert "Hidden in print" not in text and "Second section." in text


def test_a_title_cannot_end_the_footer_rule_or_its_style(tmp_path):
    title = 'Evil"; } } body { display: none } </style><p>injected</p>'
    markup = chromium.print_markup(PAGE, title=title)
    footer = markup[markup.rindex("<style>@page"):markup.index("</head>")]
    assert footer.count("</style>") == 1 and '"; }' not in footer.split("content: ", 1)[1][:-len("; } }</style>")]
    pdf = html_to_pdf(PAGE, tmp_path / "r.pdf", title=title, engine="chromium")
    text = _text(pdf)
    assert "First section." in text and "injected" not in text.replace(title, "")
    assert title in text  # shown as text in the footer


def test_the_policy_comes_first_in_the_head(tmp_path):
    markup = chromium.print_markup(PAGE, title="t")
    head = markup[markup.index("<head>") + len("<head>"):]
    assert head.startswith('<meta http-equiv="Content-Security-Policy"')


@pytest.mark.parametrize(("setting", "engine"), [("weasyprint", "weasyprint"), ("Chromium", "chromium")])
def test_the_engine_can_be_chosen(monkeypatch, setting, engine):
    monkeypatch.setenv("PMF_PDF_ENGINE", setting)
    assert pdf_engine() == engine


def test_an_unknown_engine_is_named_with_the_choices(monkeypatch):
    monkeypatch.setenv("PMF_PDF_ENGINE", "prince")
    with pytest.raises(ReportError, match="PMF_PDF_ENGINE is 'prince': use one of chromium, weasyprint"):
        pdf_engine()


def test_without_a_browser_the_pdf_falls_back_to_weasyprint(monkeypatch, tmp_path):
    monkeypatch.delenv("PMF_PDF_ENGINE", raising=False)
    monkeypatch.setenv("PMF_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert chromium.browser_path() is None and pdf_engine() == "weasyprint"
    pdf = html_to_pdf(PAGE, tmp_path / "r.pdf", title="Quarterly report — Cabinet")
    assert "WeasyPrint" in _info(pdf) and "Page 1 of 3" in _text(pdf)


def test_a_browser_that_cannot_start_is_one_clear_error(monkeypatch, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    chromium.close()
    monkeypatch.setenv("PMF_CHROMIUM", str(fake))
    try:
        with pytest.raises(ReportError, match=r"^Chromium \(.*chromium\) could not be started: .*"
                                              r"Set PMF_PDF_ENGINE=weasyprint"):
            html_to_pdf(PAGE, tmp_path / "r.pdf", title="Weekly", engine="chromium")
    finally:
        chromium.close()
    assert not (tmp_path / "r.pdf").exists()


def test_a_browser_that_died_between_reports_is_started_again(tmp_path):
    """The browser is driven over its own DevTools pipe: kill it, and the
    next report starts a new one (and no Node.js driver is in between)."""
    import os
    import signal
    import tempfile
    import time
    from pathlib import Path

    import psutil

    chromium.close()
    try:
        first = html_to_pdf(PAGE, tmp_path / "a.pdf", title="First", engine="chromium")
        browser = chromium._session["browser"]
        children = psutil.Process().children(recursive=True)
        assert any(p.pid == browser.pid for p in children)
        assert not any(p.name().startswith("node") for p in children)
        profile = Path(browser.profile)
        assert profile.is_dir() and profile.parent == Path(tempfile.gettempdir())
        os.kill(browser.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not browser.exited() and time.monotonic() < deadline:
            time.sleep(0.05)
        second = html_to_pdf(PAGE, tmp_path / "b.pdf", title="Second", engine="chromium")
        assert chromium._session["browser"].pid != browser.pid
        assert not profile.exists()  # the dead browser's profile went with it
        assert "Page 1 of 3" in _text(first) and "Second" in _text(second)
    finally:
        chromium.close()


def test_closing_stops_the_browser_and_removes_its_profile(tmp_path):
    from pathlib import Path

    chromium.close()
    html_to_pdf(PAGE, tmp_path / "a.pdf", title="One", engine="chromium")
    browser = chromium._session["browser"]
    chromium.close()
    assert browser.exited() and not Path(browser.profile).exists()


def test_a_browser_that_does_not_answer_in_time_is_an_error_saying_what_it_was_doing(tmp_path):
    chromium.close()
    try:
        html_to_pdf(PAGE, tmp_path / "a.pdf", title="One", engine="chromium")
        browser = chromium._session["browser"]
        with pytest.raises(chromium.ChromiumError,
                           match=r"^Chromium did not answer within 0 s \(waiting for Browser.getVersion\)$"):
            chromium._executor().submit(browser.call, "Browser.getVersion", timeout=0).result()
        # the late answer is read and set aside: the next report still prints
        second = html_to_pdf(PAGE, tmp_path / "b.pdf", title="Two", engine="chromium")
        assert "Page 1 of 3" in _text(second)
    finally:
        chromium.close()
