"""Before any section runs: read and check the council's data once, decide whether the report can be
built, and record what was read.

The blocking policy (README: "When the report fails"), so a council's report is built from imperfect
data but never published wrong without a word:

- **Blocks** (``DataProblem``, exit 1, a message naming the file and the fix): a table the report needs
  for the report year (Header and Episodes of that year's return) is missing, empty or unreadable (a
  file that is not CSV, a semicolon file the reader cannot split, headings only); no return for the
  year at all (``--year`` beyond the last return); or a file of the report year's return lacks one of its
  table's columns that a figure reads (a misspelt ``PLACE_PROVIDER`` heading would otherwise publish
  0% in-house; the ``UNREAD_COLUMNS`` no figure reads are listed, not blocking).
- **Blocks, dates** (``cpkit.report.date_blocks``): in the report year's return, a date column the
  reader refused (day and month cannot be told apart), a date a figure reads that cannot be read, a
  date after the return's end (31 March), or an overlap of a child's episodes that changes a figure;
  the message names the file, row and column and the figures the problem would change.
- **Does not block**: other error-severity problems in rows (they are counted and listed by ``cpkit check``
  and the data quality section; rows that cannot be placed in time are set aside by the reader), and
  any problem in an earlier year's return. A council that wants every error fixed first runs with
  ``--strict``, which blocks on any error-severity problem.

The figures table (``cpkit.figures``: every measure for the report year and up to four earlier ones,
own and published, with the judgement) is built here and cached beside the SSDA903 tables, so every
section reads the same numbers and none recomputes them.
"""

from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path

import pandas as pd

from cpkit.config import IN_YEAR_KINDS, Config, Period
from cpkit.errors import DataProblem
from cpkit.preflight import path_year
from cpkit.report.context import SSDA903_DIR
from cpkit.ssda903.model import Data903

# The tables without which the report year's figures would be zeros rather than facts.
NEEDED_TABLES = {"header": "Header", "episodes": "Episodes"}
_FILE_RULES = ("file_unrecognised", "file_unreadable", "empty_file")
# Columns of the return that no figure of the report reads (checked by ``cpkit check`` and the DfE's
# validator, but a file without them gives the same report): their absence is listed, not blocking.
# A column a measure starts to read must leave this set.
UNREAD_COLUMNS = frozenset(
    {
        "UPN", "MOTHER", "MC_DOB", "REASON_PLACE_CHANGE", "URN", "REVIEW", "REVIEW_CODE", "SDQ_REASON",
        "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED", "DATE_INT", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR",
        "DATE_PLACED_CEASED", "REASON_PLACED_CEASED", "PREV_PERM", "LA_PERM", "DATE_PERM", "MIS_END",
        "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON",
    }
)  # fmt: skip
_SHOWN = 10
log = logging.getLogger(__name__)


def ssda903_dir(data_dir: Path) -> Path:
    """The SSDA903 returns of a council's data folder (``--data`` is always the council's folder)."""
    source = Path(data_dir) / SSDA903_DIR
    if not source.is_dir():
        raise DataProblem(
            f"{source}: folder not found. --data is the council's data folder, holding cpkit.yaml and the "
            f"SSDA903 returns under {SSDA903_DIR}/ (one folder per collection year, e.g. {SSDA903_DIR}/2025/; "
            "README: 'The data folder')"
        )
    return source


def load_returns(
    data_dir: Path,
    period: Period | int,
    config: Config | None = None,
    strict: bool = False,
    dfe: bool = False,
) -> Data903:
    """Read the council's returns and refuse them (``DataProblem``) if the report cannot be built.

    ``config`` chooses the council in a regional file holding several (``la_code``); ``dfe`` adds the
    DfE validator's findings on the report year's return. An in-year period (the quarterly page) reads
    its own extract, so the returns are its history and no year is required of them.
    """
    from cpkit.ssda903.validator import with_findings

    period = Period.from_year(period) if isinstance(period, int) else period
    data = read_returns(data_dir, period, config)
    if dfe:
        with start_rules(data, period, config) as pending:
            data = with_findings(data, pending.result())
    if period.kind not in IN_YEAR_KINDS:
        check_returns(data, data_dir, period, config, strict)
    return data


