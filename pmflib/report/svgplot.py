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
    low, high = y_limits
    span = (high - low) or 1.0
    plot_w = WIDTH - _LEFT - _RIGHT
    plot_h = HEIGHT - _TOP - _BOTTOM
    count = len(values)

    def x_at(i: int) -> float:
        return _LEFT + (plot_w * (i / (count - 1)) if count > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return _TOP + plot_h * (1 - (float(v) - low) / span)

    xs = [x_at(i) for i in range(count)]
    ident = html.escape(figure_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="spc-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" style="max-width:100%;height:auto" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="{ident}-title">{html.escape(title)}</title>',
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
    ]
    # Value axis: gridlines and round tick values.
    for tick in nice_ticks(low, high):
        y = y_at(tick)
        parts.append(f'<line x1="{_LEFT}" y1="{_n(y)}" x2="{_LEFT + plot_w}" y2="{_n(y)}" stroke="{_GRID}"/>')
        parts.append(f'<text x="{_LEFT - 6}" y="{_n(y + 3.5)}" font-size="10.5" text-anchor="end" '
                     f'fill="{INK}">{html.escape(_tick_text(tick))}</text>')
    parts.append(f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{_TOP + plot_h}" stroke="{INK}"/>')
    parts.append(f'<line x1="{_LEFT}" y1="{_TOP + plot_h}" x2="{_LEFT + plot_w}" y2="{_TOP + plot_h}" '
                 f'stroke="{INK}"/>')
    # Quarter axis: "Q2" over "2025-26", at most about seven labels.
    step = max(1, math.ceil(count / 7))
    for i in range(0, count, step):
        year, _, quarter = str(quarters[i]).rpartition(" ")
        x = xs[i]
        parts.append(f'<line x1="{_n(x)}" y1="{_TOP + plot_h}" x2="{_n(x)}" y2="{_TOP + plot_h + 4}" '
                     f'stroke="{INK}"/>')
        parts.append(f'<text x="{_n(x)}" y="{_TOP + plot_h + 16}" font-size="10.5" text-anchor="middle" '
                     f'fill="{INK}"><tspan x="{_n(x)}">{html.escape(quarter or year)}</tspan>'
                     f'<tspan x="{_n(x)}" dy="12">{html.escape(year if quarter else "")}</tspan></text>')
    parts.append(f'<text x="{_LEFT + plot_w / 2:.1f}" y="{HEIGHT - 6}" font-size="11" text-anchor="middle" '
                 f'fill="{INK}">Quarter</text>')
    parts.append(f'<text transform="translate(14 {_TOP + plot_h / 2:.1f}) rotate(-90)" font-size="11" '
                 f'text-anchor="middle" fill="{INK}">{html.escape(unit_label)}</text>')
    parts.append(f'<text x="{_LEFT}" y="18" font-size="12" font-weight="bold" fill="{INK}">'
                 f"{html.escape(title)}</text>")
    legend: list[str] = []
    if mean:
        parts.append(_polyline(xs, [y_at(v) for v in mean], INK, 1.2))
        legend.append(_legend_item(len(legend), "mean", "Average", INK))
    if upper and lower:
        parts.append(_polyline(xs, [y_at(v) for v in upper], GREY, 1.1, "5 3"))
        parts.append(_polyline(xs, [y_at(v) for v in lower], GREY, 1.1, "5 3"))
        legend.append(_legend_item(len(legend), "limits", "Process limits", GREY, "5 3"))
    if target is not None and math.isfinite(target):
        y = y_at(target)
        parts.append(f'<line x1="{_LEFT}" y1="{_n(y)}" x2="{_LEFT + plot_w}" y2="{_n(y)}" stroke="{TARGET_COLOUR}" '
                     f'stroke-width="1.6" stroke-dasharray="8 3 2 3"/>')
        legend.append(_legend_item(len(legend), "target", "Target", TARGET_COLOUR, "8 3 2 3"))
    parts.append(_polyline(xs, [y_at(v) for v in values], GREY, 1.3))
    labels = point_labels or {}
    seen: list[str] = []
    for i, (value, kind) in enumerate(zip(values, point_types)):
        if value is None or not math.isfinite(float(value)):
            continue
        colour, shape = POINT_STYLE.get(kind, POINT_STYLE[C.SPC_COMMON_CAUSE])
        label = labels.get(kind, "Actual")
        parts.append(_marker(shape, xs[i], y_at(value), colour, f"{quarters[i]}: {label}"))
        if kind not in seen:
            seen.append(kind)
    for kind in seen:
        colour, shape = POINT_STYLE.get(kind, POINT_STYLE[C.SPC_COMMON_CAUSE])
        legend.append(_legend_item(len(legend), "point", labels.get(kind, "Actual"), colour, shape=shape))
    parts.extend(legend)
    parts.append("</svg>")
    return "".join(p for p in parts if p)


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
    count = len(values)
    height = _BAR_TOP + max(count, 1) * BAR_ROW + _BAR_BOTTOM
    plot_w = WIDTH - _BAR_LEFT - _BAR_RIGHT
    finite = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    low = min([0.0] + finite)
    high = max([0.0] + finite + ([median] if median is not None and math.isfinite(median) else []))
    if high <= low:
        high = low + 1.0
    ticks = nice_ticks(low, high)
    high = max(high, ticks[-1]) if ticks else high
    span = high - low

    def x_at(v: float) -> float:
        return _BAR_LEFT + plot_w * (float(v) - low) / span

    ident = html.escape(figure_id)
    bottom = _BAR_TOP + max(count, 1) * BAR_ROW
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bench-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" style="max-width:100%;height:auto" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="{ident}-title">{html.escape(title)}</title>',
        f'<desc id="{ident}-desc">{html.escape(description)}</desc>',
        f'<defs><pattern id="{ident}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{OWN_COLOUR}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{INK}" stroke-width="2"/></pattern></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="8" y="18" font-size="12" font-weight="bold" fill="{INK}">{html.escape(title)}</text>',
    ]
    for tick in ticks:
        x = x_at(tick)
        parts.append(f'<line x1="{_n(x)}" y1="{_BAR_TOP}" x2="{_n(x)}" y2="{bottom}" stroke="{_GRID}"/>')
        parts.append(f'<text x="{_n(x)}" y="{bottom + 14}" font-size="10.5" text-anchor="middle" '
                     f'fill="{INK}">{html.escape(_tick_text(tick))}</text>')
    for i, (name, value, mine) in enumerate(zip(councils, values, own)):
        y = _BAR_TOP + i * BAR_ROW
        weight = ' font-weight="bold"' if mine else ""
        parts.append(f'<text x="{_BAR_LEFT - 6}" y="{_n(y + BAR_ROW / 2 + 4)}" font-size="10.5" '
                     f'text-anchor="end" fill="{INK}"{weight}>{html.escape(str(name))}</text>')
        if value is None or not math.isfinite(float(value)):
            continue
        start, end = sorted((x_at(0.0), x_at(value)))
        fill = f"url(#{ident}-hatch)" if mine else OTHER_COLOUR
        stroke = f' stroke="{INK}"' if mine else ""
        parts.append(f'<rect x="{_n(start)}" y="{_n(y + 3)}" width="{_n(max(end - start, 0.5))}" '
                     f'height="{BAR_ROW - 6}" fill="{fill}"{stroke}><title>{html.escape(str(name))}</title></rect>')
    parts.append(f'<line x1="{_n(x_at(0.0))}" y1="{_BAR_TOP}" x2="{_n(x_at(0.0))}" y2="{bottom}" stroke="{INK}"/>')
    if median is not None and math.isfinite(median):
        x = x_at(median)
        parts.append(f'<line x1="{_n(x)}" y1="{_BAR_TOP}" x2="{_n(x)}" y2="{bottom}" stroke="{INK}" '
                     f'stroke-width="1.2" stroke-dasharray="5 3"/>')
        parts.append(f'<g class="legend-median"><line x1="{WIDTH - 100}" y1="{height - 12}" x2="{WIDTH - 80}" '
                     f'y2="{height - 12}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="5 3"/>'
                     f'<text x="{WIDTH - 74}" y="{height - 8}" font-size="11" fill="{INK}">Median</text></g>')
    parts.append(f'<text x="{_BAR_LEFT + plot_w / 2:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" '
                 f'fill="{INK}">{html.escape(unit_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
