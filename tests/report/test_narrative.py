"""Tests for pmflib.narrative: the narrative file, placeholders, drafts, safe
Markdown and re-export without re-running.

The period below is built by hand (no register, no ledger) and every expected
count, list and formatted number was worked out from its rows on paper; the
comments beside the rows show the working.
"""

from __future__ import annotations

import html
import json
import re
from types import SimpleNamespace

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pmflib.core import constants as c
from pmflib.report import narrative as n
from pmflib.core.errors import PmfError
from pmflib.core.periods import Period

NAN = float("nan")
Q2 = Period(2025, 2)  # 2025-26 Q2, Jul–Sep 2025; previous 2025-26 Q1

# --- a hand-made period ------------------------------------------------------------------
# 4 KPIs (2 Green, 1 Amber, 1 Red that was Green last quarter) and one non-KPI
# that is Red now and was Red last quarter.
#   id        outcome KPI status  last-q  direction   unit    dec actual
#   K1        O1      Y   Green   Green   Improving   %       1   54.25 -> "54.3%" (half up)
#   K2        O1      Y   Green   Amber   Improving   £       0   1200  -> "£1,200"
#   K3        O1      Y   Amber   Red     Maintained  days    0   12    -> "12 days"
#   KPI-04 b  O-2     Y   Red     Green   Declining   number  0   NaN   -> "not available"
#   N1        O-2     N   Red     Red     Declining   per 1,000 homes 2   3.456 -> "3.46 per 1,000 homes"
_IND_COLUMNS = [
    "Indicator ID", "Indicator", "Outcome ID", "Outcome", "Service", "Owner", "KPI", "Headline",
    "Unit", "Decimals", "Polarity", "Actual", "Forecast Year-End", "Target", "Status",
    "Status Reason", "Direction", "Compared With", "Comparison Value", "Commentary", "Corrective Action",
]
_ROWS = [
    ["K1", "Rent collected", "O1", "Thriving economy", "Housing", "Ann", True, True, "%", 1,
     c.HIGHER_IS_BETTER, 54.25, NAN, 60.0, c.GREEN, c.REASON_ON_TRACK, c.IMPROVING, "2025-26 Q1", 50.0, "", ""],
    ["K2", "Grants paid", "O1", "Thriving economy", "Finance", "Bob", True, False, "£", 0,
     c.HIGHER_IS_BETTER, 1200.0, NAN, 1000.0, c.GREEN, c.REASON_MET, c.IMPROVING, "2025-26 Q1", 900.0, "", ""],
    ["K3", "Days to process claims", "O1", "Thriving economy", "Benefits", "Cat", True, False, "days", 0,
     c.LOWER_IS_BETTER, 12.0, NAN, 1.0, c.AMBER, "x", c.MAINTAINED, "2025-26 Q1", 12.0, "", ""],
    ["KPI-04 b", "Missed bins", "O-2", "Clean streets", "Waste", "Dan", True, False, "number", 0,
     c.LOWER_IS_BETTER, NAN, NAN, 10.0, c.RED, "x", c.DECLINING, "2025-26 Q1", 8.0, "", ""],
    ["N1", "Fly-tips", "O-2", "Clean streets", "Waste", "Dan", False, False, "per 1,000 homes", 2,
     c.LOWER_IS_BETTER, 3.456, NAN, 2.0, c.RED, "x", c.DECLINING, "2025-26 Q1", 3.0, "", ""],
]
_PREVIOUS_STATUS = {"K1": c.GREEN, "K2": c.AMBER, "K3": c.RED, "KPI-04 b": c.GREEN, "N1": c.RED}
_PREVIOUS_ACTUAL = {"K1": 50.0, "K2": 900.0, "K3": 12.0, "KPI-04 b": 8.0, "N1": 3.0}


def _period_result(**changes) -> SimpleNamespace:
    indicators = pd.DataFrame(_ROWS, columns=_IND_COLUMNS)
    previous = indicators.copy()
    previous["Status"] = previous["Indicator ID"].map(_PREVIOUS_STATUS)
    previous["Actual"] = previous["Indicator ID"].map(_PREVIOUS_ACTUAL)
    actions = pd.DataFrame({
        "Action ID": ["A1", "A2", "A3"],
        "Outcome ID": ["O1", "O1", "O-2"],
        "Status": [c.DELIVERED, c.ON_TARGET, c.SLIPPED_MORE],
        "Slippage Months": [0.0, 0.0, 4.0],
    })
    outcomes = pd.DataFrame({"Outcome ID": ["O1", "O-2"], "Outcome": ["Thriving economy", "Clean streets"]})
    fields = dict(
        period=Q2, indicators=indicators, previous_indicators=previous, actions=actions,
        outcomes=outcomes, exceptions={}, data_quality=pd.DataFrame({"Problem": ["a", "b", "c"]}),
    )
    fields.update(changes)
    return SimpleNamespace(**fields)


