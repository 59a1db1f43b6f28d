"""PDFs printed by headless Chromium, one browser per process, kept for the run.

Why: WeasyPrint lays out a large council's reports at about a third of a
second a page (the 66-page Cabinet report 15-20 s, the quarter's PDFs about
70 s of CPU, most of a cycle). Chromium's layout engine prints the same HTML,
with the same print stylesheet, in a fraction of that (the same Cabinet
report about 4 s), tagged for assistive technology with a document outline.
The browser is Debian's own (``scripts/setup-system.sh`` installs it and its
headless shell; the tests already use it), driven by Playwright; nothing is
downloaded.

What the browser may do is narrowed to what a report needs:

* JavaScript is off, and the page carries a Content Security Policy that
  allows inline styles and ``data:`` images and fonts only: no file, no
  other page, no network (a hostile ``<iframe src=file:///etc/passwd>`` or
  ``<img src=http://...>`` loads nothing), enforced by the browser itself;
* the page is a temporary file in the report's own folder, removed after.

The footer's report title, which WeasyPrint takes from ``string-set``
(Chromium does not support it), is written into the page's ``@page`` rule.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path

#: Where to find the browser: PMF_CHROMIUM, else the first of these on PATH.
#: Chromium's headless shell first (Debian's ``chromium-headless-shell``): the
#: same layout and printing without the full browser, it starts in 0.14 s
#: against 0.5 s and printed the large council's Cabinet report in ~250 MB
#: less (1,134 → 894 MB PSS), page for page and word for word the same PDF.
BROWSER_NAMES = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
LAUNCH_ARGS = [
    "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND",
]
#: Only what a self-contained report needs; everything else is refused by the browser.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
#: Seconds a page may take to load and print before the report is given up.
PRINT_TIMEOUT_S = 300

_lock = threading.Lock()
#: This process's browser thread, Playwright driver and browser.
_session: dict = {}


class ChromiumError(RuntimeError):
    """The browser could not be started or could not print."""


def browser_path() -> str | None:
    """The Chromium executable to print with, or None where there is none."""
    chosen = os.environ.get("PMF_CHROMIUM", "").strip()
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def available() -> bool:
    """Can this machine print with Chromium (a browser and Playwright)?"""
    from importlib.util import find_spec

    return browser_path() is not None and find_spec("playwright") is not None


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal that cannot end its rule or its ``<style>``."""
    escaped = "".join(ch if ch.isalnum() or ch in " -—–,.:;()'&/" else f"\\{ord(ch):x} " for ch in text)
    return f'"{escaped}"'


def print_markup(markup: str, *, title: str) -> str:
    """The report's HTML as the browser prints it: the policy first in
    ``<head>`` (before anything it governs), the footer's title last (after
    the report's own ``@page`` rule, whose ``string()`` Chromium cannot fill)."""
    policy = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    footer = f"<style>@page {{ @bottom-left {{ content: {_css_string(title)}; }} }}</style>"
    lower = markup.lower()
    start, end = lower.find("<head>"), lower.find("</head>")
    if 0 <= start < end:
        start += len("<head>")
        return markup[:start] + policy + markup[start:end] + footer + markup[end:]
    return f"<!DOCTYPE html><html><head>{policy}{footer}</head><body>{markup}</body></html>"


def _executor():
    """The one thread of this process that talks to the browser.

    Playwright's synchronous API runs an event loop in the thread that starts
    it; kept in the caller's thread, it would stop that thread from using
    asyncio afterwards (papermill, another Playwright session). So the
    browser lives in a thread of its own, and every call goes through it.
    """
    from concurrent.futures import ThreadPoolExecutor

    with _lock:
        executor = _session.get("executor")
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmf-chromium")
            _session["executor"] = executor
            _register_close()
        return executor


def _browser():
    """This process's browser (in the browser thread), launched on first use."""
    browser = _session.get("browser")
    if browser is not None and browser.is_connected():
        return browser
    _close_browser()
    executable = browser_path()
    if executable is None:
        raise ChromiumError("no Chromium browser found: install it (`make system`, Debian's chromium "
                            "package) or set PMF_PDF_ENGINE=weasyprint")
    from playwright.sync_api import sync_playwright

    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    driver = sync_playwright().start()
    try:
        browser = driver.chromium.launch(executable_path=executable, args=args)
    except Exception as exc:  # noqa: BLE001 — Playwright's errors have no common type worth naming
        driver.stop()
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ChromiumError(f"Chromium ({executable}) could not be started: {first}. Set "
                            "PMF_PDF_ENGINE=weasyprint to print the PDFs with WeasyPrint instead") from exc
    _session.update(driver=driver, browser=browser)
    return browser


def start() -> None:
    """Launch this process's browser now (an export process readies it before its first report)."""
    _executor().submit(_browser).result()


def warm_up() -> None:
    """Start launching this process's browser without waiting for it
    (``pmf export`` writes the HTML meanwhile). A launch that fails here is
    tried again, and reported, by the first print."""
    _executor().submit(_browser)


def _register_close() -> None:
    """Close the browser when this process ends, including a multiprocessing
    worker, which skips ``atexit`` but runs its ``Finalize`` hooks."""
    from multiprocessing import util

    util.Finalize(None, close, exitpriority=10)
    import atexit

    atexit.register(close)


def close() -> None:
    """Close this process's browser and its thread, if it has them."""
    with _lock:
        executor = _session.pop("executor", None)
    if executor is not None:
        try:
            executor.submit(_close_browser).result(timeout=30)
        except Exception:  # noqa: BLE001 — closing what is already gone
            pass
        executor.shutdown(wait=False)


def _close_browser() -> None:
    _session.pop("page", None)
    _session.pop("context", None)
    browser, driver = _session.pop("browser", None), _session.pop("driver", None)
    for stop in (getattr(browser, "close", None), getattr(driver, "stop", None)):
        if stop is not None:
            try:
                stop()
            except Exception:  # noqa: BLE001 — already gone
                pass


def print_pdf(markup: str, *, title: str, folder: Path) -> bytes:
    """The PDF of ``markup`` (A4, the stylesheet's own page size and margins)."""
    return _executor().submit(_print, markup, title, Path(folder)).result()


def _page():
    """The one page this process prints with (in the browser thread): one
    browser context with JavaScript off, one tab, navigated from report to
    report. A context and tab for each report cost twice the time (10 small
    reports 6.5 s against 3.1 s): each started a renderer of its own."""
    page = _session.get("page")
    if page is not None and not page.is_closed():
        return page
    context = _browser().new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(PRINT_TIMEOUT_S * 1000)
    _session.update(context=context, page=page)
    return page


def _forget_page() -> None:
    """After a failure, the next report starts on a fresh context and tab."""
    context = _session.pop("context", None)
    _session.pop("page", None)
    if context is not None:
        try:
            context.close()
        except Exception:  # noqa: BLE001 — already gone
            pass


def _print(markup: str, title: str, folder: Path) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".pmf-print-", suffix=".html", dir=folder)
    page_file = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(print_markup(markup, title=title))
        page = _page()
        try:
            page.goto(page_file.as_uri(), wait_until="load")
            data = page.pdf(format="A4", print_background=True, prefer_css_page_size=True, tagged=True,
                            outline=True)
            page.goto("about:blank")  # let go of the report (and its file) before it is removed
            return data
        except Exception:
            _forget_page()
            raise
    except ChromiumError:
        raise
    except Exception as exc:  # noqa: BLE001
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ChromiumError(f"Chromium could not print the PDF: {first}") from exc
    finally:
        page_file.unlink(missing_ok=True)
