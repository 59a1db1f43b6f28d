"""The ``pmf`` command (SPEC §11): a thin shell over pmflib.pipeline.

Errors that come from a council's own files are ``PmfError``s and are printed
as plain messages (file, sheet, cell, what to do) with exit code 2, never as
a Python traceback: the people running this are policy officers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pmflib.core.errors import PmfError, ValidationError
from pmflib.core.grouping import format_problems
from pmflib.core.periods import Period

EXAMPLES = {
    "templates": 'example:\n  pmf templates --period "2026-27 Q2" --workbook ~/pmf',
    "ingest": 'example:\n  pmf ingest --period "2026-27 Q2"',
    "run": 'examples:\n  pmf run --period "2026-27 Q2"\n  pmf run --period 2026-27-Q2 --no-reports',
    "export": 'example:\n  pmf export --period "2026-27 Q2"',
    "demo": "examples:\n  pmf --workbook /tmp/pmf-demo demo\n  pmf demo --scale tiny --periods latest",
    "new": 'example:\n  pmf new ~/anytown-pmf --council "Anytown District Council"',
    "check": "examples:\n  pmf check\n  pmf check --year 2027-28 --workbook ~/anytown-pmf",
}


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("pmf-workbook")
    except Exception:  # not installed (running from a source tree)
        return "unknown"


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PmfError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmf",
        description="PMF Workbook: quarterly performance reporting for councils.",
        epilog='examples:\n  pmf new ~/anytown-pmf --council "Anytown District Council"\n'
               '  pmf check --workbook ~/anytown-pmf\n  pmf run --period "2026-27 Q2" --workbook ~/anytown-pmf',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"pmf {_version()}")
    parser.add_argument(
        "--workbook", type=Path, default=Path("."),
        help="the council's workbook folder (default: the current folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                             formatter_class=argparse.RawDescriptionHelpFormatter)
        # Also after the command (`pmf run ... --workbook DIR`); SUPPRESS keeps the
        # value given before the command when this one is absent.
        cmd.add_argument("--workbook", type=Path, default=argparse.SUPPRESS,
                         help="the council's workbook folder (default: the current folder)")
        return cmd

    def with_period(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = command(name, help_text)
        cmd.add_argument("--period", type=_period, required=True, help="e.g. '2026-27 Q2' or 2026-27-Q2")
        return cmd

    with_period("templates", "write the return workbooks to send to each service")
    with_period("ingest", "read the returns that came back into the ledger and check them")
    run = with_period("run", "the whole cycle: ingest, statuses, reports, open data, dashboard")
    run.add_argument("--no-reports", action="store_true", help="statuses and open data only")
    run.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    with_period("export", "re-export the reports after editing narrative (no re-run of notebooks)")
    new = command("new", "create an empty workbook folder for a council of its own")
    new.add_argument("folder", type=Path, help="the folder to create (must not hold a workbook)")
    new.add_argument("--council", required=True, help="the council's full name")
    check = command("check", "check the register, history, comparators and params without running anything")
    check.add_argument("--year", help="a plan year, e.g. 2027-28: list indicators without a target "
                       "for it and actions ending before it")
    demo = command("demo", "build the demo council and run its quarters (in any empty folder)")
    demo.add_argument("--scale", choices=["tiny", "standard", "large"], default="standard")
    demo.add_argument(
        "--periods", choices=["latest", "all"], default="all",
        help="run only the latest quarter, or every quarter with returns (default)",
    )
    demo.add_argument("--no-reports", action="store_true", help="statuses and open data only")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pmflib.core.processes import skip_slow_optional_modules

    skip_slow_optional_modules()
    from pmflib.cycle import pipeline  # imported late so `pmf --help` is instant

    try:
        if args.command == "templates":
            pipeline.templates(args.workbook, args.period)
        elif args.command == "ingest":
            pipeline.ingest(args.workbook, args.period, report=True)
        elif args.command == "run":
            pipeline.run(args.workbook, args.period, reports=not args.no_reports, jobs=args.jobs)
        elif args.command == "export":
            pipeline.export(args.workbook, args.period)
        elif args.command == "new":
            from pmflib.cycle.newworkbook import new_workbook

            new_workbook(args.folder, args.council)
            print(f"Created a workbook for {args.council} in {args.folder}. Next: fill in "
                  f"{args.folder / 'inputs' / 'register.xlsx'} (see its Guide sheet), then "
                  f"`pmf check --workbook {args.folder}`.")
        elif args.command == "check":
            from pmflib.cycle.check import check_workbook

            problems = check_workbook(args.workbook, year=args.year)
            if problems:
                print(f"pmf check: {len(problems)} problem(s) to fix:", file=sys.stderr)
                print("\n".join(format_problems(problems)), file=sys.stderr)
                return 2
            print(f"pmf check: {Path(args.workbook).resolve()} is ready to use")
        elif args.command == "demo":
            pipeline.demo(args.workbook, scale=args.scale, periods=args.periods, reports=not args.no_reports)
    except ValidationError as exc:
        print(f"pmf {args.command}: {exc.summary} ({len(exc.problems)} to fix):", file=sys.stderr)
        print("\n".join(format_problems(exc.problems)), file=sys.stderr)
        return 2
    except PmfError as exc:
        print(f"pmf {args.command}: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        if exc.filename is None:
            return _unexpected(args, exc)
        # A file that vanished, is locked (open in Excel) or cannot be written:
        # the officer can act on it, so name it rather than show a traceback.
        print(f"pmf {args.command}: {exc.filename}: {exc.strerror or exc}. Nothing published was changed; "
              "check the file is there, closed and readable (and the folder writable), then run again.",
              file=sys.stderr)
        return 2
    except (ValueError, RuntimeError) as exc:
        return _unexpected(args, exc)
    except KeyboardInterrupt:
        print("pmf: interrupted; nothing published was changed", file=sys.stderr)
        return 130
    return 0


def _unexpected(args, exc: BaseException) -> int:
    """Not the officer's mistake: say what happened in one line, keep the detail in a log."""
    import traceback

    log = Path(getattr(args, "workbook", ".")) / "outputs" / "pmf-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f"; the details are in {log}"
    except OSError:
        where = ""
    print(f"pmf {args.command}: something went wrong that is not a mistake in your files "
          f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}){where}. "
          "Nothing published was changed; please send the log to the workbook's maintainers.",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