@pytest.fixture
def result():
    return _period_result()


@pytest.fixture
def context(result):
    return n.narrative_context(result)


# --- narrative_context: hand-worked counts ---------------------------------------------------
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("period", "2025-26 Q2"),
        ("period_months", "Jul–Sep 2025"),
        ("previous_period", "2025-26 Q1"),
        ("kpi_count", "4"),
        ("kpi_count_text", "4 KPIs"),
        ("kpi_red_text", "1 KPI"),
        ("kpi_green", "2"),
        ("kpi_amber", "1"),
        ("kpi_red", "1"),
        ("kpi_measured", "0"),
        ("kpi_not_reported", "0"),
        ("kpi_green_percent", "50%"),  # 2 of 4
        ("indicator_count", "5"),
        ("indicator_red", "2"),  # KPI-04 b and N1
        ("indicator_green_percent", "40%"),  # 2 of 5
        ("kpi_improving", "2"),
        ("kpi_maintained", "1"),
        ("kpi_declining", "1"),
        ("indicator_declining", "2"),
        ("kpis_moved_to_red", "Missed bins"),  # Green -> Red
        ("kpis_moved_to_red_count", "1"),
        ("kpis_moved_out_of_red", "Days to process claims"),  # K3 Red -> Amber
        ("indicators_moved_to_red", "Missed bins"),  # N1 was Red already
        ("kpis_green", "Rent collected, Grants paid"),
        ("kpis_measured", "none"),
        ("previous_red_count", "2"),  # K3 and N1
        ("previous_red_now_amber", "1"),
        ("previous_red_now_red", "1"),
        ("previous_red_still_red", "Fly-tips"),
        ("action_count", "3"),
        ("action_count_text", "3 actions"),
        ("actions_delivered", "1"),
        ("actions_on_target", "1"),
        ("actions_slipped_less", "0"),
        ("actions_slipped_more", "1"),
        ("actions_scheduled", "0"),
        ("actions_not_viable", "0"),
        ("outcome_count", "2"),
        ("outcome_o1", "Thriving economy"),
        ("outcome_o1_kpi_count", "3"),
        ("outcome_o1_kpi_green", "2"),
        ("outcome_o1_actions_delivered", "1"),
        ("outcome_o_2", "Clean streets"),
        ("outcome_o_2_kpi_red", "1"),
        ("outcome_o_2_indicator_red", "2"),
        ("outcome_o_2_action_count", "1"),
        ("outcome_o_2_actions_slipped_more", "1"),
        ("data_quality_problem_count", "3"),
    ],
)
def test_narrative_context_counts(context, name, value):
    assert context[name] == value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("actual_k1", "54.3%"),  # 54.25 rounded half up, not to even
        ("target_k1", "60.0%"),
        ("status_k1", c.GREEN),
        ("previous_actual_k1", "50.0%"),
        ("actual_k2", "£1,200"),
        ("actual_k3", "12 days"),
        ("target_k3", "1 day"),
        ("actual_kpi_04_b", c.NARRATIVE_NO_VALUE),  # "KPI-04 b": lower case, '-' and ' ' as '_'
        ("status_kpi_04_b", c.RED),
        ("previous_status_kpi_04_b", c.GREEN),
        ("name_kpi_04_b", "Missed bins"),
        ("direction_kpi_04_b", c.DECLINING),
        ("actual_n1", "3.46 per 1,000 homes"),
        ("comparison_n1", "3.00 per 1,000 homes"),
        ("compared_with_n1", "2025-26 Q1"),
        ("owner_n1", "Dan"),
    ],
)
def test_narrative_context_per_indicator(context, name, value):
    assert context[name] == value


def test_narrative_context_values_are_all_text(context):
    assert all(isinstance(v, str) for v in context.values())


def test_moved_to_red_counts_a_kpi_new_this_quarter():
    """A KPI with no row last quarter that is Red now has moved to Red."""
    result = _period_result()
    result.previous_indicators = result.previous_indicators[result.previous_indicators["Indicator ID"] != "K1"]
    result.indicators.loc[0, "Status"] = c.RED
    ctx = n.narrative_context(result)
    assert ctx["kpis_moved_to_red"] == "Rent collected, Missed bins"
    assert ctx["previous_status_k1"] == c.NARRATIVE_NO_VALUE


