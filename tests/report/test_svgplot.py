"""SPC charts drawn straight to SVG (pmflib.report.svgplot) for the site's indicator pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from pmflib.core import constants as C
from pmflib.report.charts import spc_chart
from pmflib.report.svgplot import nice_ticks, spc_svg
from pmflib.rules import spc

NS = {"s": "http://www.w3.org/2000/svg"}
QUARTERS = [f"20{21 + i // 4}-{22 + i // 4} Q{i % 4 + 1}" for i in range(20)]
VALUES = [50 + i % 5 + (8 if i > 14 else 0) for i in range(20)]
INDICATOR = {"Indicator ID": "X1", "Indicator": "% of calls answered", "Unit": "%", "Decimals": 1,
             "Status": "Green", "Direction": "Improving"}


def _svg(**overrides):
    args = dict(title="Calls <answered>", description="Trend of calls", quarters=QUARTERS[:4],
                values=[1.0, 2.0, 3.0, 2.5], point_types=[C.SPC_COMMON_CAUSE] * 4, y_limits=(0.0, 4.0),
                unit_label="Number", figure_id="c1")
    args.update(overrides)
    return ET.fromstring(spc_svg(**args))


@pytest.mark.parametrize(("low", "high", "ticks"), [
    (0, 100, [0, 25, 50, 75, 100]), (47.2, 61.8, [50, 55, 60]), (0.0, 1.0, [0, 0.25, 0.5, 0.75, 1.0]),
    (1200, 5100, [2000, 3000, 4000, 5000]),
])
def test_ticks_are_round_numbers_inside_the_axis(low, high, ticks):
    assert nice_ticks(low, high) == ticks


def test_chart_is_an_image_with_an_escaped_title_and_a_description():
    root = _svg()
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find("s:title", NS).text == "Calls <answered>"
    assert root.find("s:desc", NS).text == "Trend of calls"


def test_both_axes_are_labelled_and_quarters_read_quarter_then_year():
    texts = ["".join(t.itertext()) for t in _svg().iter("{http://www.w3.org/2000/svg}text")]
    assert "Quarter" in texts and "Number" in texts
    assert "Q12021-22" in texts  # two lines: "Q1" above "2021-22"


def test_every_point_is_drawn_and_the_target_only_when_there_is_one():
    without = _svg()
    assert len(without.findall("./s:circle", NS)) == 4  # plus one in the legend
    assert without.find(".//s:g[@class='legend-target']", NS) is None
    with_target = _svg(target=2.0)
    assert with_target.find(".//s:g[@class='legend-target']", NS) is not None


def test_special_cause_points_differ_by_shape_as_well_as_colour():
    root = _svg(point_types=[C.SPC_COMMON_CAUSE, C.SPC_IMPROVEMENT, C.SPC_CONCERN, C.SPC_COMMON_CAUSE],
                point_labels={C.SPC_IMPROVEMENT: "Special cause — improvement"})
    polygons = root.findall("./s:polygon", NS)
    assert len(polygons) == 2 and len(root.findall("./s:circle", NS)) == 2
    assert polygons[0].get("fill") != polygons[1].get("fill")
    assert "Special cause — improvement" in polygons[0].find("s:title", NS).text


def test_the_site_chart_says_what_the_report_chart_says():
    result = spc.spc(VALUES, C.HIGHER_IS_BETTER, 55.0, labels=QUARTERS)
    drawn = spc_chart(INDICATOR, result, 55.0, svg=True)
    painted = spc_chart(INDICATOR, result, 55.0)
    assert drawn.alt == painted.alt and drawn.caption == painted.caption
    assert drawn.data.equals(painted.data)
    root = ET.fromstring(drawn.svg)
    assert root.find("s:desc", NS).text == painted.alt
    assert root.find(".//s:g[@class='legend-limits']", NS) is not None  # enough points: limits drawn
    page = drawn.to_html("chart-x1")
    assert page.startswith('<figure class="chart" id="chart-x1"><svg') and "<img" not in page


# --- benchmarking bars ---------------------------------------------------------------------------
def _comparators():
    import pandas as pd

    return pd.DataFrame({
        "Authority": ["Ashworth", "Northmere", "Calderbridge", "England"],
        "Value": [40.0, 55.5, 70.0, 60.0],
        "Is Aggregate": [False, False, False, True],
    })


def test_benchmark_chart_draws_a_bar_per_council_best_first_with_this_council_marked():
    from pmflib.report.charts import benchmark_chart

    chart = benchmark_chart(_comparators(), "Northmere", C.HIGHER_IS_BETTER, "Recycling (2025-26)", "%")
    root = ET.fromstring(chart.svg)
    names = [t.text for t in root.findall("s:text", NS) if t.get("text-anchor") == "end"]
    assert names == ["Calderbridge", "Northmere (this council)", "Ashworth"]  # best first; no aggregate row
    bars = root.findall("s:rect[s:title]", NS)
    assert [b.find("s:title", NS).text for b in bars] == names
    own = [b for b in bars if b.get("fill", "").startswith("url(#")]
    assert len(own) == 1 and own[0].find("s:title", NS).text == "Northmere (this council)"
    # Bars grow with the value: Calderbridge's (70) is longer than Ashworth's (40).
    assert float(bars[0].get("width")) > float(bars[2].get("width"))
    words = "".join(root.itertext())
    assert "Median" in words and "Per cent" in words and "Recycling (2025-26)" in words
    assert root.get("role") == "img"
    assert "ranked 2 of 3" in chart.alt and "median 55.5%" in chart.alt
    assert chart.png == b""


def test_benchmark_chart_lower_is_better_puts_the_lowest_first():
    from pmflib.report.charts import benchmark_chart

    chart = benchmark_chart(_comparators(), "Northmere", C.LOWER_IS_BETTER, "Waste", "%")
    root = ET.fromstring(chart.svg)
    names = [t.text for t in root.findall("s:text", NS) if t.get("text-anchor") == "end"]
    assert names[0] == "Ashworth" and "ranked 2 of 3" in chart.alt


def test_two_benchmark_charts_on_one_page_never_share_an_id():
    from pmflib.report.charts import benchmark_chart

    first = benchmark_chart(_comparators(), "Northmere", C.HIGHER_IS_BETTER, "A", "%").to_html("bench-a")
    second = benchmark_chart(_comparators(), "Northmere", C.HIGHER_IS_BETTER, "B", "%").to_html("bench-b")
    import re

    ids = re.findall(r'\bid="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) and "bench-a-hatch" in ids and "url(#bench-b-hatch)" in second


def test_a_report_kernel_does_not_import_nbformat_or_matplotlib():
    """Each report notebook runs in a kernel of its own: importing what the
    notebooks call must not pull in nbformat (its JSON-schema checks compile
    38 grammars, ~1.5 s) or matplotlib (the charts are SVG)."""
    import subprocess
    import sys

    code = ("import sys; from pmflib import reportkit; import pmflib.report.runner, pmflib.report.charts; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'nbformat', 'matplotlib', 'jsonschema'}))")
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert shown.strip() == "[]"
