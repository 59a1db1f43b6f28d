"""The commands of SPEC §11 as short pipelines: load → check → compute → write.

Only this module (with the I/O modules it calls) knows the order of a
quarter's work; each step lives in its own module and is tested there.
"""

from __future__ import annotations

import os
import sys
import shutil
import time
from pathlib import Path

import pandas as pd

from pmflib.core.constants import DATA_QUALITY_COLUMNS
from pmflib.cycle.compute import PeriodResult, compute_period
from pmflib.core.errors import PmfError
from pmflib.core.periods import Period
from pmflib.cycle.workbook import Workbook, make_public, outputs_errors


def say(message: str) -> None:
    """Progress for the officer running the cycle (stderr, so stdout stays clean)."""
    print(message, file=sys.stderr, flush=True)


def _open(workbook) -> Workbook:
    return workbook if isinstance(workbook, Workbook) else Workbook.open(workbook)


def _root(workbook) -> Path:
    return workbook.root if isinstance(workbook, Workbook) else Path(workbook)


def locked(command: str):
    """Run a command that writes the ledger or outputs holding the workbook's
    lock, so a second run at once refuses clearly (issue 13)."""
    import functools

    def wrap(func):
        @functools.wraps(func)
        def inner(workbook, *args, **kwargs):
            from pmflib.cycle.lock import workbook_lock

            with workbook_lock(_root(workbook), f"pmf {command}"):
                return func(workbook, *args, **kwargs)
        return inner
    return wrap


def _read_register(wb: Workbook):
    from pmflib.inputs.register import read_register

    if not wb.register_path.exists():
        raise PmfError(
            f"{wb.register_path}: the register is missing. Put the council's register "
            "(Outcomes, Indicators, Targets, Actions sheets) there, or run `pmf demo`."
        )
    return read_register(wb.register_path)


def _ledger(wb: Workbook):
    from pmflib.store.ledger import Ledger

    wb.ledger_path.parent.mkdir(parents=True, exist_ok=True)
    return Ledger(wb.ledger_path, wb.archive_dir)


def publish_site_modes(outputs: Path) -> None:
    """Everything published under ``outputs/`` readable by everyone (0644 files,
    0755 folders, issue 11), so a web server run as another user can serve it;
    hidden working folders (staging, lock) are left alone."""
    if not outputs.is_dir():
        return
    os.chmod(outputs, 0o755)
    for entry in outputs.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            make_public(entry)
        else:
            os.chmod(entry, 0o644)


# --- pmf templates -----------------------------------------------------------------
@locked("templates")
def templates(workbook, period: Period) -> list[Path]:
    """Write one return workbook per service for ``period``."""
    from pmflib.inputs.templates import write_templates

    wb = _open(workbook)
    register = _read_register(wb)
    previous = period.previous()
    with _ledger(wb) as ledger:
        _import_history(wb, register, ledger)
        actuals = ledger.actuals(up_to=previous)
        previous_actions = _previous_action_statuses(register, ledger, previous, actuals)
    out = wb.templates_dir(period)
    paths = write_templates(
        register, period, out,
        previous_actuals=actuals,
        previous_actions=previous_actions,
        council_name=wb.name,
        deadline=wb.deadline(period),
    )
    say(f"Wrote {len(paths)} return templates to {out}")
    return paths


def _import_history(wb: Workbook, register, ledger) -> list:
    from pmflib.inputs.register import read_history

    if wb.history_path is None:
        return []
    history, problems = read_history(wb.history_path, register)
    ledger.import_history(history, source=wb.history_path.name)
    return problems


def _previous_action_statuses(register, ledger, previous: Period, actuals) -> pd.DataFrame:
    from pmflib.rules import status

    returns = ledger.latest_action_returns(previous)
    before = ledger.latest_action_returns(previous.previous())
    assessed = status.assess_actions(register.actions, returns, previous, before)
    return assessed[["Action ID", "Status", "Expected End Date"]]


