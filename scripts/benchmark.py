"""Benchmarks: how long the quarterly cycle takes on the demo councils.

Run with `make bench`. Writes docs/benchmarks.md (the numbers kept in the
repo) and prints the same table. Timings are wall-clock on whatever machine
runs it; the machine is named in the output. No test asserts on time.

Measured, for the standard demo council (12 services) and the large one
(40 services, 600 indicators, 1,500 actions):
* building the demo inputs and filling the returns;
* reading the latest quarter's returns with pmflib's reader (python-calamine
  plus the percent formats read from the sheet XML) against a full
  openpyxl load into pandas of the same files (the obvious alternative);
* `pmf run --no-reports` for the latest quarter (ingest, statuses, open data).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pmflib.cycle import pipeline  # noqa: E402
from pmflib.demo.council import generate_demo, write_demo_inputs  # noqa: E402
from pmflib.demo.returns import fill_returns  # noqa: E402
from pmflib.inputs.register import read_register  # noqa: E402
from pmflib.inputs.returns import read_return  # noqa: E402
from pmflib.cycle.workbook import Workbook  # noqa: E402

REPEATS = 3


def _best(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _openpyxl_pandas(files: list[Path]) -> None:
    """The straightforward alternative: full openpyxl load, each sheet to a DataFrame."""
    for path in files:
        book = load_workbook(path, data_only=True)
        for name in ("Indicators", "Actions", "Sign-off"):
            rows = list(book[name].values)
            pd.DataFrame(rows[4:], columns=rows[3] if len(rows) > 3 else None)
        book.close()


def bench(scale: str) -> dict[str, object]:
    root = Path(tempfile.mkdtemp(prefix=f"pmf-bench-{scale}-"))
    shutil.copytree(REPO / "params", root / "params")
    wb = Workbook.open(root)
    started = time.perf_counter()
    council = generate_demo(scale)
    write_demo_inputs(council, root)
    pipeline.say = lambda message: None  # quiet
    for period in council.return_periods:
        pipeline.templates(wb, period)
        fill_returns(council, period, wb.templates_dir(period), wb.returns_dir(period),
                     imperfections=period == council.latest_period, deadline=wb.deadline(period))
    build = time.perf_counter() - started
    latest = council.latest_period
    files = sorted(p for p in wb.returns_dir(latest).iterdir() if p.suffix == ".xlsx")
    register = read_register(wb.register_path)
    ours = _best(lambda: [read_return(p, register, latest) for p in files])
    theirs = _best(lambda: _openpyxl_pandas(files))
    for period in council.return_periods[:-1]:
        pipeline.ingest(wb, period)
    run = _best(lambda: pipeline.run(wb, latest, reports=False), repeats=1)
    shutil.rmtree(root, ignore_errors=True)
    return {
        "scale": scale,
        "indicators": len(council.register_sheets["Indicators"]),
        "actions": len(council.register_sheets["Actions"]),
        "returns": len(files),
        "build inputs + returns (s)": round(build, 2),
        "read returns: pmflib (s)": round(ours, 3),
        "read returns: openpyxl + pandas (s)": round(theirs, 3),
        "speed-up": f"{theirs / ours:.1f}×",
        "pmf run --no-reports (s)": round(run, 2),
    }


def _markdown(table: pd.DataFrame) -> str:
    header = "| | " + " | ".join(map(str, table.columns)) + " |"
    rule = "|---" * (len(table.columns) + 1) + "|"
    body = ["| " + str(name) + " | " + " | ".join(map(str, row)) + " |" for name, row in table.iterrows()]
    return "\n".join([header, rule, *body])


def main() -> None:
    rows = [bench(scale) for scale in ("standard", "large")]
    table = pd.DataFrame(rows).set_index("scale").T
    machine = f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = (
        "# Benchmarks\n\n"
        "Made by `make bench` (scripts/benchmark.py); best of "
        f"{REPEATS} for the reads. Machine: {machine}.\n\n"
        + _markdown(table) + "\n"
    )
    (REPO / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
