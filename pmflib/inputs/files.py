"""Telling whether a file is still the one that was read.

Every file pmflib writes for someone else (a published page, a PDF, an
analyst's narrative, the period handed to the notebooks) is written whole or
not at all, by one ``atomic_write``.

Several things are worth keeping only while their source file is unchanged:
the validated register (read by ingest, the period, the reports and the
site) and the period handed from ``pmf run`` to its notebooks. Both ask the
same question in the same way, so they can never disagree about whether a
file has changed.
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