def test_empty_period_gives_zero_counts_and_no_percent():
    empty = pd.DataFrame({col: pd.Series(dtype="object") for col in _IND_COLUMNS})
    result = _period_result(indicators=empty, previous_indicators=empty, actions=pd.DataFrame(
        {"Outcome ID": pd.Series(dtype="str"), "Status": pd.Series(dtype="str")}))
    ctx = n.narrative_context(result)
    assert ctx["kpi_count"] == "0"
    assert ctx["kpi_green_percent"] == c.NARRATIVE_NO_VALUE
    assert ctx["kpis_moved_to_red"] == c.NARRATIVE_NONE


def test_ids_that_share_a_placeholder_name_are_an_error():
    result = _period_result()
    result.indicators.loc[1, "Indicator ID"] = "k1"  # "K1" and "k1" are both "k1"
    with pytest.raises(n.NarrativeError, match=r"name_k1 \}\} \(indicator K1 and indicator k1\)"):
        n.narrative_context(result)


def test_missing_columns_are_named():
    result = _period_result(indicators=pd.DataFrame({"Indicator ID": ["K1"]}))
    with pytest.raises(n.NarrativeError, match="Status"):
        n.narrative_context(result)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        pytest.param(54.25, "%", 1, "54.3%", id="percent-half-up"),
        pytest.param(1200, "£", 0, "£1,200", id="money"),
        pytest.param(-1200.4, "£", 0, "-£1,200", id="negative-money"),
        pytest.param(12, "days", 0, "12 days", id="days"),
        pytest.param(1, "days", 0, "1 day", id="one-day"),
        pytest.param(1, "days", 1, "1.0 days", id="one-point-zero-days"),
        pytest.param(1234567.891, "number", 2, "1,234,567.89", id="number"),
        pytest.param(3.45, "rate", None, "3.5", id="rate-default-decimals"),
        pytest.param(7, "", 0, "7", id="no-unit"),
        pytest.param(7, "hours", 0, "7 hours", id="free-text-unit"),
        pytest.param(-0.04, "%", 1, "0.0%", id="rounds-to-zero-no-sign"),
        pytest.param(NAN, "%", 1, c.NARRATIVE_NO_VALUE, id="nan"),
        pytest.param(None, "%", 1, c.NARRATIVE_NO_VALUE, id="none"),
        pytest.param(float("inf"), "%", 1, c.NARRATIVE_NO_VALUE, id="infinite"),
    ],
)
def test_format_value(value, unit, decimals, text):
    assert n.format_value(value, unit, decimals) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [("KPI-04 b", "kpi_04_b"), ("O1", "o1"), ("  H.1/2 ", "h_1_2"), ("abc", "abc")],
)
def test_placeholder_name(text, name):
    assert n.placeholder_name(text) == name


@pytest.mark.parametrize(
    ("report_id", "audience", "outcome", "key"),
    [
        ("quarterly", "Cabinet", None, "quarterly-cabinet"),
        ("quarterly", "Portfolio Holder", "O3", "quarterly-portfolio-holder-O3"),
        ("exception", "Scrutiny", None, "exception-scrutiny"),
        ("annual", "Public", None, "annual-public"),
        ("data-quality", "Performance team", None, "data-quality-performance-team"),
    ],
)
def test_report_key(report_id, audience, outcome, key):
    assert n.report_key(report_id, audience, outcome) == key


# --- placeholders ------------------------------------------------------------------------------
def test_placeholders_fill_with_or_without_spaces():
    ctx = {"kpi_green": "12", "kpi_count": "15"}
    text = "{{ kpi_green }} of {{kpi_count}} KPIs; {{   kpi_green\t}}"
    assert n.fill_placeholders(text, ctx, where="w") == "12 of 15 KPIs; 12"


def test_unknown_placeholder_names_it_the_place_and_close_matches():
    with pytest.raises(n.PlaceholderError) as caught:
        n.fill_placeholders("x {{ kpi_gren }} y", {"kpi_green": "2", "kpi_red": "1", "period": "p"},
                            where="inputs/narrative/2025-26-Q2/quarterly-cabinet.md, section @summary")
    message = str(caught.value)
    assert "{{ kpi_gren }}" in message
    assert "quarterly-cabinet.md, section @summary" in message
    assert "{{ kpi_green }}" in message  # the suggestion
    assert "top of the narrative file" in message  # where the list is
    assert caught.value.placeholder == "kpi_gren"
    assert caught.value.suggestions[0] == "kpi_green"
    assert isinstance(caught.value, PmfError)


def test_placeholder_written_with_the_raw_id_suggests_the_normalised_name():
    with pytest.raises(n.PlaceholderError) as caught:
        n.fill_placeholders("{{ actual_KPI-04 }}", {"actual_kpi_04": "3"}, where="w")
    assert caught.value.suggestions == ["actual_kpi_04"]
    assert "Not a placeholder name" in str(caught.value)


