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


#: Optional modules that cost a process more than they give it here. With
#: rfc3987-syntax installed (JupyterLab's jupyter-events brings it), importing
#: jsonschema, which nbformat and papermill import, compiles 38 RFC 3987
#: grammars with lark: about 1.3 s of every process that reads a notebook
#: (6 s on a busy machine), to check "iri" formats no notebook schema uses.
SKIPPED_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_slow_optional_modules() -> None:
    """Make the modules above read as not installed in this process (one that
    has already imported them keeps them): jsonschema then skips the format
    check they serve, as it does on a machine without them."""
    import sys

    for name in SKIPPED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)
