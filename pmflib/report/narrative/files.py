"""The narrative file: its format, parsing, merging with fresh drafts, and reading and writing it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from pmflib.inputs.files import atomic_write
from pmflib.core.constants import (
    NARRATIVE_DRAFT_MARKER,
    NARRATIVE_INDICATOR_VALUES,
    NARRATIVE_SECTION_PREFIX,
    NARRATIVE_SECTION_TITLES,
    NARRATIVE_SUFFIX,
)
from pmflib.report.narrative.drafts import (
    _p,
)
from pmflib.report.narrative.keys import (
    _NAME,
    NarrativeError,
    PlaceholderError,
    _check_key,
    report_key,
)
from pmflib.report.narrative.placeholders import (
    fill_placeholders,
)

# --- the narrative file (parsing and merging are pure) --------------------------------------
_MARKER_START = re.compile(r"^##[ \t]+@")
_MARKER = re.compile(r"^##[ \t]+@(?P<key>[A-Za-z0-9][A-Za-z0-9._-]*)(?:[ \t]+(?P<title>.*?))?[ \t]*$")
_DRAFT_LINE = re.compile(r"^[ \t]*<!--[ \t]*draft:.*-->[ \t]*$", re.IGNORECASE)
_HEADER_START = "<!-- PMF Workbook narrative"
_GENERATED_HEADER = re.compile(re.escape(_HEADER_START) + r".*?-->[ \t]*\n*", re.DOTALL)


@dataclass(frozen=True)
class Section:
    """One section of a narrative file: its text without the draft line."""

    key: str
    title: str
    text: str
    is_draft: bool


@dataclass(frozen=True)
class _Block:
    section: Section
    heading: str  # the "## @key title" line as written, with its newline
    raw: str  # the whole block as written, heading included


def _normalise(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _section_text(body: list[str]) -> tuple[str, bool]:
    kept, draft = [], False
    for line in body:
        bare = line.rstrip("\n")
        if _DRAFT_LINE.match(bare):
            draft = True
            continue
        kept.append(bare)
    while kept and not kept[0].strip():
        kept.pop(0)
    while kept and not kept[-1].strip():
        kept.pop()
    return "\n".join(kept), draft


def _parse(text: str, where: str) -> tuple[str, list[_Block]]:
    header: list[str] = []
    found: list[tuple[str, str, list[str], int]] = []
    first_line: dict[str, int] = {}
    for number, line in enumerate(_lines(_normalise(text)), start=1):
        bare = line.rstrip("\n")
        if _MARKER_START.match(bare):
            match = _MARKER.match(bare)
            if match is None:
                raise NarrativeError(
                    f"{where}, line {number}: {bare!r} is not a section line. Write it as "
                    f"'{NARRATIVE_SECTION_PREFIX}section-key Title' (the key is letters, digits, "
                    "'-', '_' or '.', with no spaces)."
                )
            key = match["key"]
            if key in first_line:
                raise NarrativeError(
                    f"{where}, line {number}: section @{key} appears twice (first at line "
                    f"{first_line[key]}). Merge the two into one section."
                )
            first_line[key] = number
            found.append((key, (match["title"] or "").strip(), [line], number))
        elif found:
            found[-1][2].append(line)
        else:
            header.append(line)
    blocks = []
    for key, title, lines, _number in found:
        body_text, draft = _section_text(lines[1:])
        blocks.append(_Block(Section(key, title, body_text, draft), lines[0], "".join(lines)))
    return "".join(header), blocks


def parse_narrative(text: str, where: str = "narrative") -> dict[str, Section]:
    """The sections of a narrative file's text, in file order, by key."""
    _header, blocks = _parse(text, where)
    return {block.section.key: block.section for block in blocks}


def _comment_safe(value: str) -> str:
    """A value shown inside the generated HTML comment: one line, and never
    the ``-->`` that would end the comment early."""
    return re.sub(r"\s+", " ", value).replace("--", "- -")


