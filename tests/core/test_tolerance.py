"""One reading of a Tolerance cell (core.tolerance) for the register, the demo's
returns and the demo's register builder.

The expected values were recorded by hand from the three parsers as they were
before they were merged (inputs/register/parsers.py::parse_tolerance,
demo/returns.py::_tolerance, demo/place.py::_tolerance); every format any of
them accepted gives the same result as before.
"""

from __future__ import annotations

import math

import pytest

from pmflib.core.tolerance import NEGATIVE_TOLERANCE_PROBLEM, TOLERANCE_PROBLEM, number_text, parse_tolerance
from pmflib.demo import place
from pmflib.demo.catalogue import CATALOGUE
from pmflib.demo import returns as demo_returns
from pmflib.inputs import register

#: cell → (text, band, relative), as the register's parse_tolerance gave it.
REGISTER_BEFORE = [
    ("5%", ("5%", 0.05, True)),
    ("2.5 %", ("2.5 %", 0.025, True)),
    ("10 %", ("10 %", 0.10, True)),
    (" 0% ", ("0%", 0.0, True)),
    (".5%", (".5%", 0.005, True)),
    ("1,500%", ("1,500%", 15.0, True)),
    (2, ("2", 2.0, False)),
    (0, ("0", 0.0, False)),
    (2.0, ("2", 2.0, False)),
    (0.5, ("0.5", 0.5, False)),
    ("2", ("2", 2.0, False)),
    ("+3", ("+3", 3.0, False)),
    (" 30 ", ("30", 30.0, False)),
    ("1,500", ("1,500", 1500.0, False)),
    ("1,500.5", ("1,500.5", 1500.5, False)),
    ("250000", ("250000", 250000.0, False)),
    (None, ("5%", 0.05, True)),
    ("", ("5%", 0.05, True)),
    ("   ", ("5%", 0.05, True)),
    (math.nan, ("5%", 0.05, True)),
]
#: cell → the problem the register reported.
REGISTER_REFUSED = [
    (True, TOLERANCE_PROBLEM), (False, TOLERANCE_PROBLEM), ("abc", TOLERANCE_PROBLEM),
    ("five %", TOLERANCE_PROBLEM), ("%", TOLERANCE_PROBLEM), ("5%%", TOLERANCE_PROBLEM),
    ("1 500", TOLERANCE_PROBLEM), ("1e3", TOLERANCE_PROBLEM), ("5.", TOLERANCE_PROBLEM),
    ("1,50", TOLERANCE_PROBLEM), ("nan", TOLERANCE_PROBLEM),
    (-1, NEGATIVE_TOLERANCE_PROBLEM), ("-1", NEGATIVE_TOLERANCE_PROBLEM),
    ("-5%", NEGATIVE_TOLERANCE_PROBLEM), (-0.5, NEGATIVE_TOLERANCE_PROBLEM),
]


@pytest.mark.parametrize("cell, expected", REGISTER_BEFORE)
def test_core_and_register_read_every_format_as_before(cell, expected):
    assert parse_tolerance(cell) == expected
    assert register.parse_tolerance(cell) == expected


@pytest.mark.parametrize("cell, problem", REGISTER_REFUSED)
def test_core_and_register_refuse_as_before_with_the_same_sentence(cell, problem):
    with pytest.raises(ValueError) as core_error:
        parse_tolerance(cell)
    with pytest.raises(register._Bad) as register_error:
        register.parse_tolerance(cell)
    assert str(core_error.value) == str(register_error.value) == problem


#: demo/returns.py's _tolerance before: cell → (band, relative). It fell back to
#: 5% for any cell it could not read.
DEMO_RETURNS_BEFORE = [
    ("5%", (0.05, True)), ("10%", (0.10, True)), ("2.5 %", (0.025, True)), (" 5% ", (0.05, True)),
    ("2", (2.0, False)), ("30", (30.0, False)), ("250000", (250000.0, False)), (2, (2.0, False)),
    (2.0, (2.0, False)), (0.5, (0.5, False)),
    (None, (0.05, True)), ("", (0.05, True)), (math.nan, (0.05, True)),
    ("abc", (0.05, True)), ("%", (0.05, True)), (True, (0.05, True)),
]


@pytest.mark.parametrize("cell, expected", DEMO_RETURNS_BEFORE)
def test_demo_returns_reads_its_register_as_before(cell, expected):
    assert demo_returns._tolerance(cell) == expected


#: demo/place.py's _tolerance before, over every spelling the catalogue uses:
#: (catalogue text, explicit_default) → (register text, band, relative).
PLACE_BEFORE = [
    (("1", False), ("1", 1.0, False)), (("2", True), ("2", 2.0, False)), (("3", False), ("3", 3.0, False)),
    (("10", False), ("10", 10.0, False)), (("30", False), ("30", 30.0, False)),
    (("250000", False), ("250000", 250000.0, False)), (("10%", False), ("10%", 0.10, True)),
    (("5%", True), ("5%", 0.05, True)),
    (("", True), ("5%", 0.05, True)), (("", False), ("", 0.05, True)),
]


@pytest.mark.parametrize("given, expected", PLACE_BEFORE)
def test_the_demo_register_builder_reads_tolerances_as_before(given, expected):
    tolerance, explicit_default = given

    class Spec:
        pass

    spec = Spec()
    spec.tolerance = tolerance
    assert place._tolerance(spec, explicit_default) == expected


def test_every_catalogue_tolerance_is_one_the_register_reads():
    spelled = {spec.tolerance for spec in CATALOGUE if spec.tolerance}
    assert spelled <= {given[0] for given, _ in PLACE_BEFORE}


@pytest.mark.parametrize("text, number", [("1,234", 1234.0), (" 45 ", 45.0), ("2.5", 2.5), ("-3", -3.0), (".5", 0.5)])
def test_number_text(text, number):
    assert number_text(text) == number


@pytest.mark.parametrize("text", ["", " ", "+", ".", "1 234", "1e3", "12,34", "£5"])
def test_number_text_refuses(text):
    with pytest.raises(ValueError, match="is not a number"):
        number_text(text)
