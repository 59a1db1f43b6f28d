"""One run at a time on a workbook (issue 13 item 6): real `pmf` processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pmflib.cycle import pipeline
from pmflib.cycle.lock import LOCK_NAME

REPO = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-lock")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest", reports=False)
    period = sorted(p.name for p in (root / "outputs").iterdir() if p.name[:4].isdigit())[-1]
    return root, period


def _pmf(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "pmflib.cycle.cli", "--workbook", str(root), *args]


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_second_run_refuses_naming_the_holder(tiny):
    root, period = tiny
    first = subprocess.Popen(_pmf(root, "run", "--period", period), env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = root / LOCK_NAME
        for _ in range(200):
            if lock.exists() and lock.read_text().strip():
                break
            time.sleep(0.05)
        holder = json.loads(lock.read_text())
        assert holder["pid"] == first.pid and holder["command"] == "pmf run"
        second = subprocess.run(_pmf(root, "run", "--period", period, "--no-reports"), env=ENV,
                                capture_output=True, text=True, timeout=120)
        assert first.poll() is None, "the first run ended before the second started"
    finally:
        first.kill()
        first.wait()
    assert second.returncode == 2
    assert f"PID {first.pid}" in second.stderr and "in use by another run" in second.stderr
    assert "Traceback" not in second.stderr
    assert LOCK_NAME in second.stderr


def test_a_stale_lock_file_of_a_dead_run_is_taken_over(tiny):
    root, period = tiny
    (root / LOCK_NAME).write_text(json.dumps({"pid": _dead_pid(), "host": os.uname().nodename,
                                              "command": "pmf run", "started": "2026-01-01T00:00:00"}))
    done = subprocess.run(_pmf(root, "run", "--period", period, "--no-reports"), env=ENV,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_lock_held_by_an_orphan_of_a_dead_run_is_taken_over(tiny):
    """The kernel lock still held (an orphan kept the file open) but the PID
    inside is dead on this host: stale, so the new run starts a fresh lock."""
    root, period = tiny
    orphan = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, json, os, sys, time\n"
        f"fd = os.open({str(root / LOCK_NAME)!r}, os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(fd, fcntl.LOCK_EX)\n"
        f"os.write(fd, json.dumps({{'pid': {_dead_pid()}, 'host': os.uname().nodename}}).encode())\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert orphan.stdout.readline().strip() == "held"
        done = subprocess.run(_pmf(root, "run", "--period", period, "--no-reports"), env=ENV,
                              capture_output=True, text=True, timeout=300)
    finally:
        orphan.kill()
        orphan.wait()
    assert done.returncode == 0, done.stderr


def test_a_lock_held_by_a_live_process_is_not_taken_over(tiny):
    root, _ = tiny
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "from pmflib.cycle.lock import workbook_lock\n"
        f"with workbook_lock({str(root)!r}, 'pmf export'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(120)\n")], stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert holder.stdout.readline().strip() == "held"
        done = subprocess.run(_pmf(root, "ingest", "--period", "2026-27 Q2"), env=ENV,
                              capture_output=True, text=True, timeout=120)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2
    assert f"PID {holder.pid}" in done.stderr and "(pmf export)" in done.stderr
