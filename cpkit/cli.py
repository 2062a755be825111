"""``cpkit``: the one command-line entry point. Thin: it parses flags and calls the package.

Exit codes: 0 success; 1 the work failed (a section, the data, a file, the settings) with a message on
stderr naming the file and what to do, and no traceback (``CpkitError``); 2 the command line was wrong.
An unexpected error (a bug) also exits 1 with one line; ``--verbose`` shows its traceback and the kit's
debug log.

``--data`` means the same for every command: the council's data folder, holding ``cpkit.yaml``, the
SSDA903 returns under ``ssda903/``, the action plan, KPIs and DfE files.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from cpkit import __version__, preflight
from cpkit.errors import CpkitError
from cpkit.resources import SAMPLE_DIR as SAMPLE
from cpkit.resources import default_out_dir, default_sample_out

log = logging.getLogger("cpkit")


def _report(args: argparse.Namespace) -> int:
    preflight.require_return(preflight.data_folder(Path(args.data), args.config), args.year)
    from cpkit.report.runner import ReportRequest, build_report

    sections = [s for part in (args.sections or []) for s in part.split(",") if s]
    path = build_report(
        ReportRequest(
            year=args.year,
            period=args.period,
            data_dir=Path(args.data),
            out_dir=Path(args.out),
            sections=sections or None,
            jobs=args.jobs,
            config_file=Path(args.config) if args.config else None,
            la_name=args.la_name,
            la_code=args.la_code,
            timeout=args.timeout,
            progress=not args.quiet,
            strict=args.strict,
        )
    )
    print(f"Report written: {path / 'index.html'}")
    return 0


def _poap(args: argparse.Namespace) -> int:
    preflight.require_quarter(preflight.data_folder(Path(args.data), args.config), args.year, args.quarter)
    from cpkit.report.runner import ReportRequest, build_report

    path = build_report(
        ReportRequest(
            year=args.year,
            period="quarter",
            quarter=args.quarter,
            data_dir=Path(args.data),
            out_dir=Path(args.out),
            jobs=1,
            config_file=Path(args.config) if args.config else None,
            timeout=args.timeout,
            progress=not args.quiet,
        )
    )
    print(f"Performance on a Page written: {path / 'index.html'}")
    return 0


def _region(args: argparse.Namespace) -> int:
    if args.scheduler and args.workers:
        print(
            "cpkit region: --workers sets the local cluster's size; with --scheduler the cluster's own workers "
            "run the tasks (start them with `dask worker`)",
            file=sys.stderr,
        )
        return 2
    data = preflight.region_folder(Path(args.data))
    from cpkit.region.graph import RegionRequest, run_region

    sections = [s for part in (args.sections or []) for s in part.split(",") if s]
    councils = [c.strip() for part in (args.councils or []) for c in part.split(",") if c.strip()]
    result = run_region(
        RegionRequest(
            year=args.year,
            data_dir=data,
            out_dir=Path(args.out),
            councils=councils or None,
            scheduler=args.scheduler,
            workers=args.workers,
            sections=sections or None,
            timeout=args.timeout,
            progress=not args.quiet,
            strict=args.strict,
        )
    )
    published = len(result.councils) - len(result.failed)
    print(
        f"Region written: {result.index} ({published} of {len(result.councils)} councils' reports published)"
    )
    if result.regional is not None:
        print(f"Regional comparison: {result.regional}")
    elif result.regional_failed:
        print(f"cpkit region: {result.regional_note}", file=sys.stderr)
    if not result.failed:
        return 1 if result.regional_failed else 0
    print(f"cpkit region: {len(result.failed)} council(s) failed:", file=sys.stderr)
    for council in result.failed:
        first, _, rest = council.reason.partition("\n")
        print(f"- {council.name}: {first}", file=sys.stderr)
        for line in rest.splitlines():
            print(f"    {line}", file=sys.stderr)
    return 1


def _sample(args: argparse.Namespace) -> int:
    from cpkit.sample import write_sample

    written = write_sample(Path(args.out), seed=args.seed)
    print(f"Wrote {len(written)} sample files under {args.out}")
    return 0


def _stage_printer(command: str):  # noqa: ANN202 - a printer of stage lines
    """Stage lines on stderr ("cpkit check: reading the returns..."): stdout keeps the command's output."""

    def say(what: str) -> None:
        print(f"cpkit {command}: {what}...", file=sys.stderr, flush=True)

    return say