# --- pmf ingest --------------------------------------------------------------------
@locked("ingest")
def ingest(workbook, period: Period, *, report: bool = False):
    """Read the period's returns into the ledger and record every problem.

    With ``report`` (the ``pmf ingest`` command) the officer sees there and
    then what to chase: the period's full data-quality list, grouped by return,
    and the same list written to outputs/<period>/data-quality.csv, so the
    counts agree with the later ``pmf run``.
    """
    from pmflib.cycle.ingest import ingest_period

    wb = _open(workbook)
    register = _read_register(wb)
    with _ledger(wb) as ledger:
        result = ingest_period(wb, period, register, ledger)
        ledger.record_problems(period, [p.as_row() for p in result.problems])
    count = len(result.problems)
    if report:
        quality = load_period(wb, period).data_quality
        out = wb.output_dir(period)
        with outputs_errors(wb.outputs):
            out.mkdir(parents=True, exist_ok=True)
            quality.to_csv(out / "data-quality.csv", index=False, lineterminator="\n")
            os.chmod(out / "data-quality.csv", 0o644)
        count = len(quality)
    say(
        f"Ingested {period.label}: {len(result.recorded)} new return(s), "
        f"{len(result.duplicates)} unchanged, {len(result.rejected)} not usable, "
        f"{len(result.late)} late; {count} problem(s) "
        + ("to look at" if report else "reading the returns")
    )
    if report and count:
        from pmflib.core.grouping import format_problems

        rows = quality.fillna("").to_dict("records")
        for file in dict.fromkeys(r["File"] for r in rows):
            say(f"{file or 'Returns not received'}:")
            for line in format_problems([r for r in rows if r["File"] == file], indent="  ", show_file=False):
                say(line)
        say(f"The full list is in {out / 'data-quality.csv'}")
    return result


# --- computing a period ---------------------------------------------------------------
def load_period(workbook, period: "Period | str") -> PeriodResult:
    """Everything a report needs for ``period``, from the register and ledger.

    Used by the notebooks, so they run the same under ``pmf run``, papermill
    and JupyterLab. Reads; never writes.
    """
    from pmflib.report.opendata import with_sources
    from pmflib.rules.dataquality import status_problems

    wb = _open(workbook)
    period = Period.parse(period)  # a label from a script or notebook is parsed here, at the boundary
    register = _read_register(wb)
    previous = period.previous()
    with _ledger(wb) as ledger:
        actuals = ledger.actuals(up_to=period)
        indicator_returns = ledger.indicator_returns(period)
        action_returns = ledger.latest_action_returns(period)
        this_period_actions = ledger.action_returns(period)
        cell_for = ledger.cell_lookup(period)
        result = compute_period(
            register, period, actuals,
            indicator_returns=indicator_returns,
            action_returns=action_returns,
            previous_indicator_returns=ledger.indicator_returns(previous),
            previous_action_returns=ledger.latest_action_returns(previous),
        )
        ingest_problems = ledger.problems(period)
        submissions = ledger.submissions(period)
        current = ledger.submissions(period, include_superseded=False)
        # The open data's provenance columns, so a report's figures can name
        # their file, sheet and cell too (issue 11).
        sources = ledger.figure_sources(up_to=period)
    problems, chase = status_problems(
        result.indicators, result.actions, result.exceptions,
        indicator_returns=indicator_returns, action_returns=this_period_actions,
        cell_for=cell_for,
        services_returned=set(current["Service"]) if len(current) else set(),
    )
    status_rows = pd.DataFrame([p.as_row() for p in problems], columns=list(DATA_QUALITY_COLUMNS))
    data_quality = pd.concat([ingest_problems, status_rows], ignore_index=True)
    return PeriodResult(
        **{**result.__dict__, "data_quality": data_quality, "submissions": submissions, "chase": chase,
           "indicators": with_sources(result.indicators, sources)}
    )


# --- pmf run -----------------------------------------------------------------------------
@locked("run")
def run(workbook, period: Period, *, reports: bool = True, jobs: int = 2) -> Path:
    """The whole cycle for one period; publishes only if every step succeeded."""
    from pmflib.report.opendata import write_open_data

    wb = _open(workbook)
    started = time.perf_counter()
    ingest(wb, period)
    result = load_period(wb, period)
    say(f"{len(result.data_quality)} problem(s) to look at in data-quality.csv")
    published = wb.output_dir(period)
    with wb.staged_output(period) as staging:
        if not reports and published.is_dir():
            # A run that makes less must never delete what was published
            # (issue 9): start from the published set, then refresh the open
            # data and data quality over it; reports and dashboard stay.
            shutil.copytree(published, staging, dirs_exist_ok=True)
            say("--no-reports: the open data and data quality are refreshed; "
                "the published reports and dashboard are left as they were")
        result.data_quality.to_csv(staging / "data-quality.csv", index=False, lineterminator="\n")
        result.chase.to_csv(staging / "chase-list.csv", index=False, lineterminator="\n")
        # load_period has already joined each actual's file, sheet and cell.
        write_open_data(
            staging / "open-data", wb.name, period, result.indicators, result.actions,
            indicator_extra=tuple(c for c in ("Variation", "Assurance") if c in result.indicators.columns),
        )
        if reports:
            pages = _build_reports_and_site(wb, period, staging, result, jobs=jobs)
    if reports:
        from pmflib.report.dashboard import write_site_index
        from pmflib.report.site import install_site

        with outputs_errors(wb.outputs):
            install_site(wb, pages)
            write_site_index(wb, period)
    with outputs_errors(wb.outputs):
        publish_site_modes(wb.outputs)
    out = wb.output_dir(period)
    say(f"{period.label} done in {time.perf_counter() - started:.1f} s: outputs in {out}")
    return out


