"""Analysts' narrative (SPEC §9): per-period Markdown files, numbers quoted
through placeholders, drafts generated from the data, and safe rendering of
the untrusted text that ends up in a published report.

Why a file per period and report: the narrative is an analyst's work and must
survive re-running the cycle on corrected returns, so it is an *input*
(``inputs/narrative/<period slug>/<report key>.md``), never something kept
only in an executed notebook that the next run replaces.

The file::

    <!-- PMF Workbook narrative: ... (generated; lists every placeholder) -->

    ## @summary One-minute summary
    <!-- draft: generated from the data; replace this text and delete this line -->

    {{ kpi_green }} of {{ kpi_count }} KPIs are on target ...

    ## @outcome-O1 O1: A thriving local economy
    Text an analyst wrote (no draft line: never changed by a re-run).

A line ``## @<key> <title>`` starts a section; everything before the first
such line is the generated comment. A section is a draft while its draft line
is there: a re-run refreshes a draft (a corrected return updates an unedited
draft) and never touches a section once an analyst has deleted that line.

Placeholders (``{{ kpi_green }}``) keep quoted numbers tied to the data. They
are a plain regular-expression substitution of named, already formatted
values, not a template language, because the text comes from many hands and
must never run code. An unknown name is an error that names it. ``\\{{``
writes a literal ``{{``.

Per-indicator placeholder names end with the Indicator ID in lower case with
every character other than a-z and 0-9 written as ``_``: ``KPI-01`` →
``actual_kpi_01``; per-outcome counts start ``outcome_<outcome id>_`` in the
same way (``outcome_o1_kpi_red``).

Rendering: narrative and owners' commentary are Markdown from many hands, so
raw HTML is shown as typed, only http, https, mailto and relative links are
links, and the HTML is then cleaned against an allowlist (nh3) as a second
line of defence.

Re-export without re-running: a notebook shows each section through
``render_section`` (HTML carrying ``data-narrative-report`` and
``data-narrative-section``) and saves its placeholder values with
``save_context``; ``refresh_notebook`` later swaps those outputs for the
current text of the narrative file, so ``pmf export`` takes seconds.

The rules (``narrative_context``, ``draft_sections``, ``merge_narrative``,
``parse_narrative``, ``fill_placeholders``, ``render_markdown``,
``section_html``) are pure; reading and writing files happens only in
``ensure_narrative``, ``read_narrative``, ``render_section``,
``save_context``/``load_context`` and ``prepare_narrative``.


The code is split by job into the modules of this package; every name is
importable from ``pmflib.report.narrative`` as before.
"""

from pmflib.report.narrative.context import (  # noqa: F401
    _PREVIOUS_ACTUAL,
    _PREVIOUS_STATUS,
    _REQUIRED_INDICATOR_COLUMNS,
    _check_columns,
    _Context,
    _counted,
    _outcomes,
    _put_counts,
    _with_previous,
    narrative_context,
)
from pmflib.report.narrative.drafts import (  # noqa: F401
    _BENCHMARKING_DRAFT,
    _CASE_STUDIES_DRAFT,
    _actions_list,
    _direction_sentence,
    _exceptions_draft,
    _movement_sentence,
    _outcome_draft,
    _p,
    _status_sentence,
    _summary,
    draft_sections,
    section_titles,
)
from pmflib.report.narrative.files import (  # noqa: F401
    _DRAFT_LINE,
    _GENERATED_HEADER,
    _HEADER_OUTCOME_NAMES,
    _HEADER_START,
    _HEADER_TEMPLATE,
    _MARKER,
    _MARKER_START,
    Section,
    _Block,
    _comment_safe,
    _draft_body,
    _fills,
    _header_values,
    _lines,
    _normalise,
    _parse,
    _read,
    _section_text,
    _write_atomic,
    ensure_narrative,
    load_context,
    merge_narrative,
    narrative_header,
    narrative_path,
    parse_narrative,
    read_narrative,
    save_context,
)
from pmflib.report.narrative.formatting import (  # noqa: F401
    _decimals,
    _flag,
    _names,
    _percent,
    format_value,
)
from pmflib.report.narrative.keys import (  # noqa: F401
    _KEY,
    _NAME,
    NarrativeError,
    PlaceholderError,
    _check_key,
    key_part,
    outcome_section_key,
    placeholder_name,
    report_key,
)
from pmflib.report.narrative.markdown import (  # noqa: F401
    _IGNORED_IN_URLS,
    _SCHEME,
    _adjust,
    _parser,
    clean_html,
    is_safe_link,
    render_inline,
    render_markdown,
)
from pmflib.report.narrative.placeholders import (  # noqa: F401
    _LEADING_MARKER,
    _MARKDOWN_SPECIAL,
    _NAME_HELP,
    _PLACEHOLDER,
    _unknown,
    escape_markdown,
    fill_placeholders,
    placeholders_in,
)
from pmflib.report.narrative.sections import (  # noqa: F401
    _DISPLAY_OUTPUTS,
    _MARKED_TAG,
    _NARRATIVE_ELEMENT,
    _REPORT_ATTRIBUTE,
    _SECTION_ATTRIBUTE,
    NarrativeHtml,
    __all__,
    _render_from,
    narrative_markers,
    prepare_narrative,
    refresh_notebook,
    render_section,
    section_html,
)
