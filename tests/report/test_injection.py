"""Params and register text are untrusted where they leave the workbook (issue 13 item 4):
colours, names in HTML, what WeasyPrint may fetch, formulas in templates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook
from pmflib.inputs.templates import write_templates
from pmflib.report.export import allowed_url, colour_css, html_to_pdf, notebook_to_html
from pmflib.report.site import RunNote, page
from tests.inputs.test_templates import DEADLINE, PREVIOUS_ACTIONS, PREVIOUS_ACTUALS, _register

HOSTILE_COLOUR = "#1d4f91; } </style><script>alert(1)</script><style>"
HOSTILE_NAME = "Evil </title><script>alert('name')</script> & Co"


def _council(tmp_path: Path, settings: dict) -> Path:
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "council.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("value", [HOSTILE_COLOUR, "red", "#12345", "#1234567", "url(http://x)", 123])
def test_a_colour_that_is_not_rrggbb_is_refused_naming_the_file_and_key(tmp_path, value):
    root = _council(tmp_path, {"name": "Anytown", "colours": {"primary": value}})
    with pytest.raises(ConfigError) as raised:
        Workbook.open(root)
    assert "params/council.yml" in str(raised.value) and "colours: primary" in str(raised.value)
    assert "#rrggbb" in str(raised.value)


def test_good_colours_are_accepted_and_written():
    assert colour_css({"primary": "#1D4F91"}) == "\n:root { --pmf-primary: #1D4F91; }\n"
    assert colour_css({"primary": HOSTILE_COLOUR, "x}{": "#000000"}) == ""


def test_names_and_colours_are_escaped_in_the_report_html():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("Hello")]
    markup = notebook_to_html(nb, title=HOSTILE_NAME, council=HOSTILE_NAME,
                              colours={"primary": HOSTILE_COLOUR, "accent": "#00703c"})
    assert "<script>alert" not in markup
    assert "&lt;/title&gt;&lt;script&gt;" in markup or "&lt;script&gt;" in markup
    assert "--pmf-accent: #00703c;" in markup and "alert(1)" not in markup


def test_names_and_colours_are_escaped_in_site_pages():
    from datetime import datetime

    markup = page(HOSTILE_NAME, HOSTILE_NAME, "<p>body</p>", "../", RunNote(datetime(2026, 12, 3), "2026-27 Q2"),
                  {"primary": HOSTILE_COLOUR})
    assert "<script>alert" not in markup and "alert(1)" not in markup
    assert "Evil &lt;/title&gt;" in markup


def test_the_pdf_renderer_refuses_other_files_and_the_network(tmp_path):
    """A real WeasyPrint PDF of hostile markup: /etc/passwd is not attached."""
    from weasyprint import HTML

    hostile = ("<html><head><link rel='attachment' href='file:///etc/passwd'>"
               "<link rel='stylesheet' href='http://127.0.0.1:9/x.css'></head>"
               "<body><p>report</p><img src='file:///etc/hostname' alt=''></body></html>")
    # Without the fetcher the attack works, so the test below can fail.
    assert b"/EmbeddedFile" in HTML(string=hostile, base_url=str(tmp_path)).write_pdf()
    pdf = html_to_pdf(hostile, tmp_path / "report.pdf", title="t", base_url=str(tmp_path), engine="weasyprint")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"/EmbeddedFile" not in data and b"root:x:0:0" not in data


CHROMIUM_HOSTILE = ("<html><head><title>t</title><link rel='stylesheet' href='http://127.0.0.1:9/x.css'></head>"
                    "<body><p>report</p><iframe src='file:///etc/passwd' width='600' height='300'></iframe>"
                    "<object data='file:///etc/passwd'></object><img src='file:///etc/hostname' alt=''>"
                    "<script>document.body.textContent = 'script ran'</script></body></html>")


def _pdf_text(pdf) -> str:
    import subprocess

    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_chromium_pdf_shows_no_other_file_and_runs_no_script(tmp_path):
    """A real Chromium PDF of hostile markup: the browser's own policy keeps
    /etc/passwd out of the page and the script from running."""
    pdf = html_to_pdf(CHROMIUM_HOSTILE, tmp_path / "report.pdf", title="t", base_url=str(tmp_path),
                      engine="chromium")
    text = _pdf_text(pdf)
    assert "report" in text and "root:x:0:0" not in text and "script ran" not in text
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # the page it printed is removed


def test_without_the_policy_the_same_markup_would_show_the_file(tmp_path, monkeypatch):
    """So the test above can fail: with the policy opened up, Chromium prints /etc/passwd."""
    from pmflib.report import chromium

    monkeypatch.setattr(chromium, "CONTENT_SECURITY_POLICY", "default-src *")
    pdf = html_to_pdf(CHROMIUM_HOSTILE, tmp_path / "report.pdf", title="t", base_url=str(tmp_path),
                      engine="chromium")
    assert "root:x:0:0" in _pdf_text(pdf)


def test_the_url_rule(tmp_path):
    own = tmp_path / "outputs" / "2026-27-Q2"
    own.mkdir(parents=True)
    assert allowed_url(f"file://{own}/chart.png", [own])
    assert allowed_url("data:image/png;base64,iVBORw0KGgo=", [own])
    for url in ("file:///etc/passwd", f"file://{own}/../../../etc/passwd", "http://example.com/x.css",
                "https://example.com/", "ftp://example.com/x", f"file://evil.example{own}/x.png"):
        assert not allowed_url(url, [own]), url


def test_register_text_in_templates_is_never_a_formula(tmp_path):
    register = _register()
    register.indicators.loc[0, "Indicator"] = '=HYPERLINK("http://evil.example","Click")'
    register.indicators.loc[1, "Owner"] = "@SUM(A1:A9)"
    register.actions.loc[0, "Action"] = "+cmd|' /C calc'!A0"
    register.actions.loc[1, "Action"] = "-2+3"
    paths = write_templates(register, Period.parse("2026-27 Q2"), tmp_path,
                            previous_actuals=PREVIOUS_ACTUALS, previous_actions=PREVIOUS_ACTIONS,
                            council_name="=1+1 Council", deadline=DEADLINE)
    assert paths
    found = 0
    for path in paths:
        with zipfile.ZipFile(path) as book:
            for name in book.namelist():
                if name.startswith("xl/worksheets/sheet"):
                    xml = book.read(name).decode("utf-8")
                    assert not re.search(r"<f[ >]", xml), f"a formula in {path.name} {name}"
                    found += xml.count("HYPERLINK") + xml.count("=1+1 Council")
    assert found >= 2  # the text is there, as text
    from openpyxl import load_workbook

    waste = load_workbook(tmp_path / "waste-and-recycling-2026-27-Q2.xlsx")
    texts = [c for ws in waste.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert texts and all(c.data_type == "s" and c.quotePrefix for c in texts)
