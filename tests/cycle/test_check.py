"""`pmf check`: the register, history and params checked without running anything."""

import datetime

import openpyxl

from pmflib.cycle.check import check_workbook
from pmflib.cycle.newworkbook import new_workbook


def _fill(root, types=("Outcome", "Outcome"), end=datetime.date(2027, 3, 31)):
    path = root / "inputs" / "register.xlsx"
    book = openpyxl.load_workbook(path)
    book["Outcomes"].append(["O1", "Clean streets", "Cllr Khan", "Director of Place"])
    for n, kind in enumerate(types, 1):
        book["Indicators"].append([f"I{n}", f"Measure {n}", "O1", "Waste", "J. Smith", "Head of Waste",
                                   "def", "%", 1, "Higher is better", kind, "Quarterly", "N", "Y", "N", "5%", None])
    book["Targets"].append(["I1", "2026-27", 50, None, None, None, None])
    book["Actions"].append(["A1", "Food waste", "O1", "Waste", "J. Smith", datetime.date(2026, 4, 1), end])
    book.save(path)


def test_clean_register_passes(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    _fill(tmp_path)
    assert check_workbook(tmp_path) == []


def test_bad_type_is_found_per_cell(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    _fill(tmp_path, types=("Performance", "Performance"))
    problems = check_workbook(tmp_path)
    assert [p.cell for p in problems if "Type" in p.problem] == ["K2", "K3"]


def test_year_lists_missing_targets_and_ended_actions(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    _fill(tmp_path)
    assert [p.id for p in check_workbook(tmp_path, year="2026-27")] == ["I2"]
    gaps = check_workbook(tmp_path, year="2027-28")
    assert {p.id for p in gaps} == {"I1", "I2", "A1"}
    assert any("ends before 2027-28" in p.problem for p in gaps)


def test_missing_params_and_bad_history(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    (tmp_path / "params" / "reports.yml").unlink()
    (tmp_path / "inputs" / "history.csv").write_text("Indicator ID,Period,Actual\nI9,2025-26 Q4,abc\n")
    problems = check_workbook(tmp_path)
    assert any(p.file.endswith("reports.yml") for p in problems)
    assert any(p.file == "history.csv" for p in problems)
