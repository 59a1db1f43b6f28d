"""SPEC §9/§10: the basis of a status in words — what was compared with what — for reports and open data."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from pmflib.core.constants import (
    AMBER,
    BASIS_ACTUAL_ANNUAL,
    BASIS_ACTUAL_QUARTER,
    BASIS_FORECAST,
    DEFAULT_DECIMALS,
    DEFAULT_TOLERANCE_FRACTION,
    GREEN,
    HIGHER_IS_BETTER,
    LOWER_IS_BETTER,
    NARRATIVE_UNIT_FORMATS,
    NARRATIVE_UNIT_SINGULAR,
    NEUTRAL,
)
from pmflib.core.values import as_text as _text
from pmflib.core.values import is_missing as _missing
from pmflib.rules.status.common import (
    NAN,
    RAG_STATUSES,
    _number,
)
from pmflib.rules.status.indicators import (
    relative_gap,
    round_half_up,
    signed_difference,
    tolerance_label,
)
from pmflib.rules.status.tables import (
    _tolerance,
)


# --- §9/§10 the basis of a status, in words ---------------------------------------------------
def quote_number(value: float, unit: object = "", decimals: object = DEFAULT_DECIMALS) -> str:
    """A figure as prose quotes it: ``1,151``, ``57.6%``, ``£1,200``, ``12 days``.

    Why here and not in the report layer: the open data's ``Status Reason``
    is built from the rules alone, and a reader must see the same figure in
    the reason as in the report tables (rounded half up to the Decimals).
    """
    number = _number(value)
    if math.isnan(number) or math.isinf(number):
        return "no value"
    places = DEFAULT_DECIMALS if _missing(decimals) else int(_number(decimals))
    rounded = round_half_up(abs(number), places)
    digits = f"{rounded:,.{places}f}"
    sign = "-" if number < 0 and rounded != 0 else ""
    unit_text = _text(unit).strip()
    known = unit_text.lower()
    if known in NARRATIVE_UNIT_SINGULAR and digits == "1":
        return sign + NARRATIVE_UNIT_SINGULAR[known].format(number=digits)
    if known in NARRATIVE_UNIT_FORMATS:
        return sign + NARRATIVE_UNIT_FORMATS[known].format(number=digits)
    if unit_text in NARRATIVE_UNIT_FORMATS:
        return sign + NARRATIVE_UNIT_FORMATS[unit_text].format(number=digits)
    return sign + (f"{digits} {unit_text}" if unit_text else digits)


def _compared_text(basis: str, value_text: str, target_text: str) -> str:
    """``"Forecast year-end 1,151 against annual target 1,090"``: the two figures a status compares."""
    if basis == BASIS_FORECAST:
        return f"Forecast year-end {value_text} against annual target {target_text}"
    if basis == BASIS_ACTUAL_ANNUAL:
        return f"Actual {value_text} against annual target {target_text}"
    quarter = ""
    prefix, suffix = BASIS_ACTUAL_QUARTER.split("{quarter}")
    if basis.startswith(prefix) and basis.endswith(suffix):
        quarter = basis[len(prefix):len(basis) - len(suffix)].strip()
    if quarter:
        return f"Actual {value_text} against the {quarter} profile of {target_text}"
    return f"{value_text} against target {target_text}"


def status_basis(
    status: str,
    reason: str,
    basis: str,
    value: float,
    target: float,
    polarity: str,
    *,
    unit: object = "",
    decimals: object = DEFAULT_DECIMALS,
    tolerance_value: float = DEFAULT_TOLERANCE_FRACTION,
    tolerance_relative: bool = True,
    tolerance_text: str = "",
) -> str:
    """The status's reason with what was compared, for every reader (SPEC §9, §10).

    ``"Forecast year-end 139 against annual target 198: 29.8% short, beyond
    the 5% tolerance"``; ``"Actual 206 against the Q2 profile of 194: target
    met"``. Why: a Green beside an actual below its target reads as a
    mistake unless the reader sees it was the forecast that was judged.
    A status with no comparison (Measured, Not reported) keeps its reason,
    which already says why there is no RAG. The status itself is never
    changed here; this only puts it into words.
    """
    reason = _text(reason)
    if status not in RAG_STATUSES or _missing(value) or _missing(target):
        return reason
    value_f, target_f = _number(value), _number(target)
    compared = _compared_text(_text(basis), quote_number(value_f, unit, decimals),
                              quote_number(target_f, unit, decimals))
    text = _text(tolerance_text).strip() or tolerance_label(tolerance_value, tolerance_relative)
    if status == GREEN:
        verdict = "on track to meet it" if _text(basis) == BASIS_FORECAST else "target met"
        return f"{compared}: {verdict}"
    if tolerance_relative and target_f == 0:
        return f"{compared}: missed, with no amber band for a target of 0"
    if tolerance_relative:
        short = abs(relative_gap(value_f, target_f, polarity)) * 100
        shortfall = f"{round_half_up(short, 1):f}%"
        band = f"the {text} tolerance"
    else:
        short = abs(signed_difference(value_f, target_f, polarity))
        shortfall = quote_number(short, unit, decimals)
        band = f"the tolerance of {quote_number(_number(tolerance_value), unit, decimals)}"
    where = "within" if status == AMBER else "beyond"
    side = "over" if polarity == LOWER_IS_BETTER else "short"
    return f"{compared}: {shortfall} {side}, {where} {band}"


def status_basis_of_row(row: Mapping) -> str:
    """:func:`status_basis` for one assessed indicator row joined to its register row.

    Uses ``Assessed Value`` (falling back to the actual), ``Target``,
    ``Basis``, ``Unit``, ``Decimals``, ``Polarity`` and the tolerance
    columns; any that are missing fall back to the defaults.
    """
    value = row.get("Assessed Value", NAN)
    if _missing(value):
        value = row.get("Actual", NAN)
    tolerance_value, tolerance_relative, tolerance_text = _tolerance(row)
    polarity = _text(row.get("Polarity", HIGHER_IS_BETTER)) or HIGHER_IS_BETTER
    if polarity == NEUTRAL:
        return _text(row.get("Status Reason", ""))
    return status_basis(
        _text(row.get("Status", "")), _text(row.get("Status Reason", "")), _text(row.get("Basis", "")),
        value, row.get("Target", NAN), polarity,
        unit=row.get("Unit", ""), decimals=row.get("Decimals", DEFAULT_DECIMALS),
        tolerance_value=tolerance_value, tolerance_relative=tolerance_relative, tolerance_text=tolerance_text,
    )


def status_bases(indicators: pd.DataFrame) -> pd.Series:
    """:func:`status_basis_of_row` for every row, as str (index kept): the open data's Status Reason."""
    return pd.Series([status_basis_of_row(r) for r in indicators.to_dict("records")],
                     index=indicators.index, dtype="str")
