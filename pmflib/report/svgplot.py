"""SPC trend charts drawn straight to SVG: no plotting library, no image files.

Why: a council's site has a page per indicator, redrawn every run. Drawing
each chart with matplotlib and encoding it as PNG cost about half a second
per chart (2.5 s on a loaded machine: 25 minutes for a large council), which
is most of a run. An XmR chart is a handful of lines and markers; written as
SVG text it takes well under a millisecond, scales to any screen and printer,
and stays readable by assistive technology (``role="img"`` with a title and
a description written from the data).

The chart keeps the report charts' conventions: points told apart by marker
shape as well as colour (Making Data Count colours), the average solid, the
process limits dashed, the target dash-dot in green, the axes labelled
("Quarter" and the unit) and the quarters written "Q2 / 2025-26".
"""

from __future__ import annotations

import html
import math

from pmflib.core import constants as C

WIDTH, HEIGHT = 760, 290
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 220, 30, 56
INK = "#0b0c0c"
GREY = "#505a5f"
_GRID = "#dfe1e2"
TARGET_COLOUR = "#00703c"
#: (colour, shape) per kind of point, as in pmflib.report.charts.
POINT_STYLE = {
    C.SPC_COMMON_CAUSE: ("#7a7f82", "circle"),
    C.SPC_IMPROVEMENT: ("#1d70b8", "up"),
    C.SPC_CONCERN: ("#d4351c", "down"),
    C.SPC_NEUTRAL_HIGH: ("#6f3cb3", "diamond"),
    C.SPC_NEUTRAL_LOW: ("#6f3cb3", "diamond"),
}


def _n(value: float) -> str:
    """Coordinates to one decimal place: enough for a screen, stable text for tests."""
    return f"{value:.1f}"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × a power of ten) covering ``low``–``high``."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _tick_text(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:g}"


def _marker(shape: str, x: float, y: float, colour: str, label: str) -> str:
    title = f"<title>{html.escape(label)}</title>"
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.6" fill="{colour}">{title}</circle>'
    r = 4.6
    if shape == "up":
        points = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    elif shape == "down":
        points = [(x, y + r), (x + r, y - r * 0.8), (x - r, y - r * 0.8)]
    else:
        points = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    text = " ".join(f"{_n(a)},{_n(b)}" for a, b in points)
    return f'<polygon points="{text}" fill="{colour}">{title}</polygon>'


def _polyline(xs, ys, colour: str, width: float, dash: str = "") -> str:
    pairs = [(x, y) for x, y in zip(xs, ys) if y is not None and math.isfinite(y)]
    if len(pairs) < 2:
        return ""
    text = " ".join(f"{_n(x)},{_n(y)}" for x, y in pairs)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline points="{text}" fill="none" stroke="{colour}" stroke-width="{width}"{dashed}/>'


def _legend_item(index: int, kind: str, label: str, colour: str, dash: str = "", shape: str = "") -> str:
    x = WIDTH - _RIGHT + 16
    y = _TOP + 10 + index * 18
    if shape:
        sample = _marker(shape, x + 10, y, colour, label)
    else:
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        sample = (f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 20)}" y2="{_n(y)}" stroke="{colour}" '
                  f'stroke-width="1.6"{dashed}/>')
    return (f'<g class="legend-{kind}">{sample}<text x="{_n(x + 26)}" y="{_n(y + 3.5)}" font-size="11">'
            f"{html.escape(label)}</text></g>")


