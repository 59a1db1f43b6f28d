"""Faults get messages, not tracebacks (issue 13 item 7): hanging and dying
kernels, a read-only and a full outputs folder (real tmpfs mounts), and the
published set unchanged after each."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from pmflib.core.errors import ConfigError, ReportError
from pmflib.core.periods import Period
from pmflib.cycle import pipeline
from pmflib.report.runner import ReportJob, _execute, timeout_seconds

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}
PERIOD = Period.parse("2026-27 Q2")


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("workbook_dir = ''", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _job(notebook: Path, timeout: int = 600) -> ReportJob:
    return ReportJob("quarterly", str(notebook), "Quarterly report", "Cabinet", "", "quarterly-cabinet",
                     ("html",), timeout=timeout)


def test_a_hanging_notebook_times_out_with_a_message_naming_the_report(tmp_path):
    hang = _notebook(tmp_path / "hang.ipynb", "import time\ntime.sleep(120)")
    with pytest.raises(ReportError) as raised:
        _execute(_job(hang, timeout=2), tmp_path, PERIOD, tmp_path / "staging")
    message = str(raised.value)
    assert "Quarterly report — Cabinet" in message and "timed out" in message and "2 s" in message


def test_a_dead_kernel_is_a_message_naming_the_report(tmp_path):
    die = _notebook(tmp_path / "die.ipynb", "import os\nos._exit(1)")
    with pytest.raises(ReportError) as raised:
        _execute(_job(die), tmp_path, PERIOD, tmp_path / "staging")
    message = str(raised.value)
    assert "Quarterly report — Cabinet" in message and "died" in message


def test_timeout_comes_from_params_and_is_checked():
    assert timeout_seconds({"timeout_seconds": 30}, {"id": "q"}) == 30
    assert timeout_seconds({"timeout_seconds": 30}, {"id": "q", "timeout_seconds": 5}) == 5
    assert timeout_seconds({}, {"id": "q"}) == 600
    with pytest.raises(ConfigError, match="reports.yml.*'q'.*timeout_seconds"):
        timeout_seconds({}, {"id": "q", "timeout_seconds": "soon"})


# --- the outputs folder cannot be written ---------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-faults")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest", reports=False)
    period = sorted(p.name for p in (root / "outputs").iterdir() if p.name[:4].isdigit())[-1]
    return root, period


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _mount(outputs: Path, size: str, saved: Path, *, read_only: bool) -> None:
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(outputs)], check=True)
    shutil.copytree(saved, outputs, dirs_exist_ok=True)
    if read_only:
        subprocess.run(["mount", "-o", "remount,ro", str(outputs)], check=True)


@pytest.mark.parametrize("fault, words", [("read-only", "read-only"), ("full", "disk is full")])
def test_unwritable_outputs_are_one_line_naming_the_folder(tiny, tmp_path, fault, words):
    root, period = tiny
    outputs = root / "outputs"
    saved = tmp_path / "saved"
    shutil.copytree(outputs, saved)
    before = _digest(saved / period)
    used = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file())
    # Full: room for the published set and a little more, not for a second copy.
    size = f"{used // 1024 + 64}k" if fault == "full" else "64m"
    _mount(outputs, size, saved, read_only=(fault == "read-only"))
    try:
        done = subprocess.run([sys.executable, "-m", "pmflib.cycle.cli", "--workbook", str(root), "run",
                               "--period", period, "--no-reports"], env=ENV, capture_output=True, text=True,
                              timeout=300)
        after = _digest(outputs / period)
        leftovers = [p.name for p in outputs.iterdir() if p.name.startswith(".")]
    finally:
        subprocess.run(["umount", str(outputs)], check=True)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    message = [line for line in done.stderr.splitlines() if "cannot write" in line]
    assert len(message) == 1 and str(outputs) in message[0] and words in message[0]
    assert after == before  # the published set is unchanged
    assert leftovers == []  # no half-written staging left behind
