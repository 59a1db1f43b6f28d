"""Look at what the workbook produces the way a reader does: in a real browser.

Test support only, not product code: nothing in ``pmflib`` imports this, and
it imports nothing from ``pmflib``.

* ``run_axe`` checks a page against WCAG 2.0, 2.1 and 2.2 A/AA with axe-core,
  the rules engine used by the GOV.UK and NHS accessibility audits.
* ``screenshot`` saves what a reader sees, for eyeballing a report.
* ``pdf_to_pngs`` turns the first pages of a PDF into images (pdftoppm).

The browser is Debian's own Chromium (``scripts/setup-system.sh`` installs
it), driven by Playwright; Playwright's downloaded browsers are not used.
axe-core comes from npm at the version pinned in ``package.json`` /
``package-lock.json`` (``make test`` runs ``npm ci``). Pages are opened from
disk and every http(s) request is refused, so a check never depends on the
network and a page that quietly loads something from the internet shows up as
broken, not as passing.
"""

from __future__ import annotations

import json
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

REPO_ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

AXE_PACKAGE = REPO_ROOT / "package.json"
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard public sector
#: websites in the UK must meet (the HTML reports are published).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

VIEWPORT_HEIGHT = 800

_RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return {version: axe.version, violations: results.violations};
}
"""


class BrowserSupportError(RuntimeError):
    """The browser, axe-core or pdftoppm could not do what a test asked."""


def pinned_axe_version() -> str:
    """The axe-core version ``package.json`` pins (exactly, no range)."""
    package = json.loads(AXE_PACKAGE.read_text(encoding="utf-8"))
    return package["devDependencies"]["axe-core"]


def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise BrowserSupportError(
            f"axe-core is not installed ({AXE_JS} is missing): run `make test`, "
            "or `npm ci` in the repository root"
        )
    return AXE_JS.read_text(encoding="utf-8")


def _is_network(url: str) -> bool:
    return url.startswith(("http://", "https://", "ws://", "wss://"))


@contextmanager
def open_page(html_path: "Path | str", javascript: bool = True, width: int = 1280) -> Iterator["object"]:
    """The local page loaded in headless Chromium, for a test to drive
    (select, type, click) and read, with JavaScript on or off."""
    page_file = _local_file(html_path)
    with _page(width=width, javascript=javascript) as page:
        page.goto(page_file.as_uri(), wait_until="load")
        yield page


@contextmanager
def _page(width: int = 1280, javascript: bool = True) -> Iterator["object"]:
    """A fresh headless Chromium page that cannot reach the network
    (``javascript=False``: as a reader with JavaScript turned off sees it)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).is_file():
        raise BrowserSupportError(f"{CHROMIUM} is missing: run `make system` (scripts/setup-system.sh)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # bypass_csp: a report may (rightly) forbid inline scripts; axe is
            # injected as one, by the test, not by the report.
            context = browser.new_context(
                viewport={"width": width, "height": VIEWPORT_HEIGHT}, bypass_csp=True,
                java_script_enabled=javascript,
            )
            context.route(_is_network, lambda route: route.abort())
            yield context.new_page()
        finally:
            browser.close()


def _local_file(path: "Path | str") -> Path:
    path = Path(path).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file to open in the browser")
    return path


def run_axe(html_path: "Path | str", tags: "tuple[str, ...]" = WCAG_TAGS) -> list[dict]:
    """The axe-core violations of one local HTML page (``[]`` when it passes).

    Each violation is axe's own record: ``id`` (the rule, e.g.
    ``color-contrast``), ``impact``, ``help``, ``helpUrl``, ``tags`` and
    ``nodes`` (each with the offending ``html`` and its CSS ``target``).
    """
    page_file = _local_file(html_path)
    source = _axe_source()
    with _page() as page:
        page.goto(page_file.as_uri(), wait_until="load")
        page.add_script_tag(content=source)
        result = page.evaluate(_RUN_AXE, list(tags))
    pinned = pinned_axe_version()
    if result["version"] != pinned:
        raise BrowserSupportError(
            f"axe-core {result['version']} is installed but package.json pins {pinned}: run `npm ci`"
        )
    return result["violations"]


def describe_violations(violations: list[dict]) -> str:
    """One line per failing element, for assertion messages."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -- {node['html']}")
    return "\n".join(lines)


def screenshot(
    html_path: "Path | str", png_path: "Path | str", full_page: bool = True, width: int = 1280
) -> Path:
    """Save a PNG of a local HTML page as a reader at ``width`` pixels sees it."""
    page_file = _local_file(html_path)
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with _page(width=width) as page:
        page.goto(page_file.as_uri(), wait_until="load")
        page.screenshot(path=str(png_path), full_page=full_page)
    return png_path


def pdf_to_pngs(
    pdf: "Path | str", outdir: "Path | str", first: int = 1, last: int = 2, dpi: int = 100
) -> list[Path]:
    """Render pages ``first``..``last`` of a PDF to PNGs in ``outdir`` (pdftoppm).

    Returns the images in page order; a PDF shorter than ``last`` gives fewer.
    """
    pdf = _local_file(pdf)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    command = ["pdftoppm", "-png", "-r", str(dpi), "-f", str(first), "-l", str(last), str(pdf), str(prefix)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BrowserSupportError("pdftoppm is missing: run `make system` (poppler-utils)") from exc
    if done.returncode != 0:
        raise BrowserSupportError(f"pdftoppm could not render {pdf}: {done.stderr.strip()}")
    # pdftoppm pads page numbers to the width of the page count: page-1 or page-01
    pattern = re.compile(rf"^{re.escape(pdf.stem)}-(\d+)\.png$")
    pages = []
    for image in outdir.iterdir():
        match = pattern.match(image.name)
        if match and first <= int(match.group(1)) <= last:
            pages.append((int(match.group(1)), image))
    return [image for _, image in sorted(pages)]
