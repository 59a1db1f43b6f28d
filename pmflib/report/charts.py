"""Charts for the reports: SPC (XmR) trend charts and benchmarking bars.

A chart in a published report must work for someone who cannot see it, so
every chart carries alt text written from the data (what, when, the latest
figure, status and what the chart shows) and the table of figures behind it.
Points are told apart by marker shape as well as colour.
"""

from __future__ import annotations

import base64
import html
import io
import math
from dataclasses import dataclass, field

import pandas as pd

from pmflib.core import constants as C
from pmflib.core.values import is_missing
from pmflib.report.narrative import format_value
from pmflib.report.svgplot import GREY as _GREY
from pmflib.report.svgplot import INK as _INK
from pmflib.report.svgplot import POINT_STYLE as _SVG_POINT_STYLE
from pmflib.report.svgplot import TARGET_COLOUR as _TARGET_COLOUR
from pmflib.report.svgplot import benchmark_svg, spc_svg

#: Making Data Count colours (one table, pmflib.report.svgplot), each with its own marker shape.
_MARKERS = {"circle": "o", "up": "^", "down": "v", "diamond": "D"}
_POINT_STYLE = {kind: (colour, _MARKERS[shape]) for kind, (colour, shape) in _SVG_POINT_STYLE.items()}


@dataclass
class Chart:
    """A rendered chart with its words: title, alt text, and the data behind it."""

    title: str
    alt: str
    png: bytes
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    caption: str = ""
    #: The same chart as inline SVG (pmflib.report.svgplot), used instead of the PNG when given.
    svg: str = ""
    #: The id prefix the SVG's title and description were written with.
    svg_id: str = ""

    def to_html(self, figure_id: str) -> str:
        """``<figure>`` with the image, a caption and the data table (in ``<details>``)."""
        encoded = base64.b64encode(self.png).decode("ascii")
        head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in self.data.columns[1:])
        rows = "".join(
            f'<tr><th scope="row">{html.escape(str(r[0]))}</th>'
            + "".join(f"<td>{html.escape(str(v))}</td>" for v in r[1:]) + "</tr>"
            for r in self.data.itertuples(index=False)
        )
        table = (
            f'<details><summary>Figures behind this chart</summary><table class="data chart-data">'
            f"<caption>{html.escape(self.title)}</caption><thead><tr>"
            f'<th scope="col">{html.escape(str(self.data.columns[0]))}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></details>"
            if len(self.data) else ""
        )
        caption = html.escape(self.caption or self.title)
        if self.svg:
            # The SVG names its title and description by id: give them the
            # figure's id, so two charts on one page never share one.
            svg = self.svg
            if self.svg_id:
                for part in ("title", "desc", "hatch"):
                    svg = svg.replace(f"{html.escape(self.svg_id)}-{part}", f"{html.escape(figure_id)}-{part}")
            return (f'<figure class="chart" id="{html.escape(figure_id)}">{svg}'
                    f"<figcaption>{caption}</figcaption>{table}</figure>")
        if not self.png:
            # Too few points for a chart: the figures themselves, shown, not hidden.
            shown = table.replace("<details><summary>Figures behind this chart</summary>", "").replace(
                "</details>", "")
            return (f'<figure class="chart no-chart" id="{html.escape(figure_id)}"><figcaption>{caption}'
                    f"</figcaption>{shown}</figure>")
        return (f'<figure class="chart" id="{html.escape(figure_id)}"><img src="data:image/png;base64,{encoded}" '
                f'alt="{html.escape(self.alt)}"><figcaption>{caption}</figcaption>{table}</figure>')


def _pyplot():
    """matplotlib, imported when a PNG chart is drawn: the reports and the site
    draw SVG, and a notebook kernel that never needs matplotlib should not pay
    its import (about half a second) for each of the period's reports."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.hashsalt": "pmf",
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    return plt


def _png(fig) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _unit_label(unit: str) -> str:
    return {"%": "Per cent", "£": "Pounds (£)", "days": "Days", "number": "Number", "rate": "Rate"}.get(unit, unit)


def _fmt(value, unit, decimals) -> str:
    """A chart label: ``narrative.format_value``'s figure, "no value" for none (a label, not a sentence)."""
    if is_missing(value):
        return "no value"
    return format_value(value, unit, decimals)


#: Fewer points than this: no chart at all, only the figures (a line of two
#: points says nothing a two-row table does not).
MIN_CHART_POINTS = 3


