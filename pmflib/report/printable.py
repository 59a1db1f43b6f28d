"""The report's HTML made cheap for the PDF renderer, without changing what it shows.

Why: the published HTML is one self-contained file (charts as ``data:`` PNGs,
the Making Data Count icons as inline SVG), which is right for a reader who
saves or emails it. WeasyPrint pays for that shape: a large council's Cabinet
report carries 6 MB of base64 that its HTML tokeniser reads character by
character (about 10 s), and 750 inline icons whose every ``<circle>`` and
``<text>`` goes through the CSS cascade (most of 16 s) although there are
only a dozen different icons.

So, for the PDF only, each image is lifted out of the markup into memory and
referred to by a short ``pmf-print:`` address, served by the PDF's URL fetcher
(``pmflib.report.export.run_files_fetcher``). WeasyPrint caches images by
address, so each distinct icon is drawn once per PDF however often it
appears. Each icon and sparkline becomes an ``<img>`` whose ``alt`` is the icon's full label
(the text its ``aria-label`` gave), so the tagged PDF still says what it
means. Pure: text in, text and resources out.
"""

from __future__ import annotations

import base64
import hashlib
import re

#: The address scheme of the lifted images (never fetched from anywhere else).
SCHEME = "pmf-print"

_DATA_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')
#: A small inline SVG image (a Making Data Count icon, a scorecard sparkline),
#: in whatever attribute order the notebook's HTML came back in (nbconvert's
#: sanitiser sorts them and writes ``viewbox`` in lower case).
_ICON = re.compile(r'<svg ([^>]*\bclass="(?:mdc-icon|spark)\b[^"]*"[^>]*)>(.*?)</svg>', re.S)
_ATTRIBUTE = re.compile(r'([a-zA-Z][\w:-]*)="([^"]*)"')


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

    def lift_icon(match: re.Match) -> str:
        attributes = dict(_ATTRIBUTE.findall(match.group(1)))
        width, height = attributes.get("width", "20"), attributes.get("height", "20")
        view_box = attributes.get("viewBox") or attributes.get("viewbox") or f"0 0 {width} {height}"
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
               f'viewBox="{view_box}">{match.group(2)}</svg>')
        data = svg.encode("utf-8")
        address = _address(data, "svg")
        resources[address] = (data, "image/svg+xml")
        # The label is already escaped in the source attribute: it is kept as it is.
        return (f'<img class="{attributes["class"]}" src="{address}" alt="{attributes.get("aria-label", "")}" '
                f'width="{width}" height="{height}">')

    markup = _DATA_PNG.sub(lift_png, markup)
    markup = _ICON.sub(lift_icon, markup)
    return markup, resources

