"""A council of its own, from an installed wheel, in a folder outside the repo.

The wheel is built from a copy of the source, installed (not editable) into a
fresh venv in tmp_path; the venv borrows the already-installed dependencies
through a .pth line (so the test needs no network), but ``pmflib`` itself and
its package data (notebooks, templates, CSS, skeleton params) come only from
the wheel — asserted below. Then an officer's first quarter: new → register →
check → templates → returns (with messy cells) → ingest → run → --no-reports.
"""

import datetime
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import openpyxl
import pytest

REPO = Path(__file__).resolve().parents[2]
PERIOD = "2026-27 Q1"
SLUG = "2026-27-Q1"

pytestmark = pytest.mark.slow


def _sh(args, cwd, ok=True):
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if ok:
        assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def pmf(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(REPO / "pmflib", src / "pmflib", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    _sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", base / "dist", src], cwd=base)
    (wheel,) = (base / "dist").glob("pmf_workbook-*.whl")
    venv = base / "venv"
    _sh([sys.executable, "-m", "venv", venv], cwd=base)
    python = venv / "bin" / "python"
    purelib = _sh([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=base).stdout.strip()
    Path(purelib, "pmf-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # The dependencies' data files (nbconvert's base templates) as a real install would have them.
    (venv / "share").mkdir(exist_ok=True)
    (venv / "share" / "jupyter").symlink_to(Path(sys.prefix) / "share" / "jupyter")
    _sh([python, "-m", "pip", "install", "-q", "--no-deps", wheel], cwd=base)
    where = _sh([python, "-c", "import pmflib; print(pmflib.__file__)"], cwd=base).stdout
    assert where.startswith(str(venv)), where
    return venv / "bin" / "pmf"


def _register(path: Path) -> None:
    book = openpyxl.load_workbook(path)
    book["Outcomes"].append(["O1", "Clean, safe streets", "Cllr A. Khan", "Director of Place"])
    rows = [
        ["W1", "Household waste recycled", "O1", "Waste", "J. Smith", "Head of Waste", "tonnes %", "%", 1,
         "Higher is better", "Outcome", "Quarterly", "N", "Y", "Y", "5%", None],
        ["W2", "Missed bins", "O1", "Waste", "J. Smith", "Head of Waste", "count", "number", 0,
         "Lower is better", "Output", "Quarterly", "Y", "Y", "N", "5%", None],
        ["H1", "Days to process claims", "O1", "Benefits", "M. Jones", "Head of Revenues", "mean days", "days", 1,
         "Lower is better", "Output", "Quarterly", "N", "Y", "N", "2", None],
    ]
    for row in rows:
        book["Indicators"].append(row)
    for row in (["W1", "2026-27", 50, None, None, None, None], ["W2", "2026-27", 2000, 500, 1000, 1500, 2000],
                ["H1", "2026-27", 20, None, None, None, None]):
        book["Targets"].append(row)
    book["Actions"].append(["A1", "Food-waste collection", "O1", "Waste", "J. Smith",
                            datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)])
    book.save(path)


def _header(ws):
    for r in range(1, 11):
        labels = {str(c.value).strip(): c.column for c in ws[r] if c.value is not None}
        if "Indicator ID" in labels or "Action ID" in labels:
            return r, labels
    raise AssertionError(f"no header in {ws.title}")


def _fill(template: Path, target: Path, actuals: dict) -> None:
    book = openpyxl.load_workbook(template)
    ws = book["Indicators"]
    row, cols = _header(ws)
    for r in range(row + 1, ws.max_row + 1):
        ident = ws.cell(r, cols["Indicator ID"]).value
        if ident in actuals:
            ws.cell(r, cols["Actual"]).value = actuals[ident]
            ws.cell(r, cols["Commentary"]).value = "On track."
    if "Actions" in book.sheetnames:
        ws = book["Actions"]
        row, cols = _header(ws)
        for r in range(row + 1, ws.max_row + 1):
            if ws.cell(r, cols["Action ID"]).value:
                ws.cell(r, cols["Progress"]).value = "In progress"
    sign = book["Sign-off"]
    for r in range(1, sign.max_row + 1):
        label = str(sign.cell(r, 1).value or "").strip()
        if label in ("Prepared By", "Approved By"):
            sign.cell(r, 2).value = "A. Officer"
        elif label == "Date Approved":
            sign.cell(r, 2).value = "15/07/2026"
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def test_a_council_of_its_own_from_the_wheel(pmf, tmp_path):
    started = time.perf_counter()
    root = tmp_path / "anytown"
    _sh([pmf, "new", root, "--council", "Anytown District Council"], cwd=tmp_path)
    _register(root / "inputs" / "register.xlsx")
    _sh([pmf, "check", "--workbook", root], cwd=tmp_path)
    _sh([pmf, "templates", "--period", PERIOD], cwd=root)
    made = sorted((root / "outputs" / "templates" / SLUG).glob("*.xlsx"))
    assert len(made) == 2, made
    by_service = {("Waste" if "waste" in p.name.lower() else "Benefits"): p for p in made}
    returns = root / "inputs" / "returns" / SLUG
    _fill(by_service["Waste"], returns / "waste Q1 final.xlsx", {"W1": "48.5%", "W2": " 1,234 "})
    _fill(by_service["Benefits"], returns / "benefits.xlsx", {"H1": "£3.2m"})
    # The officer's record of arrival decides lateness, not the files' times.
    (returns / "received.csv").write_text(
        "File,Received\nwaste Q1 final.xlsx,31/12/2026\nbenefits.xlsx,01/07/2026 10:00\n", encoding="utf-8")
    ingest = _sh([pmf, "ingest", "--period", PERIOD, "--workbook", root], cwd=tmp_path)
    assert "benefits.xlsx" in ingest.stderr and "Indicators!" in ingest.stderr, ingest.stderr
    assert "'£3.2m' is not a number" in ingest.stderr
    quality = root / "outputs" / SLUG / "data-quality.csv"
    assert quality.exists()
    late = [line for line in quality.read_text(encoding="utf-8").splitlines() if "Late return" in line]
    assert len(late) == 1 and "received 31/12/2026 per received.csv" in late[0], late
    run = _sh([pmf, "run", "--period", PERIOD, "--workbook", root], cwd=tmp_path)
    assert "without encryption" not in run.stderr
    published = sorted(p.name for p in (root / "outputs" / SLUG).rglob("*.html"))
    assert published and (root / "outputs" / "index.html").exists()
    # The PDFs are printed by the machine's Chromium (its PDF library is Skia), driven by pmflib itself.
    pdfs = sorted((root / "outputs" / SLUG).glob("*.pdf"))
    assert pdfs
    producer = subprocess.run(["pdfinfo", str(pdfs[0])], capture_output=True, text=True, check=True).stdout
    assert "Skia/PDF" in producer, producer
    elapsed = time.perf_counter() - started
    print(f"pmf new → first published quarter: {elapsed:.1f} s")
    _sh([pmf, "run", "--period", PERIOD, "--no-reports", "--workbook", root], cwd=tmp_path)
    assert sorted(p.name for p in (root / "outputs" / SLUG).rglob("*.html")) == published
