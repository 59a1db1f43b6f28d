"""Which reports are due when, and for whom (params/reports.yml → jobs).

Pure: a report set as params/reports.yml reads, a small outcomes table, a
period; the jobs and the configuration errors an officer would see.
"""

from __future__ import annotations

import pandas as pd
import pytest

from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period
from pmflib.report.runner import committees, due_reports, member_name

OUTCOMES = pd.DataFrame([
    {"Outcome ID": "O01", "Outcome": "Clean streets", "Cabinet Member": "Cllr Ann Green, Cabinet Member for Environment"},
    {"Outcome ID": "O02", "Outcome": "Good homes", "Cabinet Member": ""},
])


def _set(**extra):
    base = {
        "reports": [
            {"id": "quarterly", "notebook": "quarterly-report.ipynb", "title": "Quarterly performance report",
             "quarters": ["Q1", "Q2", "Q3", "Q4"],
             "audiences": [{"name": "Cabinet", "scope": "council"},
                           {"name": "Portfolio Holder", "scope": "outcome"},
                           {"name": "Scrutiny", "scope": "committee"}]},
            {"id": "exception", "notebook": "exception-report.ipynb", "title": "Exception report",
             "quarters": ["Q1", "q3"], "audiences": [{"name": "Scrutiny", "scope": "committee"}],
             "formats": ["HTML"]},
        ],
        "committees": [{"name": "People Scrutiny Committee", "outcomes": ["O02"]}],
    }
    base.update(extra)
    return base


def _labels(jobs):
    return [job.label for job in jobs]


def test_q2_has_cabinet_one_report_per_outcome_and_one_per_committee():
    jobs = due_reports(_set(), Period.parse("2026-27 Q2"), OUTCOMES)
    assert _labels(jobs) == [
        "Quarterly performance report — Cabinet",
        "Cllr Ann Green — Clean streets",             # the member's name and the outcome, never "O01"
        "Good homes",                                 # no member named: the outcome alone
        "Quarterly performance report — People Scrutiny Committee",
    ]
    assert jobs[1].file_stem == "quarterly-cllr-ann-green-clean-streets"


def test_exception_report_only_in_q1_and_q3_in_the_formats_asked():
    q3 = due_reports(_set(), Period.parse("2026-27 Q3"), OUTCOMES)
    exception = [job for job in q3 if job.report_id == "exception"]
    assert [job.committee for job in exception] == ["People Scrutiny Committee"]
    assert exception[0].formats == ("html",)
    q4 = due_reports(_set(), Period.parse("2026-27 Q4"), OUTCOMES)
    assert not any(job.report_id == "exception" for job in q4)


def test_without_committees_a_scrutiny_audience_gets_one_council_wide_report():
    jobs = due_reports(_set(committees=[]), Period.parse("2026-27 Q2"), OUTCOMES)
    scrutiny = [job for job in jobs if job.audience == "Scrutiny"]
    assert len(scrutiny) == 1 and scrutiny[0].committee == "" and scrutiny[0].outcome_id == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["reports"][0].update(quarters=["Q5"]), "quarter 'Q5': use Q1 to Q4"),
        (lambda s: s["reports"][0].update(formats=["docx"]), "formats ['docx']; use html and/or pdf"),
        (lambda s: s["reports"][0].pop("notebook"), "has no 'notebook'"),
        (lambda s: s["reports"][0]["audiences"][0].update(scope="ward"), "scope 'ward'"),
        (lambda s: s.update(reports=[]), "needs a 'reports:' list"),
    ],
    ids=["bad-quarter", "bad-format", "no-notebook", "bad-scope", "no-reports"],
)
def test_mistakes_in_reports_yml_name_the_file_and_what_to_write(change, message):
    report_set = _set()
    change(report_set)
    with pytest.raises(ConfigError, match="params/reports.yml") as error:
        due_reports(report_set, Period.parse("2026-27 Q1"), OUTCOMES)
    assert message in str(error.value)


def test_a_committee_covering_an_unknown_outcome_lists_the_register_s_outcomes():
    with pytest.raises(ConfigError, match=r"covers O09, not outcomes in the register \(it has: O01, O02\)"):
        committees({"committees": [{"name": "Places", "outcomes": ["O09"]}]}, OUTCOMES)
    with pytest.raises(ConfigError, match="needs a name and a list of outcomes"):
        committees({"committees": [{"name": "Places"}]}, OUTCOMES)


def test_member_name_is_the_part_before_the_portfolio():
    assert member_name("Cllr Dana Okoro, Cabinet Member for Economy") == "Cllr Dana Okoro"
    assert member_name(None) == ""


def test_reports_for_the_whole_council_are_exported_only_once_the_kernels_are_shut_down():
    from pathlib import Path

    from pmflib.report.runner import next_export

    jobs = {j.report_key: j for j in due_reports(_set(), Period.parse("2026-27 Q2"), OUTCOMES)}
    council_wide = next(j for j in jobs.values() if not j.outcome_id and not j.committee)
    member = next(j for j in jobs.values() if j.outcome_id)
    scrutiny = next(j for j in jobs.values() if j.committee)
    run = Path("run.ipynb")
    # while the kernels are up, the council-wide report waits and the others go in the order they ran
    assert next_export([(council_wide, run), (member, run), (scrutiny, run)], True) == 1
    assert next_export([(scrutiny, run), (member, run)], True) == 0
    assert next_export([(council_wide, run)], True) is None
    assert next_export([], True) is None
    # once they are shut down, it goes first
    assert next_export([(council_wide, run), (member, run)], False) == 0
    assert next_export([], False) is None