def read_returns(data_dir: Path, period: Period, config: Config | None) -> Data903:
    """The council's returns, read; ``DataProblem`` at once when they hold no return for an annual report's
    year (before the DfE validator, which takes seconds to check a year that is not there)."""
    from cpkit.report.timings import stage
    from cpkit.ssda903 import Council, load_903

    source = ssda903_dir(data_dir)
    with stage("prepare", "read the returns"):
        data = load_903(source, council=Council.from_config(config) if config else None)
    absent = missing_return(data, period.year) if period.kind not in IN_YEAR_KINDS else None
    if absent:
        raise DataProblem(blocker_message([absent], data_dir, period.year))
    return data


def start_rules(data: Data903, period: Period, config: Config | None):  # noqa: ANN201 - PendingFindings
    """The DfE validator started on the period's return, running in its own process until its
    ``result()`` is asked for (``cpkit.ssda903.validator.start_dfe_findings``)."""
    from cpkit.ssda903.validator import start_dfe_findings

    return start_dfe_findings(
        data,
        [period.year],
        la_code=config.la_code if config else None,
        districts=config.la_district_codes if config else (),
        cut=None if period.kind not in IN_YEAR_KINDS else period.end,
    )


def check_returns(data: Data903, data_dir: Path, period: Period, config: Config | None, strict: bool) -> None:
    """``DataProblem`` when the annual report cannot be built from ``data`` (:func:`blockers`). Without
    ``strict`` the DfE rules' findings play no part (they are listed, never blocking), so the check can
    run before they are in."""
    from cpkit.report.timings import stage
    from cpkit.ssda903 import check_903

    with stage("prepare", "blocking checks"):
        problems = check_903(data, year=period.year) if strict else data.issues
        reasons = blockers(data, problems, period, strict=strict, config=config)
    if reasons:
        raise DataProblem(blocker_message(reasons, data_dir, period.year))


def blocker_message(reasons: list[str], data_dir: Path, year: int) -> str:
    listing = "\n".join(f"- {r}" for r in reasons[:_SHOWN])
    more = f"\n- ... and {len(reasons) - _SHOWN} more" if len(reasons) > _SHOWN else ""
    return (
        f"the data cannot give a report for {year}:\n{listing}{more}\n"
        f"Fix these and run `cpkit check --data {data_dir} --year {year}` to see every problem."
    )


def return_years(data: Data903, table: str) -> list[int]:
    """The collection years a table was supplied for: its rows' ``return_year`` and, for files whose rows a
    later return superseded (an episode restated next year keeps the later version), the year the file's
    path names (``ssda903/2025/``, ``2024-25``)."""
    years = {int(y) for y in data.tables[table]["return_year"].dropna().unique()}
    sources = data.sources
    if len(sources) and {"path", "table", "rows"} <= set(sources.columns):
        read = sources[
            (sources["table"] == NEEDED_TABLES.get(table, table)) & (sources["rows"].fillna(0) > 0)
        ]
        years |= {y for y in (path_year(str(p)) for p in read["path"]) if y is not None}
    return sorted(years)


def _file_years(data: Data903) -> dict[str, int]:
    """The return year of every file that gave rows (from its rows' ``return_year``)."""
    out: dict[str, int] = {}
    for frame in data.tables.values():
        if len(frame):
            known = frame.dropna(subset=["return_year"]).drop_duplicates("source_file")
            out.update(zip(known["source_file"].astype(str), known["return_year"].astype(int), strict=True))
    return out


def _names_year(path: str, year: int) -> bool:
    return path_year(path) == year


