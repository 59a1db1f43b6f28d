"""The `pmf` command line: exit codes, --workbook either side, --version, grouped problems."""

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from pmflib.cycle.cli import build_parser, main
from pmflib.cycle.newworkbook import new_workbook

PMF = [sys.executable, "-m", "pmflib.cycle.cli"]


def test_workbook_before_or_after_the_command(tmp_path):
    parser = build_parser()
    before = parser.parse_args(["--workbook", str(tmp_path), "run", "--period", "2026-27 Q2"])
    after = parser.parse_args(["run", "--period", "2026-27 Q2", "--workbook", str(tmp_path)])
    assert before.workbook == after.workbook == tmp_path
    assert parser.parse_args(["check"]).workbook == Path(".")


def test_version_and_examples_in_every_help(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.startswith("pmf ")
    for command in ("templates", "ingest", "run", "export", "demo", "new", "check"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "example" in capsys.readouterr().out, command


def test_new_then_check_exit_codes(tmp_path, capsys):
    root = tmp_path / "anytown"
    assert main(["new", str(root), "--council", "Anytown District Council"]) == 0
    assert main(["check", "--workbook", str(root)]) == 0
    assert main(["new", str(root), "--council", "Anytown District Council"]) == 2
    assert "never overwrites" in capsys.readouterr().err


def test_check_prints_one_line_per_mistake(tmp_path, capsys):
    new_workbook(tmp_path, "Anytown District Council")
    book = openpyxl.load_workbook(tmp_path / "inputs" / "register.xlsx")
    book["Outcomes"].append(["O1", "Clean streets", "Cllr Khan", "Director"])
    for n in range(1, 46):
        book["Indicators"].append([f"I{n}", f"M{n}", "O1", "Waste", "JS", "HW", "d", "number", 0,
                                   "Higher is better", "Performance", "Quarterly", "N", "Y", "N", "5%", None])
    book.save(tmp_path / "inputs" / "register.xlsx")
    assert main(["--workbook", str(tmp_path), "check"]) == 2
    err = capsys.readouterr().err
    type_lines = [line for line in err.splitlines() if "Type" in line]
    assert len(type_lines) == 1, err
    assert "Indicators!K2:K46" in type_lines[0] and "45 cells say 'Performance'" in type_lines[0]
    assert "Traceback" not in err


def test_errors_never_show_a_traceback(tmp_path):
    done = subprocess.run(PMF + ["run", "--period", "2026-27 Q2", "--workbook", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert "register" in done.stderr and "Traceback" not in done.stderr
    bad = subprocess.run(PMF + ["run", "--period", "Q5"], capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
