"""Benchmark of the quarterly cycle on the large demo council (issue 12).

Run with `make bench` (about 15-30 min on 2 cores) or, while developing,
`scripts/benchmark.py --quick` (the standard council). Writes BENCHMARKS.md
and benchmarks.json (same figures) and prints the table. It measures; it
asserts nothing about time (the targets are reported as met or not met).

What is measured, on one demo workbook built in a temporary folder:
1. ``cycle``: the whole ``pmf run --period <Q2>`` as a subprocess: wall time
   and peak memory of the whole process tree (psutil samples each process's
   PSS every 50 ms, in one more run of its own, as sampling slows the run;
   without psutil, getrusage(RUSAGE_CHILDREN), a lower bound, the largest
   single process);
2. ``stages``: each stage on its own, in this process: templates, ingest,
   load_period (register read, ledger queries, statuses, SPC: what a run
   computes once and hands to every report notebook), each report's notebook
   execution, its HTML export and its PDF export, and the site;
3. ``export``: ``pmf export`` after a narrative edit of a Portfolio Holder
   report and of the Cabinet report;
4. ``naive``: the pipeline a user would otherwise write, one report after
   another: the papermill CLI, ``jupyter nbconvert --to html``, the weasyprint
   CLI; and ``read``: pandas ``read_excel(engine="openpyxl")`` of the same
   returns against pmflib's reader;
5. ``scaling``: ``pmf run --no-reports`` at 1x, 2x and 4x the council;
6. ``standard``: the standard demo council's latest quarter, ``pmf run`` with
   its reports (the target of 8 s), and ``demo``: ``pmf demo`` in an empty
   folder, what ``make demo`` runs after set-up (the target of 60 s).

Every ingest-dependent measurement starts from the same ledger (a copy taken
after the earlier quarters were ingested), so repetitions do the same work.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ALL_MEASURES = ("cycle", "stages", "export", "naive", "read", "scaling", "standard", "demo")
#: Stages that can be asked for alone (``--stages ingest``): cheap ones for tests.
STAGE_NAMES = ("templates", "ingest", "load_period", "reports", "site")
BIN = Path(sys.executable).parent
SCALING = {"large": ("large", "large-2x", "large-4x"), "standard": ("standard", "large"), "tiny": ("tiny",)}
MB = 1024 * 1024
#: "Time per indicator flat within 25%" (issue 12): the most it may differ, max/min, from 1× to 4×.
FLAT = 1.25
#: The reports ``pmf export`` is timed on: a Portfolio Holder report (what an
#: analyst edits most, one outcome) and the Cabinet report (the longest PDF).
EXPORTED = (("portfolio_holder", "quarterly-portfolio-holder-*", "a Portfolio Holder report"),
            ("cabinet", "quarterly-cabinet.*", "the Cabinet report"))
#: BENCHMARKS.md keeps what follows this line across runs: what was measured
#: by hand (profiles, levers tried), which a rewrite would otherwise lose.
KEPT_MARKER = "<!-- Kept by make bench: notes measured by hand below this line. -->"


# --- small pure helpers -------------------------------------------------------------------------
def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ratio(slow: float, fast: float) -> float:
    return slow / fast if fast else float("nan")


def parse_export_progress(stderr: str) -> dict[str, float]:
    """Per-report export seconds from the runner's "[3/14] Title (11.3 s to export)" lines."""
    found = {}
    for match in re.finditer(r"^\[\d+/\d+\] (.+) \(([\d.]+) s to export\)$", stderr, flags=re.M):
        found[match.group(1)] = float(match.group(2))
    return found


def target_rows(results: dict) -> list[tuple[str, str, str]]:
    """(target, measured, met / not met / not measured) for each target of issue 12."""
    rows = []

    def add(name: str, value, limit_ok) -> None:
        if value is None or value != value:
            rows.append((name, "—", "not measured in this run"))
        else:
            rows.append((name, value if isinstance(value, str) else f"{value:.2f}", "met" if limit_ok else "not met"))

    cycle = results.get("cycle", {})
    naive = results.get("naive", {})
    large = results["scale"].startswith("large")
    wall = cycle.get("wall_s")
    add(f"whole {results['scale']} Q2 cycle ≤ 20 s" if large else "whole cycle ≤ 20 s (large council)",
        wall if large else None, wall is not None and wall <= 20)
    speedup = ratio(naive.get("total_s", float("nan")), wall) if wall and naive else None
    add("whole cycle ≥ 5× faster than the naive pipeline (×)", speedup, speedup is not None and speedup >= 5)
    standard = results.get("standard", {}).get("wall_s", None if large else wall)
    add("standard council's quarter ≤ 8 s", standard, standard is not None and standard <= 8)
    demo = results.get("demo", {}).get("wall_s")
    add("`make demo` ≤ 60 s after set-up", demo, demo is not None and demo <= 60)
    read = results.get("read", {})
    add("ingest of the returns ≥ 5× faster than pandas + openpyxl (×)", read.get("speedup"),
        read.get("speedup", 0) >= 5)
    for name, _, label in EXPORTED:
        export = results.get("export", {}).get(name, {}).get("wall_s")
        add(f"`pmf export` of one report after a narrative edit ≤ 2 s: {label}", export,
            export is not None and export <= 2)
    peak = cycle.get("peak_tree_mb")
    add("peak memory of the whole run ≤ 1 GB (MB)", peak, peak is not None and peak <= 1024)
    flat = results.get("scaling", {}).get("spread")
    add("time per indicator flat within 25% from 1× to 4× (max/min)", flat, flat is not None and flat <= FLAT)
    marginal = results.get("scaling", {}).get("marginal_spread")
    add("… the cost of each added indicator, 1× → 2× against 2× → 4× (max/min)", marginal,
        marginal is not None and marginal <= FLAT)
    return rows