def blockers(
    data: Data903,
    problems: pd.DataFrame,
    period: Period,
    strict: bool = False,
    config: Config | None = None,
    date_reasons: list[str] | None = None,
) -> list[str]:
    """Why the report for ``period`` cannot be built from ``data`` (empty when it can); see the module doc.
    ``config`` is the council's settings, with which the figures a date problem changes are computed;
    ``date_reasons``: ``date_blocks.date_blockers``' answer when the caller already has it (it costs a
    few seconds on a return with many date problems)."""
    year = period.year
    reasons: list[str] = []
    years_known = any(return_years(data, t) for t in data.tables)
    file_years = _file_years(data)
    issues = data.issues

    def this_years(file: str) -> bool:
        return file_years.get(file) == year or (file not in file_years and _names_year(file, year))

    bad_files = issues[issues["rule"].isin(_FILE_RULES)]
    current_bad = [r for r in bad_files.itertuples(index=False) if not years_known or this_years(str(r.file))]
    if absent := missing_return(data, year):
        reasons.append(absent)
    for table, label in NEEDED_TABLES.items():
        frame = data.tables[table]
        if years_known:
            found = return_years(data, table)
            has_year = year in found
        else:
            has_year = len(frame) > 0 and _reaches(frame, period)
            found = []
        if has_year or reasons[:1] and reasons[0].startswith("no SSDA903 return"):
            continue
        if current_bad:
            why = "; ".join(
                str(r.message) if str(r.file) in str(r.message) else f"{r.file}: {r.message}"
                for r in current_bad
            )
            reasons.append(
                f"no {label} rows for the return year ending 31 March {year}. A file could not be read: {why}. "
                "Save it as a comma-separated CSV (or .xlsx) with the DfE's column headings on the first row"
            )
        elif found:
            reasons.append(
                f"no {label} table in the return for the year ending 31 March {year} (the returns found are for "
                f"{_years(found)}). Add that year's {label} file under {SSDA903_DIR}/{year}/, or choose a year "
                "the data covers with --year"
            )
        else:
            reasons.append(
                f"no {label} table for {period.label} among the SSDA903 files. Add the {label} file of the "
                f"return for the year ending 31 March {year}"
            )
    missing = issues[issues["rule"] == "missing_column"]
    for r in missing.itertuples(index=False):
        if (years_known and not this_years(str(r.file))) or str(r.column) in UNREAD_COLUMNS:
            continue
        hint = _close_heading(issues, str(r.file), str(r.column))
        reasons.append(
            f"{r.file} (row 1) has no {r.column} column, so the figures that use it would be wrong rather "
            f"than unknown{hint}. Correct the heading to {r.column} and run again"
        )
    if period.kind not in IN_YEAR_KINDS:
        from cpkit.report.date_blocks import date_blockers

        reasons += (
            date_blockers(data, period, config, UNREAD_COLUMNS) if date_reasons is None else date_reasons
        )
    if strict:
        errors = problems[problems["severity"] == "error"]
        for (file, rule), rows in errors.groupby(["file", "rule"], dropna=False, sort=True):
            first = rows.iloc[0]
            where = f"row {first['row']}, column {first['column']}" if pd.notna(first["row"]) else "the file"
            reasons.append(
                f"--strict: {file}: {len(rows)} {rule} error(s), first at {where}: {first['message']}"
            )
    return list(dict.fromkeys(reasons))


def missing_return(data: Data903, year: int) -> str | None:
    """Why there is no report for ``year`` when the returns hold none for it at all, else ``None`` (also
    when their years cannot be told, or a file of that year could not be read: :func:`blockers` says why
    then). Cheap: the run and ``cpkit check`` ask it before the DfE validator."""
    if not any(return_years(data, t) for t in data.tables):
        return None
    file_years = _file_years(data)
    bad_files = data.issues[data.issues["rule"].isin(_FILE_RULES)]
    for r in bad_files.itertuples(index=False):
        file = str(r.file)
        if file_years.get(file) == year or (file not in file_years and _names_year(file, year)):
            return None
    if any(year in return_years(data, t) for t in NEEDED_TABLES):
        return None
    found = sorted({y for t in NEEDED_TABLES for y in return_years(data, t)})
    return (
        f"no SSDA903 return for the year ending 31 March {year} (the returns found are for {_years(found)}). "
        f"Add that year's files under {SSDA903_DIR}/{year}/, or choose a year the data covers with --year"
    )


def _reaches(frame: pd.DataFrame, period: Period) -> bool:
    """Without return years: the episodes reach the period (some date on or after its first day)."""
    dates = [frame[c] for c in ("DECOM", "DEC") if c in frame.columns]
    latest = max((d.max() for d in dates if d.notna().any()), default=pd.NaT)
    return pd.notna(latest) and latest >= period.start_ts


def _close_heading(issues: pd.DataFrame, file: str, column: str) -> str:
    """ " (the file has PLACE_PROVDER: a misspelling?)" when an extra heading of the file is close."""
    extra = issues[(issues["rule"] == "extra_columns") & (issues["file"] == file)]
    names = [n.strip() for text in extra["column"].astype(str) for n in re.split(r"[,;]", text) if n.strip()]
    close = difflib.get_close_matches(column, names, n=1, cutoff=0.75)
    return f" (the file has {close[0]}: a misspelling?)" if close else ""


