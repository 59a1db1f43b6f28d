"""Running the reports due in a period: papermill, then export, then the dashboard.

Which reports run when, and for whom, is configuration (params/reports.yml),
not code. Each report is one notebook run once per audience (and, for
Portfolio Holders, once per outcome) with the audience as a parameter.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pmflib.core.errors import ConfigError, PmfError, ReportError
from pmflib.report.narrative import report_key as make_report_key
from pmflib.core.periods import Period

#: The report notebooks ship inside the package (package data), so `pmf run`
#: works from a wheel as well as from this repository.
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
FORMATS = ("html", "pdf")
DEFAULT_TIMEOUT_SECONDS = 600
#: The kernel logs errors only: its "running over TCP without encryption"
#: warning is for people exposing kernels on a network, and only alarms
#: officers (its own messages go to the run's log, not the screen).
#: The kernel keeps no output cache (``Out``, ``_``) and no input history: a
#: report's notebook never reads them, the cache held every report's displayed
#: tables until the next reset, and the reset between reports then ran a full
#: garbage collection (IPython's cache flush) and the history a SQLite writer.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=ERROR", "--InteractiveShell.cache_size=0",
                    "--HistoryManager.enabled=False"]


def timeout_seconds(report_set: dict, entry: dict) -> int:
    """A report's per-cell timeout: its own ``timeout_seconds``, else the
    file's top-level one, else 600 s."""
    value = entry.get("timeout_seconds", (report_set or {}).get("timeout_seconds", DEFAULT_TIMEOUT_SECONDS))
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        seconds = 0
    if isinstance(value, bool) or seconds < 1 or str(seconds) != str(value).strip():
        raise ConfigError(
            f"params/reports.yml: report '{entry.get('id', '?')}' has timeout_seconds {value!r}: "
            "use a whole number of seconds, at least 1 (the default is 600)"
        )
    return seconds


@dataclass(frozen=True)
class ReportJob:
    """One report to produce: a notebook, an audience, perhaps one outcome."""

    report_id: str
    notebook: str
    title: str
    audience: str
    outcome_id: str
    report_key: str
    formats: tuple[str, ...]
    committee: str = ""
    #: What the report is called where people look for it (title, dashboard
    #: link): the Cabinet Member and outcome, or the committee, never an ID.
    display: str = ""
    #: The published file name (without extension); the narrative file keeps
    #: the stable ``report_key``.
    stem: str = ""
    #: Seconds a notebook cell may run before the report is given up
    #: (params/reports.yml ``timeout_seconds``), so a hanging kernel cannot
    #: hang the run for ever.
    timeout: int = 600

    @property
    def label(self) -> str:
        if self.display:
            return self.display
        who = self.audience + (f" ({self.outcome_id})" if self.outcome_id else "")
        return f"{self.title} — {who}"

    @property
    def file_stem(self) -> str:
        return self.stem or self.report_key


def member_name(cabinet_member: object) -> str:
    """``Cllr Dana Okoro, Cabinet Member for Economy`` → ``Cllr Dana Okoro``."""
    return str(cabinet_member or "").split(",")[0].strip()


def outcome_display(outcomes, outcome_id: str) -> tuple[str, str]:
    """(title, file stem) of a Portfolio Holder report: member and outcome."""
    from pmflib.report.cabinet import slug

    rows = outcomes[outcomes["Outcome ID"] == outcome_id]
    if rows.empty:
        return "", ""
    row = rows.iloc[0]
    member = member_name(row.get("Cabinet Member"))
    title = f"{member} — {row['Outcome']}" if member else str(row["Outcome"])
    return title, slug(title)


