"""UK financial-year quarters (SPEC §2): labels, dates, neighbours and flags."""

from __future__ import annotations

from datetime import date

import pytest

from pmflib.core.errors import PeriodError, PmfError
from pmflib.core.periods import Period, parse_year, period_containing, period_range, year_label


@pytest.mark.parametrize(
    ("text", "year", "quarter"),
    [
        pytest.param("2025-26 Q2", 2025, 2, id="label"),
        pytest.param("2025-26-Q2", 2025, 2, id="file-name-slug"),
        pytest.param("2025/26 Q2", 2025, 2, id="slash-year"),
        pytest.param("  2025-26 q4 ", 2025, 4, id="spaces-and-lower-case-q"),
        pytest.param("1999-00 Q1", 1999, 1, id="century-wrap-1999-00"),
    ],
)
def test_parse(text, year, quarter):
    assert Period.parse(text) == Period(year, quarter)


def test_parse_passes_a_period_through():
    period = Period(2025, 3)
    assert Period.parse(period) is period


@pytest.mark.parametrize(
    ("period", "label", "slug"),
    [
        pytest.param(Period(2025, 2), "2025-26 Q2", "2025-26-Q2", id="Q2"),
        pytest.param(Period(2025, 4), "2025-26 Q4", "2025-26-Q4", id="Q4-same-financial-year"),
        pytest.param(Period(1999, 1), "1999-00 Q1", "1999-00-Q1", id="century-wrap"),
    ],
)
def test_label_and_slug_print_and_parse_back(period, label, slug):
    assert (period.label, period.slug, str(period)) == (label, slug, label)
    assert Period.parse(label) == Period.parse(slug) == period


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2025-27 Q2", "second part must be the year after 2025", id="years-not-consecutive"),
        pytest.param("2025-26 Q5", "is not a period", id="quarter-5"),
        pytest.param("2025-26 Q0", "is not a period", id="quarter-0"),
        pytest.param("Q2 2025-26", "is not a period", id="quarter-first"),
        pytest.param("2025 Q2", "is not a period", id="calendar-year-only"),
        pytest.param("", "is not a period", id="blank"),
        pytest.param("2025-26", "is not a period", id="year-without-quarter"),
    ],
)
def test_bad_labels_raise_period_error_naming_the_text(text, message):
    with pytest.raises(PeriodError, match=message) as raised:
        Period.parse(text)
    assert f"'{text}'" in str(raised.value)
    assert isinstance(raised.value, PmfError) and isinstance(raised.value, ValueError)


def test_bad_label_message_shows_the_right_form():
    with pytest.raises(PeriodError, match="like 2025-26 Q2"):
        Period.parse("Quarter 2")


def test_quarter_out_of_range_is_refused():
    with pytest.raises(PeriodError, match="quarter must be 1 to 4"):
        Period(2025, 5)


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        pytest.param("2025-26 Q1", date(2025, 4, 1), date(2025, 6, 30), id="Q1-Apr-Jun"),
        pytest.param("2025-26 Q2", date(2025, 7, 1), date(2025, 9, 30), id="Q2-Jul-Sep"),
        pytest.param("2025-26 Q3", date(2025, 10, 1), date(2025, 12, 31), id="Q3-Oct-Dec"),
        pytest.param("2025-26 Q4", date(2026, 1, 1), date(2026, 3, 31), id="Q4-Jan-Mar-next-calendar-year"),
    ],
)
def test_start_and_end_dates(label, start, end):
    period = Period.parse(label)
    assert (period.start_date, period.end_date) == (start, end)


@pytest.mark.parametrize(
    ("label", "months"),
    [
        pytest.param("2025-26 Q2", "Jul–Sep 2025", id="Q2"),
        pytest.param("2025-26 Q4", "Jan–Mar 2026", id="Q4"),
    ],
)
def test_months(label, months):
    assert Period.parse(label).months == months


