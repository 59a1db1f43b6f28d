"""Reading comparator files (benchmarking) from disk: the edge of ``pmflib.rules.benchmark``.

Every cell is read as text and handed to the pure ``parse_comparators``, so
one typo costs one row, never the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from pmflib.core.errors import Problem
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
