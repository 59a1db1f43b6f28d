"""One meaning of "no value" for every layer (pmflib.core.values)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pmflib.core.values import as_text, is_blank, is_missing


@pytest.mark.parametrize("value", [None, math.nan, np.nan, pd.NaT, pd.NA, np.float64("nan")])
def test_every_way_a_table_says_no_value_is_missing_and_blank(value):
    assert is_missing(value) and is_blank(value) and as_text(value) == ""


@pytest.mark.parametrize("value", [0, 0.0, "0", "n/a", "-", date(2026, 4, 1), [1, 2], False])
def test_values_are_not_missing_even_when_falsy_or_words(value):
    assert not is_missing(value)


@pytest.mark.parametrize(("value", "blank"), [("", True), ("   \t", True), (" x ", False), (0, False), ("n/a", False)])
def test_blank_text_is_spaces_only(value, blank):
    assert is_blank(value) is blank