@pytest.mark.parametrize(
    ("label", "previous", "following"),
    [
        pytest.param("2025-26 Q1", "2024-25 Q4", "2025-26 Q2", id="Q1-previous-is-last-years-Q4"),
        pytest.param("2025-26 Q2", "2025-26 Q1", "2025-26 Q3", id="Q2"),
        pytest.param("2025-26 Q4", "2025-26 Q3", "2026-27 Q1", id="Q4-next-is-next-years-Q1"),
    ],
)
def test_previous_and_next(label, previous, following):
    period = Period.parse(label)
    assert period.previous() == Period.parse(previous)
    assert period.next() == Period.parse(following)


@pytest.mark.parametrize(
    ("label", "last_year"),
    [
        pytest.param("2025-26 Q2", "2024-25 Q2", id="Q2"),
        pytest.param("2025-26 Q4", "2024-25 Q4", id="Q4"),
        pytest.param("2000-01 Q1", "1999-00 Q1", id="across-century"),
    ],
)
def test_same_quarter_last_year(label, last_year):
    assert Period.parse(label).same_quarter_last_year() == Period.parse(last_year)


@pytest.mark.parametrize(
    ("label", "year_end", "mid_year"),
    [
        pytest.param("2025-26 Q1", False, False, id="Q1"),
        pytest.param("2025-26 Q2", False, True, id="Q2-mid-year"),
        pytest.param("2025-26 Q3", False, False, id="Q3"),
        pytest.param("2025-26 Q4", True, False, id="Q4-year-end"),
    ],
)
def test_year_end_and_mid_year_flags(label, year_end, mid_year):
    period = Period.parse(label)
    assert (period.is_year_end, period.is_mid_year) == (year_end, mid_year)


def test_year_end_and_quarter_name():
    period = Period.parse("2025-26 Q2")
    assert period.year_end() == Period(2025, 4)
    assert period.quarter_name == "Q2"
    assert period.year_label == "2025-26"


def test_periods_order_and_count_quarters():
    assert Period.parse("2024-25 Q4") < Period.parse("2025-26 Q1")
    assert Period.parse("2025-26 Q2").quarters_since(Period.parse("2024-25 Q2")) == 4
    # Back 4 quarters is 2024-25 Q1, one more is 2023-24 Q4.
    assert Period.parse("2025-26 Q1").shift(-5) == Period.parse("2023-24 Q4")


def test_period_range_is_inclusive_and_crosses_years():
    assert [p.label for p in period_range("2024-25 Q3", "2025-26-Q2")] == [
        "2024-25 Q3", "2024-25 Q4", "2025-26 Q1", "2025-26 Q2",
    ]


@pytest.mark.parametrize(
    ("day", "label"),
    [
        pytest.param(date(2025, 4, 1), "2025-26 Q1", id="first-day-of-year"),
        pytest.param(date(2025, 9, 30), "2025-26 Q2", id="last-day-of-Q2"),
        pytest.param(date(2026, 1, 15), "2025-26 Q4", id="January-is-Q4-of-previous-start-year"),
        pytest.param(date(2026, 3, 31), "2025-26 Q4", id="last-day-of-year"),
    ],
)
def test_period_containing(day, label):
    assert period_containing(day) == Period.parse(label)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        pytest.param("2025-26", 2025, id="year"),
        pytest.param("2025/26", 2025, id="slash"),
        pytest.param("1999-00", 1999, id="century-wrap"),
    ],
)
def test_parse_year(text, start):
    assert parse_year(text) == start
    assert year_label(start) == text.replace("/", "-")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2025-27", "second part must be the year after 2025", id="not-consecutive"),
        pytest.param("2025", "not a financial year label", id="calendar-year"),
    ],
)
def test_parse_year_refuses_bad_years(text, message):
    with pytest.raises(PeriodError, match=message):
        parse_year(text)


def test_require_period_passes_a_period_and_refuses_anything_else_by_name():
    from pmflib.core.periods import require_period

    period = Period(2025, 2)
    assert require_period(period) is period
    with pytest.raises(TypeError, match=r"up_to must be a pmflib Period, not str '2025-26 Q2'"):
        require_period("2025-26 Q2", "up_to")
    with pytest.raises(TypeError, match="not NoneType None"):
        require_period(None)
