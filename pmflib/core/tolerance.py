"""A register's Tolerance cell (SPEC §3) read one way, wherever it is read.

``5%`` / ``2.5 %`` are relative (0.05, 0.025 of the target); a number without
``%`` — typed as text or held as a number — is an absolute band in the
indicator's unit; blank is the default ``5%``. Nothing is guessed from the
size of the number: a cell Excel shows as ``5%`` reaches this module as the
text ``5%`` because the register reader reads the cell's format.

The register reader (``inputs.register.parse_tolerance``) reports a bad cell
as a problem; the demo, which reads its own generated register, falls back to
the default. Pure: no I/O, nothing else of pmflib but the constants.
"""

from __future__ import annotations

import re

from pmflib.core.constants import DEFAULT_TOLERANCE, DEFAULT_TOLERANCE_FRACTION
from pmflib.core.values import is_blank as _blank

#: A number typed as text in a register cell: ``1,234``, ``45``, ``2.5``, ``-3`` (no
#: spaces inside, no exponent, thousands only in threes).
NUMBER_TEXT = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$")

TOLERANCE_PROBLEM = (f"Tolerance must be a percentage of the target like {DEFAULT_TOLERANCE}, or a number "
                     f"without % for an absolute band in the indicator's unit (blank means {DEFAULT_TOLERANCE})")
NEGATIVE_TOLERANCE_PROBLEM = ("Tolerance cannot be negative: write the size of the amber band, "
                              f"like {DEFAULT_TOLERANCE}")


def number_text(text: str) -> float:
    """``1,234`` / `` 45 `` / ``2.5`` as a float; anything else raises ``ValueError``."""
    cleaned = text.strip()
    if not cleaned or not NUMBER_TEXT.match(cleaned) or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(f"'{text}' is not a number")
    return float(cleaned.replace(",", ""))


def parse_tolerance(value: object) -> tuple[str, float, bool]:
    """``(text as written, band, relative)`` for a Tolerance cell; ``ValueError``
    (with the sentence an officer can act on) when it is not a tolerance.

    ``"5%"`` → ``("5%", 0.05, True)``; ``2`` → ``("2", 2.0, False)``; ``"1,500"``
    → ``("1,500", 1500.0, False)``; blank → ``("5%", 0.05, True)``.
    """
    if _blank(value):
        return DEFAULT_TOLERANCE, DEFAULT_TOLERANCE_FRACTION, True
    if isinstance(value, bool):
        raise ValueError(TOLERANCE_PROBLEM)
    if isinstance(value, (int, float)):
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        number, relative = float(value), False
    else:
        text = str(value).strip()
        relative = text.endswith("%")
        try:
            number = number_text(text[:-1] if relative else text)
        except ValueError:
            raise ValueError(TOLERANCE_PROBLEM) from None
        number = number / 100 if relative else number
    if number < 0:
        raise ValueError(NEGATIVE_TOLERANCE_PROBLEM)
    return text, number, relative


__all__ = ["NUMBER_TEXT", "TOLERANCE_PROBLEM", "NEGATIVE_TOLERANCE_PROBLEM", "number_text", "parse_tolerance"]
