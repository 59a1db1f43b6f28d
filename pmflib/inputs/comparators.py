"""Reading comparator files (benchmarking) from disk: the edge of ``pmflib.rules.benchmark``.

Every cell is read as text and handed to the pure ``parse_comparators``, so
one typo costs one row, never the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from pmflib.core.errors import Problem
from pmflib.inputs.files import LastRead
from pmflib.rules.benchmark import BenchmarkError, parse_comparators

_FILE_ENCODINGS = ("utf-8-sig", "cp1252")


# --- reading ------------------------------------------------------------------------------
def read_comparators(path_or_paths: "Path | str | Iterable[Path | str]", *,
                     metric_map: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Comparator values from one file or several, in either shape (see ``parse_comparators``).

    Bad rows become ``Problem`` rows (file, cell, value) and the good rows are
    kept, as for returns: one typo must not lose a whole benchmarking table.
    A file that cannot be parsed as CSV at all is one file-level problem.
    """
    paths = [path_or_paths] if isinstance(path_or_paths, (str, Path)) else list(path_or_paths)
    table, problems = _LAST_READ.get(paths, lambda: _read_comparator_files(paths, metric_map),
                                     how=tuple(sorted((metric_map or {}).items())))
    return table.copy(deep=False), list(problems)


#: The comparators last read. A warm report kernel runs a quarter's reports
#: one after another and each benchmarked report asked for the same file:
#: parsing it was 0.25 s a report on the large council (py-spy), read now once
#: per kernel while unchanged. Callers get a shallow copy (pandas
#: copy-on-write keeps the kept one intact).
_LAST_READ = LastRead()


def _read_comparator_files(paths: list, metric_map) -> tuple[pd.DataFrame, list[Problem]]:
    files, problems = [], []
    for path in map(Path, paths):
        if not path.is_file():
            raise BenchmarkError(f"{path}: no such comparators file")
        try:
            files.append((path.name, _read_csv(path)))
        except pd.errors.ParserError as error:
            problems.append(Problem(path.name, "", "", f"Not a readable CSV file: {error}"))
    table, more = parse_comparators(files, metric_map=metric_map)
    return table, problems + more


def _read_csv(path: Path) -> pd.DataFrame:
    """Every cell as text, blank lines kept so row numbers match what Excel shows."""
    for encoding in _FILE_ENCODINGS:
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False, encoding=encoding)
        except UnicodeDecodeError:
            continue
    raise BenchmarkError(f"{path.name}: not a text (CSV) file")
