"""One run at a time on a workbook: a lock file the next run can read.

Two runs at once would both write the ledger and both publish, the last one
winning (issue 13). The lock is ``<workbook>/.pmf.lock``, held with
``fcntl.flock`` (the kernel frees it when the holder dies, however it dies),
and it records who holds it — PID, host, command and start time — so the run
that is refused can say who to wait for. A lock whose holder is a dead process
on this host (its flock inherited by an orphan, or a file system where flock
is not honoured) is stale and taken over.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Iterator

from pmflib.core.errors import PmfError

LOCK_NAME = ".pmf.lock"

#: Workbooks this process already holds, so `pmf demo` → run → ingest nests.
_HELD: dict[Path, int] = {}


class LockError(PmfError):
    """Another run holds the workbook."""


def holder_text(info: dict) -> str:
    """``PID 123 on host-a (pmf run), started 2026-12-03 11:40:02``."""
    if not info:
        return "another process (its details could not be read)"
    what = f" ({info['command']})" if info.get("command") else ""
    return f"PID {info.get('pid', '?')} on {info.get('host', '?')}{what}, started {info.get('started', '?')}"


def read_holder(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def pid_alive(pid: int) -> bool:
    """Is a process with this PID running on this host? (A process of another
    user is running too: signalling it is refused, not unknown.)"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def is_stale(info: dict, host: str) -> bool:
    """A holder that is a process of this host which no longer exists."""
    try:
        pid = int(info.get("pid"))
    except (TypeError, ValueError):
        return False
    return info.get("host") == host and not pid_alive(pid)


def _try_lock(path: Path) -> int | None:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextmanager
def workbook_lock(root: Path, command: str = "pmf", *, wait_seconds: float = 0.0) -> Iterator[Path]:
    """Hold the workbook for the block, or raise ``LockError`` naming the holder.

    ``wait_seconds`` waits that long for the holder to finish before refusing.
    """
    root = Path(root).resolve()
    path = root / LOCK_NAME
    if root in _HELD:
        _HELD[root] += 1
        try:
            yield path
        finally:
            _HELD[root] -= 1
        return
    root.mkdir(parents=True, exist_ok=True)
    host = socket.gethostname()
    deadline = time.monotonic() + wait_seconds
    took_over = False
    while True:
        fd = _try_lock(path)
        if fd is not None:
            break
        info = read_holder(path)
        if not took_over and is_stale(info, host):
            # The kernel lock is held by an orphan of a dead run: start a new
            # lock file (a new inode) that the orphan does not hold.
            path.unlink(missing_ok=True)
            took_over = True
            continue
        if time.monotonic() >= deadline:
            raise LockError(
                f"{root} is in use by another run: {holder_text(info)}. Wait for it to finish "
                f"and try again (the lock is {path}; it is freed when that process ends)."
            )
        time.sleep(0.5)
    info = {"pid": os.getpid(), "host": host, "command": command,
            "started": datetime.now().isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.write(fd, json.dumps(info).encode())
    os.fsync(fd)
    _HELD[root] = 1
    try:
        yield path
    finally:
        del _HELD[root]
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
        os.close(fd)
