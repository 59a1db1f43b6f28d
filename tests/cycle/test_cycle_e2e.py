"""The real quarterly cycle on the tiny demo council, end to end, without reports.

templates → returns filled the way services fill them (with planted
imperfections) → ingest → statuses → open data and data-quality.csv. The
planted problems are recorded by the demo as it plants them, so the check is
against what was planted, not against the reader's own output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.cycle import pipeline
from pmflib.core.periods import Period

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tiny_workbook(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny-council")
    shutil.copytree(REPO / "params", root / "params")
    pipeline.demo(root, scale="tiny", periods="latest", reports=False)
    return root


def _latest(root: Path) -> Period:
    folders = sorted(p.name for p in (root / "outputs").iterdir() if p.name[:4].isdigit())
    return Period.parse(folders[-1])


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_open_data_has_the_spec_columns_and_a_row_per_register_item(tiny_workbook):
    period = _latest(tiny_workbook)
    out = tiny_workbook / "outputs" / period.slug / "open-data"
    indicators, actions = _read(out / "indicators.csv"), _read(out / "actions.csv")
    assert tuple(indicators.columns) == C.INDICATOR_COLUMNS + ("Variation", "Assurance")
    assert set(indicators["Variation"]) <= set(C.SPC_VARIATIONS)
    assert set(indicators["Assurance"]) <= set(C.SPC_ASSURANCES) | {""}
    # Neutral measures never get an assurance icon (no better side to judge).
    assert (indicators.loc[indicators["Polarity"] == C.NEUTRAL, "Assurance"] == "").all()
    assert tuple(actions.columns) == C.ACTION_COLUMNS
    from pmflib.inputs.register import read_register

    register = read_register(tiny_workbook / "inputs" / "register.xlsx")
    assert sorted(indicators["Indicator ID"]) == sorted(register.indicators["Indicator ID"])
    assert sorted(actions["Action ID"]) == sorted(register.actions["Action ID"])
    assert set(indicators["Status"]) <= set(C.STATUSES)
    assert set(indicators["Direction"]) <= set(C.DIRECTIONS)
    assert set(actions["Status"]) <= set(C.ACTION_STATUSES)
    assert (indicators["Period"] == period.label).all()
    # Plain numbers: no thousands separators or % signs.
    assert not indicators["Actual"].str.contains(r"[,%£]").any()
    assert (tiny_workbook / "outputs" / period.slug / "open-data" / "datapackage.json").exists()


def test_data_quality_lists_exactly_the_planted_problems(tiny_workbook):
    period = _latest(tiny_workbook)
    planted = _read(tiny_workbook / "inputs" / f"demo-planted-problems-{period.slug}.csv")
    problems = _read(tiny_workbook / "outputs" / period.slug / "data-quality.csv")
    assert tuple(problems.columns) == C.DATA_QUALITY_COLUMNS
    expected = planted[planted["Kind"] != C.PLANTED_ACCEPTED]
    # One of each kind the demo plants, no more, no fewer.
    assert sorted(expected["Kind"]) == sorted(k for k in C.PLANTED_KINDS if k != C.PLANTED_ACCEPTED)
    for row in expected.to_dict("records"):
        found = problems[problems["ID"] == row["ID"]]
        if row["File"]:
            found = found[found["File"] == row["File"]]
        found = found[found["Cell"] == row["Cell"]]
        where = f"planted {row['Kind']} ({row['File']} {row['Sheet']}!{row['Cell']} {row['ID']})"
        assert len(found), f"{where} not reported"
        assert len(found) == 1, f"{where} reported {len(found)} times"
    # …and nothing else: one problem per planted mistake, none about anything else.
    assert len(problems) == len(expected), problems[["File", "Cell", "ID", "Problem"]].to_string()


def test_messy_but_valid_typing_is_read_as_the_service_meant(tiny_workbook):
    period = _latest(tiny_workbook)
    planted = _read(tiny_workbook / "inputs" / f"demo-planted-problems-{period.slug}.csv")
    accepted = planted[(planted["Kind"] == C.PLANTED_ACCEPTED) & (planted["Sheet"] == "Indicators")]
    indicators = _read(tiny_workbook / "outputs" / period.slug / "open-data" / "indicators.csv")
    assert len(accepted) >= 2
    for row in accepted.to_dict("records"):
        actual = indicators.loc[indicators["Indicator ID"] == row["ID"], "Actual"].iloc[0]
        assert float(actual) == pytest.approx(float(row["Expected Value"])), row
    dates = planted[(planted["Kind"] == C.PLANTED_ACCEPTED) & (planted["Sheet"] == "Actions")]
    actions = _read(tiny_workbook / "outputs" / period.slug / "open-data" / "actions.csv")
    for row in dates.to_dict("records"):
        assert actions.loc[actions["Action ID"] == row["ID"], "Expected End Date"].iloc[0] == row["Expected Value"]


def test_every_open_data_figure_traces_to_a_cell(tiny_workbook):
    from pmflib.store.ledger import Ledger
    from pmflib.cycle.workbook import Workbook

    wb = Workbook.open(tiny_workbook)
    period = _latest(tiny_workbook)
    indicators = _read(wb.output_dir(period) / "open-data" / "indicators.csv")
    reported = indicators[indicators["Actual"] != ""]
    with Ledger(wb.ledger_path, wb.archive_dir) as ledger:
        for indicator_id in reported["Indicator ID"]:
            where = ledger.provenance(indicator_id, period)
            assert where["file"] and where["cell"], indicator_id


def test_a_second_run_changes_nothing_in_the_ledger(tiny_workbook):
    from pmflib.store.ledger import Ledger
    from pmflib.cycle.workbook import Workbook

    wb = Workbook.open(tiny_workbook)
    period = _latest(tiny_workbook)
    with Ledger(wb.ledger_path, wb.archive_dir) as ledger:
        before = ledger.submissions()
    result = pipeline.ingest(wb, period)
    assert result.recorded == []
    with Ledger(wb.ledger_path, wb.archive_dir) as ledger:
        after = ledger.submissions()
    assert len(after) == len(before)


def test_spc_rebase_column_restarts_the_limits():
    """A register may record where a definition changed (SPC Rebase); the limits
    restart there, so the step at the change is not read as a special cause."""
    import pandas as pd

    from pmflib.cycle.compute import spc_by_indicator

    labels = [Period(2021, 1).shift(i).label for i in range(24)]
    values = [10.0 + (i % 2) * 0.5 for i in range(12)] + [30.0 + (i % 2) * 0.5 for i in range(12)]
    actuals = pd.DataFrame({"Indicator ID": ["X"] * 24, "Period": labels, "Actual": values})
    plain = pd.DataFrame({"Indicator ID": ["X"], "Polarity": [C.HIGHER_IS_BETTER], "Target": [float("nan")]})
    period = Period.parse(labels[-1])
    without = spc_by_indicator(plain, actuals, period)["X"]
    rebased = spc_by_indicator(plain.assign(SPC_Rebase=[labels[12]]), actuals, period)["X"]
    # Without a rebase the jump from ~10 to ~30 is special cause; re-based at
    # the 13th quarter the last 12 points are a flat process of their own.
    assert without.variation == C.SPC_IMPROVEMENT
    assert rebased.variation == C.SPC_COMMON_CAUSE