_HEADER_TEMPLATE = """{start}: {report_key}{period}

This comment is written by the workbook every time the report runs: anything
typed here is replaced. Write in the sections below it.

* A section starts with a line "## @key Title". Keep the "## @key" part (the
  title may be changed) and write Markdown below it: paragraphs, **bold**,
  lists, tables, [links](https://example.org). HTML is shown as typed, not
  run; links may only be http, https or mailto.
* A section the workbook drafted from the data has a "draft:" comment line
  under its title, and the report shows it with a "Draft" banner. Replace the
  text and delete that line: from then on re-running the cycle never changes
  the section. While the line is there, a re-run on corrected returns
  refreshes the draft.
* Quote numbers with placeholders, which are filled from the data when the
  report is built, e.g. {{{{ kpi_green }}}} of {{{{ kpi_count }}}} KPIs. Write \\{{{{ for
  literal braces. Per-indicator names end with the Indicator ID in lower case
  with every character other than a letter or digit as _ (KPI-01 becomes
  actual_kpi_01); per-outcome counts start outcome_<outcome id>_ likewise.
* After editing, re-export without re-running the notebooks:
  pmf export --period "{period_label}"

Placeholders and their values now:
{values}
-->

"""


#: Per-outcome values shown on each outcome's line of the header (the rest follow the rule).
_HEADER_OUTCOME_NAMES = ("kpi_count", "kpi_green", "kpi_amber", "kpi_red", "action_count")


def _header_values(available: Mapping[str, str]) -> str:
    """The placeholder list, compact enough to scroll past: every council-wide
    name with its value, then one line per outcome and one per indicator
    (a council has hundreds of per-indicator names)."""
    indicator_prefixes = list(NARRATIVE_INDICATOR_VALUES)
    first = f"{indicator_prefixes[0]}_"
    claimed: set[str] = set()
    indicator_lines = []
    for name in available:
        if not name.startswith(first):
            continue
        key = name[len(first):]
        family = [f"{prefix}_{key}" for prefix in indicator_prefixes if f"{prefix}_{key}" in available]
        claimed.update(family)
        indicator_lines.append("  " + "; ".join(f"{n} = {_comment_safe(available[n])}" for n in family))
    outcome_lines = []
    for name in available:
        if not name.startswith("outcome_") or f"{name}_kpi_count" not in available or name in claimed:
            continue
        family = [n for n in available if n.startswith(f"{name}_") and n[len(name) + 1:] in available]
        claimed.update(family + [name])
        shown = [f"{name}_{suffix} = {_comment_safe(available[f'{name}_{suffix}'])}"
                 for suffix in _HEADER_OUTCOME_NAMES if f"{name}_{suffix}" in available]
        outcome_lines.append(f"  {_p(name)} = {_comment_safe(available[name])}; " + "; ".join(shown))
    lines = [f"  {_p(n)} = {_comment_safe(str(v))}" for n, v in available.items() if n not in claimed]
    if outcome_lines:
        lines += ["", "For each outcome, every count and list above also exists as",
                  "outcome_<outcome id>_<name> (e.g. outcome_o1_kpi_red):"] + outcome_lines
    if indicator_lines:
        lines += ["", "For each indicator (write any of these as {{ name }}):"] + indicator_lines
    return "\n".join(lines) if lines else "  (none)"


def narrative_header(report_key: str, available: Mapping[str, str]) -> str:
    """The generated comment at the top of a narrative file: how to edit it and
    every placeholder with its current value, so an analyst never guesses a name."""
    period_label = _comment_safe(str(available.get("period", "")))
    return _HEADER_TEMPLATE.format(
        start=_HEADER_START,
        report_key=report_key,
        period=f", {period_label}" if period_label else "",
        period_label=period_label or "PERIOD",
        values=_header_values(available),
    )


def _fills(text: str, available: Mapping[str, str]) -> bool:
    """Whether every placeholder in ``text`` is known (and well formed).

    Why: a draft an analyst has typed into, with a placeholder typo, must not
    be silently replaced by a fresh draft on the next run; kept as written, it
    fails loudly when the report shows it (file, section, nearest name).
    """
    try:
        fill_placeholders(text, available, where="draft")
    except PlaceholderError:
        return False
    return True


def _draft_body(heading: str, text: str) -> str:
    return f"{heading.rstrip(chr(10))}\n{NARRATIVE_DRAFT_MARKER}\n\n{text.strip(chr(10))}\n\n"


