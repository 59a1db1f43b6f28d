"""The benchmark script runs end to end in its smallest mode and writes its figures.

Real processes and files: the script builds a demo workbook, ingests its
returns and writes benchmarks.json and BENCHMARKS.md; nothing is mocked.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _quick_ingest(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(REPO / "scripts" / "benchmark.py"), "--quick", "--scale", "tiny",
         "--stages", "ingest", "--reps", "1", "--out", str(out)],
        capture_output=True, text=True, timeout=120,
    )


def test_quick_ingest_stage_writes_positive_figures(tmp_path):
    done = _quick_ingest(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads((tmp_path / "benchmarks.json").read_text())
    assert {"scale", "machine", "period", "indicators", "returns", "build_s", "stages", "targets"} <= set(figures)
    assert figures["scale"] == "tiny"
    assert figures["indicators"] > 0 and figures["returns"] > 0
    assert figures["build_s"] > 0
    assert set(figures["stages"]) == {"ingest_s"}
    assert figures["stages"]["ingest_s"] > 0
    assert figures["machine"]["cores"] >= 1 and figures["machine"]["python"]
    assert all(t["verdict"] for t in figures["targets"])
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert "| ingest |" in text and "## Targets (issue 12)" in text


def test_a_rerun_keeps_the_notes_written_by_hand_and_replaces_the_figures(tmp_path):
    marker = "<!-- Kept by make bench: notes measured by hand below this line. -->"
    notes = f"{marker}\n\n## Profile by hand\n\nCabinet PDF layout 18 s.\n"
    (tmp_path / "BENCHMARKS.md").write_text("# Benchmarks\n\n| ingest | 999.00 |\n\n" + notes)
    done = _quick_ingest(tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert text.endswith(notes), "the hand-written notes are kept, once, at the end"
    assert text.count(marker) == 1 and "999.00" not in text, "the old figures are replaced"


def test_the_reports_stage_runs_every_due_report_through_warm_kernels(tmp_path):
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "benchmark.py"), "--quick", "--scale", "tiny",
         "--stages", "reports", "--reps", "1", "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads((tmp_path / "benchmarks.json").read_text())
    assert "failed" not in figures, figures.get("failed")
    reports = figures["stages"]["reports"]
    assert len(reports) >= 4 and any("Cabinet" in r["report"] for r in reports)
    assert all(r["execute_s"] > 0 and r["html_s"] > 0 and r["html_mb"] > 0 for r in reports)
    assert all(r["pdf_s"] > 0 for r in reports)
    text = (tmp_path / "BENCHMARKS.md").read_text()
    assert figures["stages"]["pdf_engine"] in ("Chromium", "WeasyPrint")
    assert f"all reports: PDF export ({figures['stages']['pdf_engine']})" in text


def test_times_come_from_runs_without_the_memory_sampler_and_memory_from_one_with_it(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import benchmark
    finally:
        sys.path.remove(str(REPO / "scripts"))
    # a child that holds ~60 MB for a moment
    argv = [sys.executable, "-c", "import time; block = bytearray(60 * 2**20); time.sleep(0.5)"]
    plain = benchmark.run_process(argv)
    assert plain["peak_mb"] == 0 and plain["wall_s"] >= 0.5
    done = []
    measured = benchmark.run_reps(argv, 2, before=lambda: done.append(1))
    assert len(done) == 3  # two timed runs and the sampled one, each prepared
    assert measured["peak_mb"] >= 60 and measured["wall_s"] >= 0.5 and measured["wall_s_while_sampled"] >= 0.5