def test_unknown_placeholder_with_nothing_close():
    with pytest.raises(n.PlaceholderError, match="No placeholder has a similar name"):
        n.fill_placeholders("{{ zzzz }}", {"kpi_green": "2"}, where="w")


def test_escaped_braces_are_literal():
    assert n.fill_placeholders(r"write \{{ kpi_green }} for {{ kpi_green }}", {"kpi_green": "2"},
                               where="w") == "write {{ kpi_green }} for 2"


def test_unclosed_braces_are_an_error():
    with pytest.raises(n.PlaceholderError, match=r"no closing"):
        n.fill_placeholders("a {{ kpi_green and more", {"kpi_green": "2"}, where="w")


def test_values_are_quoted_as_text_not_markdown():
    filled = n.fill_placeholders("Name: {{ a }}", {"a": "**x** <b>\n\n# y"}, where="w")
    assert n.render_markdown(filled) == "<p>Name: **x** &lt;b&gt; # y</p>\n"


def test_values_are_not_filled_twice():
    assert n.fill_placeholders("{{ a }}", {"a": "{{ b }}", "b": "no"}, where="w", markdown=False) == "{{ b }}"


# --- drafts --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "audience", "outcome", "period", "keys"),
    [
        ("quarterly", "Cabinet", None, Q2,
         ["summary", "outcome-O1", "outcome-O-2", "exceptions", "benchmarking"]),
        ("quarterly", "Cabinet", None, Period(2025, 3), ["summary", "outcome-O1", "outcome-O-2", "exceptions"]),
        ("quarterly", "Portfolio Holder", "O-2", Period(2025, 1), ["summary", "exceptions"]),
        ("exception", "Scrutiny", None, Period(2025, 3), ["summary", "exceptions"]),
        ("annual", "Public", None, Period(2025, 4), ["summary", "achievements", "case-studies"]),
        ("data-quality", "Performance team", None, Q2, ["summary"]),
        ("something-new", "Cabinet", None, Q2, ["summary"]),
    ],
)
def test_drafts_use_only_placeholders_the_data_has(kind, audience, outcome, period, keys):
    result = _period_result(period=period, exceptions={
        "red_kpis_missing_commentary": pd.DataFrame({"x": [1]}),
        "slipped_actions_missing_reason": pd.DataFrame({"x": []}),
    })
    drafts = n.draft_sections(result, kind, audience, outcome)
    assert list(drafts) == keys
    ctx = n.narrative_context(result)
    for key, text in drafts.items():
        assert n.placeholders_in(text), f"{key} quotes no data"
        n.fill_placeholders(text, ctx, where=key)  # raises on an unknown name


def test_summary_draft_reads_from_the_data(result, context):
    summary = n.draft_sections(result, "quarterly", "Cabinet")["summary"]
    filled = n.fill_placeholders(summary, context, where="summary")
    assert filled.startswith("2 of 4 KPIs on target (Green) this quarter (50%); Amber: 1; Red: 1.")
    assert " are Amber" not in filled and " are Red" not in filled
    assert "Moved to Red since last quarter: Missed bins." in filled
    assert "- Slipped (more than 3 months): 1" in filled


def test_outcome_titles(result):
    assert n.section_titles(result, ["summary", "outcome-O-2", "mystery"]) == {
        "summary": "One-minute summary", "outcome-O-2": "O-2: Clean streets",
    }


# --- the narrative file ----------------------------------------------------------------------------
DRAFTS = {"summary": "{{ kpi_green }} of {{ kpi_count }} KPIs are Green.", "exceptions": "Red: {{ kpis_red }}."}
AVAILABLE = {"period": "2025-26 Q2", "kpi_green": "2", "kpi_count": "4", "kpis_red": "Missed bins"}


def test_ensure_creates_the_file_with_drafts(tmp_path):
    path = n.ensure_narrative(tmp_path / "2025-26-Q2", "quarterly-cabinet", DRAFTS, AVAILABLE)
    assert path == tmp_path / "2025-26-Q2" / "quarterly-cabinet.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!-- PMF Workbook narrative: quarterly-cabinet, 2025-26 Q2")
    assert "{{ kpi_green }} = 2" in text  # the header lists the values
    assert 'pmf export --period "2025-26 Q2"' in text
    assert "## @summary One-minute summary\n" + c.NARRATIVE_DRAFT_MARKER + "\n" in text
    sections = n.read_narrative(path)
    assert list(sections) == ["summary", "exceptions"]
    assert sections["summary"] == n.Section(
        "summary", "One-minute summary", "{{ kpi_green }} of {{ kpi_count }} KPIs are Green.", True)
    assert sections["exceptions"].is_draft


