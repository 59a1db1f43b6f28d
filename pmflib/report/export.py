"""Executed notebook → published HTML (nbconvert, our thin template) → PDF (WeasyPrint).

The HTML is the primary, accessible form; the PDF is made from the same HTML
so the two never disagree. Narrative is refreshed from the analysts' files
first, which is what lets ``pmf export`` pick up edits without re-running.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from pmflib.core.errors import ReportError
from pmflib.inputs.files import atomic_write

TEMPLATES = Path(__file__).parent / "nbtemplates"
CSS = Path(__file__).parent / "assets" / "report.css"
#: Cells that never appear in a published report.
REMOVED_TAGS = ("parameters", "injected-parameters", "remove-cell")


class ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last step: re-parsing the whole
    page with BeautifulSoup to give images without alt text a stock one and to
    make JupyterLab cells focusable.

    Why: that parse and re-serialisation was nearly all of a report's HTML
    export (4.7 s of the large council's 4.8 s Cabinet export), and neither
    job applies here: our template has no JupyterLab cells, and every image we
    draw carries alt text written from its data. An image without one (an
    analyst's own ``<img>`` in narrative) still gets a stated lack of
    description, by ``give_images_alt_text``, so no image is silent.
    """

    def from_notebook_node(self, nb, resources=None, **kw):  # noqa: D102 — nbconvert's hook
        from nbconvert.exporters.templateexporter import TemplateExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        self.register_filter("highlight_code", self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
        resources = self._init_resources(resources)
        self.register_filter("filter_data_type", WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources))
        markup, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        return give_images_alt_text(markup), resources


#: An ``<img`` tag with no ``alt`` attribute before its end.
_IMG_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt\s*=)", re.IGNORECASE)
NO_ALT_TEXT = "No description has been provided for this image"


def give_images_alt_text(markup: str) -> str:
    """Every ``<img>`` without alt text says that it has none (as nbconvert does)."""
    return _IMG_WITHOUT_ALT.sub(f'<img alt="{NO_ALT_TEXT}"', markup)


def _exporter() -> HTMLExporter:
    exporter = ReportExporter(
        template_name="pmf",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
        embed_images=True,
    )
    remover = TagRemovePreprocessor(remove_cell_tags=set(REMOVED_TAGS), enabled=True)
    exporter.register_preprocessor(remover, enabled=True)
    return exporter


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_COLOUR_NAME = re.compile(r"[a-z][a-z0-9-]*")


def colour_css(colours: dict | None) -> str:
    """The council's colours as CSS custom properties. Only ``#rrggbb`` values
    (and plain names) are ever written: they land inside <style>, where any
    other text could end the style and start a script (issue 13). Workbook.open
    refuses bad ones with a message; this is the second line of defence."""
    pairs = [(str(k), str(v)) for k, v in (colours or {}).items()
             if _COLOUR_NAME.fullmatch(str(k)) and _COLOUR.fullmatch(str(v))]
    if not pairs:
        return ""
    return "\n:root { " + " ".join(f"--pmf-{name}: {value};" for name, value in pairs) + " }\n"


def produced_words(nb, produced: "date | None" = None) -> str:
    """When the report was produced and from which run: "03 December 2026 at 13:45,
    from the 2026-27 Q2 run" (the period is the one papermill ran the notebook for)."""
    from datetime import datetime

    when = produced or datetime.now()
    text = when.strftime("%d %B %Y at %H:%M") if isinstance(when, datetime) else when.strftime("%d %B %Y")
    period = (nb.get("metadata", {}).get("papermill", {}).get("parameters", {}) or {}).get("period")
    return f"{text}, from the {period} run" if period else text