# --- the machine ----------------------------------------------------------------------------------
def machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        ram = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    packages = {}
    for name in ("pmf-workbook", "pandas", "numpy", "openpyxl", "python-calamine", "matplotlib", "papermill",
                 "nbclient", "nbconvert", "ipykernel", "weasyprint", "psutil"):
        with contextlib.suppress(PackageNotFoundError):
            packages[name] = version(name)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(ram, 1) if ram else None,
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "packages": packages}


# --- running things -------------------------------------------------------------------------------
def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _tree_rss(proc) -> int:
    """Memory of the whole process tree: each process's proportional set size
    (PSS: a page shared by n processes counts 1/n in each), so the browser's
    and the kernels' shared libraries are counted once, not once a process;
    RSS where PSS cannot be read."""
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += _pss(p.pid) or p.memory_info().rss
    return total


def _pss(pid: int) -> int:
    """PSS in bytes from /proc/<pid>/smaps_rollup (cheap enough to sample
    every 50 ms, unlike a full smaps), or 0 where it cannot be read."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_process(argv: list[str], *, cwd: Path | None = None, memory: bool = False) -> dict:
    """Run a command; wall time, stderr and, with ``memory``, the peak memory
    (PSS) of its process tree.

    Sampling is not free: reading every process's smaps_rollup 20 times a
    second took ~3 s of a 2-core machine from an 18.5 s large cycle (21.5-23.8 s
    sampled). So times come from runs without it, and memory from a run of its own."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = {"bytes": 0}
    sampler, method = None, None
    if memory:
        try:
            import psutil
        except ImportError:
            method = "getrusage(RUSAGE_CHILDREN).ru_maxrss: the largest single process, a lower bound"
        else:
            method = "psutil: PSS of the whole process tree sampled every 50 ms, in a run of its own"
            watched = psutil.Process(child.pid)

            def sample() -> None:
                while child.poll() is None:
                    with contextlib.suppress(psutil.Error):
                        peak["bytes"] = max(peak["bytes"], _tree_rss(watched))
                    time.sleep(0.05)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
    out, err = child.communicate()
    wall = time.perf_counter() - started
    if sampler is not None:
        sampler.join()
    elif memory:
        import resource

        peak["bytes"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if child.returncode:
        raise RuntimeError(f"{' '.join(argv)} failed ({child.returncode}):\n{err[-3000:]}")
    return {"wall_s": wall, "peak_mb": peak["bytes"] / MB, "memory_method": method, "stderr": err, "stdout": out}


def run_reps(argv: list[str], reps: int, before=lambda: None) -> dict:
    """``reps`` timed runs of a command (``before`` each), then one more to
    measure its peak memory: medians of the times, the peak, the last run's stderr."""
    runs = []
    for _ in range(reps):
        before()
        runs.append(run_process(argv))
    before()
    sampled = run_process(argv, memory=True)
    return {"wall_s": median([r["wall_s"] for r in runs]), "peak_mb": sampled["peak_mb"],
            "memory_method": sampled["memory_method"], "wall_s_while_sampled": sampled["wall_s"],
            "stderr": runs[-1]["stderr"]}


def pmf(*args: str) -> list[str]:
    return [str(BIN / "pmf"), *args]


# --- the workbook -----------------------------------------------------------------------------------
class Bench:
    """One demo workbook in a temporary folder, with the ledger as it was
    before the measured quarter was ingested (restored before each run)."""

    def __init__(self, scale: str, parent: Path):
        from pmflib.cycle import pipeline
        from pmflib.cycle.workbook import Workbook
        from pmflib.demo.council import generate_demo, write_demo_inputs
        from pmflib.demo.returns import fill_returns

        pipeline.say = lambda message: None
        self.scale = scale
        self.root = parent / scale
        self.root.mkdir(parents=True)
        pipeline._write_default_params(self.root)
        for name in ("council.yml", "reports.yml"):
            if (REPO / "params" / name).exists():
                shutil.copy(REPO / "params" / name, self.root / "params" / name)
        self.wb = Workbook.open(self.root)
        started = time.perf_counter()
        council = generate_demo(scale)
        write_demo_inputs(council, self.root)
        (self.root / pipeline.DEMO_MARKER).write_text("benchmark\n")
        self.period = council.latest_period
        self.indicators = len(council.register_sheets["Indicators"])
        self.actions = len(council.register_sheets["Actions"])
        for period in council.return_periods:
            pipeline.templates(self.wb, period)
            fill_returns(council, period, self.wb.templates_dir(period), self.wb.returns_dir(period),
                         imperfections=period == self.period, deadline=self.wb.deadline(period))
            if period != self.period:
                pipeline.ingest(self.wb, period)
        self.build_s = time.perf_counter() - started
        self.returns = sorted(p for p in self.wb.returns_dir(self.period).iterdir() if p.suffix == ".xlsx")
        self.snapshot = parent / f"{scale}-ledger-snapshot"
        self._copy(self.wb.ledger_path, self.wb.archive_dir, self.snapshot)

    @staticmethod
    def _copy(ledger: Path, archive: Path, to: Path) -> None:
        shutil.rmtree(to, ignore_errors=True)
        to.mkdir(parents=True)
        shutil.copy2(ledger, to / "ledger")
        if archive.is_dir():
            shutil.copytree(archive, to / "archive")

    def restore(self) -> None:
        """The ledger (and archive) as before the measured quarter's ingest."""
        for extra in self.wb.ledger_path.parent.glob(self.wb.ledger_path.name + "-*"):
            extra.unlink()  # a database's -wal / -shm files
        shutil.copy2(self.snapshot / "ledger", self.wb.ledger_path)
        shutil.rmtree(self.wb.archive_dir, ignore_errors=True)
        if (self.snapshot / "archive").is_dir():
            shutil.copytree(self.snapshot / "archive", self.wb.archive_dir)

    def jobs(self):
        from pmflib.inputs.register import read_register
        from pmflib.report.runner import due_reports

        return due_reports(self.wb.report_set(), self.period, read_register(self.wb.register_path).outcomes)


# --- the measures --------------------------------------------------------------------------------------
def measure_cycle(bench: Bench, reps: int) -> dict:
    measured = run_reps(pmf("run", "--workbook", str(bench.root), "--period", bench.period.label), reps,
                        bench.restore)
    return {"reps": reps, "wall_s": measured["wall_s"], "peak_tree_mb": measured["peak_mb"],
            "memory_method": measured["memory_method"], "wall_s_while_sampled": measured["wall_s_while_sampled"],
            "reports": len(parse_export_progress(measured["stderr"])),
            "export_s_per_report_from_progress": parse_export_progress(measured["stderr"])}


def measure_stages(bench: Bench, reps: int, report_reps: int, only: tuple[str, ...]) -> dict:
    from pmflib.cycle import pipeline

    out: dict = {}
    if "templates" in only:
        out["templates_s"] = median([timed(lambda: pipeline.templates(bench.wb, bench.period))[0] for _ in range(reps)])
    if "ingest" in only:
        times = []
        for _ in range(reps):
            bench.restore()
            times.append(timed(lambda: pipeline.ingest(bench.wb, bench.period))[0])
        out["ingest_s"] = median(times)
    else:
        bench.restore()
        pipeline.ingest(bench.wb, bench.period)
    result = None
    if {"load_period", "reports", "site"} & set(only):
        times = []
        for _ in range(reps):
            seconds, result = timed(lambda: pipeline.load_period(bench.wb, bench.period))
            times.append(seconds)
        out["load_period_s"] = median(times)
    if "reports" in only:
        out["reports"] = measure_reports(bench, report_reps)
        for key in ("execute_s", "html_s", "pdf_s"):
            out[f"reports_{key}"] = sum(r[key] for r in out["reports"])
        from pmflib.report.export import pdf_engine

        out["pdf_engine"] = {"chromium": "Chromium", "weasyprint": "WeasyPrint"}[pdf_engine()]
    if "site" in only:
        from pmflib.report.site import build_site

        if not bench.wb.output_dir(bench.period).is_dir():
            bench.restore()
            pipeline.run(bench.wb, bench.period)  # the site is built over a published period
        out["site_s"] = median([timed(lambda: build_site(bench.wb, bench.period, result, say=lambda m: None))[0]
                                for _ in range(reps)])
    return out


def measure_reports(bench: Bench, reps: int) -> list[dict]:
    """Each report's notebook execution, HTML export and PDF export, one after
    another, as ``pmf run`` does them: the period handed to the notebooks, a
    warm kernel reused from report to report."""
    import nbformat

    from pmflib.cycle import handoff, pipeline
    from pmflib.report import runner
    from pmflib.report.kernels import WarmKernels
    from pmflib.report.export import html_to_pdf, notebook_to_html
    from pmflib.report.narrative import load_context, refresh_notebook

    staging = bench.root / "bench-staging"
    result = pipeline.load_period(bench.wb, bench.period)
    rows = []
    warm = WarmKernels(cwd=runner.NOTEBOOKS, log_path=staging.parent / "bench-kernels.log",
                       extra_arguments=runner.KERNEL_ARGUMENTS)
    for job in bench.jobs():
        execute, html, pdf = [], [], []
        for _ in range(reps):
            shutil.rmtree(staging, ignore_errors=True)
            (staging / "data").mkdir(parents=True)
            handoff.save_result(result, bench.wb, staging)
            seconds, executed = timed(lambda: runner._execute(job, bench.root, bench.period, staging, warm))
            execute.append(seconds)
            started = time.perf_counter()
            nb = nbformat.read(executed, as_version=4)
            context = staging / "data" / f"{job.report_key}.context.json"
            if context.exists():
                nb = refresh_notebook(nb, bench.wb.narrative_dir(bench.period), load_context(context))
            markup = notebook_to_html(nb, title=job.label, council=bench.wb.name)
            (staging / "report.html").write_text(markup, encoding="utf-8")
            html.append(time.perf_counter() - started)
            if "pdf" in job.formats:
                pdf.append(timed(lambda: html_to_pdf(markup, staging / "report.pdf", title=job.label,
                                                     base_url=str(staging)))[0])
        rows.append({"report": job.label, "notebook": job.notebook, "execute_s": median(execute),
                     "html_s": median(html), "pdf_s": median(pdf) if pdf else 0.0,
                     "html_mb": (staging / "report.html").stat().st_size / MB})
    warm.close()
    shutil.rmtree(staging, ignore_errors=True)
    return rows


def measure_standard(parent: Path, reps: int) -> dict:
    """The standard demo council's latest quarter with its reports (``pmf run``)."""
    bench = Bench("standard", parent)

    def fresh() -> None:
        bench.restore()
        shutil.rmtree(bench.wb.output_dir(bench.period), ignore_errors=True)

    measured = run_reps(pmf("run", "--workbook", str(bench.root), "--period", bench.period.label), reps, fresh)
    shutil.rmtree(bench.root, ignore_errors=True)
    return {"reps": reps, "indicators": bench.indicators, "period": bench.period.label,
            "wall_s": measured["wall_s"], "peak_tree_mb": measured["peak_mb"],
            "reports": len(parse_export_progress(measured["stderr"]))}


def measure_demo(parent: Path, reps: int) -> dict:
    """``pmf demo`` in an empty folder: what ``make demo`` runs once set up."""
    folder = parent / "demo"

    def empty() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()

    measured = run_reps(pmf("--workbook", str(folder), "demo"), reps, empty)
    shutil.rmtree(folder, ignore_errors=True)
    quarters = re.findall(r"^(\S+ Q\d) done in ([\d.]+) s", measured["stderr"], flags=re.M)
    return {"reps": reps, "wall_s": measured["wall_s"], "peak_tree_mb": measured["peak_mb"],
            "quarters": {label: float(seconds) for label, seconds in quarters}}


def _edit_narrative(bench: Bench, n: int, pattern: str = "quarterly-cabinet.*") -> Path:
    """Change one paragraph of a report's narrative, as an analyst would."""
    folder = bench.wb.narrative_dir(bench.period)
    files = sorted(folder.glob(pattern))
    if not files:
        raise RuntimeError(f"{folder}: no {pattern} narrative file after the run")
    path = files[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        text = line.strip()
        if text and not text.startswith(("#", "<!--", "-->", ">", "|", "-", "*")) and "{" not in text:
            lines[i] = re.sub(r" \(benchmark edit \d+\)$", "", line) + f" (benchmark edit {n})"
            break
    else:
        lines.append(f"Benchmark edit {n}.")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def measure_export(bench: Bench, reps: int) -> dict:
    """``pmf export`` after an edit of one report's narrative, for each of EXPORTED;
    ``wall_s`` is the Portfolio Holder report's, the typical edit."""
    if not (bench.wb.output_dir(bench.period) / "data" / "reports.json").exists():
        bench.restore()
        run_process(pmf("run", "--workbook", str(bench.root), "--period", bench.period.label))
    out: dict = {"reps": reps}
    for name, pattern, _ in EXPORTED:
        runs = []
        for n in range(reps):
            _edit_narrative(bench, n, pattern)
            runs.append(run_process(pmf("export", "--workbook", str(bench.root), "--period", bench.period.label)))
        re_exported = re.findall(r"^Re-exported (.+) in ([\d.]+) s$", runs[-1]["stderr"], flags=re.M)
        out[name] = {"wall_s": median([r["wall_s"] for r in runs]),
                     "reports_re_exported": [title for title, _ in re_exported],
                     "export_s_inside": sum(float(s) for _, s in re_exported)}
    out["wall_s"] = out["portfolio_holder"]["wall_s"]
    return out


def measure_naive(bench: Bench, reps: int) -> dict:
    """papermill CLI → jupyter nbconvert --to html → weasyprint CLI, report after report."""
    from pmflib.report.runner import NOTEBOOKS

    folder = bench.root / "naive"
    rows = []
    for job in bench.jobs():
        steps: dict[str, list[float]] = {"papermill_s": [], "nbconvert_s": [], "weasyprint_s": []}
        for _ in range(reps):
            shutil.rmtree(folder, ignore_errors=True)
            (folder / "data").mkdir(parents=True)
            executed = folder / f"{job.report_key}.ipynb"
            params = {"workbook_dir": str(bench.root), "period": bench.period.label, "audience": job.audience,
                      "outcome_id": job.outcome_id, "report_key": job.report_key, "output_dir": str(folder),
                      **({"committee": job.committee} if job.committee else {})}
            argv = [str(BIN / "papermill"), str(NOTEBOOKS / job.notebook), str(executed), "-k", "python3",
                    "--cwd", str(NOTEBOOKS), "--no-progress-bar"]
            for key, value in params.items():
                argv += ["-p", key, value]
            steps["papermill_s"].append(run_process(argv)["wall_s"])
            steps["nbconvert_s"].append(run_process(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                 "--output-dir", str(folder)])["wall_s"])
            if "pdf" in job.formats:
                steps["weasyprint_s"].append(run_process(
                    [str(BIN / "weasyprint"), str(executed.with_suffix(".html")),
                     str(executed.with_suffix(".pdf"))])["wall_s"])
        rows.append({"report": job.label, **{k: median(v) if v else 0.0 for k, v in steps.items()}})
    shutil.rmtree(folder, ignore_errors=True)
    totals = {k: sum(r[k] for r in rows) for k in ("papermill_s", "nbconvert_s", "weasyprint_s")}
    return {"reps": reps, "reports": rows, **totals, "total_s": sum(totals.values())}


def measure_read(bench: Bench, reps: int) -> dict:
    import pandas as pd

    from pmflib.inputs.register import read_register
    from pmflib.inputs.returns import read_return

    register = read_register(bench.wb.register_path)

    def ours() -> None:
        for path in bench.returns:
            read_return(path, register, bench.period)

    def pandas_openpyxl() -> None:
        for path in bench.returns:
            pd.read_excel(path, sheet_name=None, engine="openpyxl")

    pmflib_s = median([timed(ours)[0] for _ in range(reps)])
    pandas_s = median([timed(pandas_openpyxl)[0] for _ in range(reps)])
    return {"reps": reps, "returns": len(bench.returns), "pmflib_s": pmflib_s, "pandas_openpyxl_s": pandas_s,
            "speedup": ratio(pandas_s, pmflib_s)}


def measure_scaling(scales: tuple[str, ...], parent: Path, reps: int, first: Bench | None) -> dict:
    startup = median([run_process(pmf("--version"))["wall_s"] for _ in range(reps)])
    rows = []
    for scale in scales:
        bench = first if first is not None and first.scale == scale else Bench(scale, parent)
        def fresh(bench=bench) -> None:
            bench.restore()
            shutil.rmtree(bench.wb.output_dir(bench.period), ignore_errors=True)

        measured = run_reps(pmf("run", "--workbook", str(bench.root), "--period", bench.period.label,
                                "--no-reports"), reps, fresh)
        wall = measured["wall_s"]
        rows.append({"scale": scale, "indicators": bench.indicators, "actions": bench.actions,
                     "returns": len(bench.returns), "build_s": bench.build_s, "wall_s": wall,
                     "peak_mb": measured["peak_mb"], "ms_per_indicator": 1000 * wall / bench.indicators,
                     "ms_per_indicator_after_startup": 1000 * max(wall - startup, 0) / bench.indicators})
        if bench is not first:
            shutil.rmtree(bench.root, ignore_errors=True)
    per = [r["ms_per_indicator_after_startup"] for r in rows]
    # The cost of each added indicator, step by step (1× → 2×, 2× → 4×): what
    # grows with the council, apart from the run's fixed start-up.
    marginal = [1000 * (b["wall_s"] - a["wall_s"]) / (b["indicators"] - a["indicators"])
                for a, b in zip(rows, rows[1:]) if b["indicators"] > a["indicators"]]
    return {"reps": reps, "startup_s": startup, "runs": rows,
            "spread": max(per) / min(per) if len(per) > 1 and min(per) > 0 else None,
            "marginal_ms_per_indicator": marginal,
            "marginal_spread": (max(marginal) / min(marginal) if len(marginal) > 1 and min(marginal) > 0
                                else None)}


# --- writing it down ------------------------------------------------------------------------------------
def _f(value, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        f"Made by `make bench` (scripts/benchmark.py) on {results['finished']}; figures are medians "
        f"(repetitions in brackets) and are also in benchmarks.json. Council: the **{results['scale']}** demo "
        f"council ({results['indicators']} indicators, {results['actions']} actions, {results['returns']} "
        f"returns), quarter {results['period']}.",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']} "
        f"({m['platform']}); load average at the start {m['load_average_at_start']} (a shared machine "
        "is slower than one alone). Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        "",
        "## Targets (issue 12)",
        "",
        "| target | measured | |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in target_rows(results)],
        "",
    ]
    cycle = results.get("cycle")
    if cycle:
        lines += ["## 1. The whole cycle", "",
                  f"`pmf run --period \"{results['period']}\"` ({cycle['reports']} reports in HTML and PDF, "
                  f"open data, site), as a subprocess, ×{cycle['reps']}: **{_f(cycle['wall_s'], 1)} s**, "
                  f"peak memory **{_f(cycle['peak_tree_mb'], 0)} MB** ({cycle['memory_method']}; that run took "
                  f"{_f(cycle.get('wall_s_while_sampled'), 1)} s: sampling costs time, so the time is from the "
                  "other runs).", ""]
    stages = results.get("stages")
    if stages:
        lines += ["## 2. Each stage on its own", "", "| stage | seconds |", "|---|---|"]
        for key, label in (("templates_s", "templates (one return per service)"), ("ingest_s", "ingest"),
                           ("load_period_s", "load_period: register, ledger, statuses, SPC (once a run, handed to "
                                             "every notebook)"),
                           ("reports_execute_s", "all reports: notebook execution (papermill, in turn)"),
                           ("reports_html_s", "all reports: HTML export (nbconvert)"),
                           ("reports_pdf_s", f"all reports: PDF export ({stages.get('pdf_engine', 'WeasyPrint')})"),
                           ("site_s", "site")):
            if key in stages:
                lines.append(f"| {label} | {_f(stages[key])} |")
        if stages.get("reports"):
            lines += ["", "| report | execute (s) | HTML (s) | PDF (s) | HTML size (MB) |", "|---|---|---|---|---|"]
            lines += [f"| {r['report']} | {_f(r['execute_s'])} | {_f(r['html_s'])} | {_f(r['pdf_s'])} | "
                      f"{_f(r['html_mb'], 1)} |" for r in stages["reports"]]
        lines.append("")
    export = results.get("export")
    if export:
        lines += ["## 3. `pmf export` after a narrative edit", "",
                  f"Edit one paragraph of a report's narrative, then `pmf export` (×{export['reps']} each); "
                  "the site is not rebuilt, as it shows no narrative.", "",
                  "| report edited | re-exported | exporting (s) | `pmf export` (s) |", "|---|---|---|---|"]
        for name, _, label in EXPORTED:
            row = export.get(name)
            if row:
                lines.append(f"| {label} | {'; '.join(row['reports_re_exported']) or 'none'} | "
                             f"{_f(row['export_s_inside'])} | **{_f(row['wall_s'])}** |")
        lines.append("")
    naive = results.get("naive")
    if naive:
        lines += ["## 4. Side by side with the naive pipeline", "",
                  "The same reports with the same parameters, one after another: the `papermill` CLI, "
                  "`jupyter nbconvert --to html --no-input`, the `weasyprint` CLI.", "",
                  "| | seconds |", "|---|---|",
                  f"| papermill CLI | {_f(naive['papermill_s'])} |",
                  f"| jupyter nbconvert --to html | {_f(naive['nbconvert_s'])} |",
                  f"| weasyprint CLI | {_f(naive['weasyprint_s'])} |",
                  f"| **naive total** | **{_f(naive['total_s'])}** |"]
        if cycle:
            lines.append(f"| `pmf run` (whole cycle, includes ingest and site) | {_f(cycle['wall_s'])} |")
            lines.append(f"| speed-up | {_f(ratio(naive['total_s'], cycle['wall_s']), 2)}× |")
        lines.append("")
    read = results.get("read")
    if read:
        lines += [f"Reading the {read['returns']} returns (×{read['reps']}): pmflib {_f(read['pmflib_s'], 3)} s, "
                  f"pandas `read_excel(sheet_name=None, engine=\"openpyxl\")` {_f(read['pandas_openpyxl_s'], 3)} s: "
                  f"**{_f(read['speedup'], 1)}×**.", ""]
    scaling = results.get("scaling")
    if scaling:
        lines += ["## 5. Scaling: `pmf run --no-reports`", "",
                  "Ingest, statuses and SPC, data quality and open data (no reports, so no site), as a "
                  f"subprocess, ×{scaling['reps']}; `pmf --version` alone takes {_f(scaling['startup_s'])} s "
                  "(Python start-up), taken off before dividing.", "",
                  "| council | indicators | actions | returns | build (s) | run (s) | peak MB | ms / indicator |",
                  "|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['scale']} | {r['indicators']} | {r['actions']} | {r['returns']} | {_f(r['build_s'], 1)} | "
                  f"{_f(r['wall_s'])} | {_f(r['peak_mb'], 0)} | {_f(r['ms_per_indicator_after_startup'])} |"
                  for r in scaling["runs"]]
        lines += ["", f"Spread of the time per indicator (max/min): {_f(scaling['spread'])}."]
        marginal = scaling.get("marginal_ms_per_indicator") or []
        if marginal:
            fixed = scaling["runs"][0]["wall_s"] - marginal[0] * scaling["runs"][0]["indicators"] / 1000
            lines += ["", "Each added indicator costs "
                      + " then ".join(f"{_f(m)} ms" for m in marginal)
                      + f" (1× → 2×, 2× → 4×; spread {_f(scaling.get('marginal_spread'))}); what is left, about "
                      f"{_f(fixed, 1)} s a run, is fixed (imports, processes started, and the same "
                      f"{scaling['runs'][0]['returns']} returns opened and archived at every scale), shared by more "
                      "indicators as the council grows, so the time per indicator falls rather than rises."]
        lines += [""]
    standard, demo = results.get("standard"), results.get("demo")
    if standard or demo:
        lines += ["## 6. The standard council and `make demo`", ""]
    if standard:
        lines += [f"The standard demo council ({standard['indicators']} indicators), `pmf run --period "
                  f"\"{standard['period']}\"` with its {standard['reports']} reports, ×{standard['reps']}: "
                  f"**{_f(standard['wall_s'], 1)} s**, peak memory {_f(standard['peak_tree_mb'], 0)} MB.", ""]
    if demo:
        quarters = ", ".join(f"{label} {_f(seconds, 1)} s" for label, seconds in demo["quarters"].items())
        lines += [f"`pmf demo` in an empty folder (what `make demo` runs once set up: build the council, "
                  f"then every quarter with returns: {quarters}), ×{demo['reps']}: **{_f(demo['wall_s'], 1)} s**, "
                  f"peak memory {_f(demo['peak_tree_mb'], 0)} MB.", ""]
    if results.get("failed"):
        lines += ["## Measures that failed in this run", ""]
        lines += [f"* {name}: {error.splitlines()[0] if error else ''}" for name, error in results["failed"].items()]
        lines.append("")
    lines += paper(results)
    return "\n".join(lines) + "\n"


def paper(results: dict) -> list[str]:
    """The national-scale estimate (317 English councils), from the figures measured."""
    cycle = results.get("cycle")
    scaling = results.get("scaling")
    if not cycle:
        return []
    per_indicator = cycle["wall_s"] / results["indicators"]
    councils = 317
    # A council's register: the large demo (600) is a big one; use it as the typical upper end.
    serial_h = councils * cycle["wall_s"] / 3600
    cores = results["machine"]["cores"] or 1
    no_reports = ""
    if scaling and scaling["runs"]:
        row = scaling["runs"][0]
        no_reports = (f" Without reports (statuses and open data only, {_f(row['ms_per_indicator_after_startup'])} "
                      f"ms per indicator) all {councils} take "
                      f"{_f(councils * row['wall_s'] / 60, 1)} min in turn.")
    return [
        "## On paper: all 317 English councils each quarter",
        "",
        f"Measured here, a council the size of the {results['scale']} demo takes {_f(cycle['wall_s'], 1)} s "
        f"for its whole cycle, {_f(per_indicator * 1000, 0)} ms per indicator, with the reports run "
        f"{cores} at a time on {cores} cores. Each council's cycle is independent (its own workbook folder, "
        f"ledger and outputs), so {councils} councils on this one machine take {councils} × that: "
        f"**{_f(serial_h, 1)} h** a quarter, and about {_f(serial_h * cores / 32, 1)} h on one 32-core "
        f"machine (the work is CPU-bound; memory, {_f(cycle['peak_tree_mb'], 0)} MB per council, allows "
        f"{int(max(1, 24 * 1024 // max(cycle['peak_tree_mb'], 1)))} at once in 24 GB)." + no_reports,
        "",
        "It needs no scheduler of our own. With **Dask distributed**, one task per council: "
        "`client.map(lambda folder: pipeline.run(folder, period), folders)` on a cluster whose workers "
        "see the workbook folders (shared disk or object storage synced per task); a worker per core, "
        "`resources={'memory': ...}` to bound concurrent cycles, `client.gather` for the failures (a council "
        "whose returns fail leaves its published outputs untouched, so a retry is safe). With **Airflow**, "
        "one DAG per quarter and a mapped task per council (`PapermillOperator` for each report notebook "
        "with the council's parameters, or a `BashOperator` running `pmf run --workbook <council>`); "
        "Airflow brings retries, the audit trail and the deadline alerts. The papermill route inherits "
        "every per-notebook cost measured above (a kernel and a full recomputation per report), so the "
        "`pmf run` task per council is the unit to distribute.",
        "",
    ]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the standard council (for development)")
    parser.add_argument("--scale", help="demo scale (default large; standard with --quick)")
    parser.add_argument("--measures", default=",".join(ALL_MEASURES),
                        help=f"comma-separated, of {', '.join(ALL_MEASURES)}")
    parser.add_argument("--stages", default=",".join(STAGE_NAMES),
                        help=f"with the stages measure, which of {', '.join(STAGE_NAMES)}; naming only "
                             "stages (e.g. `--stages ingest`) measures only them")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the cheap measurements")
    parser.add_argument("--cycle-reps", type=int, default=3, help="repetitions of the whole cycle")
    parser.add_argument("--report-reps", type=int, default=1, help="repetitions of each report's stages")
    parser.add_argument("--export-reps", type=int, default=3, help="repetitions of `pmf export` after an edit")
    parser.add_argument("--naive-reps", type=int, default=1, help="repetitions of the naive pipeline")
    parser.add_argument("--out", type=Path, default=REPO, help="where BENCHMARKS.md and benchmarks.json go")
    args = parser.parse_args(argv)
    scale = args.scale or ("standard" if args.quick else "large")
    measures = tuple(m for m in args.measures.split(",") if m)
    stages = tuple(s for s in args.stages.split(",") if s)
    if "--stages" in (argv if argv is not None else sys.argv) and "--measures" not in (argv or sys.argv):
        measures = ("stages",)
    unknown = (set(measures) - set(ALL_MEASURES)) | (set(stages) - set(STAGE_NAMES))
    if unknown:
        parser.error(f"unknown measure or stage: {', '.join(sorted(unknown))}")

    results: dict = {"scale": scale, "machine": machine(), "started": datetime.now(timezone.utc).isoformat(
        timespec="seconds")}
    parent = Path(tempfile.mkdtemp(prefix="pmf-bench-"))
    say = lambda message: print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa
    try:
        say(f"building the {scale} demo council in {parent}")
        bench = Bench(scale, parent)
        results.update(period=bench.period.label, indicators=bench.indicators, actions=bench.actions,
                       returns=len(bench.returns), build_s=bench.build_s)
        say(f"built in {bench.build_s:.1f} s")
        # Cheap and most wanted first; results are written after each measure,
        # so a run stopped early keeps what it measured. A measure that fails
        # is recorded as failed and the others still run.
        cheap_stages = tuple(s for s in stages if s != "reports")
        plan = [
            # Reading is under a second each way: a median of more runs, or one
            # busy moment of a shared machine decides the ratio.
            ("read", lambda: measure_read(bench, max(args.reps, 9))),
            ("cycle", lambda: measure_cycle(bench, args.cycle_reps)),
            ("export", lambda: measure_export(bench, args.export_reps)),
            ("stages", lambda: measure_stages(bench, args.reps, args.report_reps, cheap_stages)),
            ("naive", lambda: measure_naive(bench, args.naive_reps)),
            ("scaling", lambda: measure_scaling(SCALING.get(scale, (scale,)), parent, args.reps, bench)),
            ("standard", lambda: measure_standard(parent, args.cycle_reps)),
            ("demo", lambda: measure_demo(parent, 1)),
        ]
        for name, measure in plan:
            if name not in measures or (name == "stages" and not cheap_stages):
                continue
            say(f"measuring {name}")
            try:
                results[name] = measure()
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                results.setdefault("failed", {})[name] = f"{type(exc).__name__}: {exc}"[:2000]
            say(f"{name}: {json.dumps(results.get(name) or results['failed'][name], default=str)[:400]}")
            write(results, args.out)
        if "stages" in measures and "reports" in stages:
            say("measuring each report's stages")
            try:
                reports = measure_reports(bench, args.report_reps)
                part = results.setdefault("stages", {})
                part["reports"] = reports
                for key in ("execute_s", "html_s", "pdf_s"):
                    part[f"reports_{key}"] = sum(r[key] for r in reports)
                from pmflib.report.export import pdf_engine

                part["pdf_engine"] = {"chromium": "Chromium", "weasyprint": "WeasyPrint"}[pdf_engine()]
            except Exception as exc:  # noqa: BLE001
                results.setdefault("failed", {})["reports"] = f"{type(exc).__name__}: {exc}"[:2000]
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    text = write(results, args.out, finished=True)
    print(text)
    return results


def write(results: dict, out: Path, *, finished: bool = False) -> str:
    """benchmarks.json and BENCHMARKS.md from what is measured so far."""
    results["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds") + ("" if finished else
                                                                                     " (partial)")
    results["targets"] = [{"target": a, "measured": b, "verdict": c} for a, b, c in target_rows(results)]
    out.mkdir(parents=True, exist_ok=True)
    (out / "benchmarks.json").write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    text = markdown(results) + kept_notes(out / "BENCHMARKS.md")
    (out / "BENCHMARKS.md").write_text(text, encoding="utf-8")
    return text


def kept_notes(path: Path) -> str:
    """The hand-written part of an earlier BENCHMARKS.md (from the marker on), or nothing."""
    try:
        earlier = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    at = earlier.find(KEPT_MARKER)
    return "" if at < 0 else "\n" + earlier[at:]


if __name__ == "__main__":
    main()
