"""Publishing is atomic and tidy (issue 13 item 6) and readable by everyone (issue 11).

A real process publishes a period's outputs again and again and is SIGKILLed
at random instants; after every kill ``outputs/<period>/`` must be one
complete set (the old one or the new one), and the next start leaves no
staging or old folder behind.
"""

from __future__ import annotations

import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook, exchange, publish, recover_outputs

REPO = Path(__file__).resolve().parents[2]
PERIOD = Period.parse("2026-27 Q2")
FILES = 30

#: A child that publishes generation after generation of a period's outputs,
#: each a complete set of FILES files all saying the same generation.
PUBLISHER = r"""
import sys
from pathlib import Path
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook
wb = Workbook.open(sys.argv[1])
period = Period.parse("2026-27 Q2")
generation = 0
while True:
    generation += 1
    with wb.staged_output(period) as staging:
        for n in range(%d):
            (staging / f"part-{n}.txt").write_text(str(generation) * 2000)
        (staging / "sub").mkdir()
        (staging / "sub" / "done.txt").write_text(str(generation))
""" % FILES


def _complete_generation(folder: Path) -> str:
    """The one generation a published folder holds, or fail if it is a mix or partial."""
    parts = sorted(folder.glob("part-*.txt"))
    assert len(parts) == FILES, f"{len(parts)} files in {folder}"
    seen = {p.read_text()[:1] for p in parts} | {(folder / "sub" / "done.txt").read_text()[:1]}
    assert len(seen) == 1, f"a mixed set in {folder}: {seen}"
    return seen.pop()


def _first_set(root: Path) -> None:
    wb = Workbook.open(root)
    with wb.staged_output(PERIOD) as staging:
        for n in range(FILES):
            (staging / f"part-{n}.txt").write_text("0" * 2000)
        (staging / "sub").mkdir()
        (staging / "sub" / "done.txt").write_text("0")


def test_twenty_kills_never_leave_the_period_missing_or_partial(tmp_path):
    _first_set(tmp_path)
    final = tmp_path / "outputs" / PERIOD.slug
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    rng = random.Random(13)
    generations = set()
    for _ in range(20):
        child = subprocess.Popen([sys.executable, "-c", PUBLISHER, str(tmp_path)], env=env)
        time.sleep(0.4 + rng.random() * 0.6)
        child.send_signal(signal.SIGKILL)
        child.wait()
        # The name is present and whole straight after the kill, before any repair.
        assert final.is_dir()
        generations.add(_complete_generation(final))
        recover_outputs(tmp_path / "outputs")
        assert _complete_generation(final)
        assert [p.name for p in (tmp_path / "outputs").iterdir() if p.name.startswith(".")] == []
    assert len(generations) > 1, "the kills never caught a publish in progress"


def test_next_start_restores_an_old_set_left_by_a_kill_between_two_renames(tmp_path):
    """The fallback (no renameat2) can be killed between its renames: the next start repairs it."""
    outputs = tmp_path / "outputs"
    old = outputs / f".old-{PERIOD.slug}-999999"
    old.mkdir(parents=True)
    (old / "report.html").write_text("previous")
    dead_staging = outputs / f".staging-{PERIOD.slug}-999999-abc"
    dead_staging.mkdir()
    done = recover_outputs(outputs)
    assert (outputs / PERIOD.slug / "report.html").read_text() == "previous"
    assert not dead_staging.exists() and any("restored" in d for d in done)


def test_staging_of_a_live_run_is_left_alone(tmp_path):
    outputs = tmp_path / "outputs"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        live = outputs / f".staging-{PERIOD.slug}-{sleeper.pid}-xyz"
        live.mkdir(parents=True)
        recover_outputs(outputs)
        assert live.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    recover_outputs(outputs)
    assert not live.exists()


def test_a_failed_build_leaves_no_staging_and_the_old_set(tmp_path):
    _first_set(tmp_path)
    wb = Workbook.open(tmp_path)
    try:
        with wb.staged_output(PERIOD) as staging:
            (staging / "half.txt").write_text("x")
            raise RuntimeError("the build failed")
    except RuntimeError:
        pass
    assert _complete_generation(tmp_path / "outputs" / PERIOD.slug) == "0"
    assert [p.name for p in (tmp_path / "outputs").iterdir()] == [PERIOD.slug]


def test_exchange_swaps_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    assert exchange(a, b) is True  # Linux with renameat2, as in CI
    assert (a / "x").read_text() == "b" and (b / "x").read_text() == "a"


def test_published_files_are_0644_and_folders_0755(tmp_path):
    staging = tmp_path / "staging"
    (staging / "open-data").mkdir(parents=True)
    os.chmod(staging, 0o700)
    for path in (staging / "index.html", staging / "open-data" / "indicators.csv"):
        path.write_text("x")
        os.chmod(path, 0o600)
    final = tmp_path / "outputs" / "2026-27-Q2"
    final.parent.mkdir()
    publish(staging, final)
    modes = {p.relative_to(final).as_posix() or ".": stat.S_IMODE(p.stat().st_mode)
             for p in [final, *final.rglob("*")]}
    assert modes == {".": 0o755, "open-data": 0o755, "index.html": 0o644, "open-data/indicators.csv": 0o644}


def test_a_real_run_publishes_everything_world_readable(tmp_path):
    """`pmf demo --scale tiny --no-reports` (which runs `pmf run`): every
    published file 0644, every folder 0755, nothing hidden left behind."""
    import shutil

    shutil.copytree(REPO / "params", tmp_path / "params")
    done = subprocess.run([sys.executable, "-m", "pmflib.cycle.cli", "--workbook", str(tmp_path), "demo",
                           "--scale", "tiny", "--periods", "latest", "--no-reports"],
                          env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    outputs = tmp_path / "outputs"
    published = [p for p in outputs.rglob("*") if not p.name.startswith(".")]
    assert len(published) > 5
    wrong = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in published
             if stat.S_IMODE(p.stat().st_mode) != (0o755 if p.is_dir() else 0o644)}
    assert wrong == {}
    assert [p.name for p in outputs.iterdir() if p.name.startswith((".staging", ".old"))] == []
