"""Reading returns in a worker process, so one file can cost only itself.

Some failures cannot be caught in Python: a native library (calamine is Rust)
that aborts the process on a failed allocation (rc 134), or a read that never
ends. So ``ingest`` reads every return in one long-lived worker process with
an address-space limit (``RLIMIT_AS``) and a time limit per file. When the
worker dies or overruns, that file becomes one problem naming it, a fresh
worker is started, and the other returns go on. The worker is reused from
file to file (started with ``forkserver`` where there is one, so a restart
forks a process that has already imported pandas and calamine), which keeps
the isolation cheap: one start per ingest, not per file.

The register is sent to the worker once, when it starts; each file costs one
message each way (the path, then the ``ReturnFile``).
"""

from __future__ import annotations

import os
from pathlib import Path

from pmflib.core.constants import WORKER_MEMORY_BYTES, WORKER_SECONDS_PER_FILE
from pmflib.core.errors import Problem
from pmflib.core.periods import Period
from pmflib.core.processes import process_context


def _limit_memory(limit: int | None) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the time limit still holds
        return
    if limit:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = limit if hard == resource.RLIM_INFINITY else min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _serve(connection, register, memory_limit: int | None) -> None:
    """The worker: read each (path, period) it is sent, send back the result."""
    _limit_memory(memory_limit)
    from pmflib.inputs.returns import read_return

    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        path, period = job
        try:
            result = read_return(Path(path), register, period)
        except MemoryError:
            result = MemoryError()
        except Exception as exc:  # a bug, not a bad file: the parent reports it for this file
            result = RuntimeError(f"{type(exc).__name__}: {exc}")
        connection.send(result)


class ReturnReader:
    """Reads returns one by one in an isolated, reused worker process.

    Use as a context manager; ``read(path, period)`` always gives a
    ``ReturnFile`` (with one problem when the file killed or stalled the worker).
    """

    def __init__(self, register, *, memory_limit: int | None = WORKER_MEMORY_BYTES,
                 seconds_per_file: float = WORKER_SECONDS_PER_FILE) -> None:
        self.register = register
        self.memory_limit = memory_limit
        self.seconds_per_file = seconds_per_file
        self._context = process_context()
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(["pmflib.inputs.returns"])
        self._process = None
        self._connection = None
        #: Workers started, for the tests and the ingest summary.
        self.starts = 0

    def __enter__(self) -> "ReturnReader":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _start(self) -> None:
        parent, child = self._context.Pipe()
        # Held before start, so a worker that fails to start is still stopped cleanly.
        self._connection = parent
        self._process = self._context.Process(
            target=_serve, args=(child, self.register, self.memory_limit), daemon=True,
            name="pmf-return-reader",
        )
        try:
            self._process.start()
        finally:
            child.close()
        self.starts += 1

    def _stop(self) -> None:
        if self._process is None:
            return
        # A worker that never started (its start-up error is the one to see)
        # has nothing to kill or join.
        if self._process.pid is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        if self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
                self._process.join(5)
            except (OSError, EOFError, BrokenPipeError):
                pass
        self._stop()

    def read(self, path: Path, period: Period):
        """The ``ReturnFile`` for ``path``; never raises for what a file does."""
        from pmflib.inputs.returns import ReturnFile, file_sha256

        path = Path(path)
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()
        try:
            # The Period itself crosses the pipe (it pickles), so the worker never re-parses a label.
            self._connection.send((str(path), Period.parse(period)))
            if self._connection.poll(self.seconds_per_file):
                answer = self._connection.recv()
                if isinstance(answer, ReturnFile):
                    return answer
                why = (f"it needs more memory than the {self.memory_limit / 2**30:.0f} GB allowed for one return"
                       if isinstance(answer, MemoryError) else f"the reader failed ({answer})")
            else:
                why = f"reading it took longer than the {self.seconds_per_file:g} seconds allowed for one return"
                self._stop()
        except (EOFError, OSError, BrokenPipeError):
            self._stop()
            # The same words whether or not the dead reader's exit code is known yet
            # (it may not have been reaped): the officer's list must not change between runs.
            why = "it made the reader stop, as a file built to break spreadsheet readers does"
        failed = ReturnFile(path=path, sha256=file_sha256(path))
        failed.problems.append(Problem(path.name, "", "", (
            f"{path.name} was not read: {why}. Open it in Excel, check it is the return made from the "
            "template, save it as .xlsx and send it again")))
        return failed


def in_process() -> bool:
    """Whether returns should be read in this process (``PMF_READ_IN_PROCESS=1``,
    e.g. under a debugger); the default is the isolated worker."""
    return os.environ.get("PMF_READ_IN_PROCESS", "") == "1"
