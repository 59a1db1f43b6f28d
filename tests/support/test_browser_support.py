"""The browser helpers really check pages in Chromium: a bad page fails, a good one passes.

These guard the accessibility tests of the reports: if axe or the browser
silently did nothing, every report would "pass".
"""

from __future__ import annotations

import struct

import pytest

from tests.support.browser import (
    describe_violations,
    pdf_to_pngs,
    pinned_axe_version,
    run_axe,
    screenshot,
)

# A one-pixel PNG, so the image below is a real image with no text alternative.
PIXEL_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Quarterly performance report, 2026-27 Q2</title></head>
<body>
<main>
<h1>Quarterly performance report</h1>
<p>12 indicators are Green, 3 are Amber and 1 is Red.</p>
</main>
</body>
</html>
"""

# Missing on purpose: alt text on the image (WCAG 1.1.1) and enough contrast
# for the grey text (#aaa on white is 2.3:1; AA needs 4.5:1, WCAG 1.4.3).
BAD_PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>Bad page</title></head>
<body>
<main>
<h1>Quarterly performance report</h1>
<img src="{PIXEL_PNG}" width="40" height="40">
<p style="color: #aaaaaa; background: #ffffff">Pale text that is hard to read.</p>
</main>
</body>
</html>
"""


@pytest.fixture
def good_page(tmp_path):
    path = tmp_path / "good.html"
    path.write_text(GOOD_PAGE, encoding="utf-8")
    return path


@pytest.fixture
def bad_page(tmp_path):
    path = tmp_path / "bad.html"
    path.write_text(BAD_PAGE, encoding="utf-8")
    return path


def test_a_minimal_accessible_page_has_no_violations(good_page):
    violations = run_axe(good_page)
    assert violations == [], describe_violations(violations)


def test_missing_alt_text_and_low_contrast_are_found(bad_page):
    violations = run_axe(bad_page)
    found = {violation["id"] for violation in violations}
    assert {"image-alt", "color-contrast"} <= found, describe_violations(violations)
    contrast = next(v for v in violations if v["id"] == "color-contrast")
    assert "Pale text" in contrast["nodes"][0]["html"]


def test_the_pinned_axe_version_is_exact():
    assert all(part.isdigit() for part in pinned_axe_version().split("."))


def _png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_screenshot_is_a_png_at_the_requested_width(good_page, tmp_path):
    png = screenshot(good_page, tmp_path / "shots" / "good.png", width=800)
    width, height = _png_size(png)
    assert width == 800
    assert height > 0


def test_pdf_to_pngs_renders_the_first_pages_in_order(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "three-pages.pdf"
    pages = "".join(f'<p style="break-after: page">Page {n}</p>' for n in (1, 2, 3))
    HTML(string=f"<html lang='en'><body>{pages}</body></html>").write_pdf(pdf)

    images = pdf_to_pngs(pdf, tmp_path / "pages", first=1, last=2)

    assert [image.name for image in images] == ["three-pages-1.png", "three-pages-2.png"]
    for image in images:
        assert _png_size(image)[0] > 0
