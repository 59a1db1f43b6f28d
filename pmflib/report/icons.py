"""Making Data Count variation and assurance icons, drawn by us as inline SVG.

NHS England's Making Data Count programme reads an SPC chart through two
icons: *variation* (has anything really changed?) and *assurance* (will the
target be met?). We draw them ourselves, small enough for a scorecard row, in
the programme's colours as NHSRplotthedots uses them: grey for common cause,
blue for special-cause improvement and for a target consistently met, orange
for special-cause concern and for a target consistently missed, purple for an
unusual change on a measure with no better direction; a letter says which
way (H higher, L lower; P pass, F fail, ? hit and miss).

Colour is never the only signal: each icon is ``role="img"`` with an
``aria-label`` and ``<title>`` giving its full text label, a letter and shape
inside it, and a short visible word beside it. Pure functions of the SPC
result's words; no I/O.
"""

from __future__ import annotations

import html

from pmflib.core import constants as C

#: Making Data Count colours (as NHSRplotthedots draws them).
MDC_GREY = "#7B7D7D"
MDC_BLUE = "#289DE0"
MDC_ORANGE = "#FAB428"
MDC_PURPLE = "#361475"
_INK = "#0b0c0c"
SIZE = 20

#: Variation: (colour, short visible word). The letter drawn is H or L
#: by the side of the change (``high_or_low``), which for improvement and
#: concern depends on the measure's polarity.
_VARIATION = {
    C.SPC_COMMON_CAUSE: (MDC_GREY, "Common cause"),
    C.SPC_IMPROVEMENT: (MDC_BLUE, "Improvement"),
    C.SPC_CONCERN: (MDC_ORANGE, "Concern"),
    C.SPC_NEUTRAL_HIGH: (MDC_PURPLE, "Unusually high"),
    C.SPC_NEUTRAL_LOW: (MDC_PURPLE, "Unusually low"),
}
_ASSURANCE = {
    C.SPC_CONSISTENTLY_PASS: (MDC_BLUE, "P", "Pass"),
    C.SPC_HIT_AND_MISS: (MDC_GREY, "?", "Hit and miss"),
    C.SPC_CONSISTENTLY_FAIL: (MDC_ORANGE, "F", "Fail"),
}


def high_or_low(variation: str, polarity: str) -> str:
    """``H`` or ``L``: which side a special cause lies on, from its kind and polarity.

    Improvement on a higher-is-better measure is high; on a lower-is-better
    measure it is low (and concern the other way round).
    """
    if variation in (C.SPC_NEUTRAL_HIGH, C.SPC_NEUTRAL_LOW):
        return "H" if variation == C.SPC_NEUTRAL_HIGH else "L"
    if variation not in (C.SPC_IMPROVEMENT, C.SPC_CONCERN):
        return ""
    higher_good = polarity != C.LOWER_IS_BETTER
    good = variation == C.SPC_IMPROVEMENT
    return "H" if good == higher_good else "L"


def _svg(label: str, colour: str, letter: str, kind: str, dots: str = "") -> str:
    half = SIZE / 2
    text = (f'<text x="{half}" y="{half + 3.6:.1f}" text-anchor="middle" font-size="10" font-weight="700" '
            f'font-family="Arial, sans-serif" fill="{_INK}">{html.escape(letter)}</text>' if letter else "")
    safe = html.escape(label)
    return (f'<svg class="mdc-icon mdc-{kind}" role="img" aria-label="{safe}" width="{SIZE}" height="{SIZE}" '
            f'viewBox="0 0 {SIZE} {SIZE}" focusable="false"><title>{safe}</title>'
            f'<circle cx="{half}" cy="{half}" r="{half - 1.6}" fill="#ffffff" stroke="{colour}" stroke-width="2.6"/>'
            f"{dots}{text}</svg>")


def _dots(colour: str, side: str = "") -> str:
    """A little run of points inside the variation icon: level (common cause),
    or lifting to the top (H) or the bottom (L)."""
    ys = {"": [10, 10, 10, 10], "H": [12.5, 12.5, 8, 6], "L": [7.5, 7.5, 12, 14]}[side]
    return "".join(f'<circle cx="{4.8 + i * 3.5:.1f}" cy="{y}" r="1.3" fill="{colour}"/>' for i, y in enumerate(ys))


def variation_icon(variation: object, polarity: str = C.HIGHER_IS_BETTER, *, label: str | None = None) -> str:
    """The variation icon with its short word, or ``""`` when there is none to show
    (not enough data: the table's note says so once)."""
    from pmflib.rules.spc import variation_icon_label

    text = str(variation or "")
    if text not in _VARIATION:
        return ""
    colour, short = _VARIATION[text]
    side = high_or_low(text, polarity)
    full = label or variation_icon_label(text)
    if text in (C.SPC_IMPROVEMENT, C.SPC_CONCERN):
        full = f"{full} ({'higher' if side == 'H' else 'lower'} values)"
    # Common cause: a level run of grey points; special cause: H or L in the ring.
    svg = _svg(full, colour, side, "variation", "" if side else _dots(colour, ""))
    return f'<span class="mdc">{svg}<span class="mdc-word" aria-hidden="true">{html.escape(short)}</span></span>'


def assurance_icon(assurance: object) -> str:
    """The assurance icon with its short word, or ``""`` when there is no assurance."""
    from pmflib.rules.spc import assurance_icon_label

    text = str(assurance or "")
    if text not in _ASSURANCE:
        return ""
    colour, letter, short = _ASSURANCE[text]
    svg = _svg(assurance_icon_label(text), colour, letter, "assurance")
    return f'<span class="mdc">{svg}<span class="mdc-word" aria-hidden="true">{html.escape(short)}</span></span>'


def icon_key() -> str:
    """Every icon once with its full meaning: the long explanation, in the definitions."""
    from pmflib.rules.spc import assurance_icon_label, variation_icon_label

    rows = [(variation_icon(C.SPC_COMMON_CAUSE), variation_icon_label(C.SPC_COMMON_CAUSE)),
            (variation_icon(C.SPC_IMPROVEMENT), "Special cause — improvement: a real change for the better "
                                                "(H: higher values, L: lower values)"),
            (variation_icon(C.SPC_IMPROVEMENT, C.LOWER_IS_BETTER), "Special cause — improvement, lower values "
                                                                  "(a lower-is-better measure falling)"),
            (variation_icon(C.SPC_CONCERN), "Special cause — concern: a real change for the worse"),
            (variation_icon(C.SPC_NEUTRAL_HIGH), variation_icon_label(C.SPC_NEUTRAL_HIGH)),
            (assurance_icon(C.SPC_CONSISTENTLY_PASS), assurance_icon_label(C.SPC_CONSISTENTLY_PASS)
             + ": the target lies outside the process limits on the good side"),
            (assurance_icon(C.SPC_HIT_AND_MISS), assurance_icon_label(C.SPC_HIT_AND_MISS)
             + ": the target lies between the process limits"),
            (assurance_icon(C.SPC_CONSISTENTLY_FAIL), assurance_icon_label(C.SPC_CONSISTENTLY_FAIL)
             + ": the target lies outside the process limits on the bad side; it will be missed unless "
               "something changes")]
    items = "".join(f"<div><dt>{icon}</dt><dd>{html.escape(text)}</dd></div>" for icon, text in rows)
    return f'<dl class="definitions icon-key">{items}</dl>'


__all__ = ["variation_icon", "assurance_icon", "icon_key", "high_or_low",
           "MDC_GREY", "MDC_BLUE", "MDC_ORANGE", "MDC_PURPLE"]