def spc_svg(
    *,
    title: str,
    description: str,
    quarters: list[str],
    values: list[float],
    point_types: list[str],
    y_limits: tuple[float, float],
    unit_label: str,
    mean: list[float] | None = None,
    upper: list[float] | None = None,
    lower: list[float] | None = None,
    target: float | None = None,
    point_labels: dict[str, str] | None = None,
    figure_id: str = "chart",
) -> str:
    """One XmR chart as an inline ``<svg>`` (pure: numbers in, text out)."""
    frame = _Frame(count=len(values), low=y_limits[0], span=(y_limits[1] - y_limits[0]) or 1.0)
    xs = [frame.x_at(i) for i in range(frame.count)]
    parts = [_svg_open("spc-chart", WIDTH, HEIGHT, figure_id, title, description)]
    parts += _value_axis(frame, y_limits)
    parts += _quarter_axis(frame, xs, quarters)
    parts += _axis_titles(unit_label, title)
    lines, legend = _reference_lines(frame, xs, mean, upper, lower, target)
    parts += lines
    parts.append(_polyline(xs, [frame.y_at(v) for v in values], GREY, 1.3))
    points, kinds = _points(frame, xs, quarters, values, point_types, point_labels or {})
    parts += points
    for kind in kinds:
        colour, shape = POINT_STYLE.get(kind, POINT_STYLE[C.SPC_COMMON_CAUSE])
        legend.append(_legend_item(len(legend), "point", (point_labels or {}).get(kind, "Actual"), colour,
                                   shape=shape))
    parts.extend(legend)
    parts.append("</svg>")
    return "".join(p for p in parts if p)


class _Frame:
    """Where a quarter and a value fall in the plot area of an XmR chart."""

    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM

    def __init__(self, *, count: int, low: float, span: float):
        self.count, self.low, self.span = count, low, span

    def x_at(self, i: int) -> float:
        return _LEFT + (self.plot_w * (i / (self.count - 1)) if self.count > 1 else self.plot_w / 2)

    def y_at(self, v: float) -> float:
        return _TOP + self.plot_h * (1 - (float(v) - self.low) / self.span)


def _svg_open(css_class: str, width: int, height: int, figure_id: str, title: str, description: str,
              defs: str = "") -> str:
    """The ``<svg>`` element, its title and description (what a screen reader
    announces: the figure's id names them), any ``<defs>``, and a white background."""
    ident = html.escape(figure_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width:100%;height:auto" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="DejaVu Sans, Arial, sans-serif">'
        f'<title id="{ident}-title">{html.escape(title)}</title>'
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>{defs}'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
    )


