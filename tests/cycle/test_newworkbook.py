"""`pmf new`: an empty workbook folder a council can start from."""

import openpyxl
import pytest
import yaml

from pmflib.core import constants as C
from pmflib.core.errors import PmfError
from pmflib.cycle.check import check_workbook
from pmflib.cycle.newworkbook import new_workbook
from pmflib.cycle.workbook import Workbook
from pmflib.inputs.register import read_register


def test_new_workbook_has_everything_and_passes_check(tmp_path):
    root = tmp_path / "anytown"
    new_workbook(root, "Anytown District Council")
    council = yaml.safe_load((root / "params" / "council.yml").read_text())
    assert council["name"] == "Anytown District Council"
    assert "#" in (root / "params" / "council.yml").read_text()  # commented
    assert "Northmere" not in (root / "params" / "council.yml").read_text()
    assert Workbook.open(root).report_set()["reports"]
    assert (root / "inputs" / "history.csv").read_text() == "Indicator ID,Period,Actual\n"
    assert (root / "inputs" / "README.md").exists() and (root / "outputs" / "README.md").exists()
    ignore = (root / ".gitignore").read_text()
    for kept_out in ("inputs/returns/", "inputs/ledger/", "outputs/"):
        assert kept_out in ignore.splitlines()
    assert "!inputs/register.xlsx" in ignore
    read_register(root / "inputs" / "register.xlsx")  # raises if invalid
    assert check_workbook(root) == []


def test_register_has_exact_headers_dropdowns_and_guide(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    book = openpyxl.load_workbook(tmp_path / "inputs" / "register.xlsx")
    assert book.sheetnames == [*C.REGISTER_SHEETS, "Guide"]
    assert tuple(c.value for c in book["Indicators"][1]) == C.REGISTER_INDICATOR_COLUMNS
    assert tuple(c.value for c in book["Targets"][1]) == C.REGISTER_TARGET_COLUMNS
    rules = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in book["Indicators"].data_validations.dataValidation}
    letter = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(C.REGISTER_INDICATOR_COLUMNS, 1)}
    assert rules[f"{letter['Type']}2"] == '"Outcome,Output,Input,Perception"'
    assert rules[f"{letter['Polarity']}2"] == '"' + ",".join(C.POLARITIES) + '"'
    for flag in ("Cumulative", "KPI", "Headline"):
        assert rules[f"{letter[flag]}2"] == '"Y,N"'
    assert rules[f"{letter['Frequency']}2"] == '"' + ",".join(C.FREQUENCIES) + '"'
    guide = {(r[0], r[1]): r for r in book["Guide"].iter_rows(min_row=2, values_only=True)}
    for sheet, headers in ((C.INDICATORS_SHEET, C.REGISTER_INDICATOR_COLUMNS),
                           (C.ACTIONS_SHEET, C.REGISTER_ACTION_COLUMNS)):
        for header in headers:
            assert (sheet, header) in guide
    assert "Perception" in guide[("Indicators", "Type")][3]


def test_refuses_to_overwrite(tmp_path):
    new_workbook(tmp_path, "Anytown District Council")
    (tmp_path / "params" / "council.yml").write_text("name: Mine\n")
    with pytest.raises(PmfError, match="never overwrites"):
        new_workbook(tmp_path, "Other Council")
    assert (tmp_path / "params" / "council.yml").read_text() == "name: Mine\n"


def test_demo_gets_shipped_params_in_an_empty_folder_without_overwriting(tmp_path):
    from pmflib.cycle.pipeline import _write_default_params

    _write_default_params(tmp_path)
    assert Workbook.open(tmp_path).name == "Northmere Borough Council"
    assert Workbook.open(tmp_path).report_set()["reports"]
    (tmp_path / "params" / "council.yml").write_text("name: Mine\n")
    _write_default_params(tmp_path)
    assert (tmp_path / "params" / "council.yml").read_text() == "name: Mine\n"
