"""PDFs printed by headless Chromium, one browser per process, kept for the run.

Why: WeasyPrint lays out a large council's reports at about a third of a
second a page (the 66-page Cabinet report 15-20 s, the quarter's PDFs about
70 s of CPU, most of a cycle). Chromium's layout engine prints the same HTML,
with the same print stylesheet, in a fraction of that (the same Cabinet
report about 4 s), tagged for assistive technology with a document outline.
The browser is Debian's own (``scripts/setup-system.sh`` installs it and its
headless shell; the tests already use it); nothing is downloaded. It is
driven over its own DevTools pipe (``--remote-debugging-pipe``: JSON
messages on two file descriptors), not through Playwright, whose Node.js
driver was a process of 140 MB and ~1 s of CPU a run between us and the
browser, for the five commands a print needs.

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

import base64
import itertools
import json
import os
import select
import shutil
import signal
import tempfile
import threading
import time
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
#: This process's browser thread, browser and tab.
_session: dict = {}
#: A4 in inches, as the DevTools protocol takes paper sizes (the report's own
#: ``@page`` size wins: preferCSSPageSize).
A4_INCHES = (8.27, 11.7)


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
    """Can this machine print with Chromium (a browser, and a way to start it with its pipe)?"""
    return browser_path() is not None and hasattr(os, "posix_spawn")


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
    """The one thread of this process that talks to the browser, so that
    reports printed from several threads take turns on its one tab."""
    from concurrent.futures import ThreadPoolExecutor

    with _lock:
        executor = _session.get("executor")
        if executor is None:
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmf-chromium")
            _session["executor"] = executor
            _register_close()
        return executor


class _Gone(ChromiumError):
    """The browser closed its pipe: it exited or crashed."""


class DevTools:
    """One Chromium process and its DevTools pipe.

    Chromium reads commands from its file descriptor 3 and writes answers
    and events to 4, each a JSON message ended by a NUL byte. Commands to a
    tab carry the ``sessionId`` of the tab's attachment (flat sessions).
    """

    def __init__(self, executable: str, args: list[str]):
        self.profile = tempfile.mkdtemp(prefix="pmf-chromium-")
        self.log = tempfile.TemporaryFile()  # the browser's stderr: its words if it cannot start
        to_browser, self._out = os.pipe()
        self._in, from_browser = os.pipe()
        devnull = os.open(os.devnull, os.O_RDWR)
        actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1),
                   (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
                   (os.POSIX_SPAWN_DUP2, to_browser, 3), (os.POSIX_SPAWN_DUP2, from_browser, 4)]
        argv = [executable, *args, f"--user-data-dir={self.profile}", "--remote-debugging-pipe",
                "--no-startup-window"]
        try:
            self.pid = os.posix_spawn(executable, argv, dict(os.environ), file_actions=actions)
        except OSError:
            self._close_pipes()
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        finally:
            for fd in (devnull, to_browser, from_browser):
                os.close(fd)
        self._buffer = bytearray()
        self._ids = itertools.count(1)
        self.events: list[dict] = []

    # --- messages -------------------------------------------------------------------------------
    def call(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float = PRINT_TIMEOUT_S) -> dict:
        """Send a command and wait for its answer (events read meanwhile are kept)."""
        ident = next(self._ids)
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            try:
                data = data[os.write(self._out, data):]
            except BrokenPipeError:
                raise _Gone("Chromium stopped") from None
        deadline = time.monotonic() + timeout
        while True:
            reply = self._message(deadline, f"within {timeout:g} s (waiting for {method})")
            if reply.get("id") == ident:
                if "error" in reply:
                    raise ChromiumError(f"{method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, event: str, *, session: str, timeout: float = PRINT_TIMEOUT_S) -> dict:
        """The next ``event`` from the tab, kept or still to come."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event and message.get("sessionId") == session:
                    del self.events[: index + 1]
                    return message
            self.events.clear()
            self.events.append(self._message(deadline, f"within {timeout:g} s (waiting for {event})"))

    def _message(self, deadline: float, waiting_for: str) -> dict:
        while (end := self._buffer.find(b"\0")) < 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChromiumError(f"Chromium did not answer {waiting_for}")
            if select.select([self._in], [], [], remaining)[0]:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise _Gone("Chromium stopped")
                self._buffer += chunk
        raw = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        return json.loads(raw)

    # --- the browser's life -----------------------------------------------------------------------
    def exited(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG)[0] != 0
        except ChildProcessError:
            return True

    def what_it_said(self) -> str:
        """The first line the browser wrote to stderr, or how it exited."""
        self.log.seek(0)
        lines = [line.strip() for line in self.log.read(8192).decode("utf-8", "replace").splitlines()]
        return next((line for line in lines if line), "it exited as it started")

    def close(self) -> None:
        """Ask the browser to close; stop it if it does not within 5 s."""
        try:
            self.call("Browser.close", timeout=5)
        except ChromiumError:
            pass
        deadline = time.monotonic() + 5
        while not self.exited() and time.monotonic() < deadline:
            time.sleep(0.02)
        if not self.exited():
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        self._close_pipes()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _close_pipes(self) -> None:
        for fd in (self._out, self._in):
            try:
                os.close(fd)
            except OSError:
                pass


