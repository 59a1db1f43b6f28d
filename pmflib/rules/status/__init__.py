"""The status rules (SPEC §5–§8): RAG, direction of travel, action status and
the exception lists.

Each rule is a small pure function over plain values, so it can be read
against the SPEC and tested with hand-worked numbers; the DataFrame functions
at the bottom only apply those rules row by row to the tables described in
docs/DESIGN.md ("status outputs"). Nothing here reads or writes files, and no
input DataFrame is ever modified.


The code is split by job into the modules of this package; every name is
importable from ``pmflib.rules.status`` as before.
"""

from pmflib.rules.status.actions import (  # noqa: F401
    action_status,
    add_months,
    effective_end_date,
    months_between,
    slippage_status,
)
from pmflib.rules.status.basis import (  # noqa: F401
    _compared_text,
    quote_number,
    status_bases,
    status_basis,
    status_basis_of_row,
)
from pmflib.rules.status.common import (  # noqa: F401
    _ANNUAL_TARGET,
    _TARGET_COLUMN,
    _TARGET_COLUMNS,
    NAN,
    RAG_STATUSES,
    _as_date,
    _flag,
    _join_and,
    _missing_text,
    _number,
    entered_red,
    left_red,
)
from pmflib.rules.status.exceptions import (  # noqa: F401
    _counts,
    _empty,
    _finish,
    _with_register,
    action_status_counts,
    direction_counts,
    exception_measures,
    kpis_not_reported,
    red_kpis_missing_commentary,
    slipped_actions_missing_reason,
    status_counts,
)
from pmflib.rules.status.indicators import (  # noqa: F401
    assessment_basis,
    comparison_period,
    direction_of_travel,
    indicator_status,
    is_due,
    out_of_period_reason,
    rag_status,
    relative_gap,
    round_half_up,
    signed_difference,
    tolerance_label,
)
from pmflib.rules.status.tables import (  # noqa: F401
    _actual_lookup,
    _as_date_cell,
    _dates,
    _first_by,
    _numbers,
    _texts,
    _tolerance,
    _typed_indicator_frame,
    assess_actions,
    assess_indicator,
    assess_indicators,
)