def _years(years: list[int]) -> str:
    return f"{years[0]} to {years[-1]}" if len(years) > 1 else str(years[0])


def prepare_data(
    data_dir: Path, cache_dir: Path, period: Period, config: Config, strict: bool = False
) -> tuple[Path, pd.DataFrame]:
    """Load, check and cache the SSDA903 tables; return the cache folder and the input checksums.

    ``DataProblem`` when the report cannot be built (see the module doc for what blocks). The DfE's own
    validation rules run on the report year's return and their findings join the listed problems.
    """
    from cpkit.config_checks import check_codes
    from cpkit.report.cache import save_903, save_postcodes
    from cpkit.report.timings import stage
    from cpkit.ssda903.validator import with_findings

    for warning in check_codes(config, data_dir):
        log.warning(warning)
    cache_dir.mkdir(parents=True, exist_ok=True)
    annual = period.kind not in IN_YEAR_KINDS
    data = read_returns(data_dir, period, config)
    # The DfE rules run in their own process beside the checks and the figures table, which do not read
    # their findings (they were 7 s of a 13 s step, one after the other); the cache gets them all. With
    # --strict their errors block, so they are waited for before the checks.
    with start_rules(data, period, config) as pending:
        if waited := strict or not annual:
            with stage("prepare", "DfE validator"):
                data = with_findings(data, pending.result())
        if annual:
            check_returns(data, data_dir, period, config, strict)
        else:  # a quarter past the data is refused here, not as a notebook's crash
            from cpkit.poap.inyear import last_day_with_data, latest_extract, require_covered

            require_covered(period, last_day_with_data(data, latest_extract(data_dir)))
        if strict:
            _strict_optional_inputs(data_dir, config, period)
        else:
            _warn_kpis(data_dir, config, period)
        if annual:  # the annual report's table; the quarter's page has its own measures
            from cpkit.figures import build_figures, save_figures

            with stage("prepare", "figures table"):
                # one look-up for the figures and the placements section
                lookup = save_postcodes(data, cache_dir)
                save_figures(build_figures(data, period, config, data_dir, postcode_lookup=lookup), cache_dir)
        if not waited:
            with stage("prepare", "DfE validator (waited for after the figures table)"):
                data = with_findings(data, pending.result())
    with stage("prepare", "returns cached"):
        save_903(data, cache_dir / SSDA903_DIR)
    return cache_dir, data.sources


def _warn_kpis(data_dir: Path, config: Config, period: Period) -> None:
    """A KPI file that is there but refused: the report is built without local KPIs (the sections say
    so), and the command line names the file, row and column of the first problems, not only the count."""
    from cpkit.kpis import KpiError, load_kpis

    kpis = config.path_in(data_dir, config.kpi_file, "kpis.csv")
    if not kpis.exists():
        return
    try:  # the quarterly page reads the file whole (its quarters and their year-ago comparators)
        load_kpis(kpis, None if period.kind in IN_YEAR_KINDS else period)
    except KpiError as exc:
        lines = str(exc).splitlines()
        shown = "; ".join(lines[1:4] if len(lines) > 1 else lines)
        more = f" (and {exc.count - 3} more)" if exc.count > 3 else ""
        log.warning(
            "the local KPI file was refused, so the report shows no local KPIs: %s%s. Correct it and run "
            "again (`cpkit check` lists every problem)",
            shown,
            more,
        )


def _strict_optional_inputs(data_dir: Path, config: Config, period: Period) -> None:
    """With ``--strict``, a KPI file or tracker that is there but has errors fails the run too."""
    from cpkit.actions import load_action_plan
    from cpkit.errors import ActionPlanError, KpiError
    from cpkit.kpis import load_kpis

    reasons = []
    kpis = config.path_in(data_dir, config.kpi_file, "kpis.csv")
    if kpis.exists():
        try:
            load_kpis(kpis, period)
        except KpiError as exc:
            reasons.append(f"--strict: {exc}")
    tracker = config.path_in(data_dir, config.action_plan_file, "action_plan.xlsx")
    if tracker.exists():
        try:
            load_action_plan(tracker, as_of=period.end_ts)
        except ActionPlanError as exc:
            reasons.append(f"--strict: {exc}")
    if reasons:
        raise DataProblem(blocker_message(reasons, data_dir, period.year))