def y_range(values, unit: str = "", extra=()) -> tuple[float, float]:
    """The value axis: every figure, the target and the limits in view, without
    magnifying a small change into a cliff.

    Why: matplotlib fits the axis to the data, so a 0.9-point wobble fills the
    whole height. The span is at least a tenth of the largest magnitude (or
    10 points for a percentage), and a percentage axis stays within 0–100
    unless the figures themselves leave it.
    """
    seen = [float(v) for v in list(values) + list(extra)
            if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not seen:
        return (0.0, 100.0) if unit == "%" else (0.0, 1.0)
    low, high = min(seen), max(seen)
    floor = 10.0 if unit == "%" else max(abs(high), abs(low), 1e-9) * 0.1
    if high - low < floor:
        middle = (high + low) / 2
        low, high = middle - floor / 2, middle + floor / 2
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    if min(seen) >= 0 and low < 0:
        low, high = 0.0, high - low
    if unit == "%":
        data_low, data_high = min(seen), max(seen)
        if data_low >= 0 and low < 0:
            low = 0.0
        if data_high <= 100 and high > 100:
            shift = high - 100
            high, low = 100.0, max(0.0 if data_low >= 0 else low, low - shift)
    return low, high


def spc_chart(indicator: dict, result, target: float | None = None, *, svg: bool = False) -> Chart:
    """The indicator's actuals as a Making Data Count XmR chart with its target.

    With fewer points than SPC needs, the same chart without limits, and the
    caption says "not enough data for SPC" instead of guessing.
    """
    name = str(indicator.get("Indicator", indicator.get("Indicator ID", "")))
    unit, decimals = str(indicator.get("Unit", "")), indicator.get("Decimals", 1)
    status, direction = indicator.get("Status", ""), indicator.get("Direction", "")
    points = result.points if result is not None else pd.DataFrame()
    target = None if target is None or (isinstance(target, float) and math.isnan(target)) else float(target)
    enough = bool(result is not None and result.enough_data)
    if len(points) < MIN_CHART_POINTS:
        return _no_chart(name, points, unit, decimals, status, direction, target)
    alt, caption, data = _spc_words(name, points, unit, decimals, status, direction, target, enough, result)
    title = f"{name}: figures by quarter"
    if svg:
        svg_id = f"spc-{indicator.get('Indicator ID', 'chart')}"
        markup = _spc_svg(name, alt, points, unit, enough, target, svg_id)
        return Chart(title=title, alt=alt, png=b"", data=data, caption=caption, svg=markup, svg_id=svg_id)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7.2, 2.7))
    if len(points):
        x = list(range(len(points)))
        ax.plot(x, points["value"], color=_GREY, linewidth=1.2, zorder=1)
        for kind, (colour, marker) in _POINT_STYLE.items():
            chosen = points["point_type"] == kind
            if chosen.any():
                label = C.SPC_VARIATION_ICON_LABELS.get(kind, kind).split(" (")[0] if enough else "Actual"
                ax.scatter([i for i, c in zip(x, chosen) if c], points.loc[chosen, "value"], color=colour,
                           marker=marker, s=28, zorder=3, label=label)
        if enough:
            ax.plot(x, points["mean"], color=_INK, linewidth=1, label="Average")
            ax.plot(x, points["upper"], color=_GREY, linestyle="--", linewidth=1, label="Process limits")
            ax.plot(x, points["lower"], color=_GREY, linestyle="--", linewidth=1)
        if target is not None:
            ax.axhline(target, color=_TARGET_COLOUR, linestyle=(0, (6, 2, 1, 2)), linewidth=1.4, label="Target")
        # "2025-26 Q2" → "Q2\n2025-26": two short lines, at most about seven of them.
        labels = ["\n".join(reversed(str(v).rsplit(" ", 1))) for v in points["x"]]
        step = max(1, math.ceil(len(labels) / 7))
        ax.set_xticks(x[::step], labels[::step], rotation=0, fontsize=7.5)
        limits = list(points["upper"]) + list(points["lower"]) if enough else []
        ax.set_ylim(*y_range(points["value"], unit, limits + ([target] if target is not None else [])))
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7.5, frameon=False)
    else:
        ax.text(0.5, 0.5, "No figures yet", ha="center", va="center", transform=ax.transAxes)
    ax.set_ylabel(_unit_label(unit) or "Value")
    ax.set_xlabel("Quarter")
    ax.set_title(name, fontsize=9.5, loc="left", wrap=True)
    return Chart(title=title, alt=alt, png=_png(fig), data=data, caption=caption)


