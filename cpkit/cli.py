"""``cpkit``: the one command-line entry point. Thin: it parses flags and calls the package.

Exit codes: 0 success; 1 the work failed (a section, the data, a file) with a message on stderr;
2 the command line was wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cpkit.config import ConfigError

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def _report(args: argparse.Namespace) -> int:
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
        )
    )
    print(f"Report written: {path / 'index.html'}")
    return 0


def _poap(args: argparse.Namespace) -> int:
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


def _sample(args: argparse.Namespace) -> int:
    from cpkit.sample import write_sample

    written = write_sample(Path(args.out), seed=args.seed)
    print(f"Wrote {len(written)} sample files under {args.out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from cpkit.ssda903 import check_903, load_903
    from cpkit.ssda903.checks import blocking, summarise
    from cpkit.ssda903.validator import add_dfe_findings

    data = load_903(Path(args.data))
    # the DfE's own validation rules (their environment, .venv-validator), beside the kit's checks
    data = add_dfe_findings(data, [args.year] if args.year else None)
    problems = check_903(data, year=args.year)
    if args.out:
        from cpkit.present.sanitise import safe_frame

        safe_frame(problems).to_csv(args.out, index=False)  # values from the files are text, never formulas
    if problems.empty:
        print(f"No problems found in {args.data}.")
        return 0
    print(summarise(problems).to_string(index=False))
    shown = problems.head(args.limit)
    print(f"\nFirst {len(shown)} of {len(problems)} problem(s) (file, row, column):")
    for p in shown.itertuples(index=False):
        print(f"  {p.severity:7} {p.file}, row {p.row}, column {p.column}: {p.message}")
    if not data.set_aside.empty:
        print(f"\n{len(data.set_aside)} input row(s) set aside while reading (see --out for the list).")
    if blocking(problems):
        print(
            "\nError-severity problems block the report: fix them and run the check again.", file=sys.stderr
        )
        return 1
    return 0


def _indicators(args: argparse.Namespace) -> int:
    from cpkit.care import indicators, write_indicators
    from cpkit.config import Config, find_config
    from cpkit.ssda903 import load_903

    data_dir = Path(args.data)
    config = Config.load(Path(args.config) if args.config else find_config(data_dir))
    source = data_dir / "ssda903" if (data_dir / "ssda903").is_dir() else data_dir
    table = indicators(
        load_903(source, la_code=[config.la_code, config.la_old_code]), args.year, args.period, config
    )
    write_indicators(table, Path(args.out))
    print(f"{len(table)} indicators written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpkit", description="Corporate Parenting analysis kit.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rep = sub.add_parser(
        "report",
        help="build the annual report for a year",
        description="Run every report section for a reporting year with papermill and render "
        "HTML for officers into OUT/<year>/ (replaced only when the whole run succeeds).",
    )
    rep.add_argument("--year", type=int, required=True, help="reporting year: the year the period ends in")
    rep.add_argument(
        "--period",
        choices=["financial", "calendar"],
        default="financial",
        help="financial: 1 April of year-1 to 31 March of year (the DfE's year); calendar: Jan-Dec "
        "of year (default: financial)",
    )
    rep.add_argument(
        "--data", default=str(SAMPLE), help="the council's data folder (default: the shipped sample)"
    )
    rep.add_argument(
        "--out", default=str(ROOT / "reports"), help="where report folders go (default: reports/)"
    )
    rep.add_argument(
        "--sections",
        action="append",
        metavar="NAMES",
        help="only these sections, comma-separated (e.g. 01_children_in_care or children_in_care)",
    )
    rep.add_argument(
        "--jobs", type=int, default=None, help="sections run in parallel (default: number of cores)"
    )
    rep.add_argument(
        "--config", default=None, help="council settings YAML (default: <data>/cpkit.yaml if present)"
    )
    rep.add_argument("--la-name", default=None, help="council name (overrides the config)")
    rep.add_argument(
        "--la-code", default=None, help="council's nine-character ONS code (overrides the config)"
    )
    rep.add_argument("--timeout", type=int, default=600, help="seconds a notebook cell may run (default 600)")
    rep.add_argument("--quiet", action="store_true", help="no progress bar")
    rep.set_defaults(func=_report)

    poap = sub.add_parser(
        "poap",
        help="build the quarterly Performance on a Page",
        description="Build the Board's quarterly Performance on a Page for one quarter of a financial "
        "year into OUT/<YYYY-YY>-Q<n>/ (e.g. reports/2025-26-Q3/), from the returns and the newest in-year "
        "extract (<data>/inyear/<YYYY-MM-DD>/), with the same staging and checks as `cpkit report`.",
    )
    poap.add_argument(
        "--year", type=int, required=True, help="the financial year by the year it ends in (2026 = 2025-26)"
    )
    poap.add_argument(
        "--quarter", type=int, required=True, choices=[1, 2, 3, 4], help="1 April-June ... 4 January-March"
    )
    poap.add_argument("--data", default=str(SAMPLE), help="the council's data folder (default: the sample)")
    poap.add_argument(
        "--out", default=str(ROOT / "reports"), help="where report folders go (default: reports/)"
    )
    poap.add_argument("--config", default=None, help="council settings YAML (default: <data>/cpkit.yaml)")
    poap.add_argument(
        "--timeout", type=int, default=600, help="seconds a notebook cell may run (default 600)"
    )
    poap.add_argument("--quiet", action="store_true", help="no progress bar")
    poap.set_defaults(func=_poap)

    smp = sub.add_parser(
        "sample",
        help="write the synthetic sample data",
        description="Write synthetic SSDA903 returns, action plan, KPIs and benchmarks.",
    )
    smp.add_argument("--out", default=str(SAMPLE), help="folder to write (default: data/sample)")
    smp.add_argument("--seed", type=int, default=2025, help="random seed; the same seed gives the same files")
    smp.set_defaults(func=_sample)

    chk = sub.add_parser(
        "check",
        help="check SSDA903 files and list every problem",
        description="Read SSDA903 files and report each problem with file, row and column. "
        "Exits 1 when any problem blocks the report.",
    )
    chk.add_argument("--data", required=True, help="folder (or .xlsx) of SSDA903 tables")
    chk.add_argument("--year", type=int, default=None, help="collection year the codes are checked against")
    chk.add_argument("--out", default=None, help="write every problem to this CSV")
    chk.add_argument("--limit", type=int, default=50, help="problems to print (default 50)")
    chk.set_defaults(func=_check)

    ind = sub.add_parser(
        "indicators",
        help="write every headline indicator to CSV or Excel",
        description="Compute the headline indicators from SSDA903 data and write a tidy table.",
    )
    ind.add_argument("--year", type=int, required=True, help="reporting year")
    ind.add_argument("--period", choices=["financial", "calendar"], default="financial")
    ind.add_argument("--data", default=str(SAMPLE), help="data folder (default: the shipped sample)")
    ind.add_argument("--config", default=None, help="council settings YAML")
    ind.add_argument("--out", required=True, help="output file, .csv or .xlsx")
    ind.set_defaults(func=_indicators)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from cpkit.report.prepare import DataProblem
    from cpkit.report.runner import ReportFailed

    try:
        return args.func(args)
    except (ReportFailed, DataProblem, ConfigError, FileNotFoundError, ValueError) as exc:
        print(f"cpkit {args.command}: {exc}", file=sys.stderr)
        return getattr(exc, "exit_code", 1)  # a run stopped by a signal: 128 + its number


if __name__ == "__main__":
    sys.exit(main())
