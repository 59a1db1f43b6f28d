"""What the report footer says about when and from which run it was produced (issue 11)."""

from __future__ import annotations

from datetime import date, datetime

import nbformat

from pmflib.report.export import notebook_to_html, produced_words


def _notebook(period: str | None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("Hello"))
    if period:
        nb.metadata["papermill"] = {"parameters": {"period": period}}
    return nb


def test_footer_names_the_time_and_the_run():
    assert produced_words(_notebook("2026-27 Q2"), datetime(2026, 12, 3, 9, 5)) == (
        "03 December 2026 at 09:05, from the 2026-27 Q2 run")


def test_a_notebook_not_run_by_papermill_gives_the_date_alone():
    assert produced_words(_notebook(None), date(2026, 12, 3)) == "03 December 2026"


def test_the_published_html_carries_it_in_its_footer():
    page = notebook_to_html(_notebook("2026-27 Q1"), title="Quarterly performance report — Cabinet",
                            council="Testshire", produced=datetime(2026, 8, 1, 17, 30))
    footer = page[page.index('<footer class="report-footer">'):]
    assert "Produced with PMF Workbook on 01 August 2026 at 17:30, from the 2026-27 Q1 run." in footer


def test_an_image_without_alt_text_says_it_has_none_and_drawn_charts_keep_theirs():
    nb = _notebook("2026-27 Q1")
    nb.cells.append(nbformat.v4.new_markdown_cell('<img src="data:image/png;base64,AAAA">'))
    chart = ('<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart" viewBox="0 0 10 10" role="img">'
             '<title>t</title></svg><img src="data:image/png;base64,BBBB" alt="Trend of calls">')
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": chart})]
    nb.cells.append(cell)
    page = notebook_to_html(nb, title="T", council="C")
    assert '<img alt="No description has been provided for this image" src="data:image/png;base64,AAAA"' in page
    assert 'alt="Trend of calls"' in page and page.count("No description has been provided") == 1
    assert 'viewBox="0 0 10 10"' in page  # the markup is not re-serialised (nor its SVG attributes lower-cased)
