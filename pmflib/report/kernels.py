"""Warm notebook kernels: one per report worker, reused for the period's reports.

Why: every report notebook ran in a kernel of its own, so each of a
quarter's 15 reports paid for starting a Python kernel and importing pandas
and pmflib again (about a second each on a quiet 2-core machine, three on a
busy one) before drawing a line. A worker now starts one kernel and runs its
reports in it one after another, still through papermill (parameters
injected, every cell's output and timing recorded in the executed notebook).

Each report still starts from nothing a previous one left: before its first
cell the kernel's namespace is reset (IPython's ``reset(new_session=True)``,
which keeps imported modules, the point of the exercise, and drops every
variable). A kernel that timed out, died or failed to answer is shut down and
the worker's next report gets a fresh one, so one bad report cannot poison
the next.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

#: The papermill engine name under which the warm-kernel client is registered.
ENGINE = "pmf-warm-kernel"
#: Run in the kernel before each report: a clean namespace, modules kept.
RESET = "get_ipython().reset(new_session=True, aggressive=False)"
KERNEL_NAME = "python3"

_registering = threading.Lock()
#: Whether this process has registered the engine (papermill keeps no public lookup).
_registered: list[bool] = []


def register_engine() -> str:
    """Register the warm-kernel engine with papermill (once) and return its name."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    with _registering:
        if _registered:
            return ENGINE

        class SaveAtEnd(NotebookExecutionManager):
            """Writes the executed notebook once, when it completes or fails.

            papermill writes the whole notebook to disk as every cell starts
            and ends, so that someone can watch it fill in: the large
            council's Cabinet report (4.9 MB, 13 cells) was written 27 times,
            and all the writing was 2.8 s of the run's own 10.6 s of CPU
            (py-spy), on a machine whose two cores the kernels and the
            browser need. No one watches
            a report's notebook mid-run. papermill writes the notebook once
            it has run (an error in a cell included); one stopped by a timeout
            or a dead kernel is written by the engine, with every output up to
            the failure."""

            final = False

            def save(self, **kwargs):
                if self.final:
                    return super().save(**kwargs)
                self.last_save_time = self.now()

        class WarmClient(PapermillNotebookClient):
            """papermill's client on a kernel it did not start: reset first, and
            close its own channels after (the kernel itself stays up)."""

            def papermill_execute_cells(self):
                reply = self.wait_for_reply(self.kc.execute(RESET, silent=True, store_history=False))
                if not reply or reply.get("content", {}).get("status") != "ok":
                    raise RuntimeError("the kernel could not be reset for the next report")
                super().papermill_execute_cells()

        class WarmKernelEngine(NBClientEngine):
            @classmethod
            def execute_notebook(cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False,
                                 autosave_cell_every=30, title=None, **kwargs):
                """papermill's own, with the report's title set in the notebook
                and the notebook saved once, when it ends (see SaveAtEnd)."""
                if title:
                    nb.metadata.setdefault("pmf", {})["title"] = title
                manager = SaveAtEnd(nb, output_path=output_path, progress_bar=progress_bar,
                                    log_output=log_output, autosave_cell_every=0)
                manager.notebook_start()
                stopped = True
                try:
                    cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
                    stopped = False
                finally:
                    manager.cleanup_pbar()
                    # papermill itself writes a notebook that ran to its end (or
                    # to an error in a cell); one stopped by a timeout or a dead
                    # kernel is written here, with what it did.
                    manager.final = stopped
                    manager.notebook_complete()
                return manager.nb

            @classmethod
            def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None,
                                         stderr_file=None, start_timeout=60, execution_timeout=None, **kwargs):
                for unused in ("input_path", "timeout", "startup_timeout"):
                    kwargs.pop(unused, None)
                client = WarmClient(nb_man, timeout=execution_timeout, startup_timeout=start_timeout,
                                    kernel_name=kernel_name, log=logging.getLogger("papermill"),
                                    log_output=log_output, stdout_file=stdout_file, stderr_file=stderr_file,
                                    **kwargs)
                try:
                    return client.execute()
                finally:
                    if getattr(client, "kc", None) is not None:
                        client.kc.stop_channels()

        papermill_engines.register(ENGINE, WarmKernelEngine)
        _registered.append(True)
    return ENGINE


class WarmKernels:
    """A kernel per worker thread, started on first use and kept for the next report.

    ``log_path`` takes the kernels' own stdout and stderr (never the
    officer's screen); ``cwd`` is where the notebooks run.
    """

    def __init__(self, *, cwd: Path, log_path: Path, extra_arguments: list[str] | None = None):
        self.cwd = Path(cwd)
        self.log_path = Path(log_path)
        self.extra_arguments = list(extra_arguments or [])
        self._local = threading.local()
        self._started: list = []
        self._lock = threading.Lock()

    def kernel(self):
        """This worker's kernel manager, with a live kernel."""
        from jupyter_core.utils import run_sync

        km = getattr(self._local, "km", None)
        if km is not None and run_sync(km.is_alive)():
            return km
        if km is not None:
            self.discard()
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=KERNEL_NAME)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as handle:  # the kernel process keeps its own copy
            run_sync(km.start_kernel)(extra_arguments=self.extra_arguments, cwd=str(self.cwd),
                                      stdout=handle, stderr=handle)
        self._local.km = km
        with self._lock:
            self._started.append(km)
        return km

    def discard(self) -> None:
        """Shut down this worker's kernel (after a timeout, a death or any
        failure other than an error in a notebook cell)."""
        km = getattr(self._local, "km", None)
        self._local.km = None
        if km is not None:
            _shutdown(km)
            with self._lock:
                if km in self._started:
                    self._started.remove(km)

    def close(self) -> None:
        """Shut down every kernel this pool started."""
        with self._lock:
            started, self._started = self._started, []
        for km in started:
            _shutdown(km)

    def __enter__(self) -> "WarmKernels":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _shutdown(km) -> None:
    from jupyter_core.utils import run_sync

    try:
        run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # noqa: BLE001 — already gone: nothing left to stop
        pass
