"""Properties the status rules must keep for every input, not just the worked cases.

Values are hundredths (like real returns typed to 2 dp) within ±1,000,000,
so floating point is exercised while the exact rational gap is never within
rounding distance of a tolerance boundary it does not sit on exactly.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from pmflib.core import constants as c
from pmflib.rules import status

HIB, LIB = c.HIGHER_IS_BETTER, c.LOWER_IS_BETTER
RANK = {c.RED: 0, c.AMBER: 1, c.GREEN: 2}
SLIP_RANK = {c.ON_TARGET: 0, c.SLIPPED_LESS: 1, c.SLIPPED_MORE: 2}
FLIP = {c.IMPROVING: c.DECLINING, c.DECLINING: c.IMPROVING, c.MAINTAINED: c.MAINTAINED}

hundredths = st.integers(min_value=-100_000_000, max_value=100_000_000).map(lambda n: n / 100)
small_ints = st.integers(min_value=-1_000_000, max_value=1_000_000)
tolerances = st.one_of(
    st.tuples(st.sampled_from([0.0, 0.025, 0.05, 0.1, 0.2]), st.just(True)),
    st.tuples(st.sampled_from([0.0, 0.5, 1.0, 2.0, 10.0]), st.just(False)),
)
polarities = st.sampled_from([HIB, LIB])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


def _other(polarity):
    return LIB if polarity == HIB else HIB


@given(value=small_ints, target=small_ints, polarity=polarities, tolerance=tolerances)
def test_mirroring_value_and_polarity_keeps_the_status(value, target, polarity, tolerance):
    """Reflecting the value about the target and flipping polarity is the same performance,
    so Green and Red can never swap between the two polarities."""
    band, relative = tolerance
    mirrored = 2 * target - value
    assert status.rag_status(value, target, polarity, band, relative) == status.rag_status(
        mirrored, target, _other(polarity), band, relative
    )


@given(a=hundredths, b=hundredths, target=hundredths, polarity=polarities, tolerance=tolerances)
def test_status_is_monotone_in_the_value(a, b, target, polarity, tolerance):
    """Moving the value the better way never makes the status worse."""
    band, relative = tolerance
    low, high = sorted((a, b))
    worse, better = (low, high) if polarity == HIB else (high, low)
    assert RANK[status.rag_status(better, target, polarity, band, relative)[0]] >= RANK[
        status.rag_status(worse, target, polarity, band, relative)[0]
    ]


@given(target=hundredths, polarity=polarities, tolerance=tolerances)
def test_on_target_is_always_green(target, polarity, tolerance):
    band, relative = tolerance
    assert status.rag_status(target, target, polarity, band, relative)[0] == c.GREEN


@given(current=hundredths, previous=hundredths, polarity=polarities, decimals=st.integers(0, 4))
def test_maintained_is_symmetric(current, previous, polarity, decimals):
    forward = status.direction_of_travel(current, previous, polarity, decimals)
    backward = status.direction_of_travel(previous, current, polarity, decimals)
    assert (forward == c.MAINTAINED) == (backward == c.MAINTAINED)
    assert backward == FLIP[forward]


@given(current=hundredths, previous=hundredths, polarity=polarities, decimals=st.integers(0, 4))
def test_direction_flips_when_polarity_flips(current, previous, polarity, decimals):
    assert status.direction_of_travel(current, previous, _other(polarity), decimals) == FLIP[
        status.direction_of_travel(current, previous, polarity, decimals)
    ]


@given(day=days, months=st.integers(0, 60))
def test_months_between_undoes_add_months(day, months):
    """Forwards only: backwards is defined as the mirror (measured from the earlier date),
    and 29 Mar − 1 month = 29 Feb 2000, a month end, from which one month on is 31 Mar."""
    assert status.months_between(day, status.add_months(day, months), None) == months


@given(a=days, b=days)
def test_months_between_is_antisymmetric_and_signed(a, b):
    forward, backward = status.months_between(a, b, None), status.months_between(b, a, None)
    assert forward == -backward
    assert (forward > 0) == (b > a)


@given(baseline=days, first=st.integers(0, 400), extra=st.integers(0, 400))
def test_a_later_expected_end_never_improves_the_action_status(baseline, first, extra):
    period_end = date(1999, 12, 31)  # before every generated baseline: nothing is overdue
    earlier = baseline + timedelta(days=first)
    later = earlier + timedelta(days=extra)
    before = status.action_status(c.PROGRESS_IN_PROGRESS, None, baseline, earlier, None, period_end)
    after = status.action_status(c.PROGRESS_IN_PROGRESS, None, baseline, later, None, period_end)
    assert SLIP_RANK[after[0]] >= SLIP_RANK[before[0]]
    assert after[1] >= before[1]


@given(baseline=days, extra=st.integers(1, 400))
def test_slipped_less_exactly_up_to_three_calendar_months(baseline, extra):
    """Slipped (less than 3 months) up to and including baseline + 3 months, more after."""
    three = status.add_months(baseline, c.SLIPPAGE_THRESHOLD_MONTHS)
    period_end = date(1999, 12, 31)
    assert status.action_status("", None, baseline, three, None, period_end)[0] == c.SLIPPED_LESS
    later = three + timedelta(days=extra)
    assert status.action_status("", None, baseline, later, None, period_end)[0] == c.SLIPPED_MORE