def _spc_svg(name, alt, points, unit, enough, target, svg_id: str) -> str:
    limits = list(points["upper"]) + list(points["lower"]) if enough else []
    def short(kind: str) -> str:  # a legend line, not a sentence: "Common cause", "Special cause — concern"
        label = C.SPC_VARIATION_ICON_LABELS.get(kind, kind).split(" (")[0]
        return label.split(" — ")[0] if label.startswith("Common cause") else label

    labels = {kind: (short(kind) if enough else "Actual") for kind in set(points["point_type"])}
    return spc_svg(
        title=name, description=alt, quarters=[str(x) for x in points["x"]],
        values=[float(v) for v in points["value"]], point_types=list(points["point_type"]),
        y_limits=y_range(points["value"], unit, limits + ([target] if target is not None else [])),
        unit_label=_unit_label(unit) or "Value",
        mean=[float(v) for v in points["mean"]] if enough else None,
        upper=[float(v) for v in points["upper"]] if enough else None,
        lower=[float(v) for v in points["lower"]] if enough else None,
        target=target, point_labels=labels, figure_id=svg_id,
    )


def _spc_words(name, points, unit, decimals, status, direction, target, enough, result):
    """Alt text, caption and the figures behind an SPC chart, however it is drawn."""
    first = str(points["x"].iloc[0]) if len(points) else ""
    last = str(points["x"].iloc[-1]) if len(points) else ""
    latest = points["value"].iloc[-1] if len(points) else None
    span = f", {first} to {last}" if len(points) else ""
    target_text = f" against a target of {_fmt(target, unit, decimals)}" if target is not None else ""
    alt = f"Trend of {name}{span}: latest {_fmt(latest, unit, decimals)}{target_text}"
    alt += f"; {str(status).lower() or 'no status'}, {str(direction).lower() or 'no direction'}"
    if enough:
        alt += (f"; {C.SPC_VARIATION_ICON_LABELS[result.variation].lower()}"
                + (f"; {C.SPC_ASSURANCE_ICON_LABELS[result.assurance].lower()}" if result.assurance else ""))
        caption = f"{name}: statistical process control chart with average, process limits and target."
    else:
        caption = (f"{name}: not enough data for SPC ({len(points)} points; {C.SPC_MIN_POINTS} needed), "
                   "so no process limits are shown.")
        alt += "; not enough data for SPC"
    data = pd.DataFrame({
        "Quarter": list(points["x"]) if len(points) else [],
        "Actual": [_fmt(v, unit, decimals) for v in points["value"]] if len(points) else [],
        "Variation": list(points["point_type"]) if len(points) and enough else [""] * len(points),
    })
    return alt + ".", caption, data


def _no_chart(name, points, unit, decimals, status, direction, target) -> Chart:
    """Fewer than ``MIN_CHART_POINTS`` figures: no image, the figures as a small table."""
    count = len(points)
    target_text = f"; target {_fmt(target, unit, decimals)}" if target is not None else ""
    caption = (f"{name}: {count} {'quarter' if count == 1 else 'quarters'} of figures so far, too few for a "
               f"chart{target_text}.")
    data = pd.DataFrame({
        "Quarter": list(points["x"]) if count else [],
        "Actual": [_fmt(v, unit, decimals) for v in points["value"]] if count else [],
    })
    alt = f"{name}: too few figures for a chart; {str(status).lower() or 'no status'}, " \
          f"{str(direction).lower() or 'no direction'}."
    return Chart(title=f"{name}: figures by quarter", alt=alt, png=b"", data=data, caption=caption)


def benchmark_chart(values: pd.DataFrame, own_authority: str, polarity: str, title: str, unit: str,
                    position: str = "") -> Chart:
    """Each comparator council's value, best first, this council marked by colour, hatching and name."""
    rows = values[~values.get("Is Aggregate", pd.Series(False, index=values.index)).astype(bool)]
    rows = rows.sort_values("Value", ascending=(polarity == C.LOWER_IS_BETTER))
    names = [f"{a} (this council)" if a == own_authority else str(a) for a in rows["Authority"]]
    own = [a == own_authority for a in rows["Authority"]]
    median = float(rows["Value"].median()) if len(rows) else float("nan")
    rank = (own.index(True) + 1) if True in own else None
    alt = f"{title}: {len(rows)} councils, best first"
    # The benchmark table's position shares ranks on ties; the bar order cannot.
    ranked = position or (f"{rank} of {len(rows)}" if rank else "")
    alt += f"; {own_authority} is ranked {ranked}" if ranked else f"; no value for {own_authority}"
    if len(rows):
        alt += f"; median {_fmt(median, unit, 1)}"
    data = pd.DataFrame({"Council": names, "Value": [_fmt(v, unit, 1) for v in rows["Value"]]})
    alt += "."
    svg_id = "bench-chart"
    markup = benchmark_svg(
        title=title, description=alt, councils=names, values=[float(v) for v in rows["Value"]], own=own,
        median=median if len(rows) else None, unit_label=_unit_label(unit) or "Value", figure_id=svg_id,
    )
    return Chart(title=title, alt=alt, png=b"", data=data, caption=f"{title}, best first.", svg=markup,
                 svg_id=svg_id)
