"""Read, validate and write the register (SPEC §3) and the history table.

The register is the council's outcome plans: outcomes, indicators, targets
and actions. Everything downstream trusts it, so it is validated once, here,
and every problem is reported at once with its sheet and cell: a policy
officer fixing the workbook should need one round trip, not one per typo.

Reading and writing touch disk only at the edges (``read_register``,
``read_history``, ``write_register``, ``write_history``); everything between
works on plain tables and is pure.


The code is split by job into the modules of this package; every name is
importable from ``pmflib.inputs.register`` as before.
"""

from pmflib.inputs.register.history import (  # noqa: F401
    _WIDE_ID_HEADERS,
    _actual,
    _history_grid,
    _history_row,
    _period_label,
    _read_csv_grid,
    _wide_header,
    read_history,
    validate_history,
    validate_wide_history,
)
from pmflib.inputs.register.parsers import (  # noqa: F401
    _choice,
    _date,
    _decimals,
    _excel_serial,
    _flag,
    _is_number,
    _number_text,
    _target,
    _text,
    _text_date,
    _year,
    parse_tolerance,
)
from pmflib.inputs.register.problems import (  # noqa: F401
    _Bad,
    _Issues,
    _parse_column,
    _quietly,
    _show,
)
from pmflib.inputs.register.sheets import (  # noqa: F401
    _actions,
    _case_hint,
    _check_duplicate_years,
    _check_end_after_start,
    _check_known,
    _check_not_blank,
    _empty_table,
    _extra_series,
    _frame,
    _ids,
    _indicators,
    _known,
    _outcomes,
    _target_column,
    _targets,
    _text_series,
    validate_register,
)
from pmflib.inputs.register.tables import (  # noqa: F401
    _EXCEL_EPOCH,
    _MAX_EXCEL_SERIAL,
    _NUMBER_TEXT,
    _OPTIONAL,
    _PERCENT_SENSITIVE,
    _QUARTER_TARGETS,
    _ROW_KEY,
    _SERIAL_TEXT,
    _STANDARD,
    _TEXT_DATE_FORMATS,
    Register,
    SheetTable,
    _header_columns,
    _is_blank,
    _key,
    locate_table,
)
from pmflib.inputs.register.workbook import (  # noqa: F401
    _CELL,
    _column_number,
    _numeric_cells,
    _open_grids,
    _percent_cells,
    _percent_text,
    _sheet_named,
    _unreadable,
    _with_percentages,
    read_register,
    reading_order,
)
from pmflib.inputs.register.writing import (  # noqa: F401
    _DATE_FORMAT,
    _DATE_WIDTH,
    _DERIVED_COLUMNS,
    _MAX_WIDTH,
    _MIN_WIDTH,
    _column_width,
    _excel_value,
    _for_writing,
    _sheet_order,
    _write_sheet,
    _write_workbook,
    write_history,
    write_register,
)
