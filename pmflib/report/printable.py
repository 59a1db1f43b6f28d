"""The report's HTML made cheap for the PDF renderer, without changing what it shows.

Why: the published HTML is one self-contained file (charts, Making Data
Count icons and sparklines inline), which is right for a reader who saves or
emails it. WeasyPrint pays for that shape: base64 image data goes through its
HTML tokeniser character by character, and every ``<circle>`` and ``<text>``
of 750 inline icons through the CSS cascade, although there are only a dozen
different icons. (Measured on a large council's Cabinet PDF: 30.8 s → 28.0 s;
most of what is left is laying out its tables.)

So, for the PDF only, each image is lifted out of the markup into memory and
referred to by a short ``pmf-print:`` address, served by the PDF's URL fetcher
(``pmflib.report.export.run_files_fetcher``). WeasyPrint caches images by
address, so each distinct icon is drawn once per PDF however often it
appears. Each icon, sparkline and SPC chart becomes an ``<img>`` whose
``alt`` is its full label (an icon's ``aria-label``, a chart's description
written from its data), so the tagged PDF still says what it means.
Pure: text in, text and resources out.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from xml.etree import ElementTree

#: The address scheme of the lifted images (never fetched from anywhere else).
SCHEME = "pmf-print"

_DATA_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')
#: An inline SVG image we drew (a Making Data Count icon, a scorecard
#: sparkline, an SPC or benchmarking chart), in whatever attribute order the notebook's HTML
#: came back in (nbconvert's sanitiser sorts them and writes ``viewbox`` in
#: lower case).
_SVG = re.compile(r'<svg ([^>]*\bclass="(?:mdc-icon|spark|spc-chart|bench-chart)\b[^"]*"[^>]*)>(.*?)</svg>', re.S)
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w:-]*)="([^"]*)"')
_DESCRIPTION = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)
#: What the page, not the picture, needs: left on the ``<img>`` or dropped.
_PAGE_ONLY = ("class", "role", "style", "focusable", "xmlns", "width", "height", "viewbox", "viewBox")


def _address(data: bytes, suffix: str) -> str:
    return f"{SCHEME}:{hashlib.sha1(data).hexdigest()}.{suffix}"  # noqa: S324 — a name, not a secret


def printable(markup: str) -> tuple[str, dict[str, tuple[bytes, str]]]:
    """``markup`` with its PNG charts and SVG icons replaced by ``pmf-print:``
    addresses, and the resources those addresses name (bytes, media type)."""
    resources: dict[str, tuple[bytes, str]] = {}

    def lift_png(match: re.Match) -> str:
        try:
            data = base64.b64decode(match.group(1), validate=False)
        except ValueError:  # not base64 after all: leave it for the renderer to refuse
            return match.group(0)
        address = _address(data, "png")
        resources[address] = (data, "image/png")
        return f'src="{address}"'

    def lift_svg(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        width, height = attributes.get("width", "20"), attributes.get("height", "20")
        view_box = attributes.get("viewBox") or attributes.get("viewbox") or f"0 0 {width} {height}"
        drawing = "".join(f' {name}="{value}"' for name, value in attributes.items()
                          if name not in _PAGE_ONLY and not name.startswith("aria-"))
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="{view_box}"{drawing}>{match.group(2)}</svg>')
        try:
            ElementTree.fromstring(svg)
        except ElementTree.ParseError:  # not well-formed XML (an HTML entity?): leave it inline
            return match.group(0)
        data = svg.encode("utf-8")
        address = _address(data, "svg")
        resources[address] = (data, "image/svg+xml")
        # An icon's alt is its label; a chart's, the description written from its data.
        described = _DESCRIPTION.search(match.group(2))
        alt = (html.escape(html.unescape(described.group(1)), quote=True) if described
               else attributes.get("aria-label", ""))  # already escaped in the source attribute
        return (f'<img class="{attributes["class"]}" src="{address}" alt="{alt}" '
                f'width="{width}" height="{height}">')

    markup = without_print_hidden(markup)
    markup = _DATA_PNG.sub(lift_png, markup)
    markup = _SVG.sub(lift_svg, markup)
    return markup, resources


#: Any start or end tag (our reports' HTML is generated, so well-formed).
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s[^>]*)?)>")
_CLASS = re.compile(r'\bclass="([^"]*)"')
#: Elements with no end tag, and never a parent.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})


def _print_hidden(tag: str, attributes: str, parent: str) -> bool:
    """Does report.css's ``@media print`` hide this element (``display: none``)?

    Mirrors those rules: ``.screen-only``, ``nav.contents``, ``.skip-link``,
    ``details summary`` and ``details > table`` (the figures behind a chart,
    which the PDF leaves to the HTML and the open data).
    """
    found = _CLASS.search(attributes)
    classes = found.group(1).split() if found else []
    return ("screen-only" in classes or "skip-link" in classes or (tag == "nav" and "contents" in classes)
            or (parent == "details" and tag in ("summary", "table")))


def without_print_hidden(markup: str) -> str:
    """``markup`` without the elements the print stylesheet hides.

    Why: WeasyPrint computes a style for every element, shown or not, and
    the hidden ones are half of a large council's Cabinet report (the
    figures behind each chart, the benchmarking charts, the change list:
    43,716 elements, 20,607 printed). Cutting them before the renderer sees
    them changes nothing on the page. Markup this scanner cannot follow
    (an end tag that closes nothing open) is returned whole.
    """
    kept: list[str] = []
    stack: list[str] = []
    position = 0
    hidden_from = -1  # the stack depth at which a hidden element opened, or -1
    for match in _TAG.finditer(markup):
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if not stack or stack[-1] != tag:
                return markup
            stack.pop()
            if hidden_from == len(stack):
                hidden_from = -1
                position = match.end()
            continue
        if tag in _VOID or attributes.rstrip().endswith("/"):
            continue
        if hidden_from < 0 and _print_hidden(tag, attributes, stack[-1] if stack else ""):
            kept.append(markup[position:match.start()])
            hidden_from = len(stack)
        stack.append(tag)
    if stack and hidden_from >= 0:
        return markup
    kept.append(markup[position:])
    return "".join(kept)
