"""The HTML a notebook shows for a section, and re-export without re-running."""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from pmflib.core.constants import (
    NARRATIVE_DEFAULT_TITLE,
    NARRATIVE_DRAFT_BANNER,
    NARRATIVE_SECTION_PREFIX,
    NARRATIVE_SECTION_TITLES,
    NARRATIVE_TITLE_HEADING_LEVEL,
)
from pmflib.report.narrative.context import (
    narrative_context,
)
from pmflib.report.narrative.drafts import (
    draft_sections,
    section_titles,
)
from pmflib.report.narrative.files import (
    Section,
    ensure_narrative,
    narrative_path,
    read_narrative,
    save_context,
)
from pmflib.report.narrative.keys import (
    NarrativeError,
    _check_key,
    outcome_section_key,
    report_key,
)
from pmflib.report.narrative.markdown import (
    render_markdown,
)
from pmflib.report.narrative.placeholders import (
    fill_placeholders,
)


# --- the HTML a notebook shows (pure) ---------------------------------------------------------
@dataclass(frozen=True)
class NarrativeHtml:
    """A rendered section that displays as HTML in JupyterLab and papermill
    (``_repr_html_``), so a notebook needs no IPython import to show it."""

    html: str
    report_key: str = ""
    section_key: str = ""

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return f"Narrative {self.report_key} @{self.section_key}"


def section_html(
    report_key: str, section_key: str, text: str, *, is_draft: bool, title: str | None = None
) -> str:
    """One narrative section as a report shows it.

    The ``data-narrative-*`` attributes let ``refresh_notebook`` find it again
    after the analyst edits the file; a draft carries a visible banner (text,
    not colour) so no reader mistakes generated text for reviewed text; an
    empty section is kept (hidden) so a later edit can still fill it.
    """
    report_key = _check_key(report_key, "report key")
    section_key = _check_key(section_key, "section key")
    body = render_markdown(text)
    ident = f"narrative-{report_key}-{section_key}"
    attributes = [
        'class="narrative"',
        f'data-narrative-report="{report_key}"',
        f'data-narrative-section="{section_key}"',
    ]
    if is_draft:
        attributes.append('data-narrative-draft="true"')
    if not body and not is_draft:
        return f"<section {' '.join(attributes)} hidden></section>"
    parts = []
    if title and title.strip():
        attributes.append(f'aria-labelledby="{ident}"')
        level = NARRATIVE_TITLE_HEADING_LEVEL
        heading = html.escape(title.strip())
        parts.append(f'<h{level} class="narrative-title" id="{ident}">{heading}</h{level}>')
    else:
        label = NARRATIVE_SECTION_TITLES.get(section_key, NARRATIVE_DEFAULT_TITLE)
        attributes.append(f'aria-label="{html.escape(label)}"')
    if is_draft:
        banner = html.escape(NARRATIVE_DRAFT_BANNER)
        parts.append(f'<p class="narrative-draft-banner" role="note"><strong>{banner}</strong></p>')
    if body:
        parts.append(body)
    return f"<section {' '.join(attributes)}>\n" + "\n".join(parts) + "\n</section>"


def _render_from(sections: Mapping[str, Section], path: Path, report_key: str, section_key: str,
                 context: Mapping[str, str]) -> str:
    section = sections.get(section_key)
    if section is None:
        raise NarrativeError(
            f"{path}: has no section @{section_key}, which the report shows. Add a line "
            f"'{NARRATIVE_SECTION_PREFIX}{section_key}' with its text, or run the period again "
            "(pmf run) to add it as a draft."
        )
    filled = fill_placeholders(section.text, context, where=f"{path}, section @{section_key}")
    title = section.title or None
    if title and _is_default_outcome_title(section_key, title):
        # "O01: <outcome>" helps an analyst find their place in the file; in the
        # report the outcome's own heading already says it, so it is not repeated.
        title = None
    return section_html(report_key, section_key, filled, is_draft=section.is_draft, title=title)


def _is_default_outcome_title(section_key: str, title: str) -> bool:
    """Is ``title`` the generated "<Outcome ID>: <outcome>" of this outcome's section?"""
    outcome_id, separator, _ = title.partition(": ")
    return bool(separator) and outcome_section_key(outcome_id.strip()) == section_key


