"""The PDF's copy of the markup: images lifted out, nothing the reader sees changed."""

from __future__ import annotations

import base64
import re
import subprocess

from pmflib.core import constants as C
from pmflib.report import icons
from pmflib.report.export import html_to_pdf
from pmflib.report.printable import SCHEME, printable

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _sorted_like_nbconvert(svg: str) -> str:
    """The icon as it comes back from nbconvert: attributes sorted, ``viewbox`` lower case."""
    def resort(match: re.Match) -> str:
        attributes = sorted(re.findall(r'([a-zA-Z][\w:-]*)="([^"]*)"', match.group(1)))
        return "<svg " + " ".join(f'{k.lower()}="{v}"' for k, v in attributes) + ">"

    return re.sub(r"<svg ([^>]*)>", resort, svg)


def test_chart_pngs_become_addresses_of_the_same_bytes():
    encoded = base64.b64encode(PNG).decode()
    markup = f'<figure><img src="data:image/png;base64,{encoded}" alt="Trend of X"></figure>'
    out, resources = printable(markup)
    assert "base64" not in out and 'alt="Trend of X"' in out
    (address,) = resources
    assert address.startswith(f"{SCHEME}:") and resources[address] == (PNG, "image/png")
    assert f'src="{address}"' in out


def test_icons_become_images_whose_alt_is_their_label_and_repeat_one_address():
    icon = icons.variation_icon("Common cause")
    label = re.search(r'aria-label="([^"]*)"', icon).group(1)
    markup = f"<td>{icon}</td><td>{_sorted_like_nbconvert(icon)}</td>"
    out, resources = printable(markup)
    assert "<svg" not in out
    images = re.findall(r"<img [^>]*>", out)
    assert len(images) == 2 and len(set(re.findall(r'src="([^"]*)"', out))) == 1
    assert all(f'alt="{label}"' in image and 'class="mdc-icon mdc-variation"' in image for image in images)
    (data, media_type), = resources.values()
    assert media_type == "image/svg+xml"
    svg = data.decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and 'viewBox="0 0 20 20"' in svg
    assert "<circle" in svg
    # The visible word beside the icon is untouched.
    assert '<span class="mdc-word" aria-hidden="true">Common cause</span>' in out


def test_an_spc_chart_becomes_an_image_described_by_its_data():
    from pmflib.report.svgplot import spc_svg

    svg = spc_svg(title="Missed bins", description='Trend of "Missed bins": latest 12 & falling',
                  quarters=["2025-26 Q1", "2025-26 Q2", "2025-26 Q3"], values=[10.0, 14.0, 12.0],
                  point_types=["Common cause"] * 3, y_limits=(0.0, 20.0), unit_label="Number", figure_id="c1")
    out, resources = printable(f'<figure class="chart">{_sorted_like_nbconvert(svg)}</figure>')
    assert "<svg" not in out
    assert 'alt="Trend of &quot;Missed bins&quot;: latest 12 &amp; falling"' in out
    (data, media_type), = resources.values()
    drawn = data.decode()
    assert 'font-family="DejaVu Sans, Arial, sans-serif"' in drawn and "role=" not in drawn
    assert "<polyline" in drawn and 'viewBox="0 0 760 290"' in drawn


def test_other_svg_and_broken_data_are_left_for_the_renderer():
    other = '<svg class="logo" role="img" viewBox="0 0 10 10"><line x1="0" y1="0" x2="1" y2="1"/></svg>'
    not_xml = '<svg class="spark" role="img" width="8" height="8"><title>a&nbsp;b</title></svg>'
    broken = '<img src="data:image/png;base64,abc" alt="x">'
    out, resources = printable(other + not_xml + broken)
    assert other in out and not_xml in out and broken in out and resources == {}


def test_the_pdf_draws_the_lifted_chart_and_icons(tmp_path):
    """Through the real WeasyPrint renderer (the one the lifted images are for): the chart is in the PDF and the orange ring of
    the 'target consistently not met' icon is painted (it would be missing if
    the fetcher did not serve the lifted SVG)."""
    from PIL import Image

    encoded = base64.b64encode(PNG).decode()
    icon = icons.assurance_icon(C.SPC_CONSISTENTLY_FAIL)
    markup = (f'<html><head><title>t</title></head><body><p>Chart</p>'
              f'<img src="data:image/png;base64,{encoded}" alt="one" width="40" height="40">'
              f"<p>{icon}{icon}</p></body></html>")
    pdf = html_to_pdf(markup, tmp_path / "t.pdf", title="t", base_url=str(tmp_path), engine="weasyprint")
    listing = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    kinds = [line.split()[2] for line in listing.splitlines()[2:] if line.strip()]
    assert kinds.count("image") == 1  # the chart's PNG (the icons are drawn as vectors)
    subprocess.run(["pdftoppm", "-r", "100", "-singlefile", "-png", str(pdf), str(tmp_path / "page")], check=True)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    orange = tuple(int(icons.MDC_ORANGE[i:i + 2], 16) for i in (1, 3, 5))
    pixels = page.get_flattened_data() if hasattr(page, "get_flattened_data") else page.getdata()
    painted = sum(1 for pixel in pixels if all(abs(a - b) < 40 for a, b in zip(pixel, orange)))
    assert painted > 20


# --- what the print stylesheet hides never reaches the PDF renderer ---------------------------------
def test_elements_hidden_in_print_are_cut_and_everything_shown_is_kept():
    from pmflib.report.printable import without_print_hidden

    page = ('<nav class="contents"><ul><li>Summary</li></ul></nav><h2>Summary</h2>'
            '<figure class="chart"><img src="x" alt="a"><figcaption>Calls</figcaption>'
            '<details><summary>Figures behind this chart</summary><table><tr><td>1</td></tr></table></details>'
            '</figure><details class="screen-only"><summary>Charts</summary><figure><details><summary>In'
            '</summary><table><tr><td>2</td></tr></table></details></figure></details>'
            '<table class="data"><tr><td>Shown<br>row</td></tr></table><p class="skip-link">Skip</p><p>End</p>')
    assert without_print_hidden(page) == (
        '<h2>Summary</h2><figure class="chart"><img src="x" alt="a"><figcaption>Calls</figcaption>'
        '<details></details></figure><table class="data"><tr><td>Shown<br>row</td></tr></table><p>End</p>')


def test_markup_the_scanner_cannot_follow_is_left_whole():
    from pmflib.report.printable import without_print_hidden

    broken = '<div><details><summary>x</summary></div></details><p>after</p>'
    assert without_print_hidden(broken) == broken
    unclosed = '<p>a<div class="screen-only"><span>b</span>'
    assert without_print_hidden(unclosed) == unclosed
