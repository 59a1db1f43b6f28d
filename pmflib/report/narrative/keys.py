"""Narrative errors and the names of things: report keys, section keys, placeholder names."""

from __future__ import annotations

import re

from pmflib.core.constants import NARRATIVE_OUTCOME_PREFIX
from pmflib.core.errors import PmfError


class NarrativeError(PmfError):
    """A narrative file, placeholder or context the analyst must fix; the
    message says which file and section, and what to do."""


class PlaceholderError(NarrativeError):
    """A placeholder that names no value: names it, where it is, and the
    nearest names that do exist."""

    def __init__(self, message: str, placeholder: str, where: str, suggestions: list[str]):
        super().__init__(message)
        self.placeholder = placeholder
        self.where = where
        self.suggestions = suggestions


# --- keys and names ----------------------------------------------------------------------
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_NAME = re.compile(r"[A-Za-z0-9_]+")


def _check_key(key: object, what: str) -> str:
    """A report or section key, checked because it becomes a file name and an HTML id."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise NarrativeError(
            f"{key!r} is not a valid {what}: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit, with no spaces"
        )
    return key


def key_part(text: object) -> str:
    """``Portfolio Holder`` → ``Portfolio-Holder``: text made safe for a key
    (a file name and HTML id); case is kept because IDs are case-sensitive."""
    part = re.sub(r"[^A-Za-z0-9._-]+", "-", str(text).strip()).strip("-.")
    if not part:
        raise NarrativeError(f"{text!r} has no letters or digits to make a narrative key from")
    return part


def report_key(report_id: str, audience: str, outcome_id: str | None = None) -> str:
    """The narrative file's name for one report: ``quarterly-cabinet``,
    ``quarterly-portfolio-holder-O3``, ``data-quality-performance-team``.

    Built here, once, so a notebook and ``pmf export`` always agree on it.
    """
    parts = [key_part(report_id).lower(), key_part(audience).lower()]
    if outcome_id is not None and str(outcome_id).strip():
        parts.append(key_part(outcome_id))
    return "-".join(parts)


def outcome_section_key(outcome_id: object) -> str:
    """``O1`` → ``outcome-O1``: the narrative section for one outcome plan."""
    return NARRATIVE_OUTCOME_PREFIX + key_part(outcome_id)


def placeholder_name(text: object) -> str:
    """``KPI-01`` → ``kpi_01``: an ID as it appears in a placeholder name.

    Lower case, and every character other than a-z and 0-9 becomes ``_``
    (one for one, so the rule is easy to apply by eye).
    """
    return re.sub(r"[^a-z0-9]", "_", str(text).strip().lower())