def _value_axis(frame: _Frame, y_limits: tuple[float, float]) -> list[str]:
    """Gridlines at round values, their labels, and the two axis lines."""
    parts = []
    right = _LEFT + frame.plot_w
    for tick in nice_ticks(*y_limits):
        y = frame.y_at(tick)
        parts.append(f'<line x1="{_LEFT}" y1="{_n(y)}" x2="{right}" y2="{_n(y)}" stroke="{_GRID}"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{_n(y + 3.5)}" font-size="10.5" text-anchor="end" '
                     f'fill="{INK}">{html.escape(_tick_text(tick))}</text>')
    bottom = _TOP + frame.plot_h
    parts.append(f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="{INK}"/>')
    parts.append(f'<line x1="{_LEFT}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>')
    return parts


def _quarter_axis(frame: _Frame, xs: list[float], quarters: list[str]) -> list[str]:
    """"Q2" over "2025-26", at most about seven labels, however many quarters."""
    parts = []
    bottom = _TOP + frame.plot_h
    for i in range(0, frame.count, max(1, math.ceil(frame.count / 7))):
        year, _, quarter = str(quarters[i]).rpartition(" ")
        x = xs[i]
        parts.append(f'<line x1="{_n(x)}" y1="{bottom}" x2="{_n(x)}" y2="{bottom + 4}" stroke="{INK}"/>')
        parts.append(f'<text x="{_n(x)}" y="{bottom + 16}" font-size="10.5" text-anchor="middle" '
                     f'fill="{INK}"><tspan x="{_n(x)}">{html.escape(quarter or year)}</tspan>'
                     f'<tspan x="{_n(x)}" dy="12">{html.escape(year if quarter else "")}</tspan></text>')
    return parts


def _axis_titles(unit_label: str, title: str) -> list[str]:
    """"Quarter" under the plot, the unit beside it, the indicator above: a chart is never unlabelled."""
    return [
        f'<text x="{_LEFT + _Frame.plot_w / 2:.1f}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle" '
        f'fill="{INK}">Quarter</text>',
        f'<text transform="translate(14 {_TOP + _Frame.plot_h / 2:.1f}) rotate(-90)" font-size="11" '
        f'text-anchor="middle" fill="{INK}">{html.escape(unit_label)}</text>',
        f'<text x="{_LEFT}" y="18" font-size="12" font-weight="bold" fill="{INK}">{html.escape(title)}</text>',
    ]


def _reference_lines(frame: _Frame, xs: list[float], mean, upper, lower, target) -> tuple[list[str], list[str]]:
    """The average, the process limits and the target, with their legend entries."""
    parts: list[str] = []
    legend: list[str] = []
    if mean:
        parts.append(_polyline(xs, [frame.y_at(v) for v in mean], INK, 1.2))
        legend.append(_legend_item(len(legend), "mean", "Average", INK))
    if upper and lower:
        parts.append(_polyline(xs, [frame.y_at(v) for v in upper], GREY, 1.1, "5 3"))
        parts.append(_polyline(xs, [frame.y_at(v) for v in lower], GREY, 1.1, "5 3"))
        legend.append(_legend_item(len(legend), "limits", "Process limits", GREY, "5 3"))
    if target is not None and math.isfinite(target):
        y = frame.y_at(target)
        parts.append(f'<line x1="{_LEFT}" y1="{_n(y)}" x2="{_LEFT + frame.plot_w}" y2="{_n(y)}" '
                     f'stroke="{TARGET_COLOUR}" stroke-width="1.6" stroke-dasharray="8 3 2 3"/>')
        legend.append(_legend_item(len(legend), "target", "Target", TARGET_COLOUR, "8 3 2 3"))
    return parts, legend


def _points(frame: _Frame, xs, quarters, values, point_types, labels: dict) -> tuple[list[str], list[str]]:
    """A marker per figure (shape and colour by its Making Data Count kind,
    named in its tooltip), and the kinds seen, in order, for the legend."""
    parts: list[str] = []
    seen: list[str] = []
    for i, (value, kind) in enumerate(zip(values, point_types)):
        if value is None or not math.isfinite(float(value)):
            continue
        colour, shape = POINT_STYLE.get(kind, POINT_STYLE[C.SPC_COMMON_CAUSE])
        parts.append(_marker(shape, xs[i], frame.y_at(value), colour, f"{quarters[i]}: {labels.get(kind, 'Actual')}"))
        if kind not in seen:
            seen.append(kind)
    return parts, seen


#: The benchmarking chart's layout: a row per council, names on the left.
BAR_ROW, _BAR_LEFT, _BAR_TOP, _BAR_BOTTOM, _BAR_RIGHT = 20, 250, 30, 44, 24
OWN_COLOUR, OTHER_COLOUR = "#1d70b8", "#b1b4b6"


def benchmark_svg(
    *,
    title: str,
    description: str,
    councils: list[str],
    values: list[float],
    own: list[bool],
    median: float | None,
    unit_label: str,
    figure_id: str = "bench",
) -> str:
    """Comparator councils' values as horizontal bars, in the order given (best
    first), this council told apart by colour, hatching and its name; the
    median dashed. Pure: numbers in, text out.

    Why SVG: the Cabinet report of a large council drew 32 of these with
    matplotlib at about 0.19 s each (6 s of its notebook); as text they take
    about a millisecond and stay sharp and readable by assistive technology.
    """
    scale = _BarScale(values, median)
    height = _BAR_TOP + max(len(values), 1) * BAR_ROW + _BAR_BOTTOM
    bottom = _BAR_TOP + max(len(values), 1) * BAR_ROW
    ident = html.escape(figure_id)
    hatch = (f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
             f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{OWN_COLOUR}"/>'
             f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern></defs>')
    parts = [_svg_open("bench-chart", WIDTH, height, figure_id, title, description, defs=hatch),
             f'<text x="8" y="18" font-size="12" font-weight="bold" fill="{INK}">{html.escape(title)}</text>']
    for tick in scale.ticks:
        x = scale.x_at(tick)
        parts.append(f'<line x1="{_n(x)}" y1="{_BAR_TOP}" x2="{_n(x)}" y2="{bottom}" stroke="{_GRID}"/>')
        parts.append(f'<text x="{_n(x)}" y="{bottom + 14}" font-size="10.5" text-anchor="middle" '
                     f'fill="{INK}">{html.escape(_tick_text(tick))}</text>')
    parts += _bars(scale, councils, values, own, ident)
    zero = _n(scale.x_at(0.0))
    parts.append(f'<line x1="{zero}" y1="{_BAR_TOP}" x2="{zero}" y2="{bottom}" stroke="{INK}"/>')
    if median is not None and math.isfinite(median):
        parts.append(_median(scale.x_at(median), bottom, height))
    parts.append(f'<text x="{_BAR_LEFT + scale.plot_w / 2:.1f}" y="{height - 8}" font-size="11" '
                 f'text-anchor="middle" fill="{INK}">{html.escape(unit_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


class _BarScale:
    """The value axis of a benchmarking chart: from zero (or the lowest value)
    to a round tick past the highest value and the median."""

    plot_w = WIDTH - _BAR_LEFT - _BAR_RIGHT

    def __init__(self, values: list[float], median: float | None):
        finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
        low = min([0.0] + finite)
        high = max([0.0] + finite + ([median] if median is not None and math.isfinite(median) else []))
        if high <= low:
            high = low + 1.0
        self.ticks = nice_ticks(low, high)
        high = max(high, self.ticks[-1]) if self.ticks else high
        self.low, self.span = low, high - low

    def x_at(self, v: float) -> float:
        return _BAR_LEFT + self.plot_w * (float(v) - self.low) / self.span


def _bars(scale: _BarScale, councils, values, own, ident: str) -> list[str]:
    """A row per council: its name (bold for this council) and its bar
    (hatched and outlined for this council), each bar titled with the name."""
    parts = []
    for i, (name, value, mine) in enumerate(zip(councils, values, own)):
        y = _BAR_TOP + i * BAR_ROW
        weight = ' font-weight="bold"' if mine else ""
        parts.append(f'<text x="{_BAR_LEFT - 6}" y="{_n(y + BAR_ROW / 2 + 4)}" font-size="10.5" '
                     f'text-anchor="end" fill="{INK}"{weight}>{html.escape(str(name))}</text>')
        if value is None or not math.isfinite(float(value)):
            continue
        start, end = sorted((scale.x_at(0.0), scale.x_at(value)))
        fill = f"url(#{ident}-hatch)" if mine else OTHER_COLOUR
        stroke = f' stroke="{INK}"' if mine else ""
        parts.append(f'<rect x="{_n(start)}" y="{_n(y + 3)}" width="{_n(max(end - start, 0.5))}" '
                     f'height="{BAR_ROW - 6}" fill="{fill}"{stroke}><title>{html.escape(str(name))}</title></rect>')
    return parts


def _median(x: float, bottom: float, height: int) -> str:
    """The median as a dashed line across the bars, and its legend entry."""
    return (f'<line x1="{_n(x)}" y1="{_BAR_TOP}" x2="{_n(x)}" y2="{bottom}" stroke="{INK}" '
            f'stroke-width="1.2" stroke-dasharray="5 3"/>'
            f'<g class="legend-median"><line x1="{WIDTH - 100}" y1="{height - 12}" x2="{WIDTH - 80}" '
            f'y2="{height - 12}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="5 3"/>'
            f'<text x="{WIDTH - 74}" y="{height - 8}" font-size="11" fill="{INK}">Median</text></g>')