def _data_dir(args: argparse.Namespace) -> Path:
    """``--data``: the council's data folder, for every command, checked with the year (if given) before
    anything heavy is imported."""
    data = preflight.data_folder(Path(args.data), args.config)
    if args.year is not None:
        preflight.require_return(data, args.year)
    return data


def _board_init(args: argparse.Namespace) -> int:
    from cpkit.report.board_init import default_year, init_board

    data = Path(args.data)
    if not data.is_dir():
        raise CpkitError(f"{data}: data folder not found (--data is the council's folder holding cpkit.yaml)")
    year = args.year or default_year()
    done = init_board(data, year)
    for path in done.written:
        print(f"wrote {path}")
    for path in done.kept:
        print(f"kept  {path} (already there: not changed)")
    print(
        f"Fill in the parts you want (each file says what it is for; one left as it is stays out of the "
        f"report), then check them with: cpkit check --data {data}"
    )
    return 0


def _board_check(args: argparse.Namespace) -> int:
    from cpkit.check import print_authored
    from cpkit.report.board_init import default_year

    data = Path(args.data)
    if not data.is_dir():
        raise CpkitError(f"{data}: data folder not found (--data is the council's folder holding cpkit.yaml)")
    return print_authored(data, args.year or default_year())


def _check(args: argparse.Namespace) -> int:
    data = _data_dir(args)
    from cpkit.check import check_data, print_findings

    findings = check_data(
        data, args.year, args.period, config_file=args.config, progress=_stage_printer("check")
    )
    if args.out:
        from cpkit.present.sanitise import safe_frame

        safe_frame(findings.ssda903).to_csv(
            args.out, index=False
        )  # values from the files are text, never formulas
    return print_findings(findings, limit=args.limit, strict=args.strict)


def _indicators(args: argparse.Namespace) -> int:
    data_dir = _data_dir(args)
    say = _stage_printer("indicators")
    from cpkit.care import indicators, write_indicators
    from cpkit.config import Config, Period
    from cpkit.report.prepare import load_returns

    config = Config.for_data(data_dir, args.config)
    say("reading the returns")
    data = load_returns(data_dir, Period.from_year(args.year, args.period), config)
    say("computing the indicators")
    table = indicators(data, args.year, args.period, config)
    write_indicators(table, Path(args.out))
    print(f"{len(table)} indicators written to {args.out}")
    return 0


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        default=str(SAMPLE),
        help="the council's data folder: cpkit.yaml, ssda903/ (the returns), action plan, KPIs, "
        "benchmarks/ (default: the shipped sample)",
    )
    parser.add_argument("--config", default=None, help="council settings YAML (default: <data>/cpkit.yaml)")


def _period_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        choices=["financial", "calendar"],
        default="financial",
        help="financial: 1 April of year-1 to 31 March of year (the DfE's year); calendar: Jan-Dec "
        "of year (default: financial)",
    )


def _board_args(parser: argparse.ArgumentParser) -> None:
    """``--data`` and ``--year`` as every ``cpkit board`` command takes them."""
    parser.add_argument("--data", required=True, help="the council's data folder")
    parser.add_argument(
        "--year",
        type=preflight.year,
        default=None,
        help="the report year (the year the period ends in; default: the financial year that ended last "
        "31 March)",
    )