def test_analyst_edit_survives_a_rerun_on_corrected_data(tmp_path):
    path = n.ensure_narrative(tmp_path, "quarterly-cabinet", DRAFTS, AVAILABLE)
    text = path.read_text(encoding="utf-8")
    edited_summary = "Performance held up: {{ kpi_green }} KPIs are Green.\n\nA second paragraph.  \n"
    text = text.replace(c.NARRATIVE_DRAFT_MARKER + "\n\n{{ kpi_green }} of {{ kpi_count }} KPIs are Green.\n",
                        edited_summary, 1)
    path.write_text(text, encoding="utf-8")
    before = text[text.index("## @summary"):text.index("## @exceptions")]

    corrected = {"summary": "Different draft {{ kpi_red }}.", "exceptions": "New: {{ kpis_red }} and more."}
    n.ensure_narrative(tmp_path, "quarterly-cabinet", corrected, {**AVAILABLE, "kpi_green": "3", "kpi_red": "0"})
    after = path.read_text(encoding="utf-8")
    assert after[after.index("## @summary"):after.index("## @exceptions")] == before  # byte for byte
    sections = n.read_narrative(path)
    assert sections["summary"].is_draft is False
    assert sections["summary"].text == "Performance held up: {{ kpi_green }} KPIs are Green.\n\nA second paragraph.  "
    # the unedited draft was refreshed, and the header shows the new values
    assert sections["exceptions"] == n.Section("exceptions", "Exceptions", "New: {{ kpis_red }} and more.", True)
    assert "{{ kpi_green }} = 3" in after


def test_a_new_section_is_appended_as_a_draft(tmp_path):
    path = n.ensure_narrative(tmp_path, "r", {"summary": "S"}, AVAILABLE)
    path.write_text(path.read_text().replace(c.NARRATIVE_DRAFT_MARKER + "\n", "") + "Mine, no newline at end")
    n.ensure_narrative(tmp_path, "r", {"summary": "S2", "benchmarking": "B"}, AVAILABLE,
                       titles={"benchmarking": "Compared with others"})
    sections = n.read_narrative(path)
    assert list(sections) == ["summary", "benchmarking"]
    assert sections["summary"] == n.Section("summary", "One-minute summary", "S\n\nMine, no newline at end", False)
    assert sections["benchmarking"] == n.Section("benchmarking", "Compared with others", "B", True)


def test_ensure_is_idempotent_and_does_not_rewrite_an_unchanged_file(tmp_path):
    path = n.ensure_narrative(tmp_path, "r", DRAFTS, AVAILABLE)
    first = path.read_text()
    stamp = path.stat().st_mtime_ns
    n.ensure_narrative(tmp_path, "r", DRAFTS, AVAILABLE)
    assert path.read_text() == first
    assert path.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]  # no temporary files left


def test_draft_whose_section_is_no_longer_generated_is_kept(tmp_path):
    path = n.ensure_narrative(tmp_path, "r", DRAFTS, AVAILABLE)
    n.ensure_narrative(tmp_path, "r", {"summary": "S"}, AVAILABLE)
    assert n.read_narrative(path)["exceptions"].text == "Red: {{ kpis_red }}."


def test_text_typed_above_the_first_section_is_kept(tmp_path):
    path = n.ensure_narrative(tmp_path, "r", DRAFTS, AVAILABLE)
    path.write_text("My own note.\n\n" + path.read_text())
    n.ensure_narrative(tmp_path, "r", DRAFTS, AVAILABLE)
    text = path.read_text()
    assert text.count("<!-- PMF Workbook narrative") == 1
    assert "My own note." in text


def test_windows_line_endings_and_bom_are_read(tmp_path):
    path = tmp_path / "r.md"
    path.write_bytes("\ufeff## @summary Title\r\nLine one\r\n\r\n## @other\r\nTwo\r\n".encode("utf-8"))
    sections = n.read_narrative(path)
    assert sections["summary"] == n.Section("summary", "Title", "Line one", False)
    assert sections["other"] == n.Section("other", "", "Two", False)


def test_header_values_cannot_end_the_comment(tmp_path):
    path = n.ensure_narrative(tmp_path, "r", DRAFTS, {**AVAILABLE, "name_x": "a --> b\n## @evil"})
    header = path.read_text().split("-->\n", 1)[0]
    assert "a - -> b ## @evil" in header
    assert list(n.read_narrative(path)) == ["summary", "exceptions"]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        pytest.param("## @summary\nA\n## @summary\nB\n", r"line 3: section @summary appears twice \(first at line 1\)",
                     id="duplicate"),
        pytest.param("## @sum mary: x\n## @bad:key\n", r"line 2: '## @bad:key' is not a section line", id="bad-key"),
    ],
)
def test_malformed_files_name_the_line(text, match):
    with pytest.raises(n.NarrativeError, match=match):
        n.parse_narrative(text, "f.md")


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(n.NarrativeError, match="pmf run"):
        n.read_narrative(tmp_path / "nope.md")


