"""The demo council: deterministic, the size each scale promises, and valid
input for the rest of the workbook (the register reader and the status rules
are the real contract, so they are used here rather than re-implemented)."""

from __future__ import annotations

import csv
from collections import Counter

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pmflib.core import constants as C
from pmflib.demo import council as demo
from pmflib.inputs import register
from pmflib.rules import spc, status
from pmflib.demo.council import DEMO_SCALES, DemoCouncil, format_value, generate_demo, write_demo_inputs
from pmflib.core.errors import ConfigError
from pmflib.core.periods import Period, period_range

LATEST = Period(2026, 2)
STANDARD_RETURNS = ["2025-26 Q4", "2026-27 Q1", "2026-27 Q2"]
#: The large council is for benchmarks: it must build quickly.


@pytest.fixture(scope="module")
def tiny() -> DemoCouncil:
    return generate_demo("tiny")


@pytest.fixture(scope="module")
def standard() -> DemoCouncil:
    return generate_demo("standard")


@pytest.fixture(scope="module")
def large() -> DemoCouncil:
    # How long generation takes is measured by scripts/benchmark.py, not asserted here.
    return generate_demo("large")


@pytest.fixture(scope="module")
def written(standard, tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    return root, write_demo_inputs(standard, root)


def _indicators(council: DemoCouncil) -> pd.DataFrame:
    return council.register_sheets[C.INDICATORS_SHEET]


def _all_actuals(council: DemoCouncil) -> pd.DataFrame:
    """History and every return's actuals as one long table, with the period parsed."""
    frames = [council.history[["Indicator ID", "Period", "Actual"]]]
    frames += [frame[["Indicator ID", "Actual"]].assign(Period=label)
               for label, frame in council.indicator_returns.items()]
    values = pd.concat(frames, ignore_index=True).dropna(subset=["Actual"])
    return values.assign(Quarter=[Period.parse(p).quarter for p in values["Period"]],
                         Index=[Period.parse(p).index for p in values["Period"]])


def _with_register(council: DemoCouncil) -> pd.DataFrame:
    return _all_actuals(council).merge(_indicators(council), on="Indicator ID")


# --- determinism ---------------------------------------------------------------------------
def _frames(council: DemoCouncil) -> dict[str, pd.DataFrame]:
    frames = {f"register {k}": v for k, v in council.register_sheets.items()}
    frames |= {"history": council.history, "comparators": council.comparators}
    frames |= {f"indicators {k}": v for k, v in council.indicator_returns.items()}
    frames |= {f"actions {k}": v for k, v in council.action_returns.items()}
    return frames


def test_the_same_seed_gives_the_same_council(standard):
    again = generate_demo("standard")
    first, second = _frames(standard), _frames(again)
    assert first.keys() == second.keys()
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
    assert again.return_periods == standard.return_periods


def test_another_seed_gives_another_council(standard):
    other = generate_demo("standard", seed=7)
    assert not other.history["Actual"].equals(standard.history["Actual"])


def test_an_unknown_scale_is_refused_by_name():
    with pytest.raises(ConfigError, match="huge"):
        generate_demo("huge")


# --- sizes ---------------------------------------------------------------------------------------
def test_standard_is_a_council_plan_of_ten_outcomes(standard):
    sheets = standard.register_sheets
    assert len(sheets[C.OUTCOMES_SHEET]) == 10
    assert abs(len(sheets[C.INDICATORS_SHEET]) - 150) <= 10
    assert abs(len(sheets[C.ACTIONS_SHEET]) - 370) <= 20
    services = set(sheets[C.INDICATORS_SHEET]["Service"]) | set(sheets[C.ACTIONS_SHEET]["Service"])
    assert len(services) == 12
    assert [p.label for p in standard.return_periods] == STANDARD_RETURNS
    assert standard.latest_period == LATEST


def test_standard_history_runs_from_2021_22_q1_to_the_quarter_before_the_returns(standard):
    periods = sorted({Period.parse(p) for p in standard.history["Period"]})
    assert periods == period_range("2021-22 Q1", "2025-26 Q3")
    assert len(periods) == 19


def test_large_is_big(large):
    council = large
    sheets = council.register_sheets
    assert len(sheets[C.INDICATORS_SHEET]) == 600
    assert len(sheets[C.ACTIONS_SHEET]) == 1500
    assert sheets[C.INDICATORS_SHEET]["Service"].nunique() == 40
    quarters = {Period.parse(p) for p in council.history["Period"]} | set(council.return_periods)
    assert len(quarters) == 20
    assert council.latest_period == LATEST


def test_large_ids_are_unique(large):
    council = large
    for sheet, column in ((C.INDICATORS_SHEET, "Indicator ID"), (C.ACTIONS_SHEET, "Action ID")):
        assert council.register_sheets[sheet][column].is_unique
    assert council.register_sheets[C.ACTIONS_SHEET]["Action"].is_unique


def test_tiny_is_small_but_covers_the_main_cases(tiny):
    sheets = tiny.register_sheets
    indicators = sheets[C.INDICATORS_SHEET]
    assert len(sheets[C.OUTCOMES_SHEET]) == 2
    assert 6 <= len(indicators) <= 12
    assert len(sheets[C.ACTIONS_SHEET]) == 6
    assert set(indicators["Service"]) | set(sheets[C.ACTIONS_SHEET]["Service"]) == {
        demo.WASTE, demo.REVS}
    assert set(indicators["Type"]) == set(C.INDICATOR_TYPES)
    assert set(indicators["Frequency"]) == set(C.FREQUENCIES)
    assert set(indicators["Polarity"]) == set(C.POLARITIES)
    assert (indicators["Cumulative"] == "Y").any()
    assert (indicators["Tolerance"].str.match(r"^\d+(\.\d+)?$")).any()  # an absolute band


@pytest.mark.parametrize("scale", list(DEMO_SCALES))
def test_every_scale_has_the_same_latest_period_and_three_return_quarters(scale):
    config = DEMO_SCALES[scale]
    assert config.return_quarters == 3
    assert config.history_quarters >= 12  # SPC needs at least 12 points before the returns


# --- the register ------------------------------------------------------------------------------------
@pytest.mark.parametrize("sheet, columns", [
    (C.OUTCOMES_SHEET, C.REGISTER_OUTCOME_COLUMNS),
    (C.INDICATORS_SHEET, C.REGISTER_INDICATOR_COLUMNS),
    (C.TARGETS_SHEET, C.REGISTER_TARGET_COLUMNS),
    (C.ACTIONS_SHEET, C.REGISTER_ACTION_COLUMNS),
])
def test_register_sheets_have_exactly_the_spec_headers(standard, tiny, sheet, columns):
    for council in (standard, tiny):
        assert list(council.register_sheets[sheet].columns) == list(columns)


def test_register_values_are_typed_as_the_spec_writes_them(standard):
    indicators = _indicators(standard)
    for flag in ("Cumulative", "KPI", "Headline"):
        assert set(indicators[flag]) <= set(C.YES_NO)
    assert set(indicators["Tolerance"]) - {""} <= {"5%", "10%"} | {
        t for t in indicators["Tolerance"] if t.replace(".", "").isdigit()}
    assert indicators["Decimals"].dtype == "int64"
    actions = standard.register_sheets[C.ACTIONS_SHEET]
    for column in ("Start Date", "End Date"):
        assert pd.api.types.is_datetime64_any_dtype(actions[column])


def test_every_outcome_id_exists(standard, large):
    for council in (standard, large):
        outcomes = set(council.register_sheets[C.OUTCOMES_SHEET]["Outcome ID"])
        assert set(_indicators(council)["Outcome ID"]) <= outcomes
        assert set(council.register_sheets[C.ACTIONS_SHEET]["Outcome ID"]) <= outcomes


def test_every_outcome_has_a_cabinet_member_and_a_lead_director(standard):
    outcomes = standard.register_sheets[C.OUTCOMES_SHEET]
    assert outcomes["Cabinet Member"].str.startswith("Cllr ").all()
    assert outcomes["Lead Director"].str.contains("Director").all()


def test_the_vocabulary_is_covered(standard):
    indicators = _indicators(standard)
    assert set(indicators["Type"]) == set(C.INDICATOR_TYPES)
    assert set(indicators["Frequency"]) == set(C.FREQUENCIES)
    assert set(indicators["Polarity"]) == set(C.POLARITIES)
    assert set(C.KNOWN_UNITS) <= set(indicators["Unit"])
    assert (indicators["Cumulative"] == "Y").sum() >= 10
    assert (indicators["Unit"] == "%").sum() >= 40
    assert ((indicators["Tolerance"] != "") & ~indicators["Tolerance"].str.endswith("%")).any()
    assert (indicators["Comparator Metric"] != "").sum() >= 10
    assert 0.3 <= (indicators["KPI"] == "Y").mean() <= 0.5
    assert (indicators["Headline"] == "Y").sum() >= 5


def test_some_targets_are_zero_some_profiled_some_baseline_and_some_missing(standard):
    targets = standard.register_sheets[C.TARGETS_SHEET]
    numeric = pd.to_numeric(targets["Annual Target"], errors="coerce")
    assert (numeric == 0).any()
    assert targets["Q2 Target"].notna().any()
    latest = targets[targets["Year"] == LATEST.year_label]
    assert 1 <= (latest["Annual Target"] == "Baseline").sum() <= 2
    without = set(_indicators(standard)["Indicator ID"]) - set(targets["Indicator ID"])
    assert without  # some indicators have no target at all
    assert set(_indicators(standard)["Indicator ID"]) - set(latest["Indicator ID"]) > without


def test_targets_cover_every_year_from_the_first_history_year(standard):
    targets = standard.register_sheets[C.TARGETS_SHEET]
    years = Counter(targets["Year"])
    assert sorted(years) == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26", "2026-27"]
    assert targets.groupby(["Indicator ID", "Year"]).size().max() == 1


def test_cumulative_profiles_rise_to_the_annual_target(standard):
    targets = standard.register_sheets[C.TARGETS_SHEET].merge(_indicators(standard), on="Indicator ID")
    profiled = targets[(targets["Cumulative"] == "Y") & targets["Q1 Target"].notna()]
    assert len(profiled) > 0
    quarters = profiled[["Q1 Target", "Q2 Target", "Q3 Target", "Q4 Target"]].to_numpy(float)
    assert (np.diff(quarters, axis=1) >= 0).all()
    assert np.allclose(quarters[:, 3], profiled["Annual Target"].astype(float))


@pytest.mark.parametrize("column", list(C.REGISTER_TARGET_COLUMNS[2:]))
def test_targets_are_set_to_the_indicators_display_precision(large, column):
    council = large
    targets = council.register_sheets[C.TARGETS_SHEET].merge(_indicators(council), on="Indicator ID")
    values = pd.to_numeric(targets[column], errors="coerce")
    known = values.notna()
    rounded = [round(v, d) for v, d in zip(values[known], targets.loc[known, "Decimals"])]
    assert values[known].tolist() == rounded


# --- the series ------------------------------------------------------------------------------------
@pytest.mark.parametrize("frequency, quarters", [
    (C.ANNUAL, {4}), (C.HALF_YEARLY, {2, 4}), (C.QUARTERLY, {1, 2, 3, 4}), (C.MONTHLY, {1, 2, 3, 4}),
])
def test_values_are_recorded_only_in_the_quarters_a_measure_reports_in(standard, frequency, quarters):
    values = _with_register(standard)
    assert set(values.loc[values["Frequency"] == frequency, "Quarter"]) == quarters


def test_annual_measures_have_history_only_in_q4(standard):
    history = standard.history.merge(_indicators(standard), on="Indicator ID")
    annual = history[history["Frequency"] == C.ANNUAL]
    assert len(annual) > 0
    assert annual["Period"].str.endswith("Q4").all()


def test_values_respect_their_units(standard):
    values = _with_register(standard)
    percent = values[values["Unit"] == "%"]["Actual"]
    assert percent.between(0, 100).all()
    counts = values[(values["Unit"] == "number") & (values["Decimals"] == 0)]["Actual"]
    assert (counts >= 0).all() and (counts == counts.round()).all()
    money = values[values["Unit"] == "£"]
    assert (money["Actual"] == money["Actual"].round(2)).all()


def test_cumulative_measures_rise_through_the_year_and_reset_in_q1(standard):
    values = _with_register(standard)
    cumulative = values[values["Cumulative"] == "Y"].sort_values(["Indicator ID", "Index"])
    resets = 0
    for _, series in cumulative.groupby("Indicator ID"):
        steps = series["Actual"].diff().to_numpy()[1:]
        quarters = series["Quarter"].to_numpy()[1:]
        assert (steps[quarters != 1] >= 0).all()
        resets += int((steps[quarters == 1] < 0).sum())
    assert resets > 0


def test_zero_target_measures_are_small_counts(standard):
    targets = standard.register_sheets[C.TARGETS_SHEET]
    zero_ids = set(targets.loc[pd.to_numeric(targets["Annual Target"], errors="coerce") == 0, "Indicator ID"])
    values = _all_actuals(standard)
    zero = values[values["Indicator ID"].isin(zero_ids)]["Actual"]
    assert zero.between(0, 10).all() and (zero == 0).any() and (zero > 0).any()


def test_a_step_change_shows_as_special_cause(tiny):
    """The missed-bins series has a planted step 6-8 quarters ago: SPC must see it."""
    indicators = _indicators(tiny)
    row = indicators[indicators["Indicator"].str.startswith("Number of missed bin")].iloc[0]
    series = _all_actuals(tiny).query("`Indicator ID` == @row['Indicator ID']").sort_values("Index")
    result = spc.spc(series["Actual"].to_numpy(), row["Polarity"])
    assert result.variation not in (C.SPC_COMMON_CAUSE, C.SPC_NOT_ENOUGH_DATA)
    assert (result.points["special_cause"] != "").sum() >= 6


# --- the returns ------------------------------------------------------------------------------------
def test_returns_hold_exactly_the_indicators_due_that_quarter(standard):
    indicators = _indicators(standard)
    for period in standard.return_periods:
        returned = standard.indicator_returns[period.label]
        due = indicators[[status.is_due(f, period.quarter) for f in indicators["Frequency"]]]
        assert list(returned["Indicator ID"]) == list(due["Indicator ID"])
        assert list(returned.columns) == ["Indicator ID", "Service", "Actual", "Forecast Year-End",
                                          "Commentary", "Corrective Action", "Data Note"]


def test_forecasts_are_given_in_q1_to_q3_only(standard):
    for period in standard.return_periods:
        forecasts = standard.indicator_returns[period.label]["Forecast Year-End"]
        if period.is_year_end:
            assert forecasts.isna().all()
        else:
            assert forecasts.notna().sum() >= 5


def _assessed(council: DemoCouncil, period: Period) -> pd.DataFrame:
    sheets = council.register_sheets
    indicators = sheets[C.INDICATORS_SHEET].assign(**{
        name: sheets[C.INDICATORS_SHEET][name] == "Y" for name in ("Cumulative", "KPI", "Headline")})
    tolerance = [register.parse_tolerance(t) for t in indicators["Tolerance"]]
    indicators = indicators.assign(**{"Tolerance Value": [t[1] for t in tolerance],
                                      "Tolerance Relative": [t[2] for t in tolerance]})
    targets = sheets[C.TARGETS_SHEET]
    baseline = targets["Annual Target"].map(lambda v: isinstance(v, str))
    targets = targets.assign(**{"Annual Target": pd.to_numeric(targets["Annual Target"], errors="coerce"),
                                "Baseline": baseline})
    actuals = _all_actuals(council)
    actuals = actuals[actuals["Index"] < period.index][["Indicator ID", "Period", "Actual"]]
    assessed = status.assess_indicators(indicators, targets, actuals,
                                        council.indicator_returns[period.label], period)
    return assessed.merge(indicators[["Indicator ID", "KPI"]], on="Indicator ID")


def test_the_latest_quarter_has_a_believable_mix_of_statuses(standard):
    counts = Counter(_assessed(standard, LATEST)["Status"])
    assert counts[C.GREEN] > counts[C.AMBER] and counts[C.GREEN] > counts[C.RED]
    assert counts[C.AMBER] >= 5 and counts[C.RED] >= 5 and counts[C.MEASURED] >= 5
    assert counts[C.NOT_REPORTED] == 0


def test_the_planned_statuses_are_the_ones_the_rules_give(standard):
    assessed = _assessed(standard, LATEST)
    assert dict(zip(assessed["Indicator ID"], assessed["Status"])) == standard.planned_status


@pytest.mark.parametrize("label", STANDARD_RETURNS)
def test_red_and_amber_measures_have_commentary_and_red_ones_corrective_action(standard, label):
    assessed = _assessed(standard, Period.parse(label))
    missed = assessed[assessed["Status"].isin([C.RED, C.AMBER])]
    assert (missed["Commentary"] != "").all()
    assert (assessed.loc[assessed["Status"] == C.RED, "Corrective Action"] != "").all()


def test_commentary_quotes_the_figures(standard):
    returned = standard.indicator_returns[LATEST.label]
    written = returned[returned["Commentary"].str.contains("target of")]
    assert len(written) > 20
    assert written["Commentary"].str.contains(r"\d").all()


def test_action_returns_are_consistent_with_the_dates(standard):
    actions = standard.register_sheets[C.ACTIONS_SHEET]
    for period in standard.return_periods:
        end = pd.Timestamp(period.end_date)
        returned = standard.action_returns[period.label].merge(actions, on=["Action ID", "Service"])
        assert len(returned) == len(actions)
        assert set(returned["Progress"]) <= set(C.PROGRESS_VALUES)
        completed = returned[returned["Progress"] == C.PROGRESS_COMPLETED]
        assert (completed["Completed Date"] <= end).all()
        assert (completed["Completed Date"] >= completed["Start Date"]).all()
        assert (returned.loc[returned["Progress"] == C.PROGRESS_NOT_STARTED, "Start Date"] > end).all()
        live = returned[returned["Progress"] == C.PROGRESS_IN_PROGRESS]
        assert (live["Start Date"] <= end).all() and (live["Expected End Date"] >= end).all()
        viable = returned[returned["Progress"] == C.PROGRESS_NOT_VIABLE]
        assert (viable["Reason For Delay"] != "").all()


def test_actions_span_2024_to_2028(standard):
    actions = standard.register_sheets[C.ACTIONS_SHEET]
    assert actions["Start Date"].min() >= pd.Timestamp("2024-04-01")
    assert actions["End Date"].max() <= pd.Timestamp("2028-03-31")
    assert (actions["End Date"] > actions["Start Date"]).all()
    assert actions["End Date"].dt.year.nunique() >= 4


def test_the_latest_quarter_has_every_action_status(standard, tiny):
    for council in (standard, tiny):
        previous = council.action_returns[council.return_periods[-2].label]
        assessed = status.assess_actions(council.register_sheets[C.ACTIONS_SHEET],
                                         council.action_returns[LATEST.label], LATEST, previous)
        counts = Counter(assessed["Status"])
        assert set(counts) == set(C.ACTION_STATUSES)
        if council is standard:
            assert counts[C.ON_TARGET] > counts[C.SLIPPED_LESS] > 0
            assert counts[C.SLIPPED_LESS] > counts[C.SLIPPED_MORE] > 0
            assert 1 <= counts[C.NO_LONGER_VIABLE] <= 3
        slipped = assessed[assessed["Status"] == C.SLIPPED_MORE]
        assert (slipped["Reason For Delay"] != "").all()
        assert (slipped["Corrective Action"] != "").all()


# --- comparators ---------------------------------------------------------------------------------------
def test_comparators_have_sixteen_councils_per_metric_and_year(standard):
    comparators = standard.comparators
    assert list(comparators.columns) == ["Comparator Metric", "Year", "Authority", "Value"]
    metrics = set(_indicators(standard)["Comparator Metric"]) - {""}
    assert set(comparators["Comparator Metric"]) == metrics
    assert set(comparators["Year"]) == {"2023-24", "2024-25", "2025-26"}
    sizes = comparators.groupby(["Comparator Metric", "Year"])["Authority"].nunique()
    assert (sizes == 16).all()
    assert (comparators["Authority"] == demo.OWN_AUTHORITY).sum() == len(metrics) * 3


def test_the_councils_own_comparator_row_is_its_published_figure(standard):
    own = standard.comparators.query("Authority == @demo.OWN_AUTHORITY and Year == '2024-25'")
    indicators = _indicators(standard)
    row = indicators[indicators["Comparator Metric"] == "council_tax_collection"].iloc[0]
    history = standard.history.query("`Indicator ID` == @row['Indicator ID'] and Period == '2024-25 Q4'")
    expected = float(history["Actual"].iloc[0])
    assert own.loc[own["Comparator Metric"] == "council_tax_collection", "Value"].iloc[0] == expected


# --- writing ------------------------------------------------------------------------------------------
def test_write_demo_inputs_writes_files_with_the_exact_headers(written):
    root, paths = written
    assert set(paths) == {"register", "history", "comparators"}
    assert paths["register"] == root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(paths["register"], read_only=True)
    expected = {C.OUTCOMES_SHEET: C.REGISTER_OUTCOME_COLUMNS, C.INDICATORS_SHEET: C.REGISTER_INDICATOR_COLUMNS,
                C.TARGETS_SHEET: C.REGISTER_TARGET_COLUMNS, C.ACTIONS_SHEET: C.REGISTER_ACTION_COLUMNS}
    assert book.sheetnames == list(expected)
    for sheet, columns in expected.items():
        header = next(book[sheet].iter_rows(min_row=1, max_row=1, values_only=True))
        assert list(header) == list(columns)
    book.close()
    for name, columns in (("history", C.HISTORY_COLUMNS), ("comparators", demo.COMPARATOR_COLUMNS)):
        with paths[name].open(newline="", encoding="utf-8") as handle:
            assert next(csv.reader(handle)) == list(columns)


def test_the_register_reader_accepts_the_written_register(written, standard):
    _, paths = written
    reg = register.read_register(paths["register"])  # raises RegisterError listing any problem
    assert len(reg.indicators) == len(_indicators(standard))
    assert reg.targets["Baseline"].sum() == 2
    history, problems = register.read_history(paths["history"], reg)
    assert problems == []
    assert len(history) == len(standard.history)


def test_the_written_tolerances_read_back_as_planned(written):
    _, paths = written
    indicators = register.read_register(paths["register"]).indicators
    absolute = indicators[~indicators["Tolerance Relative"]]
    assert len(absolute) >= 3
    assert set(indicators.loc[indicators["Tolerance"] == "5%", "Tolerance Value"]) == {0.05}


# --- small helpers -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, unit, decimals, shown", [
    (44.2, "%", 1, "44.2%"),
    (1250, "£", 0, "£1,250"),
    (-250000, "£", 0, "-£250,000"),
    (19.5, "days", 1, "19.5 days"),
    (1234, "number", 0, "1,234"),
    (2.9, "rate", 2, "2.90"),
    (480, "kg", 0, "480 kg"),
    (float("nan"), "%", 1, "no value"),
])
def test_format_value(value, unit, decimals, shown):
    assert format_value(value, unit, decimals) == shown