def committees(report_set: dict, outcomes) -> list[dict]:
    """The scrutiny committees in params/reports.yml, each with the outcome plans it covers."""
    items = (report_set or {}).get("committees") or []
    if not isinstance(items, list):
        raise ConfigError("params/reports.yml: 'committees:' must be a list of committees, each with name and outcomes")
    known = [str(o) for o in outcomes["Outcome ID"]] if outcomes is not None else []
    found = []
    for item in items:
        name = str((item or {}).get("name") or "").strip()
        covered = [str(o).strip() for o in (item or {}).get("outcomes") or []]
        if not name or not covered:
            raise ConfigError(f"params/reports.yml: committee {item!r} needs a name and a list of outcomes (Outcome IDs)")
        unknown = [o for o in covered if known and o not in known]
        if unknown:
            raise ConfigError(
                f"params/reports.yml: committee '{name}' covers {', '.join(unknown)}, not outcomes in the "
                f"register (it has: {', '.join(known)})"
            )
        found.append({"name": name, "outcomes": covered})
    return found


def _quarters(entry: dict) -> list[int]:
    quarters = []
    for item in entry.get("quarters") or []:
        text = str(item).strip().upper().lstrip("Q")
        if text not in ("1", "2", "3", "4"):
            raise ConfigError(f"params/reports.yml: report '{entry.get('id')}' has quarter '{item}': use Q1 to Q4")
        quarters.append(int(text))
    return quarters


def due_reports(report_set: dict, period: Period, outcomes) -> list[ReportJob]:
    """Every report due in ``period``, one job per audience (and outcome)."""
    reports = (report_set or {}).get("reports")
    if not isinstance(reports, list) or not reports:
        raise ConfigError("params/reports.yml: needs a 'reports:' list (see the comments in the file)")
    jobs = []
    for entry in reports:
        for key in ("id", "notebook", "title", "quarters", "audiences"):
            if not entry.get(key):
                raise ConfigError(f"params/reports.yml: report {entry.get('id', '?')!r} has no '{key}'")
        if period.quarter not in _quarters(entry):
            continue
        formats = tuple(str(f).lower() for f in entry.get("formats") or FORMATS)
        timeout = timeout_seconds(report_set, entry)
        bad = [f for f in formats if f not in FORMATS]
        if bad:
            raise ConfigError(f"params/reports.yml: report '{entry['id']}' has formats {bad}; use html and/or pdf")
        for audience in entry["audiences"]:
            name = str(audience.get("name", "")).strip()
            scope = str(audience.get("scope") or "council")
            if scope not in ("council", "outcome", "committee"):
                raise ConfigError(f"params/reports.yml: audience '{name}' has scope '{scope}': "
                                  "use council, outcome or committee")
            if scope == "committee" and committees(report_set, outcomes):
                for committee in committees(report_set, outcomes):
                    key = make_report_key(str(entry["id"]), committee["name"])
                    jobs.append(ReportJob(
                        report_id=str(entry["id"]), notebook=str(entry["notebook"]), title=str(entry["title"]),
                        audience=name, outcome_id="", report_key=key, formats=formats,
                        committee=committee["name"], display=f"{entry['title']} — {committee['name']}",
                        timeout=timeout,
                    ))
                continue
            outcome_ids = list(outcomes["Outcome ID"]) if scope == "outcome" else [""]
            for outcome_id in outcome_ids:
                display, stem = outcome_display(outcomes, outcome_id) if outcome_id else ("", "")
                jobs.append(ReportJob(
                    report_id=str(entry["id"]), notebook=str(entry["notebook"]), title=str(entry["title"]),
                    audience=name, outcome_id=outcome_id,
                    report_key=make_report_key(str(entry["id"]), name, outcome_id or None), formats=formats,
                    display=display, stem=f"{entry['id']}-{stem}" if stem else "", timeout=timeout,
                ))
    return jobs