def merge_narrative(
    existing: str | None,
    report_key: str,
    drafts: Mapping[str, str],
    available: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    where: str = "narrative",
) -> str:
    """The narrative file's new text: the header regenerated, every section an
    analyst has made their own kept exactly as written, drafts still marked as
    drafts refreshed, and sections missing from the file added as drafts.

    Why only marked drafts are refreshed: the analyst's deletion of the draft
    line is the one signal that the text is theirs and must survive re-runs.
    A draft whose placeholders do not all fill (a typo typed into it) is kept
    as written too, so the typo fails the report instead of vanishing.
    A draft section the report no longer generates is kept as it is.
    """
    _check_key(report_key, "report key")
    for key in drafts:
        _check_key(key, "section key")
    titles = dict(titles or {})
    header, blocks = _parse(existing, where) if existing is not None else ("", [])
    parts = [narrative_header(report_key, available)]
    foreign = _GENERATED_HEADER.sub("", header, count=1).strip("\n")
    if foreign.strip():
        parts.append(foreign + "\n\n")  # text someone typed above the first section: kept
    seen = set()
    for block in blocks:
        key = block.section.key
        seen.add(key)
        if block.section.is_draft and key in drafts and _fills(block.section.text, available):
            parts.append(_draft_body(block.heading, drafts[key]))
        else:
            parts.append(block.raw if block.raw.endswith("\n") else block.raw + "\n")
    for key, text in drafts.items():
        if key in seen:
            continue
        if not parts[-1].endswith("\n\n"):
            parts.append("\n")
        title = titles.get(key, NARRATIVE_SECTION_TITLES.get(key, ""))
        heading = f"{NARRATIVE_SECTION_PREFIX}{key}" + (f" {title}" if title else "")
        parts.append(_draft_body(heading, text))
    return "".join(parts)


# --- file I/O ----------------------------------------------------------------------------
def narrative_path(folder: "Path | str", report_key: str) -> Path:
    return Path(folder) / f"{_check_key(report_key, 'report key')}{NARRATIVE_SUFFIX}"


def _write_atomic(path: Path, text: str) -> None:
    """An analyst's file is never left half written (and JupyterLab never sees
    a partial file); it keeps the permissions it had."""
    mode = (path.stat().st_mode & 0o777) if path.exists() else 0o644
    atomic_write(path, text.encode("utf-8"), mode=mode, durable=True)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise NarrativeError(
            f"{path}: the narrative file is missing. Run the report once (pmf run) to create it "
            "with drafts, then edit it."
        ) from exc
    except UnicodeDecodeError as exc:
        raise NarrativeError(f"{path}: is not UTF-8 text; save it as UTF-8 in the editor") from exc


def ensure_narrative(
    folder: "Path | str",
    report_key: str,
    drafts: Mapping[str, str],
    available: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
) -> Path:
    """Create or update ``<folder>/<report key>.md`` (see ``merge_narrative``)
    and return its path. The file is written only when its text changes."""
    path = narrative_path(folder, report_key)
    existing = _read(path) if path.exists() else None
    text = merge_narrative(existing, report_key, drafts, available, titles=titles, where=str(path))
    if existing is None or text != _normalise(existing):
        _write_atomic(path, text)
    return path


def read_narrative(path: "Path | str") -> dict[str, Section]:
    """The sections of a narrative file, in file order, by key."""
    path = Path(path)
    return parse_narrative(_read(path), str(path))


def save_context(context: Mapping[str, object], path: "Path | str") -> Path:
    """Keep the placeholder values a notebook used, so ``pmf export`` can fill
    edited narrative without the data or a re-run."""
    clean = {}
    for name, value in context.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            raise NarrativeError(f"{name!r} is not a placeholder name (letters, digits and _ only)")
        clean[name] = "" if value is None else str(value)
    path = Path(path)
    _write_atomic(path, json.dumps(clean, ensure_ascii=False, indent=1) + "\n")
    return path


def load_context(path: "Path | str") -> dict[str, str]:
    """The placeholder values saved by ``save_context``, checked."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NarrativeError(
            f"{path}: the saved narrative values are missing; run the period again (pmf run) "
            "before exporting"
        ) from exc
    except json.JSONDecodeError as exc:
        raise NarrativeError(f"{path}: the saved narrative values are not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise NarrativeError(f"{path}: expected placeholder names and text values")
    return data