def notebook_to_html(nb, *, title: str, council: str, produced: date | None = None, colours: dict | None = None) -> str:
    """The published HTML of an executed notebook: no code, prompts or errors."""
    css = CSS.read_text(encoding="utf-8")
    css += colour_css(colours)
    resources = {
        "pmf_title": title,
        "pmf_council": council,
        "pmf_produced": produced_words(nb, produced),
        "pmf_css": css,
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


def allowed_url(url: str, roots: list[Path]) -> bool:
    """May the PDF renderer load ``url``? Only ``data:`` URIs and files inside
    the run's own folders: never the network, never another file on the
    machine (a hostile ``<link rel=attachment href=file:///etc/passwd>`` would
    otherwise embed it in every PDF, issue 13)."""
    from urllib.parse import unquote, urlsplit

    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    target = Path(unquote(parts.path)).resolve()
    return any(target.is_relative_to(Path(root).resolve()) for root in roots)


def run_files_fetcher(roots: list[Path], resources: dict[str, tuple[bytes, str]] | None = None):
    """A WeasyPrint URL fetcher that refuses everything ``allowed_url`` refuses.

    ``resources`` are the images ``pmflib.report.printable`` lifted out of the
    markup, served from memory by their ``pmf-print:`` address.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    held = dict(resources or {})

    class RunFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in held:
                data, media_type = held[url]
                return URLFetcherResponse(url, data, headers={"Content-Type": media_type})
            if not allowed_url(url, roots):
                raise ValueError(f"refused to load {url[:80]!r}: only the run's own files may be used in a PDF")
            return super().fetch(url, headers)

    return RunFilesFetcher(allowed_protocols=("data", "file"), allow_redirects=False)


#: The PDF engines: Chromium (fast; Debian's browser, driven by Playwright) and
#: WeasyPrint (pure Python and Pango, for machines without a browser).
PDF_ENGINES = ("chromium", "weasyprint")


def pdf_engine() -> str:
    """Which engine prints the PDFs: ``PMF_PDF_ENGINE`` if set, else Chromium
    where the machine has it, else WeasyPrint (a conda install on Windows or
    macOS, say), so a PDF is always made."""
    import os

    chosen = os.environ.get("PMF_PDF_ENGINE", "").strip().lower()
    if chosen:
        if chosen not in PDF_ENGINES:
            raise ReportError(f"PMF_PDF_ENGINE is {chosen!r}: use one of {', '.join(PDF_ENGINES)}")
        return chosen
    from pmflib.report import chromium

    return "chromium" if chromium.available() else "weasyprint"


def ready_pdf_printer(*, wait: bool = True) -> None:
    """Start the PDF printer before the first report needs it: Chromium's
    launch (WeasyPrint has nothing to start). ``wait=False`` launches it in the
    background; a launch that fails is tried again, and reported, by the print."""
    if pdf_engine() == "chromium":
        from pmflib.report import chromium

        chromium.start() if wait else chromium.warm_up()


def html_to_pdf(markup: str, pdf_path: Path, *, title: str, base_url: str | None = None,
                engine: str | None = None) -> Path:
    """A4 PDF with page numbers and the title in the footer, tagged for accessibility.

    Made from the same HTML as the page, less what the print stylesheet hides.
    """
    from pmflib.report.printable import printable, without_print_hidden

    engine = engine or pdf_engine()
    base = base_url or str(Path(pdf_path).parent)
    if engine == "chromium":
        from pmflib.report import chromium

        try:
            data = chromium.print_pdf(without_print_hidden(markup), title=title, folder=Path(base))
        except chromium.ChromiumError as error:
            raise ReportError(str(error)) from None  # the caller names the report
        atomic_write(Path(pdf_path), data)
        return Path(pdf_path)
    from weasyprint import HTML

    markup, resources = printable(markup)
    document = HTML(string=markup, base_url=base, url_fetcher=run_files_fetcher([Path(base)], resources))
    atomic_write(Path(pdf_path), document.write_pdf(pdf_variant="pdf/ua-1", metadata={"title": title}) or b"")
    return Path(pdf_path)


def export_notebook(
    executed: Path, html_path: Path, pdf_path: Path | None, *, title: str, council: str,
    narrative_folder: Path | None = None, context_path: Path | None = None, colours: dict | None = None,
) -> tuple[Path, Path | None]:
    """Write the HTML (and PDF) of one executed report notebook, narrative refreshed."""
    nb = nbformat.read(executed, as_version=4)
    if narrative_folder is not None and context_path is not None and Path(context_path).exists():
        from pmflib.report.narrative import load_context, refresh_notebook

        nb = refresh_notebook(nb, narrative_folder, load_context(context_path))
    markup = notebook_to_html(nb, title=title, council=council, colours=colours)
    atomic_write(Path(html_path), markup.encode("utf-8"))
    if pdf_path is not None:
        html_to_pdf(markup, Path(pdf_path), title=title, base_url=str(Path(html_path).parent))
    return Path(html_path), (Path(pdf_path) if pdf_path is not None else None)
