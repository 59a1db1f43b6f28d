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