def next_export(waiting: list[tuple[ReportJob, Path]], kernels_up: bool) -> int | None:
    """Which of the run notebooks waiting for the export process goes next
    (its index), or None to wait: in the order they ran, but a report for
    the whole council only once the kernels are shut down (every notebook
    has run).

    The whole council's reports are the largest to print: the large
    council's Cabinet report took the browser to ~530 MB, and printed while
    both kernels were running other notebooks (~210 MB) it was the run's
    peak. Held back, it is printed once the kernels have been shut down.
    The export process is rarely idle meanwhile: two kernels run the other
    reports' notebooks faster than the browser prints them. (A council
    whose reports are all for the whole council, with no Portfolio Holder
    or committee reports, has its exports start only once its notebooks
    have all run: less overlap, for the same lower peak.)"""
    for index, (job, _) in enumerate(waiting):
        if not kernels_up or job.outcome_id or job.committee:
            return index
    return None


def _keep_failed(workbook_root: Path, period: Period, target: Path) -> Path:
    kept = workbook_root / "outputs" / "failed" / period.slug / target.name
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            kept.write_bytes(target.read_bytes())
    except OSError:
        pass  # keeping a copy is a courtesy; the message matters more
    return kept


def kernel_failure(job: ReportJob, exc: BaseException) -> str:
    """What to tell the officer when the kernel, not the notebook, failed."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(exc, CellTimeoutError) or "timed out" in str(exc).lower():
        return (f"{job.label}: notebook {job.notebook} timed out (a cell ran longer than {job.timeout} s, "
                "timeout_seconds in params/reports.yml)")
    if isinstance(exc, DeadKernelError) or "kernel died" in str(exc).lower():
        return f"{job.label}: the notebook kernel for {job.notebook} died (out of memory, or killed)"
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{job.label}: notebook {job.notebook} could not be run ({type(exc).__name__}: {first})"


def kernel_log_path(workbook_root: Path, period: Period) -> Path:
    """Where the notebook kernels' own messages go (outputs/logs/<period>-kernels.log)."""
    return Path(workbook_root) / "outputs" / "logs" / f"{period.slug}-kernels.log"


def _logged_kernel_manager(log_path: Path):
    """A kernel manager whose kernel writes its stdout/stderr to ``log_path``.

    The kernel's "running over TCP without encryption" warning (and the like)
    is for people exposing kernels on a network; on an officer's screen it
    only alarms, so it goes to the run's log file, kept for whoever debugs.
    """
    from jupyter_client.manager import AsyncKernelManager

    class LoggedKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):  # noqa: D401 — jupyter_client's hook
            log_path.parent.mkdir(parents=True, exist_ok=True)
            handle = log_path.open("ab")
            kw.setdefault("stdout", handle)
            kw.setdefault("stderr", handle)
            try:
                return await AsyncKernelManager._async_start_kernel(self, **kw)
            finally:
                handle.close()  # the kernel process holds its own copy of the descriptor

    return LoggedKernelManager