@pytest.mark.parametrize("key", ["../evil", "a b", "", "-x"])
def test_keys_that_are_not_safe_file_names_are_refused(tmp_path, key):
    with pytest.raises(n.NarrativeError):
        n.ensure_narrative(tmp_path, key, DRAFTS, AVAILABLE)


# --- safe Markdown -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<script>alert(1)</script>", id="script"),
        pytest.param("<img src=x onerror=alert(1)>", id="img-onerror"),
        pytest.param('<a href="javascript:alert(1)">x</a>', id="raw-a"),
        pytest.param("[x](javascript:alert(1))", id="javascript"),
        pytest.param("[x](JaVaScRiPt:alert(1))", id="mixed-case"),
        pytest.param("[x](jav&#x61;script:alert(1))", id="entity"),
        pytest.param("[x](javascript&colon;alert(1))", id="named-entity"),
        pytest.param("[x](<java\tscript:alert(1)>)", id="tab"),
        pytest.param("<javascript:alert(1)>", id="autolink"),
        pytest.param("[x](data:text/html;base64,PHNjcmlwdD4=)", id="data"),
        pytest.param("![x](data:image/png;base64,AAAA)", id="data-image"),
        pytest.param("[x](vbscript:msgbox)", id="vbscript"),
        pytest.param("[x](ftp://example.org/f) [y](file:///etc/passwd)", id="other-schemes"),
        pytest.param('<div style="x" onclick="y">z</div>', id="style-onclick"),
    ],
)
def test_render_markdown_makes_no_active_content(text):
    rendered = n.render_markdown(text)
    lower = rendered.lower()
    assert "<script" not in lower
    assert "<img" not in lower
    assert "<div" not in lower
    assert not re.search(r"<[^>]*\s(on\w+|style)\s*=", lower)
    assert "<a " not in lower  # none of these is a link


def test_raw_html_is_shown_as_typed():
    assert n.render_markdown("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_unsafe_link_becomes_plain_text():
    assert n.render_markdown("[x](javascript:alert(1))") == "<p>[x](javascript:alert(1))</p>\n"


def test_render_markdown_keeps_formatting():
    text = (
        "Some **bold** and *em*.\n\n- one\n- two\n\n1. first\n\n"
        "| Name | Value |\n|:-----|------:|\n| a | 1 |\n\n"
        "[site](https://example.org) [mail](mailto:a@b.org) [here](#summary) [doc](docs/a.html)"
    )
    rendered = n.render_markdown(text)
    assert "<strong>bold</strong>" in rendered and "<em>em</em>" in rendered
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in rendered
    assert "<ol>\n<li>first</li>\n</ol>" in rendered
    assert '<th class="narrative-align-left">Name</th>' in rendered
    assert '<td class="narrative-align-right">1</td>' in rendered
    for href in ("https://example.org", "mailto:a@b.org", "#summary", "docs/a.html"):
        assert f'<a href="{href}" rel="noopener noreferrer">' in rendered


def test_clean_html_is_a_second_line_of_defence():
    dirty = (
        '<p onclick="x()" style="color:red">a<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">b</a><a href="https://x.org" target="_blank">c</a>'
        '<img src="x" onerror="y"><h1>d</h1><iframe src="https://x.org"></iframe><!-- hidden -->'
    )
    assert n.clean_html(dirty) == (
        '<p>a</p><a rel="noopener noreferrer">b</a><a href="https://x.org" rel="noopener noreferrer">c</a>d'
    )


def test_headings_sit_below_the_report_headings():
    assert n.render_markdown("# Top\n\n### Three") == "<h4>Top</h4>\n<h6>Three</h6>\n"


def test_render_inline_unwraps_one_paragraph_and_keeps_cell_line_breaks():
    assert n.render_inline("On *track*\nsee note") == "On <em>track</em><br>\nsee note"
    assert n.render_inline("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
    assert n.render_inline(NAN) == ""
    assert n.render_inline("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


_DANGER = st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "javascript:", "JaVaScRiPt:",
    "jav&#x61;script:", "&colon;", "&#106;", "[x](", "](", ")", "<", ">", '"', "'", " onclick=",
    "onmouseover=", "![a](", "data:", "<a href=", "`", "\n", "\t", "|", "---", "*", "#",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), _DANGER), max_size=25).map("".join))
def test_property_no_script_handlers_or_javascript_links(text):
    for rendered in (n.render_markdown(text), n.render_inline(text)):
        lower = rendered.lower()
        assert "<script" not in lower
        assert not re.search(r"<[^>]*\son\w+\s*=", lower)
        for href in re.findall(r'href="([^"]*)"', lower):
            assert not re.sub(r"[\x00-\x20]", "", html.unescape(href)).startswith(("javascript:", "data:", "vbscript:"))


