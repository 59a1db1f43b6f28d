"""A return that vanishes or is locked while the quarter is ingested costs only that file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pmflib.cycle import pipeline
from pmflib.cycle.workbook import Workbook
from pmflib.core.periods import Period
from pmflib.store.ledger import Ledger

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def council(tmp_path):
    root = tmp_path / "council"
    root.mkdir()
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest", reports=False)
    return root


def _period(root: Path) -> Period:
    return Period.parse(sorted(p.name for p in (root / "outputs").iterdir() if p.name[:4].isdigit())[-1])


def test_an_unreadable_return_is_one_problem_and_the_others_are_ingested(council, monkeypatch):
    from pmflib.cycle import ingest
    from pmflib.inputs import returns

    period = _period(council)
    wb = Workbook.open(council)
    folder = wb.returns_dir(period)
    files = sorted(p for p in folder.glob("*.xlsx"))
    assert len(files) >= 1
    # A copy of one return under a new name, then made unreadable as Excel's lock would.
    victim = folder / "Locked copy.xlsx"
    shutil.copy(files[0], victim)
    real = returns.file_sha256

    def locked(path):
        if Path(path).name == victim.name:
            return ""  # what file_sha256 gives for a file it cannot open
        return real(path)

    monkeypatch.setattr(returns, "file_sha256", locked)
    register = __import__("pmflib.inputs.register", fromlist=["read_register"]).read_register(wb.register_path)
    with Ledger(wb.ledger_path, wb.archive_dir) as ledger:
        result = ingest.ingest_period(wb, period, register, ledger)
    assert victim.name in result.rejected
    mine = [p for p in result.problems if p.file == victim.name]
    assert len(mine) == 1 and "could not be read" in mine[0].problem and "close it in Excel" in mine[0].problem
    assert set(p.name for p in files) <= set(result.duplicates) | set(result.recorded)
