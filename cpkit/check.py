"""``cpkit check``: everything the report's data quality section tells the data team, before a report.

``check_data`` reads the council's data folder exactly as ``cpkit report`` does (the settings, the
SSDA903 returns, the action plan and the KPI file) and gathers every finding the data quality section
shows: the SSDA903 problems with file, row and column (the kit's checks and the DfE validator's rules), the rows set aside while reading, episodes whose
codes disagree with their dates, OC2 rows against the 12-month cohort, the tracker's problems, the KPI
file's problems, placement postcodes the ONS directory does not know, and what would stop the report
(``cpkit.report.prepare.blockers``); and the officers' own files as ``cpkit report`` checks them before
it runs: ``board/`` (every file's mistakes, not only the first), misnamed board and commentary files
(``cpkit.report.input_names``) and the council's ``narrative.yaml``. ``print_findings`` writes them for a data officer; the exit code is
1 when the report would fail (or, with ``--strict``, on any error).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cpkit.config import IN_YEAR_KINDS, Config, Period
from cpkit.errors import CpkitError, DataProblem


@dataclass
class Findings:
    """What ``cpkit check`` found, one frame or list per kind (the data quality section's order)."""

    data_dir: Path
    year: int
    ssda903: pd.DataFrame
    set_aside: pd.DataFrame
    continuity: pd.DataFrame
    oc2: pd.DataFrame
    blockers: list[str]
    strict_blockers: list[str]
    tracker: pd.DataFrame | None = None
    sources: pd.DataFrame | None = None  # which return each year's figures come from (stacked returns)
    notes: list[str] = field(default_factory=list)  # optional inputs missing or unreadable, settings warnings
    authored: list[str] = field(default_factory=list)  # board/, commentary/ and narrative.yaml: not read


def where(file: object, row: object, column: object) -> str:
    """ "episodes.csv, row 12, column DECOM", leaving out what a problem has not got (a whole-file
    problem has no row; a missing table has no file), rather than printing "row <NA>, column nan"."""
    parts = [str(file) if not _blank(file) else "(no file)"]
    if not _blank(row):
        parts.append(f"row {int(float(row))}" if str(row).replace(".", "", 1).isdigit() else f"row {row}")
    if not _blank(column):
        parts.append(f"column {column}")
    return ", ".join(parts)


def _label(year: int) -> str:
    return f"{year - 1}-{year % 100:02d}"


def _blank(value: object) -> bool:
    return value is None or value is pd.NA or str(value).strip() in ("", "nan", "NaN", "<NA>", "None")


def _latest_year(data: object) -> int:
    from cpkit.report.prepare import return_years

    years = return_years(data, "episodes")  # type: ignore[arg-type]
    if not years:
        raise CpkitError("no return year can be told from the SSDA903 files: give --year")
    return years[-1]


def check_data(
    data_dir: Path,
    year: int | None,
    period: str = "financial",
    config_file: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> Findings:
    """Every finding for the council's data folder and reporting year (the latest return if ``None``).
    ``progress`` is told as each stage starts (the command line prints it: a check can take minutes)."""
    say = progress or (lambda what: None)
    from cpkit.care.episodes import continuity_issues
    from cpkit.care.health import oc2_mismatches
    from cpkit.config_checks import check_codes
    from cpkit.report.date_blocks import date_blockers
    from cpkit.report.prepare import UNREAD_COLUMNS, blockers, missing_return, ssda903_dir
    from cpkit.ssda903 import Council, check_903, load_903
    from cpkit.ssda903.stack import year_sources
    from cpkit.ssda903.validator import add_dfe_findings

    config = Config.for_data(data_dir, config_file)
    notes = check_codes(config, data_dir)
    say("reading the returns")
    data = load_903(ssda903_dir(data_dir), council=Council.from_config(config))
    year = year or _latest_year(data)
    when = Period.from_year(year, period)
    # a year the returns do not hold is refused before any check runs (the findings would describe other
    # years' files and end "no problems found" for a report that cannot be built)
    absent = missing_return(data, year)
    if absent:
        raise DataProblem(f"{absent} (data folder {data_dir})")
    # the DfE's own validation rules (their environment, .venv-validator), beside the kit's checks
    say("running the DfE's validation rules")
    data = add_dfe_findings(data, [year], la_code=config.la_code, districts=config.la_district_codes)
    say("checking the returns, the tracker and the KPIs")
    problems = check_903(data, year=year)
    dates = [] if when.kind in IN_YEAR_KINDS else date_blockers(data, when, config, UNREAD_COLUMNS)
    findings = Findings(
        data_dir=data_dir,
        year=year,
        ssda903=problems,
        set_aside=data.set_aside,
        continuity=continuity_issues(data),
        oc2=oc2_mismatches(data, year) if data.has("oc2") else pd.DataFrame(columns=["CHILD", "reason"]),
        blockers=blockers(data, data.issues, when, config=config, date_reasons=dates),
        strict_blockers=blockers(data, problems, when, strict=True, config=config, date_reasons=dates),
        notes=notes,
        sources=year_sources(data.episodes, data.issues, data.sources),
    )
    stops = check_authored(data_dir, year, config, findings.authored, findings.notes)
    findings.blockers += stops
    findings.strict_blockers += stops
    findings.tracker = _tracker(data_dir, config, when, findings.notes)
    _kpis(data_dir, config, when, findings.notes)
    _postcodes(data, when, config, findings.notes)
    return findings


def check_authored(
    data_dir: Path, year: int, config: Config | None, warnings: list[str], notes: list[str]
) -> list[str]:
    """What the report would refuse in the officers' own files (``board/``, commentary, the council's
    ``narrative.yaml``), as ``cpkit report`` checks them before any section runs; files it would leave
    out are added to ``warnings``, and which of the Board's parts the report will hold to ``notes``."""
    from cpkit.errors import NarrativeError
    from cpkit.present.narrative import Narrative
    from cpkit.report.authored import PARTS, authored_problems, load_authored
    from cpkit.report.input_names import name_problems

    stops = authored_problems(data_dir, year)
    if not stops:
        written = {p.key for p in load_authored(data_dir, year).parts}
        missing = [s.title for s in PARTS if s.key not in written and s.key != "priorities"]
        notes.append(
            "the Board's own parts (board/): "
            + (
                f"written: {', '.join(s.title for s in PARTS if s.key in written)}"
                if written
                else "none written"
            )
            + (
                f"; left out, with no file or nothing written in it yet: {', '.join(missing)}"
                if missing
                else ""
            )
            + ("" if "priorities" in written else "; the priorities table comes from the action plan tracker")
        )
    for problem in name_problems(data_dir, year):
        (stops if problem.stops else warnings).append(problem.message)
    try:
        Narrative.for_data(data_dir, config)
    except NarrativeError as exc:
        stops.append(str(exc))
    return stops


def _tracker(data_dir: Path, config: Config, period: Period, notes: list[str]) -> pd.DataFrame | None:
    from cpkit.actions import load_action_plan, problems
    from cpkit.errors import ActionPlanError

    path = config.path_in(data_dir, config.action_plan_file, "action_plan.xlsx")
    if not path.exists():
        notes.append(
            f"{path}: no action plan tracker, so the report's action plan section says it is missing"
        )
        return None
    try:
        return problems(load_action_plan(path, as_of=period.end_ts))
    except ActionPlanError as exc:
        notes.append(f"action plan not read: {exc}")
        return None


def _kpis(data_dir: Path, config: Config, period: Period, notes: list[str]) -> None:
    from cpkit.errors import KpiError
    from cpkit.kpis import load_kpis

    path = config.path_in(data_dir, config.kpi_file, "kpis.csv")
    if not path.exists():
        notes.append(f"{path}: no local KPI file, so the education section and local measures are left out")
        return
    try:
        load_kpis(path, period)
    except KpiError as exc:
        notes.append(f"KPI file not used: {exc}")


def _postcodes(data: object, period: Period, config: Config, notes: list[str]) -> None:
    from cpkit.care.location import home_district_warning, unknown_postcode_warning

    try:
        found = [
            unknown_postcode_warning(data, period.end, config),  # type: ignore[arg-type]
            home_district_warning(data, period.end, config),  # type: ignore[arg-type]
        ]
    except ImportError:  # the postcode directory package is not installed
        return
    notes.extend(w for w in found if w)


def _lines(frame: pd.DataFrame, columns: list[str], limit: int) -> list[str]:
    return ["  " + ", ".join(f"{c} {row[c]}" for c in columns) for _, row in frame.head(limit).iterrows()]


def print_findings(f: Findings, limit: int = 50, strict: bool = False, out: object = None) -> int:
    """Write the findings for a data officer; return the exit code (1 if the report would fail)."""
    from cpkit.ssda903.checks import summarise

    out = out or sys.stdout
    say = lambda text="": print(text, file=out)  # noqa: E731
    say(f"Checked {f.data_dir} for the report year ending 31 March {f.year}.")
    if f.ssda903.empty:
        say("SSDA903: no problems found.")
    else:
        say(f"SSDA903: {len(f.ssda903)} problem(s), by table and rule:")
        say(summarise(f.ssda903).to_string(index=False))
        shown = f.ssda903.head(limit)
        say(f"\nFirst {len(shown)} of {len(f.ssda903)} problem(s) (file, row, column):")
        for p in shown.itertuples(index=False):
            say(f"  {p.severity:7} {where(p.file, p.row, p.column)}: {p.message}")
    if f.sources is not None and len(f.sources) > 1:
        say("\nWhich return each year's figures come from (the problems above list each disagreement):")
        for s in f.sources.itertuples(index=False):
            own = f"the {_label(s.year)} return" if pd.notna(s.return_year) else "no return supplied"
            by = ", ".join(f"the {_label(int(y))} return" for y in s.later_returns.split(", ") if y)
            told = f"; {by} told {s.disagreements} of its episodes differently" if by else ""
            say(f"  {_label(s.year)}: {own}{told}")
    if len(f.set_aside):
        say(f"\n{len(f.set_aside)} input row(s) set aside while reading, by reason:")
        counts = f.set_aside.groupby(["table", "reason"]).size().rename("rows").reset_index()
        say(counts.to_string(index=False))
    if len(f.continuity):
        say(f"\n{len(f.continuity)} episode(s) whose codes disagree with their dates (all years):")
        say(f.continuity.groupby("reason").size().rename("episodes").reset_index().to_string(index=False))
        say("\n".join(_lines(f.continuity, ["source_file", "source_row", "reason"], limit)))
    if len(f.oc2):
        say(f"\n{len(f.oc2)} OC2 row(s) and children that disagree with the 12-month cohort for {f.year}:")
        say(f.oc2.groupby("reason").size().rename("children").reset_index().to_string(index=False))
    if f.tracker is not None and len(f.tracker):
        say(f"\n{len(f.tracker)} action plan tracker problem(s):")
        say("\n".join(_lines(f.tracker, ["location", "ref", "column", "problem"], limit)))
    if f.authored:
        say(f"\n{len(f.authored)} file(s) in board/ or commentary/ the report would leave out:")
        say("\n".join(f"  {line}" for line in f.authored))
    for note in f.notes:
        say(f"\nNote: {note}")
    stops = f.strict_blockers if strict else f.blockers
    if stops:
        say(
            "",
        )
        print("These stop the report" + (" (--strict)" if strict else "") + ":", file=sys.stderr)
        for reason in stops:
            print(f"- {reason}", file=sys.stderr)
        return 1
    if not strict and len(f.strict_blockers) > len(f.blockers):
        say(
            "\nNothing stops the report: rows with errors are counted and shown in its data quality section "
            "(run with --strict to require them fixed)."
        )
    return 0


def print_authored(data_dir: Path, year: int, out: object = None) -> int:
    """``cpkit board check``: the officers' own files only (no returns needed, in a second), as
    ``cpkit report`` checks them; exit 1 if one would stop the report."""
    out = out or sys.stdout
    warnings: list[str] = []
    notes: list[str] = []
    stops = check_authored(data_dir, year, None, warnings, notes)
    print(
        f"Checked {data_dir / 'board'}, commentary and narrative.yaml for the report year ending 31 March {year}.",
        file=out,
    )
    for note in notes:
        print(note[0].upper() + note[1:], file=out)
    for warning in warnings:
        print(f"warning: {warning}", file=out)
    for stop in stops:
        print(f"error: {stop}", file=sys.stderr)
    if stops:
        print(f"{len(stops)} problem(s) would stop the report.", file=sys.stderr)
        return 1
    print(
        "Nothing here stops the report."
        if not warnings
        else "Nothing here stops the report; see the warnings.",
        file=out,
    )
    return 0
