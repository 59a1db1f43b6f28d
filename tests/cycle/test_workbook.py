"""The workbook folder's parameters: deadlines and where things live."""

from __future__ import annotations

from datetime import datetime

import pytest

from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook

Q2 = Period.parse("2026-27 Q2")


def _workbook(tmp_path, council_yml: str) -> Workbook:
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "council.yml").write_text(council_yml, encoding="utf-8")
    return Workbook.open(tmp_path)


def test_default_deadline_is_the_end_of_the_day_so_many_days_after_the_quarter(tmp_path):
    wb = _workbook(tmp_path, "name: Testshire\ndeadlines:\n  default_days_after_period_end: 10\n")
    assert wb.deadline(Q2) == datetime(2026, 10, 10, 23, 59, 59)  # 30 Sep + 10 days


def test_a_quarter_can_have_its_own_deadline_in_either_period_spelling(tmp_path):
    wb = _workbook(tmp_path, 'deadlines:\n  "2026-27-Q2": "2026-10-23T17:00"\n')
    assert wb.deadline(Q2) == datetime(2026, 10, 23, 17, 0)
    assert wb.deadline(Period.parse("2026-27 Q3")) == datetime(2027, 1, 21, 23, 59, 59)  # 21 days by default


@pytest.mark.parametrize(
    ("yml", "message"),
    [
        ('deadlines:\n  "2026-27 Q2": "next Friday"\n', "deadline for '2026-27 Q2' must be a date and time like 2026-10-23T17:00"),
        ('deadlines:\n  "Quarter 2": "2026-10-23T17:00"\n', "'Quarter 2' is not a period"),
        ("deadlines:\n  default_days_after_period_end: three weeks\n", "must be a whole number of days"),
    ],
    ids=["bad-date", "bad-period", "bad-days"],
)
def test_deadline_mistakes_name_the_params_file_and_the_fix(tmp_path, yml, message):
    wb = _workbook(tmp_path, yml)
    with pytest.raises(ConfigError, match="params/council.yml") as error:
        wb.deadline(Q2)
    assert message in str(error.value)


def test_paths_follow_the_period_slug_and_the_ledger_setting(tmp_path):
    wb = _workbook(tmp_path, 'ledger: "data/ledger.sqlite"\n')
    assert wb.returns_dir(Q2) == tmp_path.resolve() / "inputs" / "returns" / "2026-27-Q2"
    assert wb.output_dir(Q2) == tmp_path.resolve() / "outputs" / "2026-27-Q2"
    assert wb.ledger_path == tmp_path.resolve() / "data" / "ledger.sqlite"


def test_no_council_yml_gives_defaults_but_a_broken_one_is_named(tmp_path):
    assert Workbook.open(tmp_path).name == "Council"
    with pytest.raises(ConfigError, match=r"council.yml: is not valid YAML at line 2, column 1 \(expected .*\); check indentation and colons$"):
        _workbook(tmp_path, "name: [unclosed\n")


def test_a_missing_reports_yml_is_named(tmp_path):
    with pytest.raises(ConfigError, match="reports.yml: the parameters file is missing"):
        Workbook.open(tmp_path).report_set()
