"""How helper processes are started (pmflib.core.processes): never by fork of a threaded parent."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from pmflib.core.processes import process_context


def _square_and_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_linux_helpers_start_from_the_forkserver():
    assert sys.platform.startswith("linux")  # this suite runs on Linux, which has a forkserver
    assert process_context().get_start_method() == "forkserver"


def test_the_method_is_one_this_platform_has_and_never_fork():
    method = process_context().get_start_method()
    assert method in multiprocessing.get_all_start_methods()
    assert method in ("forkserver", "spawn")


def test_a_process_from_the_context_runs_a_function_and_returns_its_result():
    with ProcessPoolExecutor(max_workers=1, mp_context=process_context()) as pool:
        result, pid = pool.submit(_square_and_pid, 12).result(timeout=60)
    assert result == 144
    assert pid != os.getpid()


def test_a_process_that_skips_the_slow_optional_modules_still_reads_and_checks_notebooks():
    """rfc3987-syntax reads as not installed; nbformat still validates (and
    refuses) a notebook, and a module already imported is left alone."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from pmflib.core.processes import skip_slow_optional_modules\n"
        "skip_slow_optional_modules()\n"
        "import nbformat\n"
        "nb = nbformat.v4.new_notebook(); nbformat.validate(nb)\n"
        "nb.cells.append({'cell_type': 'nonsense'})\n"
        "try:\n    nbformat.validate(nb); print('accepted')\nexcept nbformat.ValidationError: print('refused')\n"
        "print(sys.modules['rfc3987_syntax'] is None, 'lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["refused", "True", "False"]
