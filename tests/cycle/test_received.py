"""received.csv: the officer's record of when each return really arrived (issue 9 item 5)."""

from datetime import datetime

from pmflib.cycle.ingest import Arrival, late_problem, parse_received, return_files

DEADLINE = datetime(2026, 10, 14, 17, 0)


def test_uk_and_iso_times_are_read_and_bad_rows_name_row_and_cell():
    arrivals, problems = parse_received([
        ["File", "Received"],
        ["housing.xlsx", "14/10/2026"],
        ["parks.xlsx", "15/10/2026 09:12"],
        ["waste.xlsx", "2026-10-13T16:00"],
        ["leisure.xlsx", "next Tuesday"],
        ["", "14/10/2026"],
        ["", ""],
    ])
    assert arrivals["housing.xlsx"] == Arrival(datetime(2026, 10, 14), False, "received.csv")
    assert arrivals["parks.xlsx"].at == datetime(2026, 10, 15, 9, 12)
    assert arrivals["waste.xlsx"].at == datetime(2026, 10, 13, 16, 0)
    assert "leisure.xlsx" not in arrivals
    assert [(p.file, p.cell) for p in problems] == [("received.csv", "B5"), ("received.csv", "A6")]
    assert "row 5" in problems[0].problem and "'next Tuesday'" in problems[0].problem


def test_missing_headers_is_one_problem_at_a1():
    arrivals, problems = parse_received([["Name", "When"], ["a.xlsx", "14/10/2026"]])
    assert arrivals == {} and problems[0].cell == "A1" and "File and Received" in problems[0].problem


def test_a_date_alone_is_late_only_on_a_later_day():
    assert not Arrival(datetime(2026, 10, 14), False, "received.csv").after(DEADLINE)
    assert Arrival(datetime(2026, 10, 15), False, "received.csv").after(DEADLINE)
    assert Arrival(datetime(2026, 10, 14, 17, 1), True, "first seen").after(DEADLINE)


def test_the_late_verdict_says_which_time_it_used():
    per_file = late_problem("p.xlsx", "Parks", Arrival(datetime(2026, 10, 15), False, "received.csv"), DEADLINE)
    seen = late_problem("p.xlsx", "Parks", Arrival(datetime(2026, 10, 15, 9, 12), True, "first seen"), DEADLINE)
    assert "received 15/10/2026 per received.csv" in per_file.problem
    assert "first seen by the workbook 15/10/2026 09:12" in seen.problem


def test_received_csv_is_not_read_as_a_return(tmp_path):
    (tmp_path / "received.csv").write_text("File,Received\n")
    (tmp_path / "housing.xlsx").write_bytes(b"x")
    assert [p.name for p in return_files(tmp_path)] == ["housing.xlsx"]
