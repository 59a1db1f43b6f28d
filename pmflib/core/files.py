"""Telling whether a file is still the one that was read.

Several things are worth keeping only while their source file is unchanged:
the validated register (read by ingest, the period, the reports and the
site) and the period handed from ``pmf run`` to its notebooks. Both ask the
same question in the same way, so they can never disagree about whether a
file has changed.
"""

from __future__ import annotations

import os
from pathlib import Path


def file_stamp(path: "Path | str") -> tuple[str, int, int] | None:
    """The file's resolved path, modification time (ns) and size, or None if
    it cannot be seen. Saving a file in Excel changes both the time and
    (almost always) the size, so an equal stamp means the same contents."""
    path = Path(path)
    try:
        info = os.stat(path)
    except OSError:
        return None
    return str(path.resolve()), info.st_mtime_ns, info.st_size
