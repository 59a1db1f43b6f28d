"""The ``pmf`` command (SPEC §11): a thin shell over pmflib.pipeline.

Errors that come from a council's own files are ``PmfError``s and are printed
as plain messages (file, sheet, cell, what to do) with exit code 2, never as
a Python traceback: the people running this are policy officers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pmflib.core.errors import PmfError
from pmflib.core.periods import Period


def _period(text: str) -> Period:
    try:
        return Period.parse(text)
    except PmfError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pmf",
        description="PMF Workbook: quarterly performance reporting for councils.",
    )
    parser.add_argument(
        "--workbook", type=Path, default=Path("."),
        help="the council's workbook folder (default: the current folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_period(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument("--period", type=_period, required=True, help="e.g. '2026-27 Q2' or 2026-27-Q2")
        return cmd

    with_period("templates", "write the return workbooks to send to each service")
    with_period("ingest", "read the returns that came back into the ledger and check them")
    run = with_period("run", "the whole cycle: ingest, statuses, reports, open data, dashboard")
    run.add_argument("--no-reports", action="store_true", help="statuses and open data only")
    run.add_argument("--jobs", type=int, default=2, help="notebooks run in parallel (default 2)")
    with_period("export", "re-export the reports after editing narrative (no re-run of notebooks)")
    demo = sub.add_parser("demo", help="build the demo council and run its latest quarter")
    demo.add_argument("--scale", choices=["tiny", "standard", "large"], default="standard")
    demo.add_argument(
        "--periods", choices=["latest", "all"], default="all",
        help="run only the latest quarter, or every quarter with returns (default)",
    )
    demo.add_argument("--no-reports", action="store_true", help="statuses and open data only")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pmflib.cycle import pipeline  # imported late so `pmf --help` is instant

    try:
        if args.command == "templates":
            pipeline.templates(args.workbook, args.period)
        elif args.command == "ingest":
            pipeline.ingest(args.workbook, args.period)
        elif args.command == "run":
            pipeline.run(args.workbook, args.period, reports=not args.no_reports, jobs=args.jobs)
        elif args.command == "export":
            pipeline.export(args.workbook, args.period)
        elif args.command == "demo":
            pipeline.demo(args.workbook, scale=args.scale, periods=args.periods, reports=not args.no_reports)
    except PmfError as exc:
        print(f"pmf {args.command}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("pmf: interrupted; nothing published was changed", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
