"""Reading one messy cell of a return (pmflib.cells): what a service manager
typed, and what it means — or why it cannot be used.

Every expected value below is worked out by hand from SPEC §4 (numbers as
text, ``12%``, ``n/a``, UK dates, Excel serials; ``£3.2m`` is an error, not a
guess). Excel serials count days from 1899-12-30, so:

* 2026-01-01: 1900-01-01 is serial 2; 1900..2025 is 126 years with 31 leap
  years (1904..2024; 1900 is not one) = 46,021 days, so serial 46,023;
* 2026-03-31 is 31 + 28 + 30 days later: 46,023 + 89 = **46,112**;
* 2026-12-31 is 364 days after 2026-01-01: **46,387**;
* 1990-01-01: 90 years, 22 leap years (1904..1988) = 32,872 days after
  1900-01-01, so **32,874** (the first serial accepted as a date);
* 2100-12-31: 2101-01-01 is 201 years and 49 leap years (1904..2096; 2100 is
  not one) = 73,414 days after 1900-01-01, serial 73,416, so **73,415** is the
  last serial accepted.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pytest

from pmflib.core.cells import is_blank, parse_choice, parse_date, parse_number, parse_text
from pmflib.core.constants import PROGRESS_VALUES

NAN = float("nan")


def _case(raw, unit="number", percent_formatted=False, value=None, problem=(), id=None):
    """``value`` when it is read cleanly; ``problem`` words when it is not
    (then no value); neither for "no value and no problem"."""
    return pytest.param(raw, unit, percent_formatted, value, tuple(problem), id=id)


NUMBER_CASES = [
    # numbers typed as text
    _case("1,234", value=1234.0, id="thousands-comma"),
    _case("1,234,567.89", value=1234567.89, id="two-groups-and-decimals"),
    _case(" 45 ", value=45.0, id="spaces-around"),
    _case("\u00a01,234\u00a0", value=1234.0, id="non-breaking-spaces-around"),
    _case("-3.5", value=-3.5, id="negative-decimal"),
    _case("+5", value=5.0, id="explicit-plus"),
    _case(".5", value=0.5, id="leading-point"),
    _case("0", value=0.0, id="zero-text"),
    _case("1 234", value=1234.0, id="space-as-thousands-separator"),
    _case("1 234 567", value=1234567.0, id="spaces-as-thousands-separators"),
    _case("- 5", value=-5.0, id="minus-space-number"),
    # percentages and pounds as text
    _case("12%", unit="%", value=12.0, id="12%-for-a-%-indicator"),
    _case(" 12 % ", unit="%", value=12.0, id="12-space-%-for-a-%-indicator"),
    _case("12.5%", unit="%", value=12.5, id="12.5%-for-a-%-indicator"),
    _case("12%", unit="number", problem=("'12%'", "percentage", "number", "without %"),
          id="12%-for-a-number-indicator"),
    _case("12%", unit="£", problem=("percentage", "£"), id="12%-for-a-pounds-indicator"),
    _case("£1,200", unit="£", value=1200.0, id="pounds-1,200-for-a-pounds-indicator"),
    _case("£ 1,200.50", unit="£", value=1200.5, id="pounds-space-amount-with-pence"),
    _case("-£5", unit="£", value=-5.0, id="minus-before-pounds"),
    _case("£-5", unit="£", value=-5.0, id="minus-after-pounds"),
    _case("£1,200", unit="number", problem=("'£1,200'", "pounds", "number"), id="pounds-for-a-number-indicator"),
    # not numbers: the fix is named, nothing is guessed
    _case("1,23", problem=("'1,23'", "not a number"), id="comma-not-in-threes"),
    _case("1,2345", problem=("not a number",), id="comma-group-of-four"),
    _case("1.234,5", problem=("not a number",), id="european-decimal-comma"),
    _case("12 34", problem=("'12 34'", "not a number"), id="two-numbers-with-a-space"),
    _case("£3.2m", unit="£", problem=("'£3.2m'", "not a number", "type 3200000"), id="pounds-3.2m-shorthand"),
    _case("12k", problem=("not a number", "type 12000"), id="12k-shorthand"),
    _case("£1.5bn", unit="£", problem=("type 1500000000",), id="bn-shorthand"),
    # "3,2" is not a number, so there is no safe figure to suggest
    _case("£3,2m", unit="£", problem=("'£3,2m'", "not a number", "figure only"),
          id="pounds-3,2m-no-figure-suggested"),
    _case("about 40", problem=("'about 40'", "not a number"), id="words-and-a-number"),
    _case("TBC", problem=("'TBC'", "not a number"), id="tbc"),
    _case("(100)", problem=("not a number",), id="accounting-brackets"),
    _case("%", unit="%", problem=("not a number",), id="percent-sign-alone"),
    _case("12.5%%", unit="%", problem=("not a number",), id="double-percent"),
    _case(True, problem=("'True'", "not a number"), id="boolean-true"),
    _case(False, problem=("'False'", "not a number"), id="boolean-false"),
    _case(math.inf, problem=("not a number",), id="infinity"),
    _case(date(2026, 3, 31), problem=("date", "not a number"), id="a-date-in-a-number-cell"),
    # no value, no problem
    _case("n/a", id="n/a"),
    _case("N/A", id="N/A"),
    _case("NA", id="NA"),
    _case("-", id="hyphen"),
    _case("\u2013", id="en-dash"),
    _case("\u2014", id="em-dash"),
    _case(" - ", id="hyphen-with-spaces"),
    _case("", id="empty-text"),
    _case("   ", id="spaces-only"),
    _case(None, id="empty-cell"),
    _case(NAN, id="nan"),
    # real numbers, and Excel's 12% (stored 0.12 with a percentage format)
    _case(45, value=45.0, id="int"),
    _case(12.0, unit="%", value=12.0, id="12-typed-for-a-%-indicator"),
    _case(0.12, unit="%", percent_formatted=True, value=12.0, id="excel-12%-for-a-%-indicator"),
    _case(0.185, unit="%", percent_formatted=True, value=18.5, id="excel-18.5%-exactly"),
    _case(0.07, unit="%", percent_formatted=True, value=7.0, id="excel-7%-no-binary-noise"),
    _case(1.0, unit="%", percent_formatted=True, value=100.0, id="excel-100%"),
    _case(0.0, unit="%", percent_formatted=True, value=0.0, id="excel-0%"),
    _case(-0.035, unit="%", percent_formatted=True, value=-3.5, id="excel-minus-3.5%"),
    _case(0.12, unit="number", percent_formatted=True, value=0.12, id="percent-format-on-a-number-indicator"),
    _case(0.12, unit="%", percent_formatted=False, value=0.12, id="0.12-without-percent-format"),
]


@pytest.mark.parametrize("raw, unit, percent_formatted, value, problem", NUMBER_CASES)
def test_parse_number(raw, unit, percent_formatted, value, problem):
    got, message = parse_number(raw, unit, percent_formatted=percent_formatted)
    if problem:
        assert got is None
        assert message is not None
        for words in problem:
            assert words in message
    else:
        assert message is None
        assert got == value  # exact: 18.5, not 18.499999999999996


def test_shorthand_problem_says_what_to_type_but_gives_no_value():
    value, problem = parse_number("£3.2m", "£")
    assert value is None
    assert problem == "'£3.2m' is not a number — type 3200000"


DATE_CASES = [
    # real date cells
    pytest.param(date(2026, 3, 31), date(2026, 3, 31), (), id="date"),
    pytest.param(datetime(2026, 3, 31), date(2026, 3, 31), (), id="datetime-midnight"),
    pytest.param(datetime(2026, 3, 31, 14, 5), date(2026, 3, 31), (), id="datetime-with-time"),
    # bare Excel serials (see the module docstring)
    pytest.param(46112, date(2026, 3, 31), (), id="serial-46112"),
    pytest.param(46112.0, date(2026, 3, 31), (), id="serial-46112.0"),
    pytest.param(46387, date(2026, 12, 31), (), id="serial-46387"),
    pytest.param("46112", date(2026, 3, 31), (), id="serial-as-text"),
    pytest.param(" 46112 ", date(2026, 3, 31), (), id="serial-as-text-with-spaces"),
    pytest.param(32874, date(1990, 1, 1), (), id="first-serial-accepted"),
    pytest.param(32873, None, ("'32873'", "not a date"), id="serial-before-1990"),
    pytest.param(73415, date(2100, 12, 31), (), id="last-serial-accepted"),
    pytest.param(73416, None, ("not a date",), id="serial-after-2100"),
    pytest.param(5, None, ("'5'", "not a date"), id="serial-5-out-of-range"),
    pytest.param(0, None, ("not a date",), id="serial-0"),
    pytest.param(46112.5, None, ("not a date",), id="serial-with-a-time"),
    # UK text
    pytest.param("31/03/2026", date(2026, 3, 31), (), id="dd/mm/yyyy"),
    pytest.param("31-03-2026", date(2026, 3, 31), (), id="dd-mm-yyyy"),
    pytest.param("31.03.2026", date(2026, 3, 31), (), id="dd.mm.yyyy"),
    pytest.param("1/4/2026", date(2026, 4, 1), (), id="d/m/yyyy-is-1-april"),
    pytest.param("31/03/26", date(2026, 3, 31), (), id="two-digit-year"),
    pytest.param("2026-03-31", date(2026, 3, 31), (), id="iso"),
    pytest.param("2026-03-31 00:00:00", date(2026, 3, 31), (), id="iso-midnight"),
    pytest.param("31 Mar 2026", date(2026, 3, 31), (), id="31-Mar-2026"),
    pytest.param("31 March 2026", date(2026, 3, 31), (), id="31-March-2026"),
    pytest.param("31st March 2026", date(2026, 3, 31), (), id="31st-March-2026"),
    pytest.param("30 Sept 2026", date(2026, 9, 30), (), id="Sept"),
    pytest.param("01/01/1990", date(1990, 1, 1), (), id="text-first-day-accepted"),
    pytest.param("31/12/2100", date(2100, 12, 31), (), id="text-last-day-accepted"),
    # not dates
    pytest.param("03/31/2026", None, ("'03/31/2026'", "day/month/year"), id="us-order"),
    pytest.param("31/02/2026", None, ("'31/02/2026'", "not a date"), id="31-february"),
    pytest.param("31 Sept 2026", None, ("not a date",), id="31-september"),
    pytest.param("31 Foo 2026", None, ("not a date",), id="unknown-month"),
    pytest.param("March 2026", None, ("not a date",), id="month-only"),
    pytest.param("2026/03/31", None, ("not a date",), id="year-first-with-slashes"),
    pytest.param("soon", None, ("'soon'", "not a date", "dd/mm/yyyy"), id="words"),
    pytest.param(True, None, ("not a date",), id="boolean"),
    # a typo in the year is not silently another century
    pytest.param("31/03/0026", None, ("'31/03/0026'", "not a date"), id="year-0026-is-not-2026"),
    pytest.param("31/03/1026", None, ("'31/03/1026'",), id="year-1026"),
    pytest.param("31/12/1989", None, ("not a date",), id="text-before-1990"),
    pytest.param("01/01/2101", None, ("not a date",), id="text-after-2100"),
    # 5 typed into a dd/mm/yyyy cell: Excel stores serial 5, read back as 05/01/1900
    pytest.param(date(1900, 1, 5), None, ("1900",), id="date-cell-holding-serial-5"),
    # nothing
    pytest.param(None, None, (), id="empty-cell"),
    pytest.param("", None, (), id="empty-text"),
    pytest.param("n/a", None, (), id="n/a"),
    pytest.param("-", None, (), id="hyphen"),
]


@pytest.mark.parametrize("raw, value, problem", DATE_CASES)
def test_parse_date(raw, value, problem):
    got, message = parse_date(raw)
    assert got == value
    if problem:
        assert message is not None
        for words in problem:
            assert words in message
    else:
        assert message is None


def test_parse_date_gives_a_plain_date_not_a_datetime():
    got, _ = parse_date(datetime(2026, 3, 31, 14, 5))
    assert type(got) is date


CHOICE_CASES = [
    pytest.param(" in PROGRESS ", "In progress", (), id="case-and-spaces"),
    pytest.param("Completed", "Completed", (), id="exact"),
    pytest.param("NOT STARTED", "Not started", (), id="capitals"),
    pytest.param("no longer  viable", "No longer viable", (), id="double-space"),
    pytest.param("done", "", ("'done'", "Not started, In progress, Completed, No longer viable"), id="not-allowed"),
    pytest.param("In-progress", "", ("'In-progress'", "pick one"), id="hyphenated"),
    pytest.param(12, "", ("'12'",), id="a-number"),
    pytest.param("", "", (), id="empty-text"),
    pytest.param(None, "", (), id="empty-cell"),
    pytest.param("n/a", "", (), id="n/a"),
]


@pytest.mark.parametrize("raw, value, problem", CHOICE_CASES)
def test_parse_choice(raw, value, problem):
    got, message = parse_choice(raw, PROGRESS_VALUES)
    assert got == value
    if problem:
        assert message is not None
        for words in problem:
            assert words in message
    else:
        assert message is None


TEXT_CASES = [
    pytest.param(12.0, "12", id="whole-float-without-.0"),
    pytest.param(12.5, "12.5", id="decimal-float"),
    pytest.param(7, "7", id="int"),
    pytest.param("  On track  ", "On track", id="trimmed"),
    pytest.param(None, "", id="empty-cell"),
    pytest.param(NAN, "", id="nan"),
    pytest.param(datetime(2026, 3, 31), "2026-03-31", id="datetime-midnight-as-iso-date"),
    pytest.param(datetime(2026, 3, 31, 9, 30), "2026-03-31T09:30:00", id="datetime-with-time"),
    pytest.param(date(2026, 3, 31), "2026-03-31", id="date"),
    pytest.param("n/a", "n/a", id="n/a-kept-as-typed"),
]


@pytest.mark.parametrize("raw, text", TEXT_CASES)
def test_parse_text(raw, text):
    assert parse_text(raw) == text


BLANK_CASES = [
    pytest.param(None, True, id="none"),
    pytest.param("", True, id="empty"),
    pytest.param(" \t", True, id="whitespace"),
    pytest.param("\u00a0", True, id="non-breaking-space"),
    pytest.param("n/a", True, id="n/a"),
    pytest.param("N/A", True, id="N/A"),
    pytest.param("na", True, id="na"),
    pytest.param("-", True, id="hyphen"),
    pytest.param("\u2013", True, id="en-dash"),
    pytest.param("\u2014", True, id="em-dash"),
    pytest.param(NAN, True, id="nan"),
    pytest.param(0, False, id="zero"),
    pytest.param(0.0, False, id="zero-float"),
    pytest.param("0", False, id="zero-text"),
    pytest.param(False, False, id="false"),
    pytest.param("nil", False, id="nil-is-a-word-not-blank"),
]


@pytest.mark.parametrize("raw, blank", BLANK_CASES)
def test_is_blank(raw, blank):
    assert is_blank(raw) is blank
