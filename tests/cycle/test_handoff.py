"""The period computed once by `pmf run` and handed to every report notebook.

A real tiny demo workbook (no reports): the hand-off written by the run is
what `reportkit.prepare` uses, and anything that makes it stale (the ledger
or register changed, another period, a damaged file, no staging folder)
makes prepare compute the period itself.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmflib.cycle import handoff, pipeline
from pmflib.cycle.workbook import Workbook
from pmflib.core.periods import Period
from pmflib.report import reportkit

REPO = Path(__file__).resolve().parents[2]
MARK = "handed over by the run"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("handoff-council")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest", reports=False)
    wb = Workbook.open(root)
    period = Period.parse(sorted(p.name for p in (root / "outputs").iterdir() if p.name[:4].isdigit())[-1])
    return wb, period


def _marked(wb, period):
    """The period's real result with a row no computation would make, so a test
    can tell the handed-over result from a recomputed one."""
    result = pipeline.load_period(wb, period)
    marker = pd.DataFrame([{column: "" for column in result.data_quality.columns} | {"Problem": MARK}])
    return dataclasses.replace(result, data_quality=pd.concat([result.data_quality, marker], ignore_index=True))


def _prepared_marks(wb, period, folder) -> int:
    report = reportkit.prepare("quarterly", workbook_dir=str(wb.root), period=period.label, audience="Cabinet",
                               output_dir=str(folder))
    return int((report.council_result.data_quality["Problem"] == MARK).sum())


def test_prepare_uses_the_runs_result(built, tmp_path):
    wb, period = built
    handoff.save_result(_marked(wb, period), wb, tmp_path)
    assert _prepared_marks(wb, period, tmp_path) == 1


def test_a_changed_ledger_makes_the_handoff_stale(built, tmp_path):
    wb, period = built
    handoff.save_result(_marked(wb, period), wb, tmp_path)
    info = os.stat(wb.ledger_path)
    try:
        os.utime(wb.ledger_path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert handoff.load_result(wb, period, tmp_path) is None
        assert _prepared_marks(wb, period, tmp_path) == 0  # computed afresh
    finally:
        os.utime(wb.ledger_path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert handoff.load_result(wb, period, tmp_path) is not None


def test_another_period_or_a_damaged_file_or_no_folder_is_ignored(built, tmp_path):
    wb, period = built
    handoff.save_result(_marked(wb, period), wb, tmp_path)
    assert handoff.load_result(wb, period.previous(), tmp_path) is None
    assert handoff.load_result(wb, period, None) is None
    (tmp_path / handoff.HANDOFF_NAME).write_bytes(b"not a pickle")
    assert handoff.load_result(wb, period, tmp_path) is None
    assert _prepared_marks(wb, period, tmp_path) == 0


def test_remove_leaves_nothing_to_publish(built, tmp_path):
    wb, period = built
    handoff.save_result(_marked(wb, period), wb, tmp_path)
    handoff.remove_result(tmp_path)
    assert list(tmp_path.iterdir()) == []
    handoff.remove_result(tmp_path)  # twice is harmless