class _Parser(argparse.ArgumentParser):
    """argparse with a wrong command line refused in one line (exit 2), as every other refusal is; its
    sub-commands' parsers are of this class too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    # --verbose before or after the command; SUPPRESS so the command's parser does not reset it to False
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log what the kit does (debug)",
    )
    parser = _Parser(prog="cpkit", description="Corporate Parenting analysis kit.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the kit does (debug level)")
    parser.add_argument("--version", action="version", version=f"cpkit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser(
        "report",
        parents=[common],
        help="build the annual report for a year",
        description="Run every report section for a reporting year with papermill and render "
        "HTML for officers into OUT/<year>/ (replaced only when the whole run succeeds).",
    )
    rep.add_argument(
        "--year", type=preflight.year, required=True, help="reporting year: the year the period ends in"
    )
    _period_arg(rep)
    _data_arg(rep)
    rep.add_argument(
        "--out",
        default=str(default_out_dir()),
        help="where report folders go (default: reports/ in a checkout, ./reports when installed)",
    )
    rep.add_argument(
        "--sections",
        action="append",
        metavar="NAMES",
        help="only these sections, comma-separated (e.g. 01_children_in_care or children_in_care)",
    )
    rep.add_argument(
        "--jobs",
        type=preflight.at_least_one,
        default=None,
        help="sections run in parallel (default: number of cores)",
    )
    rep.add_argument("--la-name", default=None, help="council name (overrides the config)")
    rep.add_argument(
        "--la-code", default=None, help="council's nine-character ONS code (overrides the config)"
    )
    rep.add_argument(
        "--timeout",
        type=preflight.at_least_one,
        default=600,
        help="seconds a notebook cell may run (default 600)",
    )
    rep.add_argument(
        "--strict",
        action="store_true",
        help="fail on any error-severity data problem (default: set such rows aside, count and show them, "
        "and fail only when the report year's tables or required columns are missing or unreadable)",
    )
    rep.add_argument(
        "--quiet", action="store_true", help="no progress bar or per-section lines (errors still printed)"
    )
    rep.set_defaults(func=_report)

    reg = sub.add_parser(
        "region",
        parents=[common],
        help="build every council's report of a region and the regional comparison, on Dask",
        description="Build each council's report (as `cpkit report` builds it alone, into OUT/<council>/<year>/) "
        "and the regional comparison, as one Dask task graph on a local cluster or an existing scheduler. "
        "DATA holds a hub's stacked returns (ssda903/ with LA and YEAR columns) and region.yaml, or one data "
        "folder per council. Exits 1 when any council failed (the others are still built; OUT/index.html "
        "lists each with its reason).",
    )
    reg.add_argument(
        "--year", type=preflight.year, required=True, help="reporting year: the year the period ends in"
    )
    reg.add_argument("--data", required=True, help="the region's folder (region.yaml, the returns)")
    reg.add_argument("--out", required=True, help="where the councils' report folders and index.html go")
    reg.add_argument(
        "--councils",
        action="append",
        metavar="NAMES",
        help="only these councils, comma-separated (names, folder names or codes; default: all)",
    )
    reg.add_argument(
        "--scheduler",
        type=preflight.scheduler_address,
        default=None,
        help="an existing Dask scheduler (tcp://host:8786); default: a local cluster on this machine",
    )
    reg.add_argument(
        "--workers",
        type=preflight.at_least_one,
        default=None,
        help="worker processes of the local cluster (default: number of cores; not with --scheduler)",
    )
    reg.add_argument(
        "--sections",
        action="append",
        metavar="NAMES",
        help="only these sections, comma-separated, for every council (as cpkit report --sections)",
    )
    reg.add_argument(
        "--timeout",
        type=preflight.at_least_one,
        default=600,
        help="seconds a notebook cell may run (default 600)",
    )
    reg.add_argument("--strict", action="store_true", help="as cpkit report --strict, for every council")
    reg.add_argument("--quiet", action="store_true", help="no progress bars or per-council lines")
    reg.set_defaults(func=_region)

    poap = sub.add_parser(
        "poap",
        parents=[common],
        help="build the quarterly Performance on a Page",
        description="Build the Board's quarterly Performance on a Page for one quarter of a financial "
        "year into OUT/<YYYY-YY>-Q<n>/ (e.g. reports/2025-26-Q3/), from the returns and the newest in-year "
        "extract (<data>/inyear/<YYYY-MM-DD>/), with the same staging and checks as `cpkit report`.",
    )
    poap.add_argument(
        "--year",
        type=preflight.year,
        required=True,
        help="the financial year by the year it ends in (2026 = 2025-26)",
    )
    poap.add_argument(
        "--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="1 April-June ... 4 January-March"
    )
    poap.add_argument("--data", default=str(SAMPLE), help="the council's data folder (default: the sample)")
    poap.add_argument(
        "--out",
        default=str(default_out_dir()),
        help="where report folders go (default: reports/ in a checkout, ./reports when installed)",
    )
    poap.add_argument("--config", default=None, help="council settings YAML (default: <data>/cpkit.yaml)")
    poap.add_argument(
        "--timeout",
        type=preflight.at_least_one,
        default=600,
        help="seconds a notebook cell may run (default 600)",
    )
    poap.add_argument(
        "--quiet", action="store_true", help="no progress bar or per-section lines (errors still printed)"
    )
    poap.set_defaults(func=_poap)

    smp = sub.add_parser(
        "sample",
        parents=[common],
        help="write the synthetic sample data",
        description="Write synthetic SSDA903 returns, action plan, KPIs and benchmarks.",
    )
    smp.add_argument(
        "--out",
        default=str(default_sample_out()),
        help="folder to write (default: data/sample/ in a checkout, ./data/sample when installed)",
    )
    smp.add_argument("--seed", type=int, default=2025, help="random seed; the same seed gives the same files")
    smp.set_defaults(func=_sample)

    chk = sub.add_parser(
        "check",
        parents=[common],
        help="check the council's data and list every problem",
        description="Check the council's data folder as the report would: the settings, the SSDA903 returns "
        "(each problem with file, row and column), rows set aside, episode continuity, OC2, the action "
        "plan tracker and the KPI file. Exits 1 when a problem would stop the report (any error with "
        "--strict).",
    )
    _data_arg(chk)
    chk.add_argument(
        "--year",
        type=preflight.year,
        default=None,
        help="reporting year (default: the latest return in the data)",
    )
    _period_arg(chk)
    chk.add_argument("--out", default=None, help="write every SSDA903 problem to this CSV")
    chk.add_argument(
        "--limit", type=preflight.at_least_one, default=50, help="problems to print (default 50)"
    )
    chk.add_argument("--strict", action="store_true", help="exit 1 on any error-severity problem")
    chk.set_defaults(func=_check)

    board = sub.add_parser(
        "board",
        parents=[common],
        help="the Board's own sections (foreword, priorities...): files to fill in",
        description="The Board's own sections of the report, written by officers in board/.",
    )
    board_sub = board.add_subparsers(dest="board_command", required=True, metavar="ACTION")
    init = board_sub.add_parser(
        "init",
        parents=[common],
        help="write a template for every part into <data>/board/, each saying what it is for",
        description="Write one file per part of the Board report (cover.yaml, foreword.md, priorities.yaml, "
        "year_ahead.yaml...) into <data>/board/ (parts that carry over) and <data>/board/<year>/ (this "
        "year's), each opening with a note on what goes in it and how. A file left as written is left out "
        "of the report; a file already there is never changed. Each .md part may be replaced by a Word "
        "file of the same name (.docx).",
    )
    _board_args(init)
    init.set_defaults(func=_board_init)
    bcheck = board_sub.add_parser(
        "check",
        parents=[common],
        help="check board/, the commentary and narrative.yaml only, without the returns",
        description="Check the officers' own files as `cpkit report` will (every mistake with its file and "
        "line, misnamed files, which parts the report will hold), in a second and without the SSDA903 "
        "returns. Exits 1 when one would stop the report. `cpkit check` checks them too, with the data.",
    )
    _board_args(bcheck)
    bcheck.set_defaults(func=_board_check)

    ind = sub.add_parser(
        "indicators",
        parents=[common],
        help="write every headline indicator to CSV or Excel",
        description="Compute the headline indicators from SSDA903 data and write a tidy table.",
    )
    ind.add_argument("--year", type=preflight.year, required=True, help="reporting year")
    _period_arg(ind)
    _data_arg(ind)
    ind.add_argument("--out", required=True, help="output file, .csv or .xlsx")
    ind.set_defaults(func=_indicators)
    return parser


def configure_logging(verbose: bool) -> None:
    """The kit's log on stderr: warnings by default, everything with ``--verbose``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("cpkit: %(levelname)s: %(name)s: %(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)
    log.propagate = False


