"""Telling whether a file is still the one that was read.

Every file pmflib writes for someone else (a published page, a PDF, an
analyst's narrative, the period handed to the notebooks) is written whole or
not at all, by one ``atomic_write``.

Several things are worth keeping only while their source file is unchanged:
the validated register (read by ingest, the period, the reports and the
site), the comparators (read by every benchmarked report in a warm kernel)
and the period handed from ``pmf run`` to its notebooks. All ask the same
question in the same way (``file_stamp``, ``LastRead``), so they can never
disagree about whether a file has changed.
"""

from __future__ import annotations

import os
import tempfile
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


class LastRead:
    """What was last read from some files, given out again while none of
    them has changed (same stamps) and the reading is asked for in the same
    way (``how``). A file that cannot be seen is read every time, so the
    reader is the one to name it. Callers treat what they get as read-only.

    One entry, swapped whole: threads of one run (the site's and the
    reports') may ask at once, and neither sees another's half-written key."""

    def __init__(self) -> None:
        self._last: tuple | None = None

    def get(self, paths, read, how: tuple = ()):
        stamps = tuple(file_stamp(path) for path in paths)
        if None in stamps:
            return read()
        key = (stamps, how)
        last = self._last
        if last is None or last[0] != key:
            last = self._last = (key, read())
        return last[1]


def atomic_write(path: "Path | str", data: bytes, *, mode: int = 0o644, durable: bool = False) -> None:
    """Write ``data`` to ``path`` through a temporary file and one rename, so a
    reader (a web server, JupyterLab, a report notebook) never sees half a file.

    ``mode`` is set explicitly (mkstemp makes 0600 whatever the umask): 0644
    by default, because published pages are served by another user.
    ``durable`` also flushes the file to disk before the rename, for files a
    person wrote by hand and would lose (narrative).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