# --- the demo's committees in params/reports.yml ------------------------------------------------
def _repository_reports_yml() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "params" / "reports.yml").read_text(encoding="utf-8")


def test_make_demo_leaves_the_repositorys_params_as_committed(standard):
    """`make demo` runs the standard demo in the repository itself: the
    committees it would write are those already committed, so the tracked
    file is not rewritten (a pull would otherwise conflict)."""
    text = _repository_reports_yml()
    assert demo.with_demo_committees(text, demo.committees_yaml(standard.register_sheets["Outcomes"])) == text


def test_the_demo_rewrites_its_own_committees_for_another_scale_and_never_a_councils(standard, tiny):
    import re

    shipped = _repository_reports_yml()
    for_tiny = demo.with_demo_committees(shipped, demo.committees_yaml(tiny.register_sheets["Outcomes"]))
    assert "outcomes: [O02]" in for_tiny and "outcomes: [O10, O09]" not in for_tiny
    assert len(re.findall(r"^committees:", for_tiny, flags=re.M)) == 1
    assert demo.with_demo_committees(for_tiny, demo.committees_yaml(standard.register_sheets["Outcomes"])) == shipped
    own = "reports: []\ncommittees:\n  - name: Audit Committee\n    outcomes: [O01]\n"
    assert demo.with_demo_committees(own, demo.committees_yaml(tiny.register_sheets["Outcomes"])) == own
    empty = "reports: []\ncommittees: []\n"
    assert demo.with_demo_committees(empty, demo.committees_yaml(tiny.register_sheets["Outcomes"])).startswith(
        f"reports: []\n{demo.DEMO_COMMITTEES_MARK}\ncommittees:\n")
