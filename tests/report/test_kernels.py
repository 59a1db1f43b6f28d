"""Warm kernels (pmflib.report.kernels): a worker's reports share one kernel
process, never each other's variables; a kernel that failed is replaced.

Real papermill runs of real notebooks on a real ipykernel.
"""

from __future__ import annotations

import nbformat
import papermill
import pytest

from pmflib.report.kernels import WarmKernels, register_engine


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("tag = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, path)
    return path


def _run(kernels, source, target, **kw):
    papermill.execute_notebook(str(source), str(target), engine_name=register_engine(), km=kernels.kernel(),
                               kernel_name="python3", progress_bar=False, **kw)
    return nbformat.read(target, as_version=4)


def _printed(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_reports_share_the_kernel_process_but_not_its_variables(tmp_path):
    first = _notebook(tmp_path / "a.ipynb", "import os\nleftover = tag\nprint('pid', os.getpid())")
    second = _notebook(tmp_path / "b.ipynb",
                       "import os\nprint('leftover' in globals(), 'pid', os.getpid(), tag)")
    with WarmKernels(cwd=tmp_path, log_path=tmp_path / "kernels.log") as kernels:
        one = _printed(_run(kernels, first, tmp_path / "a-out.ipynb", parameters={"tag": "first"}))
        two = _printed(_run(kernels, second, tmp_path / "b-out.ipynb", parameters={"tag": "second"}))
        kernel = kernels.kernel()
    pid = one.split("pid")[1].split()[0]
    assert two.split() == ["False", "pid", pid, "second"]  # same process, clean namespace, own parameters
    from jupyter_core.utils import run_sync

    assert not run_sync(kernel.is_alive)()  # closing the pool stops its kernels


def test_a_kernel_that_timed_out_is_replaced_for_the_next_report(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    slow = _notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(30)")
    quick = _notebook(tmp_path / "quick.ipynb", "import os\nprint(os.getpid())")
    with WarmKernels(cwd=tmp_path, log_path=tmp_path / "kernels.log") as kernels:
        before = _printed(_run(kernels, quick, tmp_path / "q1.ipynb")).strip()
        with pytest.raises(CellTimeoutError):
            _run(kernels, slow, tmp_path / "slow-out.ipynb", execution_timeout=2)
        kernels.discard()  # what the report runner does after any kernel failure
        after = _printed(_run(kernels, quick, tmp_path / "q2.ipynb")).strip()
    assert before and after and before != after


def test_the_executed_notebook_is_written_once_at_the_end_with_its_title(tmp_path):
    """papermill's own engine writes the notebook as every cell starts and
    ends; the warm engine writes it when it is done, title included."""
    target = tmp_path / "out.ipynb"
    source = _notebook(tmp_path / "a.ipynb", f"import os\nprint(os.path.exists({str(target)!r}))", "print('last')")
    with WarmKernels(cwd=tmp_path, log_path=tmp_path / "kernels.log") as kernels:
        nb = _run(kernels, source, target, title="Cabinet — 2026-27 Q2")
    assert _printed(nb).split() == ["False", "last"]  # not on disk while the cells ran
    assert nb.metadata["pmf"]["title"] == "Cabinet — 2026-27 Q2"


def test_a_failed_notebook_is_still_written_with_what_it_did(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    target = tmp_path / "out.ipynb"
    source = _notebook(tmp_path / "a.ipynb", "print('before')", "import time\ntime.sleep(30)")
    with WarmKernels(cwd=tmp_path, log_path=tmp_path / "kernels.log") as kernels:
        with pytest.raises(CellTimeoutError):
            _run(kernels, source, target, execution_timeout=2)
        kernels.discard()
    kept = nbformat.read(target, as_version=4)
    assert "before" in _printed(kept)
    assert kept.metadata["papermill"]["end_time"]  # the final save ran