def _execute(job: ReportJob, workbook_root: Path, period: Period, staging: Path, kernels=None) -> Path:
    """Run one report's notebook with papermill into ``staging/notebooks``.

    ``kernels`` (a ``WarmKernels``) lends this worker's warm kernel; without
    it the notebook gets a kernel of its own, as ``papermill`` alone would.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    source = NOTEBOOKS / job.notebook
    if not source.exists():
        raise ReportError(f"{job.label}: the notebook {source} does not exist (params/reports.yml names it)")
    target = staging / "notebooks" / f"{job.report_key}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    if kernels is not None:
        from pmflib.report.kernels import register_engine

        # The engine writes the report's title into the notebook as it saves it.
        kernel: dict = {"engine_name": register_engine(), "title": job.label}
    else:
        kernel = {
            "cwd": str(NOTEBOOKS),
            "extra_arguments": KERNEL_ARGUMENTS,
            "kernel_manager_class": _logged_kernel_manager(kernel_log_path(workbook_root, period)),
        }
    try:
        if kernels is not None:
            kernel["km"] = kernels.kernel()  # started on this worker's first report
        papermill.execute_notebook(
            str(source), str(target), progress_bar=False, log_output=False,
            kernel_name="python3", execution_timeout=job.timeout, **kernel,
            parameters={
                "workbook_dir": str(workbook_root), "period": period.label, "audience": job.audience,
                "outcome_id": job.outcome_id, "report_key": job.report_key, "output_dir": str(staging),
                **({"committee": job.committee} if job.committee else {}),
            },
        )
    except PapermillExecutionError as exc:
        kept = _keep_failed(workbook_root, period, target)
        first_line = (exc.source or "").strip().splitlines()[0] if exc.source else ""
        raise ReportError(
            f"{job.label}: notebook {job.notebook} failed in cell {exc.exec_count} ({first_line!r}): "
            f"{exc.ename}: {exc.evalue}. The executed notebook is kept at {kept}; nothing published was changed."
        ) from exc
    except OSError as exc:
        if kernels is not None:
            kernels.discard()  # the next report gets a fresh kernel
        if exc.errno is not None and exc.filename:
            raise  # a file we could not write: the outputs handler names the folder
        kept = _keep_failed(workbook_root, period, target)
        raise ReportError(f"{kernel_failure(job, exc)}. The notebook so far is kept at {kept}; "
                          "nothing published was changed.") from exc
    except Exception as exc:  # noqa: BLE001 — a kernel failure of any kind is this report's failure
        if kernels is not None:
            kernels.discard()  # timed out, died or stopped answering: the next report gets a fresh kernel
        kept = _keep_failed(workbook_root, period, target)
        raise ReportError(f"{kernel_failure(job, exc)}. The notebook so far is kept at {kept}; "
                          "nothing published was changed.") from exc
    if kernels is None:  # papermill's own engine: the title is written in after
        import nbformat

        nb = nbformat.read(target, as_version=4)
        nb.metadata.setdefault("pmf", {})["title"] = job.label
        nbformat.write(nb, target)
    return target


def narrative_fingerprint(wb, period: Period, out: Path, report_key: str) -> str:
    """What a report's narrative depends on: its narrative file, its saved values,
    and the house style. Unchanged fingerprint, unchanged report."""
    import hashlib

    from pmflib.report.export import CSS
    from pmflib.report.narrative import narrative_path

    digest = hashlib.sha256()
    for path in (narrative_path(wb.narrative_dir(period), report_key),
                 out / "data" / f"{report_key}.context.json", CSS):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def _export(job: ReportJob, executed: Path, out: Path, wb, period: Period) -> dict:
    from pmflib.report.export import export_notebook

    html = out / f"{job.file_stem}.html"
    pdf = out / f"{job.file_stem}.pdf" if "pdf" in job.formats else None
    export_notebook(
        executed, html, pdf, title=job.label, council=wb.name,
        narrative_folder=wb.narrative_dir(period),
        context_path=out / "data" / f"{job.report_key}.context.json",
        colours={k: v for k, v in wb.council.get("colours", {}).items() if k in ("primary", "accent")},
    )
    # The dashboard links read "<title> — <audience>": the Cabinet Member and
    # outcome for a Portfolio Holder, the committee's name for scrutiny.
    return {"report_id": job.report_id, "title": job.title if job.committee else (job.display or job.title),
            "audience": job.committee or job.audience, "outcome_id": "" if job.display else job.outcome_id,
            "committee": job.committee, "display": job.display, "stem": job.stem,
            "key": job.report_key, "html": html.name, "pdf": pdf.name if pdf else "",
            "fingerprint": narrative_fingerprint(wb, period, out, job.report_key)}


def _exporters(jobs: int) -> int:
    """How many export processes: one where Chromium prints the PDFs (the
    browser lays out and draws in processes of its own, so a second browser
    bought no time on 2 cores, 35.4 s against 33.1 s for the large council,
    and cost 350 MB); ``jobs`` for WeasyPrint, which prints in the export
    process itself."""
    from pmflib.report.export import pdf_engine

    return 1 if pdf_engine() == "chromium" else max(1, jobs)


def _export_pool(jobs: int) -> ProcessPoolExecutor:
    """Processes for the exports, started the way the return reader starts its
    worker (forkserver where there is one): never a fork of this threaded process."""
    from pmflib.core.processes import process_context, skip_slow_optional_modules

    # Each export process reads notebooks (nbformat, jsonschema): set up once, as it starts.
    return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=process_context(),
                               initializer=skip_slow_optional_modules)


def _warm_exporter() -> None:
    """Ready an export process before its first report: the HTML exporter's
    imports and, where the PDFs are printed by Chromium, the browser. Run as
    the pool's first tasks, alongside the first notebooks, so the first report
    does not wait for them. A failure here is left for the export to report."""
    try:
        from pmflib.report.export import ready_pdf_printer

        ready_pdf_printer()
    except Exception:  # noqa: BLE001
        pass


def _timed_export(job: ReportJob, executed: Path, out: Path, wb, period: Period) -> tuple[dict, float]:
    """``_export`` in an export process: its entry and the seconds it took.

    A failure comes back as a ReportError naming the report: the error
    types with fields of their own cannot always be sent between processes.
    """
    started = time.perf_counter()
    try:
        entry = _export(job, executed, out, wb, period)
    except PmfError as error:
        raise ReportError(f"{job.label}: {error}") from None
    return entry, time.perf_counter() - started


def build_reports(wb, period: Period, staging: Path, *, jobs: int = 2, progress: Callable[[str], None] = print,
                  result=None) -> list[dict]:
    """Execute and export every report due in ``period`` into ``staging``.

    ``result`` is the period already computed by the run: handed to every
    notebook through the staging folder, so none computes it again.
    """
    from pmflib.cycle import handoff
    from pmflib.inputs.register import read_register

    outcomes = read_register(wb.register_path).outcomes
    due = due_reports(wb.report_set(), period, outcomes)
    (staging / "data").mkdir(parents=True, exist_ok=True)
    (staging / "data" / "reports.json").write_text(json.dumps({"period": period.label}))
    if result is not None:
        handoff.save_result(result, wb, staging)
    try:
        # Kernels run in threads (each is its own process); exports run in
        # processes of their own, because WeasyPrint holds the GIL: exported in
        # this process, the large council's reports queued behind one core.
        from pmflib.report.kernels import WarmKernels

        warm = WarmKernels(cwd=NOTEBOOKS, log_path=kernel_log_path(wb.root, period), extra_arguments=KERNEL_ARGUMENTS)
        export_processes = _exporters(jobs)
        with warm, ThreadPoolExecutor(max_workers=max(1, jobs)) as kernels, \
                _export_pool(export_processes) as exporters:
            for _ in range(export_processes):
                exporters.submit(_warm_exporter)
            try:
                done = _run_and_export(due, wb, period, staging, warm, kernels, exporters, export_processes,
                                       progress)
            except BaseException:
                # The run has failed and will publish nothing: do not make the
                # officer wait for the reports still queued. An export already
                # running is waited for (a few seconds at most): a process pool
                # told not to wait is not waited for by its ``with`` either, and
                # the export would go on writing into the staging folder while
                # it is removed, leaving a half-removed one behind.
                kernels.shutdown(wait=False, cancel_futures=True)
                exporters.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        handoff.remove_result(staging)
    order = {job.report_key: i for i, job in enumerate(due)}
    done.sort(key=lambda item: order[item["key"]])
    (staging / "data" / "reports.json").write_text(json.dumps({"period": period.label, "reports": done}, indent=2))
    from pmflib.report.dashboard import write_period_dashboard

    write_period_dashboard(wb, period, staging, done)
    return done


def _run_and_export(due: list[ReportJob], wb, period: Period, staging: Path, warm, kernels, exporters,
                    export_processes: int, progress: Callable[[str], None]) -> list[dict]:
    """Run every due notebook in the warm kernels, export each as an export
    process comes free (in ``next_export``'s order), and shut the kernels
    down as soon as the last notebook has run. The exported reports' entries."""
    executing = {kernels.submit(_execute, job, wb.root, period, staging, warm): job for job in due}
    closing = None  # the kernels' shutdown, once every notebook has run
    waiting: list[tuple[ReportJob, Path]] = []  # run, not yet exported
    exporting: dict = {}
    done: list[dict] = []
    pending = set(executing)
    while pending:
        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in finished:
            if future in executing:  # a notebook has run: it waits for an export process
                waiting.append((executing[future], future.result()))
            elif future in exporting:
                entry, seconds = future.result()
                done.append(entry)
                progress(f"[{len(done)}/{len(due)}] {exporting.pop(future).label} ({seconds:.1f} s to export)")
        if closing is None and all(f.done() for f in executing):  # every notebook has run: free the kernels' memory
            closing = kernels.submit(warm.close)
            pending.add(closing)
        kernels_up = closing is None or not closing.done()
        while len(exporting) < export_processes and (chosen := next_export(waiting, kernels_up)) is not None:
            job, executed = waiting.pop(chosen)
            exported = exporters.submit(_timed_export, job, executed, staging, wb, period)
            exporting[exported] = job
            pending.add(exported)
    return done


def export_reports(wb, period: Period, out: Path, *, progress: Callable[[str], None] = print,
                   dashboard: bool = False) -> list[dict]:
    """Re-export every executed notebook of a published period whose narrative
    changed; the period's dashboard is written again if its list of reports
    changed, or ``dashboard`` asks for it."""
    manifest = json.loads((out / "data" / "reports.json").read_text())
    stale = [item for item in manifest.get("reports", []) if not _exported_as_is(wb, period, out, item)]
    if any(item.get("pdf") for item in stale):
        from pmflib.report.export import ready_pdf_printer

        ready_pdf_printer(wait=False)  # the browser starts while the first HTML is written
    done = []
    for item in manifest.get("reports", []):
        if item not in stale:
            done.append(item)
            continue
        started = time.perf_counter()
        job = ReportJob(item.get("report_id", ""), "", item["title"], item["audience"], item["outcome_id"],
                        item["key"], ("html", "pdf") if item.get("pdf") else ("html",),
                        committee=item.get("committee", ""), display=item.get("display", ""),
                        stem=item.get("stem", ""))
        try:
            done.append(_export(job, out / "notebooks" / f"{job.report_key}.ipynb", out, wb, period))
        except ReportError as error:  # the PDF printer's words: say which report (a narrative error names its file)
            raise ReportError(f"{job.label}: {error}") from None
        progress(f"Re-exported {job.label} in {time.perf_counter() - started:.1f} s")
    progress(f"{len(stale)} report(s) re-exported; {len(done) - len(stale)} unchanged "
             "(their narrative had not changed)")
    links_changed = _links(done) != _links(manifest.get("reports", []))
    manifest["reports"] = done
    (out / "data" / "reports.json").write_text(json.dumps(manifest, indent=2))
    if dashboard or links_changed or not (out / "index.html").exists():
        from pmflib.report.dashboard import write_period_dashboard

        write_period_dashboard(wb, period, out, done)
    return done


def _exported_as_is(wb, period: Period, out: Path, item: dict) -> bool:
    """Is this report's HTML (and PDF) there, from the narrative it has now?"""
    return (item.get("fingerprint") == narrative_fingerprint(wb, period, out, item["key"])
            and (out / item["html"]).exists() and (not item.get("pdf") or (out / item["pdf"]).exists()))


def _links(entries: list[dict]) -> list[dict]:
    """What the dashboard shows of the reports: each entry less its narrative fingerprint."""
    return [{k: v for k, v in entry.items() if k != "fingerprint"} for entry in entries]