# --- section HTML ----------------------------------------------------------------------------------
def test_section_html_with_title_and_draft_banner():
    out = n.section_html("quarterly-cabinet", "summary", "Two **KPIs**.", is_draft=True, title="One-minute <summary>")
    assert out.startswith(
        '<section class="narrative" data-narrative-report="quarterly-cabinet" data-narrative-section="summary" '
        'data-narrative-draft="true" aria-labelledby="narrative-quarterly-cabinet-summary">'
    )
    assert '<h3 class="narrative-title" id="narrative-quarterly-cabinet-summary">One-minute &lt;summary&gt;</h3>' in out
    assert f'<p class="narrative-draft-banner" role="note"><strong>{c.NARRATIVE_DRAFT_BANNER}</strong></p>' in out
    assert "<p>Two <strong>KPIs</strong>.</p>" in out
    assert out.endswith("</section>")


def test_section_html_reviewed_without_title_has_a_name_and_no_banner():
    out = n.section_html("r", "exceptions", "Text", is_draft=False)
    assert 'aria-label="Exceptions"' in out
    assert "narrative-draft-banner" not in out and "data-narrative-draft" not in out


def test_empty_reviewed_section_is_hidden_but_findable():
    out = n.section_html("r", "summary", "  \n", is_draft=False, title="T")
    assert out == '<section class="narrative" data-narrative-report="r" data-narrative-section="summary" hidden></section>'
    assert n.narrative_markers(out) == [("r", "summary")]


# --- context files and re-export ------------------------------------------------------------------
def test_context_round_trip(tmp_path, context):
    path = n.save_context({**context, "extra": 3}, tmp_path / "ctx.json")
    loaded = n.load_context(path)
    assert loaded["kpi_green"] == "2" and loaded["extra"] == "3"
    assert list(loaded)[:2] == ["period", "period_months"]


@pytest.mark.parametrize("content", ["not json", json.dumps(["a"]), json.dumps({"a": 1})])
def test_bad_context_files_are_errors(tmp_path, content):
    path = tmp_path / "ctx.json"
    path.write_text(content)
    with pytest.raises(n.NarrativeError, match="ctx.json"):
        n.load_context(path)


