"""Filling ``{{ name }}`` placeholders: a plain substitution, never a template language (pure)."""

from __future__ import annotations

import difflib
import re
from typing import Mapping

from pmflib.report.narrative.drafts import (
    _p,
)
from pmflib.report.narrative.keys import (
    _NAME,
    PlaceholderError,
    placeholder_name,
)

# --- placeholders (pure) -------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"\\\{\{|\{\{(?P<body>[^{}\n]*)\}\}|\{\{")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~#&{}])")
_LEADING_MARKER = re.compile(r"^([-+=])")
_NAME_HELP = (
    "Names are lower case; per-indicator names end with the Indicator ID in lower case with every "
    "character other than a letter or digit written as _ (KPI-01 → actual_kpi_01)."
)


def escape_markdown(value: str) -> str:
    """Quote a data value in Markdown as text: an indicator called ``A*B`` must
    not turn into emphasis, nor a value start a list or a new paragraph."""
    flat = re.sub(r"\s+", " ", value)
    return _LEADING_MARKER.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", flat))


def _unknown(name: str, context: Mapping[str, str], where: str, problem: str) -> PlaceholderError:
    suggestions: list[str] = []
    normalised = placeholder_name(name)
    if normalised in context and normalised != name:
        suggestions.append(normalised)
    for match in difflib.get_close_matches(normalised or name, list(context), n=3, cutoff=0.6):
        if match not in suggestions:
            suggestions.append(match)
    hint = (
        "Did you mean " + " or ".join(_p(s) for s in suggestions) + "? "
        if suggestions else "No placeholder has a similar name. "
    )
    message = (
        f"{problem} {_p(name) if name else '{{ }}'} in {where}. {hint}"
        "Every placeholder, with its current value, is listed in the comment at the top of the "
        f"narrative file. {_NAME_HELP}"
    )
    return PlaceholderError(message, name, where, suggestions)


def fill_placeholders(text: str, context: Mapping[str, str], *, where: str, markdown: bool = True) -> str:
    """``{{ name }}`` → the value of ``name``; ``\\{{`` → a literal ``{{``.

    An unknown name, a name that is not a name, or an opening ``{{`` with no
    closing ``}}`` on the same line is an error naming the placeholder and
    ``where`` (file and section), so nothing half-filled is ever published.
    With ``markdown`` (the default) each value is escaped so it reads as
    text, whatever characters the data holds.
    """

    def replace(match: re.Match) -> str:
        whole = match.group(0)
        if whole == "\\{{":
            return "{{"
        body = match.group("body")
        if body is None:
            raise PlaceholderError(
                f"An opening {{{{ with no closing }}}} on the same line in {where}. Close the "
                "placeholder, or write \\{{ for literal braces.",
                "{{", where, [],
            )
        name = body.strip()
        if not _NAME.fullmatch(name):
            raise _unknown(name, context, where, "Not a placeholder name:")
        if name not in context:
            raise _unknown(name, context, where, "Unknown placeholder")
        value = str(context[name])
        return escape_markdown(value) if markdown else value

    return _PLACEHOLDER.sub(replace, text)


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order, once each (escaped ``\\{{`` skipped)."""
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        body = match.group("body")
        if body is not None and body.strip() not in names:
            names.append(body.strip())
    return names