def _build_reports_and_site(wb: Workbook, period: Period, staging: Path, result, *, jobs: int) -> Path:
    """The reports, and meanwhile the site's pages in a folder of their own
    (returned, to be put in place once the period is published).

    The site is ~1.5 s of this process's CPU on the large council; built
    after the reports, it ran on one core at the very end of the run, while
    the last reports' prints left the other idle."""
    from concurrent.futures import ThreadPoolExecutor

    from pmflib.report.runner import build_reports
    from pmflib.report.site import build_site, site_staging

    with outputs_errors(wb.outputs):
        pages = site_staging(wb)
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pmf-site") as site:
            building = site.submit(build_site, wb, period, result, say=say, staged=staging, into=pages)
            build_reports(wb, period, staging, jobs=jobs, progress=say, result=result)
            with outputs_errors(wb.outputs):
                building.result()
    except BaseException:
        shutil.rmtree(pages, ignore_errors=True)
        raise
    return pages


# --- pmf export ----------------------------------------------------------------------------
@locked("export")
def export(workbook, period: Period) -> Path:
    """Re-export a period's reports after narrative edits, without re-running notebooks."""
    from pmflib.report.runner import export_reports
    from pmflib.report.site import site_is_current

    wb = _open(workbook)
    out = wb.output_dir(period)
    if not out.exists():
        raise PmfError(f"{out} does not exist: run `pmf run --period \"{period.label}\"` first")
    # A narrative edit changes reports only, which no site page shows. The
    # site (and the period's dashboard) is rebuilt when what it is made from
    # has changed since it was built: after `pmf run --no-reports`, say.
    current = site_is_current(wb)
    export_reports(wb, period, out, progress=say, dashboard=not current)
    with outputs_errors(wb.outputs):
        if not current:
            from pmflib.report.dashboard import write_site_index
            from pmflib.report.site import build_site

            write_site_index(wb, period)
            build_site(wb, period, None, say=say)
        publish_site_modes(wb.outputs)
    return out


# --- pmf demo --------------------------------------------------------------------------------
DEMO_MARKER = "inputs/.pmf-demo"


def _write_default_params(root: Path) -> None:
    """Give an empty folder the shipped params, so `pmf demo` runs anywhere (never overwrites)."""
    from pmflib.cycle.newworkbook import default_params

    for name, text in default_params().items():
        path = root / "params" / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


@locked("demo")
def demo(workbook, *, scale: str = "standard", periods: str = "all", reports: bool = True) -> Path:
    """Build the demo council in the workbook folder and run its quarters."""
    import shutil

    from pmflib.demo.council import generate_demo, write_demo_inputs
    from pmflib.demo.returns import fill_returns

    root = workbook.root if isinstance(workbook, Workbook) else Path(workbook)
    _write_default_params(root)
    wb = Workbook.open(root)
    marker = wb.root / DEMO_MARKER
    if wb.register_path.exists() and not marker.exists():
        raise PmfError(
            f"{wb.register_path} exists and was not made by `pmf demo`: the demo will not "
            "overwrite a council's own inputs. Run the demo in an empty folder with "
            "`pmf --workbook DEMO_FOLDER demo`."
        )
    started = time.perf_counter()
    say(f"Building the demo council ({scale})…")
    council = generate_demo(scale)
    for folder in (wb.inputs / "returns", wb.ledger_path.parent, wb.outputs / "templates"):
        shutil.rmtree(folder, ignore_errors=True)
    wb.inputs.mkdir(parents=True, exist_ok=True)
    write_demo_inputs(council, wb.root)
    marker.write_text("Made by `pmf demo`; delete inputs/ to start a council of your own.\n")
    chosen = council.return_periods if periods == "all" else [council.latest_period]
    last = None
    for period in council.return_periods:
        templates(wb, period)
        planted = fill_returns(
            council, period, wb.templates_dir(period), wb.returns_dir(period),
            imperfections=(period == council.latest_period), deadline=wb.deadline(period),
        )
        # What the demo planted, so a test (or a curious officer) can check the
        # data-quality report lists exactly these.
        planted.to_csv(wb.inputs / f"demo-planted-problems-{period.slug}.csv", index=False)
        if period in chosen:
            last = run(wb, period, reports=reports)
        else:
            ingest(wb, period)
    say(f"Demo built and run in {time.perf_counter() - started:.0f} s.")
    say(f"Open {wb.outputs / 'index.html'} (dashboard of every period) or {last}.")
    return last