def render_section(
    folder: "Path | str", report_key: str, section_key: str, context: Mapping[str, str]
) -> NarrativeHtml:
    """One section of the current narrative file, placeholders filled, ready to display."""
    path = narrative_path(folder, report_key)
    markup = _render_from(read_narrative(path), path, report_key, section_key, context)
    return NarrativeHtml(markup, report_key, section_key)


def prepare_narrative(
    result,
    folder: "Path | str",
    report_key: str,
    report_kind: str,
    audience: str,
    outcome_id: str | None = None,
    context_path: "Path | str | None" = None,
) -> dict[str, str]:
    """What a report notebook does before showing narrative, in one call (so
    the notebook stays linear): work out the values, create or refresh the
    narrative file's drafts, save the values for ``pmf export``."""
    context = narrative_context(result)
    drafts = draft_sections(result, report_kind, audience, outcome_id)
    ensure_narrative(folder, report_key, drafts, context, titles=section_titles(result, drafts))
    if context_path is not None:
        save_context(context, context_path)
    return context


# --- re-export without re-running ---------------------------------------------------------------
_MARKED_TAG = re.compile(r"<[A-Za-z][^>]*\bdata-narrative-section=\"[^\"]*\"[^>]*>")
_REPORT_ATTRIBUTE = re.compile(r"\bdata-narrative-report=\"([^\"]*)\"")
_SECTION_ATTRIBUTE = re.compile(r"\bdata-narrative-section=\"([^\"]*)\"")
_DISPLAY_OUTPUTS = ("display_data", "execute_result")
#: One whole narrative section as ``section_html`` writes it. Narrative HTML
#: never contains a ``<section>`` of its own (the sanitiser does not allow
#: one), so the first closing tag ends it; the rest of an output (tables,
#: charts around an outcome's narrative) is left exactly as executed.
_NARRATIVE_ELEMENT = re.compile(
    r"<section\b[^>]*\bdata-narrative-section=\"[^\"]*\"[^>]*>.*?</section>", re.DOTALL
)


def narrative_markers(markup: str) -> list[tuple[str, str]]:
    """(report key, section key) of every narrative section in some HTML, in order."""
    markers = []
    for tag in _MARKED_TAG.findall(markup):
        report = _REPORT_ATTRIBUTE.search(tag)
        section = _SECTION_ATTRIBUTE.search(tag)
        if report is None:
            raise NarrativeError(f"A narrative output has no data-narrative-report attribute: {tag}")
        markers.append((html.unescape(report.group(1)), html.unescape(section.group(1))))
    return markers


def refresh_notebook(nb, narrative_folder: "Path | str", context: Mapping[str, str]):
    """A copy of an executed notebook whose narrative outputs show the current
    narrative files, with placeholders filled from ``context``.

    Every narrative ``<section>`` (marked ``data-narrative-section``) inside a
    display output is replaced in place; everything around it, and every
    other output and cell, is left exactly as executed. This is what lets ``pmf export`` pick up edits
    in seconds without re-running a notebook.
    """
    folder = Path(narrative_folder)
    fresh = copy.deepcopy(nb)
    files: dict[str, dict[str, Section]] = {}
    for cell in fresh.get("cells", []):
        for output in cell.get("outputs", []) or []:
            if output.get("output_type") not in _DISPLAY_OUTPUTS:
                continue
            data = output.get("data") or {}
            markup = data.get("text/html")
            if markup is None:
                continue
            if isinstance(markup, list):
                markup = "".join(markup)
            markers = narrative_markers(markup)
            if not markers:
                continue
            def replace_section(match: re.Match) -> str:
                report, section = narrative_markers(match.group(0))[0]
                path = narrative_path(folder, report)
                if report not in files:
                    files[report] = read_narrative(path)
                return _render_from(files[report], path, report, section, context)

            data["text/html"] = _NARRATIVE_ELEMENT.sub(replace_section, markup)
    return fresh


__all__ = [
    "NarrativeError", "PlaceholderError", "Section", "NarrativeHtml",
    "key_part", "report_key", "outcome_section_key", "placeholder_name", "format_value",
    "narrative_context", "draft_sections", "section_titles",
    "escape_markdown", "fill_placeholders", "placeholders_in",
    "parse_narrative", "narrative_header", "merge_narrative", "narrative_path",
    "ensure_narrative", "read_narrative", "save_context", "load_context",
    "is_safe_link", "clean_html", "render_markdown", "render_inline",
    "section_html", "render_section", "prepare_narrative",
    "narrative_markers", "refresh_notebook",
]