def _browser() -> DevTools:
    """This process's browser (in the browser thread), launched on first use."""
    browser = _session.get("browser")
    if browser is not None and not browser.exited():
        return browser
    _close_browser()
    executable = browser_path()
    if executable is None:
        raise ChromiumError("no Chromium browser found: install it (`make system`, Debian's chromium "
                            "package) or set PMF_PDF_ENGINE=weasyprint")
    args = list(LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    if "headless-shell" not in Path(executable).name:
        args += ["--headless", "--hide-scrollbars", "--mute-audio"]
    try:
        browser = DevTools(executable, args)
    except OSError as exc:
        raise _not_started(executable, exc.strerror or str(exc)) from exc
    try:
        browser.call("Browser.getVersion", timeout=30)
    except ChromiumError as exc:
        said = browser.what_it_said() if isinstance(exc, _Gone) else str(exc)
        browser.close()
        raise _not_started(executable, said) from None
    _session["browser"] = browser
    return browser


def _not_started(executable: str, why: str) -> ChromiumError:
    return ChromiumError(f"Chromium ({executable}) could not be started: {why}. Set "
                         "PMF_PDF_ENGINE=weasyprint to print the PDFs with WeasyPrint instead")


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
        executor.shutdown(wait=True)  # a print under way finishes first
    # The pipe is not tied to the thread that opened it: closed from here, it
    # is closed at interpreter exit too, when the executor takes no more work.
    _close_browser()


def _close_browser() -> None:
    _session.pop("tab", None)
    browser = _session.pop("browser", None)
    if browser is not None:
        browser.close()


def print_pdf(markup: str, *, title: str, folder: Path) -> bytes:
    """The PDF of ``markup`` (A4, the stylesheet's own page size and margins)."""
    return _executor().submit(_print, markup, title, Path(folder)).result()


def _tab() -> tuple[DevTools, str]:
    """The one tab this process prints with (in the browser thread): in a
    browser context of its own, JavaScript off, navigated from report to
    report. A context and tab for each report cost twice the time (10 small
    reports 6.5 s against 3.1 s): each started a renderer of its own."""
    browser = _browser()
    if "tab" in _session:
        return browser, _session["tab"][0]
    context = browser.call("Target.createBrowserContext", {"disposeOnDetach": True})["browserContextId"]
    target = browser.call("Target.createTarget", {"url": "about:blank", "browserContextId": context})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    browser.call("Page.enable", session=session)
    browser.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
    _session["tab"] = (session, context)
    return browser, session


def _forget_tab(browser: DevTools) -> None:
    """After a failure, the next report starts on a fresh context and tab."""
    tab = _session.pop("tab", None)
    if tab is not None:
        try:
            browser.call("Target.disposeBrowserContext", {"browserContextId": tab[1]}, timeout=5)
        except ChromiumError:
            pass


def _open(browser: DevTools, session: str, url: str) -> None:
    """Navigate the tab and wait for the page's load event."""
    browser.events.clear()
    result = browser.call("Page.navigate", {"url": url}, session=session)
    if result.get("errorText"):
        raise ChromiumError(f"the page could not be opened ({result['errorText']})")
    browser.wait_for("Page.loadEventFired", session=session)


def _let_go_of_the_report(browser: DevTools, session: str) -> None:
    """Leave the printed report and collect its garbage now.

    The tab keeps a printed report's document until the renderer's garbage
    collector gets round to it, which it had not by the next report: printing
    the large council's Cabinet report three times in one tab held 580 MB,
    against 85 MB collected after each (peak 614 → 372 MB), at no cost in time."""
    _open(browser, session, "about:blank")  # also lets go of the report's file before it is removed
    browser.call("HeapProfiler.collectGarbage", session=session)


def _print(markup: str, title: str, folder: Path) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=".pmf-print-", suffix=".html", dir=folder)
    page_file = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(print_markup(markup, title=title))
        browser, session = _tab()
        try:
            _open(browser, session, page_file.as_uri())
            width, height = A4_INCHES
            pdf = browser.call("Page.printToPDF", {
                "printBackground": True, "preferCSSPageSize": True, "paperWidth": width, "paperHeight": height,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
                "generateTaggedPDF": True, "generateDocumentOutline": True}, session=session)
            data = base64.b64decode(pdf["data"])
            _let_go_of_the_report(browser, session)
            return data
        except _Gone:
            _close_browser()  # the next report starts a new browser
            raise ChromiumError("Chromium stopped while printing the PDF") from None
        except ChromiumError:
            _forget_tab(browser)
            raise
    finally:
        page_file.unlink(missing_ok=True)
