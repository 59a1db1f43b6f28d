"""Exports that note what they saw, for the tests of how ``pmf run`` runs
its exports: one that takes its time (a failed run must wait for it before
removing its staging folder), and one that counts the kernels still running
as it starts (the whole council's reports are printed after they are shut
down).

Run in the export process (pickled by name), so they live in an importable
module; they note what they saw in the council's folder, outside the staging
folder, which a failed run removes."""

from __future__ import annotations

import time
from pathlib import Path

SECONDS = 2.0


def stamps_folder(staging: Path) -> Path:
    """``<council>/export-stamps`` for a run's ``<council>/outputs/.staging-*``."""
    return staging.parent.parent / "export-stamps"


def slow_export(job, executed, out: Path, wb, period):
    stamps = stamps_folder(Path(out))
    stamps.mkdir(exist_ok=True)
    (stamps / f"{job.report_key}.started").write_text(str(time.time()))
    time.sleep(SECONDS)
    (out / f"{job.file_stem}.late.html").write_text("written by an export still running", encoding="utf-8")
    (stamps / f"{job.report_key}.finished").write_text(str(time.time()))
    return {"key": job.report_key}, SECONDS


def run_pid(staging: Path) -> int:
    """``pmf run``'s PID, from its staging folder ``.staging-<period>-<pid>-<random>``."""
    return int(Path(staging).name.split("-")[-2])


def running_kernels(pid: int) -> int:
    """How many notebook kernels the process ``pid`` has running."""
    import psutil

    count = 0
    for child in psutil.Process(pid).children():
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                count += 1
        except psutil.Error:  # ended as we looked: not running
            pass
    return count


def kernels_counting_export(job, executed, out: Path, wb, period):
    """The real export, after noting how many report kernels were running as it began."""
    from pmflib.report import runner

    stamps = stamps_folder(Path(out))
    stamps.mkdir(exist_ok=True)
    (stamps / f"{job.report_key}.kernels").write_text(str(running_kernels(run_pid(out))))
    return runner._timed_export(job, executed, out, wb, period)
