"""How pmflib starts helper processes (the return reader, the report exporters).

Never by ``fork`` of the running process: ``pmf run`` has threads (the report
kernels' managers), and a forked copy of a threaded process can inherit a lock
held by a thread that does not exist in the child and hang. ``forkserver``
starts each child from a clean single-threaded server (cheap after the first);
where there is none (not Linux), ``spawn``.
"""

from __future__ import annotations

import multiprocessing


def process_context():
    """The multiprocessing context every helper process is started with."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