def _exit_now(code: int) -> None:
    """End the command at once after a stop signal, its clean-up done: the interpreter's own exit would
    wait for library threads (``concurrent.futures``' pool manager) that a scheduler's stop must not wait
    for. Only for the command itself (``main()`` with no ``argv``), never when called in-process."""
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse: 0 for --help, 2 for a wrong command line (it printed why)
        return int(exc.code or 0)
    configure_logging(args.verbose)
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C before a command set its own handling (a report run turns it into
        print(f"cpkit {args.command}: stopped by SIGINT", file=sys.stderr)  # ReportInterrupted)
        return 130
    except (CpkitError, FileNotFoundError) as exc:
        # CpkitError: the kit's own, refusing an input with a message saying which and where; a file the
        # system could not find names its path. Any other exception (a ValueError from deep inside pandas
        # included) is a bug, reported as one below, not dressed up as a problem with the user's data.
        log.debug("failed", exc_info=True)
        print(f"cpkit {args.command}: {exc}", file=sys.stderr)
        code = getattr(exc, "exit_code", 1)  # a run stopped by a signal: 128 + its number
        if code > 128 and argv is None:
            _exit_now(code)
        return code
    except Exception as exc:  # a bug: one line, and the traceback when asked for
        if args.verbose:
            raise
        print(
            f"cpkit {args.command}: unexpected error {type(exc).__name__}: {exc} "
            "(run again with --verbose for the traceback, and report it)",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