def _executed_notebook(folder, context) -> nbformat.NotebookNode:
    """A notebook as papermill leaves it: a heading, a stream, a narrative
    display, and a table with an image (both must be left alone)."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("# Quarterly report"))
    stream = nbformat.v4.new_code_cell("print('hi')", outputs=[nbformat.v4.new_output("stream", text="hi\n")])
    shown = n.render_section(folder, "quarterly-cabinet", "summary", context)
    narrative = nbformat.v4.new_code_cell("narrative.render_section(...)", outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/html": shown._repr_html_(), "text/plain": repr(shown)}, execution_count=2)])
    table = nbformat.v4.new_code_cell("table", outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": "<table><tr><td>1</td></tr></table>",
                                                      "text/plain": "table"}),
        nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo="}),
    ])
    nb.cells.extend([stream, narrative, table])
    return nb


def test_refresh_replaces_exactly_the_narrative_output(tmp_path, result):
    context = n.prepare_narrative(result, tmp_path, "quarterly-cabinet", "quarterly", "Cabinet",
                                  context_path=tmp_path / "ctx" / "quarterly-cabinet.json")
    nb = _executed_notebook(tmp_path, context)
    original = nbformat.writes(nb)
    old_html = nb.cells[2].outputs[0]["data"]["text/html"]
    assert "2 of 4 KPIs on target (Green)" in old_html and "narrative-draft-banner" in old_html

    # the analyst replaces the draft summary and deletes the draft line
    path = tmp_path / "quarterly-cabinet.md"
    sections = n.read_narrative(path)
    text = path.read_text()
    start = text.index("## @summary")
    end = text.index("## @", start + 1)
    text = text[:start] + "## @summary At a glance\nReviewed: **{{ kpi_red }}** Red, {{ actual_k1 }}.\n\n" + text[end:]
    path.write_text(text)

    fresh = n.refresh_notebook(nb, tmp_path, n.load_context(tmp_path / "ctx" / "quarterly-cabinet.json"))
    assert nbformat.writes(nb) == original  # the input notebook is untouched
    output = fresh.cells[2].outputs[0]
    assert output["output_type"] == "execute_result" and output["execution_count"] == 2
    assert output["data"]["text/html"] == n.section_html(
        "quarterly-cabinet", "summary", "Reviewed: **1** Red, 54.3%.", is_draft=False, title="At a glance")
    assert output["data"]["text/plain"] == "Narrative quarterly-cabinet @summary"
    for index in (0, 1, 3):
        assert fresh.cells[index] == nb.cells[index]
    assert sections["outcome-O1"].is_draft  # untouched sections stay drafts
    nbformat.validate(fresh)


def test_refresh_with_an_unknown_placeholder_names_it(tmp_path, result):
    context = n.prepare_narrative(result, tmp_path, "quarterly-cabinet", "quarterly", "Cabinet")
    nb = _executed_notebook(tmp_path, context)
    path = tmp_path / "quarterly-cabinet.md"
    path.write_text(path.read_text().replace("{{ kpi_green }} of {{ kpi_count_text }} on target",
                                              "{{ kpi_greens }} of {{ kpi_count_text }} on target"))
    with pytest.raises(n.PlaceholderError, match=r"\{\{ kpi_greens \}\}.*quarterly-cabinet\.md, section @summary"):
        n.refresh_notebook(nb, tmp_path, context)


def test_refresh_when_the_section_was_deleted_says_what_to_do(tmp_path, result):
    context = n.prepare_narrative(result, tmp_path, "quarterly-cabinet", "quarterly", "Cabinet")
    nb = _executed_notebook(tmp_path, context)
    path = tmp_path / "quarterly-cabinet.md"
    path.write_text(path.read_text().replace("## @summary", "## @renamed"))
    with pytest.raises(n.NarrativeError, match="has no section @summary"):
        n.refresh_notebook(nb, tmp_path, context)


def test_narrative_html_displays_in_a_notebook():
    shown = n.NarrativeHtml("<section>x</section>", "r", "s")
    assert shown._repr_html_() == "<section>x</section>"
    assert repr(shown) == "Narrative r @s"


def test_every_status_and_action_status_has_a_placeholder_name():
    assert set(c.NARRATIVE_STATUS_NAMES) == set(c.STATUSES)
    assert set(c.NARRATIVE_ACTION_STATUS_NAMES) == set(c.ACTION_STATUSES)
    assert set(c.NARRATIVE_DIRECTION_NAMES) == set(c.DIRECTIONS)


def test_header_lists_outcomes_and_indicators_one_line_each(context):
    header = n.narrative_header("quarterly-cabinet", context)
    assert "  {{ kpi_red }} = 1\n" in header
    assert "  {{ outcome_o_2 }} = Clean streets; outcome_o_2_kpi_count = 1; outcome_o_2_kpi_green = 0; " \
           "outcome_o_2_kpi_amber = 0; outcome_o_2_kpi_red = 1; outcome_o_2_action_count = 1\n" in header
    assert "  name_k3 = Days to process claims; owner_k3 = Cat; actual_k3 = 12 days; " in header
    assert "{{ actual_k3 }}" not in header and "{{ outcome_o1_kpi_amber }}" not in header  # not listed twice


def test_refresh_replaces_only_the_narrative_inside_a_larger_output(tmp_path):
    """A report output may hold narrative between tables and charts (an outcome
    section); refreshing must swap the narrative and keep everything else."""
    import nbformat

    folder = tmp_path / "narr"
    n.ensure_narrative(folder, "r", {"summary": "Old text"}, {})
    path = n.narrative_path(folder, "r")
    path.write_text("## @summary\nNew text from the analyst.\n", encoding="utf-8")
    inner = n.section_html("r", "summary", "Old text", is_draft=False)
    markup = f"<h2>Outcome</h2>{inner}<table><caption>KPIs</caption></table>"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": markup, "text/plain": "x"},
                                           execution_count=1)]
    nb.cells = [cell]
    fresh = n.refresh_notebook(nb, folder, {})
    html_out = fresh.cells[0].outputs[0]["data"]["text/html"]
    assert "New text from the analyst." in html_out and "Old text" not in html_out
    assert html_out.startswith("<h2>Outcome</h2>") and html_out.endswith("<caption>KPIs</caption></table>")


def test_an_outcome_section_does_not_repeat_its_generated_title_under_the_outcome_heading(tmp_path):
    from pmflib.report.narrative.sections import _is_default_outcome_title, _render_from

    key = n.outcome_section_key("O-2")
    assert _is_default_outcome_title(key, "O-2: Safe streets")
    assert not _is_default_outcome_title(key, "Safe streets: what we did")  # an analyst's own title stays
    sections = n.parse_narrative(f"## @{key} O-2: Safe streets\nFewer burglaries.\n")
    markup = _render_from(sections, tmp_path / "x.md", "quarterly-cabinet", key, {})
    assert "Fewer burglaries." in markup and "O-2: Safe streets" not in markup
    own = n.parse_narrative(f"## @{key} What changed on our streets\nFewer burglaries.\n")
    assert "What changed on our streets" in _render_from(own, tmp_path / "x.md", "quarterly-cabinet", key, {})
